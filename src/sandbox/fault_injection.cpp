// See fault_injection.hpp.
#include "sandbox/fault_injection.hpp"

#include <algorithm>

namespace sandbox {
namespace {

using nlohmann::json;

mno::Error bad_field(const std::string& field, const std::string& why) {
  return mno::make_error("control.invalid_field", field + " " + why);
}

const char* kind_name(FaultKind k) {
  switch (k) {
    case FaultKind::latency: return "latency";
    case FaultKind::error: return "error";
    case FaultKind::timeout: return "timeout";
    case FaultKind::drop_after_apply: return "drop_after_apply";
  }
  return "error";
}

bool matches(const std::string& pattern, std::string_view value) { return pattern == "*" || pattern == value; }

}  // namespace

const FaultVocabulary& account_fault_vocabulary() {
  static const FaultVocabulary v{{"GET", "POST", "DELETE"}, {"bills", "recurring_bills", "groups", "users"}};
  return v;
}

mno::Result<FaultRule> fault_rule_from_json(const json& j) { return fault_rule_from_json(j, account_fault_vocabulary()); }

mno::Result<FaultRule> fault_rule_from_json(const json& j, const FaultVocabulary& vocabulary) {
  auto one_of = [](const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += n + ", ";
    return out + "*";
  };
  if (!j.is_object()) return mno::make_error("control.bad_json", "a fault rule must be a JSON object");
  FaultRule r;
  if (!j.contains("kind") || !j["kind"].is_string()) return bad_field("kind", "is required (latency, error, timeout, drop_after_apply)");
  auto kind = j["kind"].get<std::string>();
  if (kind == "latency") r.kind = FaultKind::latency;
  else if (kind == "error") r.kind = FaultKind::error;
  else if (kind == "timeout") r.kind = FaultKind::timeout;
  else if (kind == "drop_after_apply") r.kind = FaultKind::drop_after_apply;
  else return bad_field("kind", "must be latency, error, timeout or drop_after_apply");
  if (j.contains("method")) {
    if (!j["method"].is_string()) return bad_field("method", "must be a string");
    r.method = j["method"].get<std::string>();
    if (r.method != "*" && std::find(vocabulary.methods.begin(), vocabulary.methods.end(), r.method) == vocabulary.methods.end())
      return bad_field("method", "must be " + one_of(vocabulary.methods));
  }
  if (j.contains("resource")) {
    if (!j["resource"].is_string()) return bad_field("resource", "must be a string");
    r.resource = j["resource"].get<std::string>();
    bool known = r.resource == "*";
    if (!known && vocabulary.resources.empty())
      known = !r.resource.empty() && std::all_of(r.resource.begin(), r.resource.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
      });
    if (!known)
      known = std::find(vocabulary.resources.begin(), vocabulary.resources.end(), r.resource) != vocabulary.resources.end();
    if (!known)
      return bad_field("resource", vocabulary.resources.empty() ? "must be a collection name or *"
                                                                : "must be " + one_of(vocabulary.resources));
  }
  if (j.contains("probability")) {
    if (!j["probability"].is_number()) return bad_field("probability", "must be a number");
    r.probability = j["probability"].get<double>();
    if (!(r.probability >= 0 && r.probability <= 1)) return bad_field("probability", "must be between 0 and 1");
  }
  auto int_field = [&](const char* name, int64_t lo, int64_t hi, int64_t& out) -> mno::Status {
    if (!j.contains(name)) return {};
    if (!j[name].is_number_integer()) return bad_field(name, "must be an integer");
    out = j[name].get<int64_t>();
    if (out < lo || out > hi) return bad_field(name, "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
    return {};
  };
  int64_t count = -1, latency = 0, status = 500, hang = r.hang.count(), retry_after = -1;
  if (auto s = int_field("count", -1, 1000000, count); !s) return s.error();
  if (count == 0) return bad_field("count", "must be -1 (until cleared) or positive");
  if (auto s = int_field("latency_ms", 0, 120000, latency); !s) return s.error();
  if (auto s = int_field("status", 400, 599, status); !s) return s.error();
  if (auto s = int_field("hang_ms", 0, 120000, hang); !s) return s.error();
  if (auto s = int_field("retry_after_s", -1, 86400, retry_after); !s) return s.error();
  if (r.kind == FaultKind::latency && latency == 0) return bad_field("latency_ms", "is required for a latency fault");
  r.remaining = static_cast<int>(count);
  r.latency = std::chrono::milliseconds(latency);
  r.status = static_cast<int>(status);
  r.hang = std::chrono::milliseconds(hang);
  r.retry_after_s = static_cast<int>(retry_after);
  return r;
}

json fault_rule_to_json(const FaultRule& r) {
  json out = {{"kind", kind_name(r.kind)}, {"method", r.method},        {"resource", r.resource},
          {"probability", r.probability}, {"count", r.remaining}, {"latency_ms", r.latency.count()},
          {"status", r.status},           {"hang_ms", r.hang.count()}};
  if (r.retry_after_s >= 0) out["retry_after_s"] = r.retry_after_s;
  return out;
}

void FaultInjector::add(FaultRule rule) {
  std::lock_guard lock(mu_);
  rules_.push_back(std::move(rule));
}

void FaultInjector::clear() {
  std::lock_guard lock(mu_);
  rules_.clear();
}

std::vector<FaultRule> FaultInjector::rules() const {
  std::lock_guard lock(mu_);
  return rules_;
}

FaultDecision FaultInjector::decide(std::string_view method, std::string_view resource) {
  std::lock_guard lock(mu_);
  FaultDecision d;
  bool decided = false;
  for (auto& r : rules_) {
    if (!matches(r.method, method) || !matches(r.resource, resource)) continue;
    if (r.kind != FaultKind::latency && decided) continue;
    // Draw in millionths so that probability 1 always fires and 0 never does.
    bool fires = r.probability >= 1.0 || (r.probability > 0 && random_.uniform(1000000) < static_cast<uint64_t>(r.probability * 1000000));
    if (!fires) continue;
    if (r.remaining > 0) --r.remaining;
    switch (r.kind) {
      case FaultKind::latency: d.delay += r.latency; break;
      case FaultKind::error:
        d.action = FaultDecision::Action::error;
        d.status = r.status;
        d.retry_after_s = r.retry_after_s;
        decided = true;
        break;
      case FaultKind::timeout:
        d.action = FaultDecision::Action::hang;
        d.hang = r.hang;
        decided = true;
        break;
      case FaultKind::drop_after_apply:
        d.action = FaultDecision::Action::apply_then_drop;
        d.hang = r.hang;
        decided = true;
        break;
    }
  }
  rules_.erase(std::remove_if(rules_.begin(), rules_.end(), [](const FaultRule& r) { return r.remaining == 0; }), rules_.end());
  return d;
}

}  // namespace sandbox
