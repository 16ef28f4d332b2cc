// See password_hasher.hpp.
#include "tally/domain/password_hasher.hpp"

#include <sodium.h>

#include <stdexcept>

namespace tally {

PasswordHashLimits PasswordHashLimits::interactive() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

PasswordHashLimits PasswordHashLimits::minimum() { return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN}; }

std::optional<std::string> password_policy_error(std::string_view password) {
  if (password.size() < kPasswordMinLength)
    return "must be at least " + std::to_string(kPasswordMinLength) + " characters";
  if (password.size() > kPasswordMaxLength)
    return "must be at most " + std::to_string(kPasswordMaxLength) + " characters";
  return std::nullopt;
}

PasswordHasher::PasswordHasher(PasswordHashLimits limits) : limits_(limits) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  // The dummy hash uses the same limits as real ones so both verifications cost the same.
  auto h = hash("tally-dummy-password-for-timing");
  if (!h.ok()) throw std::runtime_error("cannot compute the dummy password hash: " + h.error().message);
  dummy_hash_ = *h;
}

mno::Result<std::string> PasswordHasher::hash(std::string_view password) const {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), limits_.opslimit, limits_.memlimit) != 0)
    return mno::make_error("password.hash_failed", "cannot hash the password (out of memory)");
  return std::string(out);
}

bool PasswordHasher::verify(const std::string& encoded_hash, std::string_view password) const {
  if (encoded_hash.empty() || encoded_hash.size() >= crypto_pwhash_STRBYTES) return false;
  return crypto_pwhash_str_verify(encoded_hash.c_str(), password.data(), password.size()) == 0;
}

bool PasswordHasher::needs_rehash(const std::string& encoded_hash) const {
  return crypto_pwhash_str_needs_rehash(encoded_hash.c_str(), limits_.opslimit, limits_.memlimit) != 0;
}

void PasswordHasher::dummy_verify(std::string_view password) const { (void)verify(dummy_hash_, password); }

}  // namespace tally
