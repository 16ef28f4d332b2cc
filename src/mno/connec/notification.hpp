// Connec! -> app notifications (connec.md section 3): the webhook body maps collection names to arrays of full
// records; one request may mix several collections and several groups (buffered). parse_notification turns it
// into a flat list of entities, each with its group id, normalised collection, Connec! id and updated_at, and
// reports every collection it did not take (unknown or unsubscribed) instead of silently dropping it. It does not
// authenticate (mno/webhook does) and does not decide which groups are known (the app does).
#pragma once
#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "mno/util/clock.hpp"
#include "mno/util/result.hpp"

namespace mno::connec {

// Normalised collection key (connec.md 2.1 naming, defect 2017-01-10): lower snake case, plural; "company" stays
// singular. "Person" -> "people", "ORGANIZATIONS" -> "organizations", "Tax Code" -> "tax_codes", "item" -> "items".
std::string normalize_collection_name(std::string_view key);

struct NotificationEntity {
  std::string group_id;                 // record.group_id: the app instance the record is addressed to
  std::string collection;               // normalised collection name
  nlohmann::json entity;                // the record as received
  std::string connec_id;                // from record.id (provider "connec"); a plain string id is taken as is
  std::string updated_at;               // record.updated_at as sent ("" when absent)
  std::optional<TimePoint> updated_at_time;  // parsed updated_at (nullopt when absent or not ISO-8601)
};

struct SkippedCollection {
  std::string key;      // the key as sent
  std::string reason;   // "unknown collection" | "routing key"
  size_t count = 0;     // records under it (0 when not an array)
};

struct Notification {
  std::vector<NotificationEntity> entities;  // in body order (collections by key order, records in array order)
  std::vector<SkippedCollection> skipped;
};

// collections: the normalised names the app takes; empty = take every collection.
// Errors (nothing is returned partially):
//   connec.bad_json          the body is not JSON, or not a JSON object
//   connec.bad_notification  a taken collection's value is not an array (or a single object), a record is not an
//                            object, or lacks group_id or an id (the message names the path: "people[3]")
Result<Notification> parse_notification(std::string_view body, const std::set<std::string>& collections = {});

}  // namespace mno::connec
