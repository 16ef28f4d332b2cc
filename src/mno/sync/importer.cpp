// Initial import; see importer.hpp. A round: claim one run (short transaction), then per page: fetch (outside any
// transaction), store records + cursor + progress in one transaction fenced on the claim, and finally either
// finish the run, hand it back as due now (page budget used), or schedule a retry.
#include "mno/sync/importer.hpp"

#include <algorithm>

#include "mno/connec/ids.hpp"
#include "mno/sync/inbox.hpp"
#include "mno/sync/time_ms.hpp"
#include "mno/util/iso8601.hpp"
#include "mno/util/log.hpp"

namespace mno::sync {
namespace {

using detail::from_ms;
using detail::to_ms;

constexpr const char* kLeaseLost = "sync.lease_lost";
// Fences a run update to the claim that is doing it.
constexpr const char* kFence = " WHERE id = $1 AND state = 'running' AND lease_owner = $2 AND attempts = $3";

ImportState state_from(const std::string& s) {
  if (s == "running") return ImportState::running;
  if (s == "done") return ImportState::done;
  if (s == "failed") return ImportState::failed;
  return ImportState::pending;
}

Result<std::vector<ImportCollectionProgress>> load_progress(db::Connection& c, int64_t run_id) {
  auto rows = c.query(
      "SELECT collection, position, done_records, total_records, pages, finished FROM sync_import_progress "
      "WHERE run_id = $1 ORDER BY position",
      {run_id});
  if (!rows) return rows.error();
  std::vector<ImportCollectionProgress> out;
  for (const auto& r : *rows) {
    ImportCollectionProgress p;
    p.collection = r.text(0);
    p.position = static_cast<int>(r.i64(1));
    p.done = r.i64(2);
    p.total = r.opt_i64(3);
    p.pages = r.i64(4);
    p.finished = r.flag(5);
    out.push_back(std::move(p));
  }
  return out;
}

Result<ImportRun> run_from(db::Connection& c, const db::Row& r) {
  ImportRun run;
  run.id = r.i64("id");
  run.tenant = r.text("tenant");
  run.state = state_from(r.text("state"));
  run.attempts = static_cast<int>(r.i64("attempts"));
  run.failures = static_cast<int>(r.i64("failures"));
  run.last_error = r.opt_text("last_error");
  run.created_at = from_ms(r.i64("created_at"));
  run.updated_at = from_ms(r.i64("updated_at"));
  run.finished_at = from_ms(r.opt_i64("finished_at"));
  auto p = load_progress(c, run.id);
  if (!p) return p.error();
  run.collections = std::move(*p);
  return run;
}

constexpr const char* kRunColumns =
    "id, tenant, state, attempts, failures, last_error, created_at, updated_at, finished_at";

// One page's records as inbox entries; records without a Connec! id cannot be deduplicated or applied and are
// skipped (counted as done: the API will not give them to us differently on a retry).
std::vector<InboxEntry> entries_of(const std::string& tenant, const std::string& group_id, const std::string& collection,
                                   std::vector<nlohmann::json>& records, size_t& skipped) {
  std::vector<InboxEntry> out;
  out.reserve(records.size());
  for (auto& rec : records) {
    if (!rec.is_object()) {
      ++skipped;
      continue;
    }
    connec::NotificationEntity e;
    e.collection = collection;
    e.group_id = rec.contains("group_id") && rec["group_id"].is_string() ? rec["group_id"].get<std::string>() : group_id;
    e.connec_id = connec::find_connec_id(rec.value("id", nlohmann::json())).value_or("");
    if (e.connec_id.empty()) {
      ++skipped;
      continue;
    }
    if (rec.contains("updated_at") && rec["updated_at"].is_string()) {
      e.updated_at = rec["updated_at"].get<std::string>();
      if (auto t = parse_iso8601(e.updated_at)) e.updated_at_time = *t;
    }
    e.entity = std::move(rec);  // the page's records are not used after this
    out.push_back({tenant, std::move(e)});
  }
  return out;
}

struct Claimed {
  int64_t id = 0;
  std::string tenant;
  int attempts = 0;
  int failures = 0;
};

}  // namespace

std::string_view to_string(ImportState s) {
  switch (s) {
    case ImportState::pending: return "pending";
    case ImportState::running: return "running";
    case ImportState::done: return "done";
    case ImportState::failed: return "failed";
  }
  return "pending";
}

int ImportCollectionProgress::percent() const {
  if (finished) return 100;
  if (!total || *total <= 0) return 0;
  return static_cast<int>(std::clamp<int64_t>(done * 100 / *total, 0, 99));
}

int64_t ImportRun::done() const {
  int64_t n = 0;
  for (const auto& c : collections) n += c.done;
  return n;
}

std::optional<int64_t> ImportRun::total() const {
  int64_t n = 0;
  for (const auto& c : collections) {
    if (!c.total) return std::nullopt;
    n += std::max(*c.total, c.done);
  }
  return n;
}

Result<int64_t> request_import(db::Connection& c, std::string_view tenant, const std::vector<std::string>& collections,
                               TimePoint now) {
  if (tenant.empty() || collections.empty()) return make_error("sync.invalid", "an import needs a tenant and collections");
  auto existing = c.query("SELECT id FROM sync_import_runs WHERE tenant = $1 AND state IN ('pending', 'running')",
                          {tenant});
  if (!existing) return existing.error();
  if (!existing->empty()) return existing->front().i64(0);
  // A concurrent request (PostgreSQL, READ COMMITTED) may have inserted since: the partial unique index keeps one.
  auto ins = c.query(
      "INSERT INTO sync_import_runs (tenant, state, next_attempt_at, created_at, updated_at) "
      "VALUES ($1, 'pending', $2, $2, $2) ON CONFLICT (tenant) WHERE state IN ('pending', 'running') DO NOTHING "
      "RETURNING id",
      {tenant, to_ms(now)});
  if (!ins) return ins.error();
  if (ins->empty()) {
    auto again = c.query("SELECT id FROM sync_import_runs WHERE tenant = $1 AND state IN ('pending', 'running')",
                         {tenant});
    if (!again) return again.error();
    if (again->empty()) return make_error("sync.conflict", "import run changed concurrently");
    return again->front().i64(0);
  }
  const int64_t id = ins->front().i64(0);
  int position = 0;
  for (const auto& coll : collections) {
    auto p = c.execute("INSERT INTO sync_import_progress (run_id, collection, position) VALUES ($1, $2, $3)",
                       {id, coll, position++});
    if (!p) return p.error();
  }
  return id;
}

Result<int64_t> request_import(db::Database& db, std::string_view tenant, const std::vector<std::string>& collections,
                               TimePoint now) {
  return db.transact([&](db::Connection& c) { return request_import(c, tenant, collections, now); });
}

Result<std::optional<ImportRun>> latest_import(db::Connection& c, std::string_view tenant) {
  auto rows = c.query(std::string("SELECT ") + kRunColumns +
                          " FROM sync_import_runs WHERE tenant = $1 ORDER BY id DESC LIMIT 1",
                      {tenant});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<ImportRun>();
  auto run = run_from(c, rows->front());
  if (!run) return run.error();
  return std::optional<ImportRun>(std::move(*run));
}

Result<std::optional<ImportRun>> latest_import(db::Database& db, std::string_view tenant) {
  return db.transact([&](db::Connection& c) { return latest_import(c, tenant); }, db::TxKind::read);
}

Result<bool> retry_import(db::Database& db, std::string_view tenant, int64_t run_id, TimePoint now) {
  return db.transact([&](db::Connection& c) -> Result<bool> {
    // Another run may have been requested since this one failed: one unfinished run per tenant.
    auto active = c.query("SELECT id FROM sync_import_runs WHERE tenant = $1 AND state IN ('pending', 'running')",
                          {tenant});
    if (!active) return active.error();
    if (!active->empty()) return false;
    auto u = c.execute(
        "UPDATE sync_import_runs SET state = 'pending', failures = 0, next_attempt_at = $3, updated_at = $3, "
        "finished_at = NULL WHERE id = $1 AND tenant = $2 AND state = 'failed'",
        {run_id, tenant, to_ms(now)});
    if (!u) return u.error();
    return *u == 1;
  });
}

Importer::Importer(std::shared_ptr<db::Database> db, TenantDirectory& tenants, const Clock& clock, Random& random,
                   ImporterOptions options)
    : db_(std::move(db)), tenants_(tenants), clock_(clock), random_(random), options_(std::move(options)) {}

Result<ImportReport> Importer::run_once() {
  ImportReport rep;
  if (options_.worker_id.empty()) return make_error("sync.invalid", "the importer needs a worker id");
  const TimePoint start = clock_.now();
  auto claimed = db_->transact([&](db::Connection& c) -> Result<std::optional<Claimed>> {
    const int64_t now_ms = to_ms(start);
    auto ids = c.query(
        "SELECT id FROM sync_import_runs WHERE (state = 'pending' AND next_attempt_at <= $1) "
        "OR (state = 'running' AND lease_expires_at < $1) ORDER BY id LIMIT 1" +
            std::string(db::skip_locked(c.dialect())),
        {now_ms});
    if (!ids) return ids.error();
    if (ids->empty()) return std::optional<Claimed>();
    auto r = c.query(
        "UPDATE sync_import_runs SET state = 'running', lease_owner = $2, lease_expires_at = $3, "
        "attempts = attempts + 1, updated_at = $4 WHERE id = $1 AND (state = 'pending' OR "
        "(state = 'running' AND lease_expires_at < $4)) RETURNING id, tenant, attempts, failures",
        {ids->front().i64(0), options_.worker_id, now_ms + options_.lease.count(), now_ms});
    if (!r) return r.error();
    if (r->empty()) return std::optional<Claimed>();
    const auto& row = r->front();
    return std::optional<Claimed>(
        Claimed{row.i64(0), row.text(1), static_cast<int>(row.i64(2)), static_cast<int>(row.i64(3))});
  });
  if (!claimed) return claimed.error();
  if (!*claimed) return rep;
  const Claimed run = **claimed;
  rep.runs_claimed = 1;
  const db::Value owner(options_.worker_id);

  auto progress = db_->transact([&](db::Connection& c) { return load_progress(c, run.id); }, db::TxKind::read);
  if (!progress) return progress.error();
  auto cursors = db_->transact(
      [&](db::Connection& c) -> Result<std::vector<std::optional<std::string>>> {
        auto rows = c.query("SELECT next_url FROM sync_import_progress WHERE run_id = $1 ORDER BY position", {run.id});
        if (!rows) return rows.error();
        std::vector<std::optional<std::string>> out;
        for (const auto& r : *rows) out.push_back(r.opt_text(0));
        return out;
      },
      db::TxKind::read);
  if (!cursors) return cursors.error();

  std::optional<Error> failure;
  bool lease_lost = false;
  auto target = tenants_.target(run.tenant);
  if (!target) failure = target.error();

  int pages = 0;
  for (size_t i = 0; !failure && !lease_lost && i < progress->size(); ++i) {
    auto& coll = (*progress)[i];
    auto cursor = (*cursors)[i];
    while (!coll.finished && pages < options_.max_pages_per_round) {
      Result<connec::Page> page =
          cursor ? target->client->list_next(target->group_id, coll.collection, *cursor)
                 : target->client->list(target->group_id, coll.collection, connec::ListQuery{{}, {}, options_.page_size, 0});
      if (!page) {
        failure = page.error();
        break;
      }
      // A server handing back the cursor we just followed would loop forever.
      if (page->next && cursor && *page->next == *cursor) {
        failure = make_error("connec.bad_response", "pagination.next repeats the page just read");
        break;
      }
      size_t skipped = 0;
      const auto page_records = static_cast<int64_t>(page->records.size());
      auto entries = entries_of(run.tenant, target->group_id, coll.collection, page->records, skipped);
      const TimePoint now = clock_.now();
      auto stored = db_->transact([&](db::Connection& c) -> Status {
        auto fence = c.execute(std::string("UPDATE sync_import_runs SET lease_expires_at = $4, updated_at = $5, "
                                           "failures = 0, last_error = NULL") + kFence,
                               {run.id, owner, run.attempts, to_ms(now) + options_.lease.count(), to_ms(now)});
        if (!fence) return fence.error();
        if (*fence != 1) return make_error(kLeaseLost, "import run taken over by another worker");
        auto s = store_inbox(c, entries, now);
        if (!s) return s.error();
        auto p = c.execute(
            "UPDATE sync_import_progress SET next_url = $3, done_records = done_records + $4, total_records = $5, "
            "pages = pages + 1, finished = $6 WHERE run_id = $1 AND collection = $2",
            {run.id, coll.collection, page->next, page_records, page->total,
             !page->next.has_value()});
        if (!p) return p.error();
        return {};
      });
      if (!stored) {
        if (stored.error().code == kLeaseLost) lease_lost = true;
        else failure = stored.error();
        break;
      }
      if (skipped > 0)
        log::warn("sync.import.skipped", {{"tenant", run.tenant}, {"collection", coll.collection},
                                          {"records", std::to_string(skipped)}, {"reason", "no Connec! id"}});
      ++pages;
      ++rep.pages;
      rep.records += page_records;
      coll.done += page_records;
      coll.finished = !page->next;
      cursor = page->next;
    }
    if (!coll.finished) break;  // page budget used (or failure): the remaining collections wait their turn
  }

  if (lease_lost) {
    rep.lost_lease = 1;
    return rep;
  }
  const bool all_finished =
      std::all_of(progress->begin(), progress->end(), [](const ImportCollectionProgress& p) { return p.finished; });
  const TimePoint now = clock_.now();
  const int64_t now_ms = to_ms(now);
  std::string outcome;
  auto closed = db_->transact([&](db::Connection& c) -> Result<bool> {
    Result<int64_t> u = int64_t{0};
    if (failure) {
      const int failures = run.failures + 1;
      const std::string error = failure->code + ": " + failure->message;
      if (failures >= options_.max_attempts) {
        outcome = "failed";
        u = c.execute(std::string("UPDATE sync_import_runs SET state = 'failed', failures = $4, last_error = $5, "
                                  "lease_owner = NULL, lease_expires_at = NULL, updated_at = $6, finished_at = $6") +
                          kFence,
                      {run.id, owner, run.attempts, failures, detail::truncate(error, 1000), now_ms});
      } else {
        outcome = "retry";
        auto delay = backoff_delay(options_.backoff, failures, random_);
        u = c.execute(std::string("UPDATE sync_import_runs SET state = 'pending', failures = $4, last_error = $5, "
                                  "next_attempt_at = $6, lease_owner = NULL, lease_expires_at = NULL, updated_at = $7") +
                          kFence,
                      {run.id, owner, run.attempts, failures, detail::truncate(error, 1000), now_ms + delay.count(),
                       now_ms});
      }
    } else if (all_finished) {
      outcome = "done";
      u = c.execute(std::string("UPDATE sync_import_runs SET state = 'done', lease_owner = NULL, "
                                "lease_expires_at = NULL, updated_at = $4, finished_at = $4") + kFence,
                    {run.id, owner, run.attempts, now_ms});
    } else {
      outcome = "continue";
      u = c.execute(std::string("UPDATE sync_import_runs SET state = 'pending', next_attempt_at = $4, "
                                "lease_owner = NULL, lease_expires_at = NULL, updated_at = $4") + kFence,
                    {run.id, owner, run.attempts, now_ms});
    }
    if (!u) return u.error();
    return *u == 1;
  });
  if (!closed) return closed.error();
  if (!*closed) {
    rep.lost_lease = 1;
    return rep;
  }
  if (outcome == "done") {
    ++rep.runs_done;
    log::info("sync.import.done", {{"tenant", run.tenant}, {"run", std::to_string(run.id)}});
  } else if (outcome == "failed" || outcome == "retry") {
    if (outcome == "failed") ++rep.runs_failed;
    else ++rep.runs_retrying;
    log::warn("sync.import.failed", {{"tenant", run.tenant}, {"run", std::to_string(run.id)},
                                     {"error", failure->code}, {"message", failure->message},
                                     {"given_up", outcome == "failed" ? "true" : "false"}});
  }
  return rep;
}

Result<ImportReport> Importer::drain(int max_rounds) {
  ImportReport total;
  for (int i = 0; i < max_rounds; ++i) {
    auto r = run_once();
    if (!r) return r.error();
    if (r->runs_claimed == 0) break;
    total.runs_claimed += r->runs_claimed;
    total.pages += r->pages;
    total.records += r->records;
    total.runs_done += r->runs_done;
    total.runs_failed += r->runs_failed;
    total.runs_retrying += r->runs_retrying;
    total.lost_lease += r->lost_lease;
  }
  return total;
}

}  // namespace mno::sync
