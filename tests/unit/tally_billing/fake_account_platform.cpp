// See fake_account_platform.hpp. The envelope and status codes follow the ref sandbox (spec 5.1).
#include "fake_account_platform.hpp"

namespace billingtest {
namespace {

mno::http::Response envelope(int status, const nlohmann::json& data, const nlohmann::json& errors = nlohmann::json::object()) {
  nlohmann::json body = {{"success", errors.empty()}, {"errors", errors}, {"data", data}};
  return mno::http::FakeHttpClient::text_response(status, body.dump(), "application/json");
}

std::string query_value(const std::string& query, const std::string& key) {
  size_t p = 0;
  while (p < query.size()) {
    size_t amp = query.find('&', p);
    std::string part = query.substr(p, amp == std::string::npos ? std::string::npos : amp - p);
    if (part.rfind(key + "=", 0) == 0) return part.substr(key.size() + 1);
    if (amp == std::string::npos) break;
    p = amp + 1;
  }
  return "";
}

}  // namespace

FakeAccountPlatform::FakeAccountPlatform(mno::http::FakeHttpClient& http, std::string base) : base_(std::move(base)) {
  http.set_fallback([this](const mno::http::Request& r) { return handle(r); });
}

void FakeAccountPlatform::fail_next_creates(Fault fault, int count) {
  std::lock_guard lock(mu_);
  fault_ = fault;
  fault_count_ = count;
}

void FakeAccountPlatform::unreachable(bool down) {
  std::lock_guard lock(mu_);
  down_ = down;
}

int FakeAccountPlatform::invoice_submitted_bills() {
  std::lock_guard lock(mu_);
  int n = 0;
  for (auto& b : bills_)
    if (b.value("status", "") == "submitted") {
      b["status"] = "invoiced";
      ++n;
    }
  return n;
}

std::vector<nlohmann::json> FakeAccountPlatform::bills() const {
  std::lock_guard lock(mu_);
  return bills_;
}
std::vector<nlohmann::json> FakeAccountPlatform::recurring_bills() const {
  std::lock_guard lock(mu_);
  return recurring_;
}
int FakeAccountPlatform::create_calls() const {
  std::lock_guard lock(mu_);
  return creates_;
}
int FakeAccountPlatform::list_calls() const {
  std::lock_guard lock(mu_);
  return lists_;
}

mno::Result<mno::http::Response> FakeAccountPlatform::handle(const mno::http::Request& r) {
  std::lock_guard lock(mu_);
  if (down_) return mno::make_error("http.connect", "connection refused");
  if (r.url.rfind(base_, 0) != 0) return mno::make_error("http.connect", "unknown host " + r.url);
  std::string rest = r.url.substr(base_.size());
  std::string query;
  if (auto q = rest.find('?'); q != std::string::npos) {
    query = rest.substr(q + 1);
    rest.resize(q);
  }
  const bool is_bill = rest.rfind("account/bills", 0) == 0;
  const bool is_recurring = rest.rfind("account/recurring_bills", 0) == 0;
  if (!is_bill && !is_recurring) return envelope(404, nullptr, {{"id", {"does not exist"}}});
  auto& store = is_bill ? bills_ : recurring_;
  const std::string collection = is_bill ? "account/bills" : "account/recurring_bills";

  if (r.method == "POST" && rest == collection) {
    ++creates_;
    Fault fault = Fault::none;
    if (fault_count_ > 0) {
      fault = fault_;
      if (--fault_count_ == 0) fault_ = Fault::none;
    }
    if (fault == Fault::server_error) return envelope(500, nullptr, {{"system", {"A system error occured."}}});
    if (fault == Fault::drop_before_apply) return mno::make_error("http.transport", "connection reset by peer");
    if (fault == Fault::reject) return envelope(400, nullptr, {{"group_id", {"does not exist or cannot be charged by your service"}}});
    auto in = nlohmann::json::parse(r.body);
    nlohmann::json obj = in;
    obj["id"] = std::string(is_bill ? "bill-" : "rbill-") + std::to_string(next_id_++);
    obj["object"] = is_bill ? "account_bill" : "account_recurring_bill";
    obj["status"] = "submitted";
    if (is_recurring && obj.contains("period")) {
      std::string p = obj["period"];
      for (auto& c : p) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      obj["period"] = p;
    }
    store.push_back(obj);
    if (fault == Fault::apply_then_drop) return mno::make_error("http.transport", "connection reset by peer");
    return envelope(200, obj);
  }
  if (r.method == "GET" && rest == collection) {
    ++lists_;
    const std::string group = query_value(query, "group_id");
    nlohmann::json list = nlohmann::json::array();
    for (const auto& b : store)
      if (group.empty() || b.value("group_id", "") == group) list.push_back(b);
    return envelope(200, list);
  }
  if (r.method == "DELETE" && rest.rfind(collection + "/", 0) == 0) {
    const std::string id = rest.substr(collection.size() + 1);
    for (auto& b : store)
      if (b["id"] == id) {
        b["status"] = "cancelled";
        return envelope(200, b);
      }
    return envelope(400, nullptr, {{"id", {"does not exist"}}});
  }
  return envelope(404, nullptr, {{"id", {"does not exist"}}});
}

}  // namespace billingtest
