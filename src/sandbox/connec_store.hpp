// The sandbox's Connec! data (connec.md 1.3-1.5, 2.2): records stored as JSON per (group, collection)
// with a Connec! id (uuid-like), a generated code, server-set created_at/updated_at, and each app's
// external ids {id, provider, realm} indexed for upserts. Implements the write semantics the API
// serves: POST as an upsert on an external id or on opts.matching_fields, sparse PUT (only the fields
// sent change; arrays of sub-records such as invoice lines merge by id unless opts.sparse is false),
// reference fields (organization_id, lines[].item_id, ...) resolved through the id map and rendered as
// full id arrays. Migrations 40-49 of the sandbox state. Error codes:
//   connec.not_found   no such record in this group and collection
//   connec.invalid     body/field problem (message says which)
//   connec.conflict    an external id given on POST already belongs to another record, or a plain-string id
//   connec.bad_filter / connec.bad_orderby   from connec_query.hpp
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "mno/db/database.hpp"
#include "mno/db/migrations.hpp"
#include "mno/util/clock.hpp"
#include "mno/util/random.hpp"
#include "mno/util/result.hpp"

namespace sandbox {

// Migrations 40..49 (appended to SandboxState's list: one schema version).
const std::vector<mno::db::Migration>& connec_migrations();

// The scope every record lives in: the group (cld-…) and its channel (org-…, the realm of the
// "connec" id entries and the record's channel_id).
struct ConnecGroup {
  std::string uid;
  std::string channel;
};

// Collections served as one object without an id (GET/PUT /{group}/company).
bool is_singular_collection(const std::string& collection);
// Collection names accepted in paths: lower-case letters, digits and '_', not starting with a digit.
bool is_valid_collection_name(const std::string& collection);

struct ConnecListQuery {
  std::string filter;   // $filter
  std::string orderby;  // $orderby
  int64_t top = 100;    // $top (1..1000)
  int64_t skip = 0;     // $skip
};

struct ConnecListPage {
  std::vector<nlohmann::json> records;  // rendered
  int64_t total = 0;
  int64_t skip = 0;
  int64_t top = 100;
};

struct ConnecWrite {
  int status = 0;        // 201 created, 200 updated
  nlohmann::json record; // rendered
  std::string connec_id;
  bool changed = true;   // false: the write changed nothing (no new updated_at, no notification)
};

class ConnecStore {
 public:
  ConnecStore(std::shared_ptr<mno::db::Database> db, const mno::Clock& clock, mno::Random& random);

  mno::Result<ConnecListPage> list(const ConnecGroup& group, const std::string& collection,
                                   const ConnecListQuery& query) const;
  // One rendered record; for a singular collection connec_id is ignored and an absent record is {}.
  mno::Result<nlohmann::json> get(const ConnecGroup& group, const std::string& collection,
                                  const std::string& connec_id) const;
  // POST (resource = the envelope's inner object, opts included): upsert on the Connec! id or an
  // external id of the id array, else on opts.matching_fields, else create (201).
  mno::Result<ConnecWrite> post(const ConnecGroup& group, const std::string& collection, const nlohmann::json& resource);
  // PUT: sparse update; id-array entries are added (link-back). Singular collections are created here.
  mno::Result<ConnecWrite> put(const ConnecGroup& group, const std::string& collection, const std::string& connec_id,
                               const nlohmann::json& resource);
  // Bulk create without upsert checks (seeding): returns the new Connec! ids in order.
  mno::Result<std::vector<std::string>> insert_many(const ConnecGroup& group, const std::string& collection,
                                                    const std::vector<nlohmann::json>& resources);

  // Records per collection of a group (collections with none are absent).
  mno::Result<std::map<std::string, int64_t>> counts(const std::string& group) const;
  // Deletes every record of every group.
  mno::Status clear();

 private:
  std::shared_ptr<mno::db::Database> db_;
  const mno::Clock& clock_;
  mno::Random& random_;
};

}  // namespace sandbox
