// One-time libxml2 + xmlsec (OpenSSL) initialisation behind std::call_once; see xml_security.hpp.
#include "mno/saml/xml_security.hpp"

#include <libxml/parser.h>
#include <xmlsec/crypto.h>
#include <xmlsec/errors.h>
#include <xmlsec/xmlsec.h>

#include <mutex>

namespace mno::saml {
namespace {

// xmlsec reports every failure (including an attacker's bad signature) on stderr by default; our
// callers get error values instead, so the noise is dropped.
void quiet_xmlsec(const char*, int, const char*, const char*, const char*, int, const char*) {}

}  // namespace

Status ensure_xml_security() {
  static std::once_flag once;
  static Status result;
  std::call_once(once, [] {
    xmlInitParser();
    if (xmlSecInit() < 0) {
      result = make_error("saml.internal", "xmlsec initialisation failed");
      return;
    }
    if (xmlSecCheckVersion() != 1) {
      result = make_error("saml.internal", "loaded xmlsec library version is not compatible");
      return;
    }
    if (xmlSecCryptoAppInit(nullptr) < 0 || xmlSecCryptoInit() < 0) {
      result = make_error("saml.internal", "xmlsec OpenSSL backend initialisation failed");
      return;
    }
    xmlSecErrorsSetCallback(quiet_xmlsec);
  });
  return result;
}

}  // namespace mno::saml
