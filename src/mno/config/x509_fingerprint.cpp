// SHA-1 certificate fingerprints with OpenSSL, for checking sso.x509_certificate against
// sso.x509_fingerprint at configuration time.
#include "mno/config/x509_fingerprint.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cctype>
#include <memory>

namespace mno::config {

Result<std::string> pem_sha1_fingerprint(std::string_view pem) {
  if (pem.empty() || pem.size() > 64 * 1024) return make_error("config.invalid_certificate", "certificate is empty or too large");
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  if (!bio) return make_error("config.invalid_certificate", "out of memory");
  std::unique_ptr<X509, decltype(&X509_free)> cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), &X509_free);
  if (!cert) {
    ERR_clear_error();  // leave no stale error for the next OpenSSL user on this thread
    return make_error("config.invalid_certificate", "not a PEM X.509 certificate");
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (X509_digest(cert.get(), EVP_sha1(), md, &len) != 1 || len != 20) {
    ERR_clear_error();
    return make_error("config.invalid_certificate", "cannot compute the certificate fingerprint");
  }
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    if (i) out += ':';
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 0xF];
  }
  return out;
}

bool is_sha1_fingerprint(std::string_view text) {
  if (text.size() != 20 * 3 - 1) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (i % 3 == 2 ? c != ':' : !std::isxdigit(c)) return false;
  }
  return true;
}

bool fingerprints_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

}  // namespace mno::config
