// See connec_query.hpp. A small hand-written tokenizer: the syntax is tiny and the errors must say
// where parsing stopped, which a regex over the whole filter cannot.
#include "sandbox/connec_query.hpp"

#include <cctype>
#include <cstdlib>

#include "mno/util/iso8601.hpp"

namespace sandbox {
namespace {

using nlohmann::json;

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

struct Cursor {
  const std::string& s;
  size_t i = 0;
  void skip_ws() {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  }
  bool done() {
    skip_ws();
    return i >= s.size();
  }
  std::string word() {
    skip_ws();
    size_t b = i;
    while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_' || s[i] == '.')) ++i;
    return s.substr(b, i - b);
  }
  mno::Error error(const std::string& what) const {
    return mno::make_error("connec.bad_filter", "$filter: " + what + " at position " + std::to_string(i));
  }
};

mno::Result<json> parse_value(Cursor& c, bool for_match, std::string& flags) {
  c.skip_ws();
  if (c.i >= c.s.size()) return c.error("missing value");
  char q = c.s[c.i];
  if (q == '\'' || q == '"') {
    std::string out;
    ++c.i;
    while (true) {
      if (c.i >= c.s.size()) return c.error("unterminated string");
      char ch = c.s[c.i++];
      if (ch == q) {
        if (c.i < c.s.size() && c.s[c.i] == q) {  // '' is an escaped quote
          out += q;
          ++c.i;
          continue;
        }
        break;
      }
      out += ch;
    }
    return json(out);
  }
  if (q == '/' && for_match) {
    std::string out;
    ++c.i;
    while (true) {
      if (c.i >= c.s.size()) return c.error("unterminated /regex/");
      char ch = c.s[c.i++];
      if (ch == '\\' && c.i < c.s.size() && c.s[c.i] == '/') {
        out += '/';
        ++c.i;
        continue;
      }
      if (ch == '/') break;
      out += ch;
    }
    while (c.i < c.s.size() && std::isalpha(static_cast<unsigned char>(c.s[c.i]))) flags += c.s[c.i++];
    return json(out);
  }
  size_t b = c.i;
  while (c.i < c.s.size() && !std::isspace(static_cast<unsigned char>(c.s[c.i]))) ++c.i;
  std::string tok = c.s.substr(b, c.i - b);
  std::string l = lower(tok);
  if (l == "null") return json(nullptr);
  if (l == "true") return json(true);
  if (l == "false") return json(false);
  char* end = nullptr;
  double d = std::strtod(tok.c_str(), &end);
  if (!tok.empty() && end == tok.c_str() + tok.size()) {
    if (tok.find_first_of(".eE") == std::string::npos) return json(std::strtoll(tok.c_str(), nullptr, 10));
    return json(d);
  }
  c.i = b;
  return c.error("expected a quoted string, a number, true, false or null");
}

const json* at_path(const json& record, const std::string& path) {
  const json* cur = &record;
  size_t b = 0;
  while (true) {
    size_t dot = path.find('.', b);
    std::string key = path.substr(b, dot == std::string::npos ? std::string::npos : dot - b);
    if (!cur->is_object()) return nullptr;
    auto it = cur->find(key);
    if (it == cur->end()) return nullptr;
    cur = &*it;
    if (dot == std::string::npos) return cur;
    b = dot + 1;
  }
}

// -2 = not comparable.
int compare_values(const json& have, const json& want) {
  if (have.is_string() && want.is_string()) {
    const auto& a = have.get_ref<const std::string&>();
    const auto& b = want.get_ref<const std::string&>();
    if (a.size() >= 19 && b.size() >= 19) {
      auto ta = mno::parse_iso8601(a);
      auto tb = mno::parse_iso8601(b);
      if (ta && tb) return *ta < *tb ? -1 : (*tb < *ta ? 1 : 0);
    }
    int c = a.compare(b);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  if (have.is_number() && want.is_number()) {
    double a = have.get<double>(), b = want.get<double>();
    return a < b ? -1 : (b < a ? 1 : 0);
  }
  if (have.is_number() && want.is_string()) {  // '12' against a numeric field
    char* end = nullptr;
    const auto& s = want.get_ref<const std::string&>();
    double b = std::strtod(s.c_str(), &end);
    if (s.empty() || end != s.c_str() + s.size()) return -2;
    double a = have.get<double>();
    return a < b ? -1 : (b < a ? 1 : 0);
  }
  if (have.is_boolean() && want.is_boolean()) return have == want ? 0 : (have.get<bool>() ? 1 : -1);
  return -2;
}

bool equals(const json* have, const json& want) {
  if (want.is_null()) return have == nullptr || have->is_null();
  if (have == nullptr || have->is_null()) return false;
  // An id array equals a value when one of its entries has that id.
  if (have->is_array()) {
    for (const auto& e : *have) {
      if (e.is_object() && e.contains("id") && compare_values(e["id"], want) == 0) return true;
      if (!e.is_object() && compare_values(e, want) == 0) return true;
    }
    return false;
  }
  return compare_values(*have, want) == 0;
}

bool holds(const ConnecClause& c, const json& record) {
  const json* have = at_path(record, c.field);
  switch (c.op) {
    case ConnecOp::eq: return equals(have, c.value);
    case ConnecOp::ne: return !equals(have, c.value);
    case ConnecOp::gt:
    case ConnecOp::lt: {
      if (have == nullptr || have->is_null() || c.value.is_null()) return false;
      int cmp = compare_values(*have, c.value);
      if (cmp == -2) return false;
      return c.op == ConnecOp::gt ? cmp > 0 : cmp < 0;
    }
    case ConnecOp::match:
      if (have == nullptr || !have->is_string() || !c.pattern) return false;
      return std::regex_search(have->get_ref<const std::string&>(), *c.pattern);
  }
  return false;
}

}  // namespace

bool ConnecFilter::matches(const json& record) const {
  for (const auto& c : clauses)
    if (!holds(c, record)) return false;
  return true;
}

mno::Result<ConnecFilter> parse_connec_filter(const std::string& text) {
  ConnecFilter f;
  Cursor c{text};
  if (c.done()) return f;
  while (true) {
    ConnecClause clause;
    clause.field = c.word();
    if (clause.field.empty()) return c.error("expected a field name");
    std::string op = lower(c.word());
    if (op == "eq") clause.op = ConnecOp::eq;
    else if (op == "ne") clause.op = ConnecOp::ne;
    else if (op == "gt") clause.op = ConnecOp::gt;
    else if (op == "lt") clause.op = ConnecOp::lt;
    else if (op == "match") clause.op = ConnecOp::match;
    else return c.error("unknown operator '" + op + "' (eq, ne, gt, lt, match)");
    std::string flags;
    auto v = parse_value(c, clause.op == ConnecOp::match, flags);
    if (!v) return v.error();
    clause.value = std::move(*v);
    if (clause.op == ConnecOp::match) {
      if (!clause.value.is_string()) return c.error("match needs /regex/ or a quoted pattern");
      auto options = std::regex::ECMAScript;
      if (flags.find('i') != std::string::npos) options |= std::regex::icase;
      try {
        clause.pattern.emplace(clause.value.get<std::string>(), options);
      } catch (const std::regex_error&) {
        return c.error("invalid regular expression");
      }
    }
    f.clauses.push_back(std::move(clause));
    if (c.done()) return f;
    if (lower(c.word()) != "and") return c.error("expected 'and'");
  }
}

mno::Result<ConnecOrder> parse_connec_orderby(const std::string& text) {
  ConnecOrder o;
  Cursor c{text};
  if (c.done()) return o;
  o.field = c.word();
  if (o.field.empty()) return mno::make_error("connec.bad_orderby", "$orderby: expected a field name");
  if (!c.done()) {
    std::string dir = lower(c.word());
    if (dir == "desc") o.descending = true;
    else if (dir != "asc") return mno::make_error("connec.bad_orderby", "$orderby: direction must be ASC or DESC");
  }
  if (!c.done()) return mno::make_error("connec.bad_orderby", "$orderby: one field and a direction only");
  return o;
}

int compare_connec_field(const json& a, const json& b, const std::string& field) {
  const json* x = at_path(a, field);
  const json* y = at_path(b, field);
  bool xn = x == nullptr || x->is_null(), yn = y == nullptr || y->is_null();
  if (xn || yn) return xn == yn ? 0 : (xn ? -1 : 1);
  int c = compare_values(*x, *y);
  if (c != -2) return c;
  int d = x->dump().compare(y->dump());
  return d < 0 ? -1 : (d > 0 ? 1 : 0);
}

}  // namespace sandbox
