// Connec! id arrays (connec.md 2.2, 4.6). With CONNEC-EXTERNAL-IDS: true every `id` and reference field is an
// array of {id, provider, realm}: exactly one entry is Connec!'s own (provider "connec"), others belong to apps.
// This file finds the app's own id and the Connec! id in such arrays, builds them, and folds/unfolds reference
// fields (app -> Connec!: a local id becomes an array; Connec! -> app: an array becomes the local id).
// Ids are compared as strings: numeric JSON ids match their string form (framework defect 2016-05-27).
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace mno::connec {

inline constexpr std::string_view kConnecProvider = "connec";

// Who "we" are inside an id array: provider = the app's provider name, realm = the account id inside the app
// (Tally: one realm per company/tenant). Two tenants with the same local ids differ by realm.
struct AppIdentity {
  std::string provider;
  std::string realm;
  bool operator==(const AppIdentity&) const = default;
};

struct ExternalId {
  std::string id;
  std::string provider;
  std::string realm;
  bool operator==(const ExternalId&) const = default;
};

// Entries of an id array; a plain string (header off) gives one entry with provider "connec", empty realm.
// Anything else (null, numbers at top level, malformed entries) is skipped.
std::vector<ExternalId> parse_id_array(const nlohmann::json& value);
// The Connec! UUID (entry with provider "connec"), if any.
std::optional<std::string> find_connec_id(const nlohmann::json& value);
// The app's own id (provider AND realm match), if any.
std::optional<std::string> find_own_id(const nlohmann::json& value, const AppIdentity& app);

// [{id, provider, realm}] for a local id; with connec_id also the {connec_id, "connec", ""} entry so Connec!
// can match on either.
nlohmann::json make_id_array(std::string_view local_id, const AppIdentity& app,
                             const std::optional<std::string>& connec_id = std::nullopt);

// Reference paths descend with '/' through objects and arrays: "organization_id", "lines/item_id", "lines/id".
// Fold (app -> Connec!): each string or number at a path becomes [{id, provider, realm}]; null/absent stay as is.
void fold_references(nlohmann::json& record, const std::vector<std::string>& paths, const AppIdentity& app);

struct MissingReference {
  std::string path;       // the concrete path, array indexes included: "lines/2/item_id"
  std::string connec_id;  // the Connec! id of the referenced record (empty when none was given)
};

// Unfold (Connec! -> app): each id array at a path is replaced by the app's own id string. An array without our
// id is removed from the record and reported as missing (the caller resolves it through the id map, fetches the
// record, or waits); a plain string (pre external-id Connec!) is removed and reported with that string as
// connec_id. Returns the missing references; an empty result means every reference resolved.
std::vector<MissingReference> unfold_references(nlohmann::json& record, const std::vector<std::string>& paths,
                                                const AppIdentity& app);

}  // namespace mno::connec
