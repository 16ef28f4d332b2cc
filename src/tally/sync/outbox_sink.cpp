// See outbox_sink.hpp.
#include "tally/sync/outbox_sink.hpp"

#include "mno/sync/outbox.hpp"
#include "tally/sync/tenant_directory.hpp"

namespace tally::sync {

bool is_shared_entity(std::string_view entity) {
  return entity == "customer" || entity == "contact" || entity == "product" || entity == "invoice";
}

OutboxChangeSink::OutboxChangeSink(const mno::Clock& clock) : clock_(clock) {}

mno::Status OutboxChangeSink::on_change(mno::db::Connection& tx, const ChangeEvent& event) {
  if (event.origin == ChangeOrigin::connec || !is_shared_entity(event.entity)) return {};
  auto link = find_company_link(tx, event.company_id);
  if (!link) return link.error();
  if (!*link) return {};
  mno::sync::OutboxChange change;
  change.tenant = tenant_key(event.company_id);
  change.entity = event.entity;
  change.local_id = std::to_string(event.record_id);
  change.operation = event.kind == ChangeKind::created ? "create" : "update";
  change.version = event.version;
  change.origin = mno::sync::Origin::local;
  auto id = mno::sync::enqueue(tx, change, clock_.now());
  if (!id) return id.error();
  if (*id) on_enqueued();
  return {};
}

}  // namespace tally::sync
