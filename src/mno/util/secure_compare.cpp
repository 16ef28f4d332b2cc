// See secure_compare.hpp. Both sides are hashed first, so the comparison takes the same time whatever
// their lengths. The SHA-256 implementation is fetched once: OpenSSL 3's one-shot SHA256() fetches it
// on every call, which was a tenth of an authenticated webhook's cost.
#include "mno/util/secure_compare.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

namespace mno {
namespace {

const EVP_MD* sha256_md() {
  static const EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

void sha256(std::string_view in, unsigned char out[SHA256_DIGEST_LENGTH]) {
  const auto* data = reinterpret_cast<const unsigned char*>(in.data());
  if (const EVP_MD* md = sha256_md(); md && EVP_Digest(data, in.size(), out, nullptr, md, nullptr) == 1) return;
  SHA256(data, in.size(), out);
}

}  // namespace

bool secure_equals(std::string_view a, std::string_view b) {
  unsigned char ha[SHA256_DIGEST_LENGTH], hb[SHA256_DIGEST_LENGTH];
  sha256(a, ha);
  sha256(b, hb);
  return CRYPTO_memcmp(ha, hb, sizeof ha) == 0;
}

}  // namespace mno
