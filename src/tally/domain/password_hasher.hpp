// Password hashing with Argon2id (libsodium crypto_pwhash_str*) and the password policy.
// Hashing is deliberately slow, so callers hash OUTSIDE database transactions. Production uses
// the INTERACTIVE limits; tests use the MIN limits so they stay fast.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "mno/util/result.hpp"

namespace tally {

struct PasswordHashLimits {
  uint64_t opslimit = 0;
  size_t memlimit = 0;
  static PasswordHashLimits interactive();  // crypto_pwhash_OPSLIMIT/MEMLIMIT_INTERACTIVE
  static PasswordHashLimits minimum();      // crypto_pwhash_OPSLIMIT/MEMLIMIT_MIN: tests only
};

constexpr size_t kPasswordMinLength = 10;
constexpr size_t kPasswordMaxLength = 200;

// nullopt when acceptable, else the end-user message ("must be at least 10 characters", ...).
// Length counts bytes of the UTF-8 text.
std::optional<std::string> password_policy_error(std::string_view password);

class PasswordHasher {
 public:
  explicit PasswordHasher(PasswordHashLimits limits = PasswordHashLimits::interactive());

  // The encoded "$argon2id$..." string. Error password.hash_failed (out of memory).
  mno::Result<std::string> hash(std::string_view password) const;
  // Constant-time as libsodium does it; false for any malformed hash.
  bool verify(const std::string& encoded_hash, std::string_view password) const;
  // True when the hash was made with other limits (rehash after a successful login).
  bool needs_rehash(const std::string& encoded_hash) const;
  // Verifies against a fixed hash so an unknown email costs as much time as a wrong password.
  void dummy_verify(std::string_view password) const;

  const PasswordHashLimits& limits() const { return limits_; }

 private:
  PasswordHashLimits limits_;
  std::string dummy_hash_;
};

}  // namespace tally
