// Tables of the sync engine: sync_id_map (local id <-> Connec! id per tenant and entity), sync_outbox (app ->
// Connec! changes, claimed with a lease) and sync_inbox (Connec! -> app notifications, deduplicated). The app
// numbers them into its own schema: sync_migrations(base) uses versions base .. base+N-1 (N = sync_migration_count).
// Times are epoch milliseconds (BIGINT) so backoffs below one second survive a round trip.
#pragma once
#include <vector>

#include "mno/db/migrations.hpp"

namespace mno::sync {

inline constexpr int kSyncMigrationCount = 2;

std::vector<db::Migration> sync_migrations(int base_version);

}  // namespace mno::sync
