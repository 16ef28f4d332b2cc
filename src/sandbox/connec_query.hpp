// The sandbox's Connec! list query language (connec.md 1.4): `$filter` with eq, ne, gt, lt, match
// (/regex/) joined by `and` (any case), string literals in single quotes, numbers, true/false/null
// unquoted; `$orderby` "<field> ASC|DESC". Parsed once per request into a Filter that evaluates
// against a rendered record (dotted paths reach into objects: "amount.total_amount"). Times compare
// as instants when both sides parse as ISO 8601. The store pushes clauses on created_at/updated_at
// down to SQL (`time_clauses`) so paging through 100,000 records does not parse them all.
#pragma once
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "mno/util/result.hpp"

namespace sandbox {

enum class ConnecOp { eq, ne, gt, lt, match };

struct ConnecClause {
  std::string field;       // dotted path
  ConnecOp op = ConnecOp::eq;
  nlohmann::json value;    // string, number, boolean or null; for match the pattern text
  std::optional<std::regex> pattern;  // match only (ECMAScript, case-sensitive unless /.../i)
};

struct ConnecFilter {
  std::vector<ConnecClause> clauses;  // all must hold
  bool matches(const nlohmann::json& record) const;
};

struct ConnecOrder {
  std::string field;  // "" = insertion order
  bool descending = false;
};

// Errors: connec.bad_filter / connec.bad_orderby, the message says where the text stopped making sense.
mno::Result<ConnecFilter> parse_connec_filter(const std::string& text);
mno::Result<ConnecOrder> parse_connec_orderby(const std::string& text);

// Orders two records by a field (missing/null first); ties are left to the caller.
int compare_connec_field(const nlohmann::json& a, const nlohmann::json& b, const std::string& field);

}  // namespace sandbox
