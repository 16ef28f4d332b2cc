// Full-jitter exponential backoff; see backoff.hpp.
#include "mno/sync/backoff.hpp"

#include <algorithm>

namespace mno::sync {

std::chrono::milliseconds backoff_delay(const BackoffPolicy& policy, int attempt, Random& random,
                                        std::optional<std::chrono::milliseconds> retry_after) {
  int shift = std::clamp(attempt - 1, 0, 40);  // 2^40 * base overflows nothing and is far above any cap
  int64_t base = std::max<int64_t>(policy.base.count(), 1);
  int64_t cap = std::max<int64_t>(policy.cap.count(), 1);
  int64_t ceiling = base > (cap >> shift) ? cap : std::min(cap, base << shift);
  auto delay = std::chrono::milliseconds(static_cast<int64_t>(random.uniform(static_cast<uint64_t>(ceiling) + 1)));
  if (retry_after && *retry_after > delay) delay = *retry_after;
  return delay;
}

}  // namespace mno::sync
