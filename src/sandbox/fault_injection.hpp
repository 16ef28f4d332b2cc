// Fault injection on the sandbox's Account API (issue 5, security.md 4 "fake remote"): rules set from
// the control API decide, per request, an added latency, an error status, a hang with no answer
// (the client times out; nothing applied) or "apply then drop" (the change is applied, then the
// connection is reset without an answer: the ambiguous case). Randomness is injected, so the decision
// logic is unit-testable; the waiting itself is done by the caller (account_api.cpp).
#pragma once
#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "mno/util/random.hpp"
#include "mno/util/result.hpp"

namespace sandbox {

enum class FaultKind { latency, error, timeout, drop_after_apply };

struct FaultRule {
  FaultKind kind = FaultKind::error;
  std::string method = "*";    // GET, POST, DELETE or *
  std::string resource = "*";  // bills, recurring_bills, groups, users or *
  double probability = 1.0;    // per matching request: the error rate
  int remaining = -1;          // matching requests it still applies to; -1 = until cleared
  std::chrono::milliseconds latency{0};  // kind latency
  int status = 500;                      // kind error
  std::chrono::milliseconds hang{5000};  // timeout: how long the answer is withheld (drop_after_apply resets at once)
  int retry_after_s = -1;                // kind error: a Retry-After header (seconds) when >= 0
};

struct FaultDecision {
  enum class Action { none, error, hang, apply_then_drop };
  Action action = Action::none;
  std::chrono::milliseconds delay{0};  // sum of the latency rules that fired, before anything else
  int status = 500;
  std::chrono::milliseconds hang{0};
  int retry_after_s = -1;  // from the error rule that fired; -1 = no Retry-After
};

// The methods and resources an API accepts in its rules (the Account API's are the default).
struct FaultVocabulary {
  std::vector<std::string> methods;    // "*" is always accepted
  std::vector<std::string> resources;  // empty = any name of [a-z0-9_]; "*" is always accepted
};
const FaultVocabulary& account_fault_vocabulary();

// JSON {"kind": "latency"|"error"|"timeout"|"drop_after_apply", "method", "resource", "probability",
// "count", "latency_ms", "status", "hang_ms", "retry_after_s"}; errors "control.invalid_field" naming the field.
mno::Result<FaultRule> fault_rule_from_json(const nlohmann::json& j);
mno::Result<FaultRule> fault_rule_from_json(const nlohmann::json& j, const FaultVocabulary& vocabulary);
nlohmann::json fault_rule_to_json(const FaultRule& r);

class FaultInjector {
 public:
  explicit FaultInjector(mno::Random& random) : random_(random) {}
  void add(FaultRule rule);
  void clear();
  std::vector<FaultRule> rules() const;
  // Latency rules add up; the first other matching rule that fires decides the action. A rule that
  // fires uses one of its `remaining` and disappears at zero.
  FaultDecision decide(std::string_view method, std::string_view resource);

 private:
  mutable std::mutex mu_;
  std::vector<FaultRule> rules_;
  mno::Random& random_;
};

}  // namespace sandbox
