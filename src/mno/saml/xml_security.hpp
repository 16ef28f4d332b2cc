// One-time, thread-safe initialisation of libxml2 and xmlsec (OpenSSL backend) for every libmno user:
// the validator, the IdP-side signer and the sandbox. Initialising xmlsec twice or from two threads
// at once corrupts its global tables, so everybody goes through ensure_xml_security().
#pragma once
#include "mno/util/result.hpp"

namespace mno::saml {

// Idempotent; safe from any thread. Also silences libxml2/xmlsec stderr noise (errors become values).
// Error: saml.internal when xmlsec or its crypto backend cannot be initialised.
Status ensure_xml_security();

}  // namespace mno::saml
