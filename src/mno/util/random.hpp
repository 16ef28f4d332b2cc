// Injectable randomness: tokens, ids and jitter come from a Random, so tests can seed it.
// SecureRandom uses libsodium (the OS CSPRNG); SeededRandom is deterministic for tests only.
#pragma once
#include <cstdint>
#include <memory>
#include <string>

namespace mno {

class Random {
 public:
  virtual ~Random() = default;
  virtual void fill(void* buf, size_t len) = 0;
  uint64_t next_u64();
  // Uniform in [0, bound) without modulo bias; bound must be > 0.
  uint64_t uniform(uint64_t bound);
  // `bytes` random bytes as lowercase hex (2*bytes characters).
  std::string hex_token(size_t bytes = 32);
  // `bytes` random bytes as URL-safe base64 without padding.
  std::string url_token(size_t bytes = 32);
};

class SecureRandom final : public Random {
 public:
  SecureRandom();
  void fill(void* buf, size_t len) override;
  static SecureRandom& instance();
};

class SeededRandom final : public Random {
 public:
  explicit SeededRandom(uint64_t seed) : state_(seed ? seed : 0x9E3779B97F4A7C15ULL) {}
  void fill(void* buf, size_t len) override;

 private:
  uint64_t state_;
};

}  // namespace mno
