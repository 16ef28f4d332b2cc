// See import_job.hpp. The importer is built once per job and shared by its rounds; its worker id is unique per
// process so leases of two processes never match.
#include "tally/sync/import_job.hpp"

#include "mno/util/log.hpp"
#include "tally/sync/sync_context.hpp"
#include "tally/sync/tenant_directory.hpp"

namespace tally::sync {

Job make_import_job(Services& services, mno::sync::TenantDirectory& tenants, mno::sync::ImporterOptions options) {
  if (options.worker_id.empty()) options.worker_id = "import-" + services.random.hex_token(8);
  auto importer =
      std::make_shared<mno::sync::Importer>(services.db, tenants, services.clock, services.random, std::move(options));
  Job job;
  job.name = kImportJobName;
  job.run_once = [importer]() -> mno::Result<int> {
    auto r = importer->run_once();
    if (!r) return r.error();
    return r->pages;
  };
  job.idle_interval = std::chrono::seconds(2);
  return job;
}

void register_import_job(JobRunner& runner, Services& services) {
  if (!services.sync || !services.sync->directory) return;
  runner.add(make_import_job(services, *services.sync->directory));
}

mno::Status start_initial_import(Services& services, int64_t company_id) {
  auto link = services.db->transact(
      [&](mno::db::Connection& c) { return find_company_link(c, company_id); }, mno::db::TxKind::read);
  if (!link) return link.error();
  if (!*link) return {};
  auto run = mno::sync::request_import(*services.db, tenant_key(company_id), mno::sync::default_import_collections(),
                                       services.clock.now());
  if (!run) return run.error();
  mno::log::info("sync.import.requested", {{"company_id", std::to_string(company_id)},
                                           {"marketplace", (*link)->marketplace},
                                           {"run", std::to_string(*run)}});
  services.nudge_worker(kImportJobName);
  return {};
}

void hook_initial_import(Services& services) {
  auto previous = services.on_company_created;
  services.on_company_created = [&services, previous](const SsoProvisioned& p) {
    if (previous) previous(p);
    // The SSO already succeeded: a failure here is logged and the company can start the import from its page.
    if (auto s = start_initial_import(services, p.company.id); !s)
      mno::log::error("sync.import.request_failed",
                      {{"company_id", std::to_string(p.company.id)}, {"error", s.error().code}});
  };
}

}  // namespace tally::sync
