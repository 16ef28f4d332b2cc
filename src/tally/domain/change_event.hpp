// The change-event hook: every create, update or archive of a tenant record goes through its
// entity's one service, which emits exactly one ChangeEvent inside the same database transaction.
// The data-sharing engine plugs in a ChangeSink that turns events into outbox rows, so a change
// and its outbox row commit or roll back together. Inbound (Connec!) writes pass origin=connec so
// the sink can avoid echoing them back.
#pragma once
#include <cstdint>
#include <string>

#include "mno/db/database.hpp"
#include "mno/util/result.hpp"

namespace tally {

enum class ChangeKind { created, updated, archived };
enum class ChangeOrigin { local, connec };

struct ChangeEvent {
  int64_t company_id = 0;
  std::string entity;  // "customer", "contact", "product", "invoice", "company", "user"
  int64_t record_id = 0;
  ChangeKind kind = ChangeKind::created;
  int64_t version = 0;  // the record's version after the change
  ChangeOrigin origin = ChangeOrigin::local;
};

std::string_view to_string(ChangeKind kind);

class ChangeSink {
 public:
  virtual ~ChangeSink() = default;
  // Called inside the transaction of the change, on its connection. An error rolls the change back.
  virtual mno::Status on_change(mno::db::Connection& tx, const ChangeEvent& event) = 0;
};

// The default sink: does nothing (no data sharing configured).
class NullChangeSink final : public ChangeSink {
 public:
  mno::Status on_change(mno::db::Connection&, const ChangeEvent&) override { return {}; }
};

}  // namespace tally
