// What Tally's four Connec! adapters share: tenant/record id parsing, reading loosely typed Connec! JSON fields,
// money and percent conversion between Connec! numbers and Tally's exact text inputs, addresses, and folding /
// unfolding record references (a referenced record without a Connec! id, or a Connec! id unknown locally, makes
// the record wait: sync.waiting, retried later, never dropped).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "mno/db/database.hpp"
#include "mno/sync/adapter.hpp"
#include "mno/util/result.hpp"
#include "tally/domain/customer.hpp"

namespace tally::sync {

// The company of a sync tenant key (sync.unknown_tenant when it is not one).
mno::Result<int64_t> company_of_tenant(std::string_view tenant);
// A local record id (sync.gone when it is not a positive decimal id: nothing to send).
mno::Result<int64_t> local_record_id(std::string_view local_id);

// to_connec's error for a failed read: record.not_found becomes sync.gone (finish without sending).
mno::Error outbound_read_error(const mno::Error& e);
// from_connec's error for a failed write: record.stale (a local edit raced the apply) becomes sync.waiting so
// the inbox row is retried instead of dead-lettered.
mno::Error inbound_write_error(const mno::Error& e);

// A string field (numbers are written as text, null/absent/other types give ""). `path` descends with '/'.
std::string text_at(const nlohmann::json& record, std::string_view path);
bool has_at(const nlohmann::json& record, std::string_view path);
// A Connec! amount (number or numeric string) as Tally money input text "12.50"; "" when absent or not numeric.
std::string money_input(const nlohmann::json& value);
// A Connec! percentage (number or numeric string) as Tally percent input "20", "5.5"; "" when absent.
std::string percent_input(const nlohmann::json& value);
// A Connec! quantity as Tally quantity input ("1.5"); "" when absent.
std::string quantity_input(const nlohmann::json& value);
// Exact cents / basis points / thousandths as Connec! numbers.
double cents_to_number(int64_t cents);
double bp_to_percent(int64_t basis_points);
double milli_to_number(int64_t milli);

// Connec! address {line1, line2, city, region, postal_code, country} <-> Tally Address. A country that is not a
// 2-letter code (Connec! may send names) is left empty on the way in rather than rejecting the record.
nlohmann::json address_to_connec(const Address& a);
Address address_from_connec(const nlohmann::json& value);

// status INACTIVE / ARCHIVED (any case) on a Connec! record.
bool connec_inactive(const nlohmann::json& record);

// Fold: the id array of another local record of the tenant, with its Connec! id. sync.waiting when the id map
// has no Connec! id for it yet (the referenced record has not reached Connec!).
mno::Result<nlohmann::json> fold_reference(mno::sync::OutboundContext& context, std::string_view entity,
                                           int64_t local_id);

// Unfold: the local id a reference field names, nullopt when the field is absent, null or empty. Our own id in
// the array wins; else the Connec! id is looked up in the id map; sync.waiting when it is unknown locally.
mno::Result<std::optional<int64_t>> unfold_reference(mno::db::Connection& c, const mno::sync::InboundChange& change,
                                                     std::string_view entity, const nlohmann::json& value);

// The existing local record an inbound change updates (change.local_id), nullopt for a new record.
mno::Result<std::optional<int64_t>> inbound_local_id(const mno::sync::InboundChange& change);

}  // namespace tally::sync
