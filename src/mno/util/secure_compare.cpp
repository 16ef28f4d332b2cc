// See secure_compare.hpp.
#include "mno/util/secure_compare.hpp"

#include <openssl/crypto.h>
#include <openssl/sha.h>

namespace mno {

bool secure_equals(std::string_view a, std::string_view b) {
  unsigned char ha[SHA256_DIGEST_LENGTH], hb[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(a.data()), a.size(), ha);
  SHA256(reinterpret_cast<const unsigned char*>(b.data()), b.size(), hb);
  return CRYPTO_memcmp(ha, hb, sizeof ha) == 0;
}

}  // namespace mno
