// Field-level validation results shared by every entity service, the HTML forms and the JSON API:
// a rejected change carries one message per offending field, so the UI can show each next to its
// input and the API can return them as {"code","message","fields":{...}}.
#pragma once
#include <map>
#include <string>

#include "mno/util/result.hpp"

namespace tally {

struct FieldErrors {
  std::map<std::string, std::string> fields;  // field name -> message
  void add(const std::string& field, const std::string& message) { fields.emplace(field, message); }
  bool empty() const { return fields.empty(); }
  // Error code "validation.failed"; message lists the fields; Error::fields holds them one by one.
  mno::Error to_error() const;
};

// Stable error codes used across the domain:
//   validation.failed   field errors (details in the FieldErrors returned alongside)
//   record.not_found    no such record in this company (never reveals other companies' records)
//   record.stale        optimistic concurrency: someone saved a newer version first
//   record.in_use       refused because other records depend on it (message explains)
//   auth.*              authentication / authorisation failures

}  // namespace tally
