// Retry schedule of the sync engine (security.md 4): "full jitter" exponential backoff,
// delay = uniform(0, min(cap, base * 2^(attempt-1))), never below a Retry-After the server asked for. Pure
// computation with an injected Random: the result becomes a row's next_attempt_at, nobody sleeps.
#pragma once
#include <chrono>
#include <optional>

#include "mno/util/random.hpp"

namespace mno::sync {

struct BackoffPolicy {
  std::chrono::milliseconds base{1000};
  std::chrono::milliseconds cap{std::chrono::minutes(15)};
};

// attempt: 1 for the first retry. retry_after: the server's Retry-After, honoured as a minimum.
std::chrono::milliseconds backoff_delay(const BackoffPolicy& policy, int attempt, Random& random,
                                        std::optional<std::chrono::milliseconds> retry_after = std::nullopt);

}  // namespace mno::sync
