// Internal (not installed API): RAII for libxml2 documents and the small DOM helpers shared by the
// AuthnRequest parser, the validator and the signer. Only .cpp files of mno/saml include it.
#pragma once
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <memory>
#include <string>
#include <string_view>

namespace mno::saml::detail {

struct DocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
using DocPtr = std::unique_ptr<xmlDoc, DocFree>;

inline constexpr const char* kProtocolNs = "urn:oasis:names:tc:SAML:2.0:protocol";
inline constexpr const char* kAssertionNs = "urn:oasis:names:tc:SAML:2.0:assertion";
inline constexpr const char* kDsigNs = "http://www.w3.org/2000/09/xmldsig#";
inline constexpr const char* kXencNs = "http://www.w3.org/2001/04/xmlenc#";

// True when the raw bytes contain a DOCTYPE declaration anywhere (checked before parsing, so that
// no DTD, entity or external subset is ever processed).
bool contains_doctype(std::string_view bytes);

// Parses with XML_PARSE_NONET only (no entity substitution, DTD loading, recovery or HUGE), with
// libxml2's error output silenced for this thread. nullptr when not well-formed.
DocPtr parse_strict(std::string_view bytes);

bool is_element(const xmlNode* n, const char* ns, const char* local);
// Namespace URI of an element, "" when none.
std::string_view ns_of(const xmlNode* n);
std::string_view name_of(const xmlNode* n);
// Attribute without namespace; nullopt-like: found=false when absent.
bool get_attr(const xmlNode* n, const char* name, std::string& out);
// First element child in (ns, local); nullptr if none. count_children counts them.
xmlNode* child(const xmlNode* parent, const char* ns, const char* local);
int count_children(const xmlNode* parent, const char* ns, const char* local);
// Concatenated text of a node's text/CDATA children; false when it has any other kind of child
// (comment, element, PI, entity ref): the strict reading that defeats comment truncation.
bool strict_text(const xmlNode* n, std::string& out);
// Serialises a document without formatting (signatures survive).
std::string serialize(xmlDoc* doc);

}  // namespace mno::saml::detail
