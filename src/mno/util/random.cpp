// Random implementations: libsodium for production, splitmix64 for deterministic tests.
#include "mno/util/random.hpp"

#include <sodium.h>

#include <cstring>
#include <stdexcept>
#include <vector>

namespace mno {

uint64_t Random::next_u64() {
  uint64_t v;
  fill(&v, sizeof v);
  return v;
}

uint64_t Random::uniform(uint64_t bound) {
  const uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
  for (;;) {
    uint64_t v = next_u64();
    if (v < limit) return v % bound;
  }
}

std::string Random::hex_token(size_t bytes) {
  std::vector<unsigned char> raw(bytes);
  fill(raw.data(), raw.size());
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(bytes * 2);
  for (unsigned char c : raw) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

std::string Random::url_token(size_t bytes) {
  std::vector<unsigned char> raw(bytes);
  fill(raw.data(), raw.size());
  std::string out(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), raw.data(), raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::strlen(out.c_str()));
  return out;
}

SecureRandom::SecureRandom() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

void SecureRandom::fill(void* buf, size_t len) { randombytes_buf(buf, len); }

SecureRandom& SecureRandom::instance() {
  static SecureRandom r;
  return r;
}

void SeededRandom::fill(void* buf, size_t len) {
  auto* p = static_cast<unsigned char*>(buf);
  while (len) {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    size_t n = len < 8 ? len : 8;
    std::memcpy(p, &z, n);
    p += n;
    len -= n;
  }
}

}  // namespace mno
