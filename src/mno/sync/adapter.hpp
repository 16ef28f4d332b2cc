// What the app plugs into the sync engine: one EntityAdapter per shared entity type (mapping local records to and
// from Connec! records), and a TenantDirectory telling where a tenant's data goes (Connec! client of its
// marketplace, group id, the app identity used in id arrays). The engine owns queues, ids, retries and order.
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "mno/connec/client.hpp"
#include "mno/connec/ids.hpp"
#include "mno/db/database.hpp"
#include "mno/sync/outbox.hpp"
#include "mno/util/clock.hpp"
#include "mno/util/result.hpp"

namespace mno::sync {

// Where one tenant's records go. The client is shared (one per marketplace).
struct TenantTarget {
  std::shared_ptr<connec::Client> client;
  std::string group_id;
  connec::AppIdentity app;   // provider + realm of our entries in id arrays
};

class TenantDirectory {
 public:
  virtual ~TenantDirectory() = default;
  // sync.unknown_tenant when the tenant no longer shares data (rows then wait and are retried).
  virtual Result<TenantTarget> target(std::string_view tenant) = 0;
};

// Handed to to_connec: resolves references to other records of the same tenant.
class OutboundContext {
 public:
  virtual ~OutboundContext() = default;
  virtual const TenantTarget& target() const = 0;
  // The Connec! id of another local record, if the id map knows it.
  virtual Result<std::optional<std::string>> connec_id_of(std::string_view entity, std::string_view local_id) = 0;
};

// An inbound change as the inbox worker hands it to from_connec.
struct InboundChange {
  std::string tenant;
  std::string entity;                    // the adapter's entity
  std::string collection;
  std::string connec_id;
  std::optional<std::string> local_id;   // from the id map, else the app's own id in record.id; nullopt = new record
  nlohmann::json record;                 // as Connec! sent it (id arrays intact; adapters unfold references)
  std::optional<TimePoint> updated_at;
  Origin origin = Origin::connec;        // pass it to the app's change hook: no outbox row for this write
  const TenantTarget* target = nullptr;  // may be null when the worker has no directory entry for the tenant
};

class EntityAdapter {
 public:
  virtual ~EntityAdapter() = default;
  virtual std::string entity() const = 0;      // the app's entity type, as used in outbox rows and the id map
  virtual std::string collection() const = 0;  // the Connec! collection ("organizations", "people", ...)

  // The Connec! record for an outbox row, without the top-level `id` (the dispatcher adds our id array, and the
  // Connec! id when known). Called outside any transaction. Errors:
  //   sync.waiting     a referenced record is not in Connec! yet: the row is retried later, never dropped
  //   sync.gone        the local record no longer exists: the row is finished without sending
  //   anything else    the row is dead-lettered with that error
  virtual Result<nlohmann::json> to_connec(OutboundContext& context, const OutboxItem& item) = 0;

  // Applies an inbound record inside the worker's write transaction (which also records the id map and finishes
  // the inbox row, so the effect happens once). Returns the local id written. Must write with
  // Origin::connec so the app's change hook enqueues nothing. Errors: sync.waiting (a referenced record is
  // unknown locally: retried later), others dead-letter the inbox row.
  virtual Result<std::string> from_connec(db::Connection& c, const InboundChange& change) = 0;

  // When the local record last changed (for the conflict rule of the inbox worker). nullopt (the default) lets the
  // worker use the time of the record's latest unsent outbox change instead.
  virtual Result<std::optional<TimePoint>> local_updated_at(db::Connection& c, std::string_view tenant,
                                                            std::string_view local_id) {
    (void)c;
    (void)tenant;
    (void)local_id;
    return std::optional<TimePoint>();
  }
};

class AdapterRegistry {
 public:
  void add(std::shared_ptr<EntityAdapter> adapter);
  EntityAdapter* by_entity(std::string_view entity) const;
  EntityAdapter* by_collection(std::string_view collection) const;
  std::vector<std::string> collections() const;

 private:
  std::map<std::string, std::shared_ptr<EntityAdapter>, std::less<>> by_entity_;
  std::map<std::string, std::shared_ptr<EntityAdapter>, std::less<>> by_collection_;
};

}  // namespace mno::sync
