// The Connec! API as the sandbox serves it (connec.md 1.1-1.6, 1.8): /api/v2/{group}/{collection}[/{id}]
// (".json" accepted), GET list/get, POST upsert, PUT sparse update, singular /company, GET /api/v2/{group}
// (collections), POST /batch (<= 50 ops, per-op results), GET /version. HTTP Basic with the api.id:api.key
// of the app that has the group (its marketplace's app), 401 otherwise; the mock's error envelope
// {errors:[{id, href, status, code, title, detail}]}. Every write is buffered for notification to the
// group's other apps (connec_notifier.hpp). Fault injection from the control API (latency, 5xx, 429
// with Retry-After, timeout, apply-then-drop) on the API routes. Control routes under
// /control/v1/connec/... (docs/sandbox.md "Connec!").
#pragma once
#include <chrono>
#include <functional>
#include <memory>

#include "mno/db/database.hpp"
#include "sandbox/connec_notifier.hpp"
#include "sandbox/connec_store.hpp"
#include "sandbox/connec_write_counts.hpp"
#include "sandbox/directory.hpp"
#include "sandbox/fault_injection.hpp"
#include "sandbox/sandbox_state.hpp"
#include "web/router.hpp"

namespace sandbox {

struct ConnecServices {
  std::shared_ptr<SandboxState> state;
  std::shared_ptr<Directory> directory;
  std::shared_ptr<ConnecStore> store;
  std::shared_ptr<ConnecNotifier> notifier;
  std::shared_ptr<FaultInjector> faults;
  std::shared_ptr<ConnecWriteCounts> writes;  // per app, for the control API's counts
  std::function<void(std::chrono::milliseconds)> sleep;  // injected fault latency/hangs
};

// The group as the API scopes it (uid + channel), or connec.not_found.
mno::Result<ConnecGroup> connec_group(const Directory& directory, const std::string& group_uid);

void add_connec_api_routes(web::Router& router, ConnecServices services);
void add_connec_control_routes(web::Router& router, ConnecServices services);

struct ConnecOptions {
  std::chrono::milliseconds notify_interval{500};  // how long changes are buffered before a flush
};

// The one-line registration main.cpp uses: store, notifier (started), injector on `db` with the system
// clock and randomness; notifications go out through `deliver`. Returns the services (main keeps
// them so the notifier stops before exit; the admin UI uses them too).
ConnecServices add_connec_routes(web::Router& router, std::shared_ptr<SandboxState> state,
                                 std::shared_ptr<Directory> directory, std::shared_ptr<mno::db::Database> db,
                                 ConnecDeliver deliver, ConnecOptions options = {});

}  // namespace sandbox
