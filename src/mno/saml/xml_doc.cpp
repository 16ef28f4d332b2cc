// Internal libxml2 helpers of mno/saml; see xml_doc.hpp.
#include "mno/saml/xml_doc.hpp"

#include <libxml/xmlerror.h>
#include <libxml/xmlsave.h>

#include <cstring>

namespace mno::saml::detail {
namespace {

void silent_structured(void*, xmlErrorPtr) {}
void silent_generic(void*, const char*, ...) {}

}  // namespace

bool contains_doctype(std::string_view bytes) {
  return bytes.find("<!DOCTYPE") != std::string_view::npos || bytes.find("<!ENTITY") != std::string_view::npos;
}

DocPtr parse_strict(std::string_view bytes) {
  // Both handlers are per-thread in a threaded libxml2, so concurrent validations do not interfere.
  xmlSetStructuredErrorFunc(nullptr, silent_structured);
  xmlSetGenericErrorFunc(nullptr, silent_generic);
  if (bytes.size() > static_cast<size_t>(INT32_MAX)) return nullptr;
  return DocPtr(xmlReadMemory(bytes.data(), static_cast<int>(bytes.size()), "saml.xml", nullptr, XML_PARSE_NONET));
}

bool is_element(const xmlNode* n, const char* ns, const char* local) {
  return n && n->type == XML_ELEMENT_NODE && name_of(n) == local && ns_of(n) == ns;
}

std::string_view ns_of(const xmlNode* n) {
  return (n && n->ns && n->ns->href) ? std::string_view(reinterpret_cast<const char*>(n->ns->href)) : std::string_view{};
}

std::string_view name_of(const xmlNode* n) {
  return (n && n->name) ? std::string_view(reinterpret_cast<const char*>(n->name)) : std::string_view{};
}

bool get_attr(const xmlNode* n, const char* name, std::string& out) {
  for (xmlAttr* a = n->properties; a; a = a->next) {
    if (a->ns == nullptr && std::strcmp(reinterpret_cast<const char*>(a->name), name) == 0) {
      xmlChar* v = xmlNodeGetContent(reinterpret_cast<xmlNode*>(a));
      out = v ? reinterpret_cast<const char*>(v) : "";
      xmlFree(v);
      return true;
    }
  }
  return false;
}

xmlNode* child(const xmlNode* parent, const char* ns, const char* local) {
  for (xmlNode* c = parent->children; c; c = c->next)
    if (is_element(c, ns, local)) return c;
  return nullptr;
}

int count_children(const xmlNode* parent, const char* ns, const char* local) {
  int n = 0;
  for (xmlNode* c = parent->children; c; c = c->next)
    if (is_element(c, ns, local)) ++n;
  return n;
}

bool strict_text(const xmlNode* n, std::string& out) {
  out.clear();
  for (xmlNode* c = n->children; c; c = c->next) {
    if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
      if (c->content) out += reinterpret_cast<const char*>(c->content);
    } else {
      return false;
    }
  }
  return true;
}

std::string serialize(xmlDoc* doc) {
  xmlChar* mem = nullptr;
  int size = 0;
  xmlDocDumpMemoryEnc(doc, &mem, &size, "UTF-8");
  std::string out = mem ? std::string(reinterpret_cast<const char*>(mem), static_cast<size_t>(size)) : std::string{};
  xmlFree(mem);
  return out;
}

}  // namespace mno::saml::detail
