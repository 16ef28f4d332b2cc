// The ChangeSink that feeds Connec!: each change of a shared record (customer, contact, product, invoice) writes
// one outbox row (mno::sync::enqueue) on the change's own connection, so the change and its row commit or roll
// back together. Nothing is written for changes the sync engine itself applied (origin connec: no echo), for
// other entities, or for companies that do not share data (no marketplace group, see tenant_directory.hpp).
#pragma once
#include <functional>
#include <string>
#include <string_view>

#include "mno/util/clock.hpp"
#include "tally/domain/change_event.hpp"

namespace tally::sync {

// The entities that go to Connec! (ChangeEvent::entity = the adapters' entity names = outbox entity).
bool is_shared_entity(std::string_view entity);

class OutboxChangeSink final : public ChangeSink {
 public:
  explicit OutboxChangeSink(const mno::Clock& clock);
  mno::Status on_change(mno::db::Connection& tx, const ChangeEvent& event) override;

  // Called after a row was enqueued (still inside the transaction): wakes the dispatcher job. Set once at
  // startup, before any request is served.
  std::function<void()> on_enqueued = [] {};

 private:
  const mno::Clock& clock_;
};

}  // namespace tally::sync
