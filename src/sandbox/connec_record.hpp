// Pure JSON rules of a Connec! record as the sandbox stores it (connec.md 1.3, 1.5, 2.2, 4.6, 7): which
// fields the server owns, id arrays ({id, provider, realm} entries, "connec" = Connec!'s own), where
// reference fields and sub-records (invoice lines) are, the collection a reference field points to, and
// the sparse merge of a PUT/upsert into a stored record. No storage here (connec_store.cpp does that).
#pragma once
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "mno/util/random.hpp"

namespace sandbox {

struct ConnecIdEntry {
  std::string id, provider, realm;
  bool operator==(const ConnecIdEntry&) const = default;
};

// Entries of an id array (objects with a string or numeric id; numbers compare as their text). A plain
// string is one "connec" entry with an empty realm.
std::vector<ConnecIdEntry> connec_id_entries(const nlohmann::json& value);
nlohmann::json connec_id_json(const ConnecIdEntry& e);
// True for the fields the server sets (created_at, updated_at, group_id, channel_id, resource_type, code
// is NOT one: apps may set it) and the request-only "opts" / "resource".
bool is_server_field(const std::string& key);
// Arrays whose objects are sub-records with their own id arrays (lines, payment_lines, notes, ...).
bool is_sub_record_array(const std::string& key);

// Calls fn on every reference field (key ending in "_id", value an array of id objects) at any depth,
// the top-level "id" and sub-record "id"s excluded.
void for_each_reference(nlohmann::json& record, const std::function<void(const std::string& key, nlohmann::json& ids)>& fn);
// Candidate collections a reference key points to, most specific first:
// "organization_id" -> {organizations}, "sale_tax_code_id" -> {sale_tax_codes, tax_codes, codes}.
std::vector<std::string> reference_collections(const std::string& key);

// A new uuid-like Connec! id (8-4-4-4-12 lower-case hex, version 4).
std::string new_connec_id(mno::Random& random);

// Gives every sub-record a "connec" id entry (new_connec_id) when it has none; realm = channel.
void ensure_sub_record_ids(nlohmann::json& record, const std::string& channel, mno::Random& random);

// Merges `sent` into `stored` (both without server fields): objects merge key by key, sub-record arrays
// merge by a shared id entry (sparse) or are replaced by the sent lines carrying the matched stored ids
// (sparse=false), other values and arrays are replaced. The top-level "id" is not touched.
void merge_connec_fields(nlohmann::json& stored, const nlohmann::json& sent, bool sparse);

}  // namespace sandbox
