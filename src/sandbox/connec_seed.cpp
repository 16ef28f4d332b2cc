// See connec_seed.hpp. Values derive from n only (no randomness), so two seeds of the same size hold
// the same data apart from Connec! ids.
#include "sandbox/connec_seed.hpp"

#include <algorithm>

namespace sandbox {
namespace {

using nlohmann::json;

const char* const kFirst[] = {"Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "John", "Katherine", "Linus"};
const char* const kLast[] = {"Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Backus", "Johnson", "Torvalds"};
const char* const kCities[] = {"Sydney", "London", "Paris", "Berlin", "Auckland", "Toronto", "Lyon", "Dublin"};

json ref(const std::string& id, const ConnecGroup& g) {
  return json::array({{{"id", id}, {"provider", "connec"}, {"realm", g.channel}}});
}

// Generated records go to the group in chunks so one transaction stays short.
constexpr size_t kChunk = 2000;

}  // namespace

json generated_connec_record(const std::string& collection, int64_t n, const ConnecGroup& g,
                             const std::map<std::string, std::vector<std::string>>& refs) {
  const std::string num = std::to_string(n + 1);
  if (collection == "organizations") {
    return {{"name", "Seed Organization " + num},
            {"is_customer", true},
            {"is_supplier", n % 5 == 0},
            {"status", "ACTIVE"},
            {"email", {{"address", "billing" + num + "@example.com"}}},
            {"address", {{"billing", {{"line1", num + " Seed Street"}, {"city", kCities[n % 8]}, {"country", "AU"}}}}}};
  }
  if (collection == "people") {
    json p = {{"first_name", kFirst[n % 10]},
              {"last_name", std::string(kLast[(n / 10) % 10]) + " " + num},
              {"is_customer", true},
              {"status", "ACTIVE"},
              {"email", {{"address", "person" + num + "@example.com"}}}};
    if (auto it = refs.find("organizations"); it != refs.end() && !it->second.empty())
      p["organization_id"] = ref(it->second[static_cast<size_t>(n) % it->second.size()], g);
    return p;
  }
  if (collection == "items") {
    return {{"name", "Seed Item " + num},
            {"code", "SKU-" + num},
            {"type", n % 3 == 0 ? "SERVICE" : "PURCHASED"},
            {"status", "ACTIVE"},
            {"sale_price", {{"net_amount", static_cast<double>(10 + n % 90) + 0.5}, {"currency", "USD"}}}};
  }
  if (collection == "invoices") {
    json inv = {{"type", "CUSTOMER"},
                {"transaction_number", "SEED-" + num},
                {"transaction_date", "2026-01-01T00:00:00Z"},
                {"due_date", "2026-01-31T00:00:00Z"},
                {"status", "AUTHORISED"},
                {"title", "Seed invoice " + num}};
    if (auto it = refs.find("organizations"); it != refs.end() && !it->second.empty())
      inv["organization_id"] = ref(it->second[static_cast<size_t>(n) % it->second.size()], g);
    json lines = json::array();
    double total = 0;
    for (int l = 0; l < 2; ++l) {
      double qty = 1 + (n + l) % 4, price = 10.0 + static_cast<double>((n * 7 + l) % 50);
      json line = {{"line_number", l + 1}, {"description", "Line " + std::to_string(l + 1)}, {"quantity", qty},
                   {"unit_price", {{"net_amount", price}}}, {"total_price", {{"net_amount", qty * price}}}};
      if (auto it = refs.find("items"); it != refs.end() && !it->second.empty())
        line["item_id"] = ref(it->second[static_cast<size_t>(n + l) % it->second.size()], g);
      total += qty * price;
      lines.push_back(line);
    }
    inv["lines"] = lines;
    inv["amount"] = {{"net_amount", total}, {"total_amount", total}, {"tax_amount", 0}, {"currency", "USD"}};
    return inv;
  }
  return {{"name", "Seed " + collection + " " + num}, {"status", "ACTIVE"}};
}

mno::Result<std::map<std::string, int64_t>> seed_connec(ConnecStore& store, const ConnecGroup& g,
                                                        const std::map<std::string, int64_t>& counts) {
  static const std::vector<std::string> first = {"organizations", "people", "items"};
  std::vector<std::string> order;
  for (const auto& c : first)
    if (counts.count(c)) order.push_back(c);
  for (const auto& [c, n] : counts)
    if (std::find(order.begin(), order.end(), c) == order.end()) order.push_back(c);

  std::map<std::string, std::vector<std::string>> refs;
  // References point at records already in the group as well as this seed's (a small sample is enough).
  for (const auto& c : {"organizations", "items"}) {
    ConnecListQuery q;
    q.top = 1000;
    auto page = store.list(g, c, q);
    if (!page) return page.error();
    for (const auto& r : page->records) refs[c].push_back(r["id"][0]["id"].get<std::string>());
  }
  std::map<std::string, int64_t> created;
  for (const auto& collection : order) {
    int64_t n = counts.at(collection);
    int64_t base = 0;
    if (auto existing = store.counts(g.uid); existing) base = (*existing)[collection];
    for (int64_t done = 0; done < n;) {
      std::vector<json> chunk;
      for (size_t i = 0; i < kChunk && done + static_cast<int64_t>(i) < n; ++i)
        chunk.push_back(generated_connec_record(collection, base + done + static_cast<int64_t>(i), g, refs));
      auto ids = store.insert_many(g, collection, chunk);
      if (!ids) return ids.error();
      auto& r = refs[collection];
      for (const auto& id : *ids)
        if (r.size() < 1000) r.push_back(id);
      done += static_cast<int64_t>(chunk.size());
    }
    created[collection] = n;
  }
  return created;
}

}  // namespace sandbox
