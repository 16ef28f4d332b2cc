// Validation of the contact-detail fields that customers, contacts and invoices share: trimming,
// lengths, email addresses, web sites, postal addresses and record ids typed as text. Each check
// adds at most one end-user message per field to a FieldErrors.
#pragma once
#include "tally/domain/user.hpp"  // is_valid_email
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "mno/util/clock.hpp"
#include "tally/domain/customer.hpp"
#include "tally/domain/validation.hpp"

namespace tally {

std::string trimmed(std::string_view s);
bool is_valid_web_url(std::string_view s);  // http:// or https:// with a host, no spaces
// Adds "must be at most N characters" when value (UTF-8 bytes counted as characters approximately) is too long.
void check_length(FieldErrors& errors, const std::string& field, const std::string& value, size_t max);
// Trimmed value; adds "must be a valid email address" when set and invalid.
std::string checked_email(FieldErrors& errors, const std::string& field, std::string_view value);
// Trims every field, upper-cases the country and checks it is two letters; field names are prefix + ".country".
Address checked_address(FieldErrors& errors, const std::string& prefix, const Address& in);
// "" → nullopt; a positive decimal integer → its value; anything else → adds "is not a valid id".
std::optional<int64_t> checked_id(FieldErrors& errors, const std::string& field, std::string_view value);
// ISO-8601 UTC text of clock.now(), the timestamp format of every record.
std::string now_text(const mno::Clock& clock);

}  // namespace tally
