// See connec_record.hpp.
#include "sandbox/connec_record.hpp"

#include <set>

namespace sandbox {
namespace {

using nlohmann::json;

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string id_text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  if (v.is_number()) return v.dump();
  return {};
}

bool is_id_array(const json& v) {
  if (!v.is_array() || v.empty()) return false;
  for (const auto& e : v)
    if (!e.is_object() || !e.contains("provider") || !e.contains("id")) return false;
  return true;
}

std::string plural(const std::string& s) {
  if (s == "person") return "people";
  if (s == "company") return "company";
  if (ends_with(s, "s") || ends_with(s, "x") || ends_with(s, "ch") || ends_with(s, "sh")) return s + "es";
  if (ends_with(s, "y") && s.size() > 1 && std::string("aeiou").find(s[s.size() - 2]) == std::string::npos)
    return s.substr(0, s.size() - 1) + "ies";
  return s + "s";
}

void walk_references(json& node, const std::function<void(const std::string&, json&)>& fn) {
  if (node.is_object()) {
    for (auto& [k, v] : node.items()) {
      if (k != "id" && ends_with(k, "_id") && is_id_array(v)) fn(k, v);
      else if (k != "id") walk_references(v, fn);
    }
  } else if (node.is_array()) {
    for (auto& e : node) walk_references(e, fn);
  }
}

bool shares_entry(const json& a, const json& b) {
  auto x = connec_id_entries(a), y = connec_id_entries(b);
  for (const auto& e : x)
    for (const auto& f : y)
      if (e == f) return true;
  return false;
}

// The union of two id arrays, a's order first.
json union_ids(const json& a, const json& b) {
  json out = json::array();
  std::vector<ConnecIdEntry> seen;
  for (const auto* arr : {&a, &b})
    for (const auto& e : connec_id_entries(*arr)) {
      bool dup = false;
      for (const auto& s : seen) dup = dup || s == e;
      if (dup) continue;
      seen.push_back(e);
      out.push_back(connec_id_json(e));
    }
  return out;
}

json merge_lines(const json& stored, const json& sent, bool sparse) {
  json out = sparse && stored.is_array() ? stored : json::array();
  for (const auto& line : sent) {
    const json* match = nullptr;
    size_t match_index = 0;
    if (line.is_object() && line.contains("id") && stored.is_array()) {
      for (size_t i = 0; i < stored.size(); ++i)
        if (stored[i].is_object() && stored[i].contains("id") && shares_entry(stored[i]["id"], line["id"])) {
          match = &stored[i];
          match_index = i;
          break;
        }
    }
    if (!match || !line.is_object()) {
      out.push_back(line);
      continue;
    }
    json merged = sparse ? *match : json::object();
    merge_connec_fields(merged, line, sparse);
    merged["id"] = union_ids((*match)["id"], line["id"]);
    if (sparse) out[match_index] = merged;
    else out.push_back(merged);
  }
  return out;
}

}  // namespace

std::vector<ConnecIdEntry> connec_id_entries(const json& value) {
  std::vector<ConnecIdEntry> out;
  if (value.is_string()) {
    out.push_back({value.get<std::string>(), "connec", ""});
    return out;
  }
  if (!value.is_array()) return out;
  for (const auto& e : value) {
    if (!e.is_object()) continue;
    auto id = e.contains("id") ? id_text(e["id"]) : std::string{};
    if (id.empty()) continue;
    std::string provider = e.contains("provider") && e["provider"].is_string() ? e["provider"].get<std::string>() : "";
    std::string realm = e.contains("realm") ? id_text(e["realm"]) : "";
    if (provider.empty()) continue;
    out.push_back({id, provider, realm});
  }
  return out;
}

json connec_id_json(const ConnecIdEntry& e) { return {{"id", e.id}, {"provider", e.provider}, {"realm", e.realm}}; }

bool is_server_field(const std::string& key) {
  static const std::set<std::string> keys = {"created_at", "updated_at", "group_id", "channel_id",
                                             "resource_type", "opts", "resource", "type_of_record"};
  return keys.count(key) > 0;
}

bool is_sub_record_array(const std::string& key) {
  static const std::set<std::string> keys = {"lines", "payment_lines", "notes", "employee_salaries", "sale_taxes",
                                             "purchase_taxes"};
  return keys.count(key) > 0;
}

void for_each_reference(json& record, const std::function<void(const std::string&, json&)>& fn) {
  walk_references(record, fn);
}

std::vector<std::string> reference_collections(const std::string& key) {
  std::vector<std::string> out;
  if (!ends_with(key, "_id")) return out;
  std::string base = key.substr(0, key.size() - 3);
  while (!base.empty()) {
    out.push_back(plural(base));
    auto us = base.find('_');
    if (us == std::string::npos) break;
    base = base.substr(us + 1);
  }
  return out;
}

std::string new_connec_id(mno::Random& random) {
  std::string h = random.hex_token(16);
  h[12] = '4';
  static const char variants[] = "89ab";
  h[16] = variants[std::stoi(h.substr(16, 1), nullptr, 16) & 3];
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20);
}

void ensure_sub_record_ids(json& record, const std::string& channel, mno::Random& random) {
  if (!record.is_object()) return;
  for (auto& [k, v] : record.items()) {
    if (!v.is_array()) {
      if (v.is_object()) ensure_sub_record_ids(v, channel, random);
      continue;
    }
    if (!is_sub_record_array(k)) continue;
    for (auto& line : v) {
      if (!line.is_object()) continue;
      json ids = line.contains("id") ? line["id"] : json::array();
      if (!ids.is_array()) ids = json::array();
      bool has_connec = false;
      for (const auto& e : connec_id_entries(ids)) has_connec = has_connec || e.provider == "connec";
      if (!has_connec) ids.push_back(connec_id_json({new_connec_id(random), "connec", channel}));
      line["id"] = ids;
      ensure_sub_record_ids(line, channel, random);
    }
  }
}

void merge_connec_fields(json& stored, const json& sent, bool sparse) {
  if (!sent.is_object()) return;
  if (!stored.is_object()) stored = json::object();
  for (const auto& [k, v] : sent.items()) {
    if (is_server_field(k) || k == "id") continue;
    auto it = stored.find(k);
    if (it != stored.end() && it->is_object() && v.is_object() && !is_id_array(v)) {
      merge_connec_fields(*it, v, sparse);
    } else if (v.is_array() && is_sub_record_array(k)) {
      stored[k] = merge_lines(it == stored.end() ? json::array() : *it, v, sparse);
    } else {
      stored[k] = v;
    }
  }
}

}  // namespace sandbox
