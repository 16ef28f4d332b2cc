// See sync_status.hpp. Reads the sync engine's own tables (sync_outbox, sync_inbox, sync_import_*) scoped by the
// tenant, in one read transaction so the page and the CLI show a consistent snapshot.
#include "tally/sync/sync_status.hpp"

#include <algorithm>
#include <cstdio>

#include "mno/util/iso8601.hpp"

namespace tally::sync {
namespace {

mno::TimePoint from_ms(int64_t ms) {
  return mno::TimePoint{std::chrono::duration_cast<mno::TimePoint::duration>(std::chrono::milliseconds(ms))};
}

// One queue's rows needing attention. The table and its record columns differ; the states are read the same way.
mno::Status load_problems(mno::db::Connection& c, SyncQueue queue, std::string_view tenant, int limit,
                          std::vector<SyncProblem>& out) {
  const bool outbox = queue == SyncQueue::outbox;
  const std::string select =
      outbox ? "SELECT id, entity, local_id, state, attempts, last_error, created_at, next_attempt_at FROM sync_outbox "
             : "SELECT id, collection, connec_id, state, attempts, last_error, received_at, next_attempt_at FROM sync_inbox ";
  struct Part {
    const char* state;
    const char* where;
  };
  const Part parts[] = {{"dead", "state = 'dead'"},
                        {"retrying", "state = 'pending' AND last_error IS NOT NULL"},
                        {"pending", "state = 'pending' AND last_error IS NULL"}};
  for (const auto& part : parts) {
    auto rows = c.query(select + "WHERE tenant = $1 AND " + part.where + " ORDER BY id DESC LIMIT $2", {tenant, limit});
    if (!rows) return rows.error();
    for (const auto& r : *rows) {
      SyncProblem p;
      p.queue = queue;
      p.id = r.i64(0);
      p.kind = r.text(1);
      p.record = r.text(2);
      p.state = part.state;
      p.attempts = static_cast<int>(r.i64(4));
      p.reason = r.opt_text(5).value_or("");
      p.since = from_ms(r.i64(6));
      if (p.state != "dead") p.next_attempt_at = from_ms(r.i64(7));
      out.push_back(std::move(p));
    }
  }
  return {};
}

template <typename Counts>
mno::Status count_states(mno::db::Connection& c, const char* table, std::string_view tenant, Counts& counts,
                         int64_t Counts::*in_flight) {
  auto rows = c.query(std::string("SELECT state, COUNT(*) FROM ") + table + " WHERE tenant = $1 GROUP BY state", {tenant});
  if (!rows) return rows.error();
  for (const auto& r : *rows) {
    const std::string s = r.text(0);
    const int64_t n = r.i64(1);
    if (s == "pending") counts.pending = n;
    else if (s == "done") counts.done = n;
    else if (s == "dead") counts.dead = n;
    else counts.*in_flight = n;
  }
  return {};
}

std::string when(mno::TimePoint t) { return mno::format_iso8601(t).substr(0, 19) + "Z"; }

std::string pad(std::string s, size_t n) {
  if (s.size() < n) s.append(n - s.size(), ' ');
  return s;
}

}  // namespace

std::string_view to_string(SyncQueue q) { return q == SyncQueue::outbox ? "outbox" : "inbox"; }

std::optional<SyncQueue> parse_sync_queue(std::string_view s) {
  if (s == "outbox") return SyncQueue::outbox;
  if (s == "inbox") return SyncQueue::inbox;
  return std::nullopt;
}

mno::Result<SyncStatus> load_sync_status(mno::db::Database& db, std::string_view tenant, int limit) {
  return db.transact(
      [&](mno::db::Connection& c) -> mno::Result<SyncStatus> {
        SyncStatus s;
        s.tenant = std::string(tenant);
        auto run = mno::sync::latest_import(c, tenant);
        if (!run) return run.error();
        s.import = std::move(*run);
        if (auto st = count_states(c, "sync_outbox", tenant, s.outbox, &mno::sync::OutboxCounts::sending); !st)
          return st.error();
        if (auto st = count_states(c, "sync_inbox", tenant, s.inbox, &mno::sync::InboxCounts::applying); !st)
          return st.error();
        std::vector<SyncProblem> outbox, inbox;
        if (auto st = load_problems(c, SyncQueue::outbox, tenant, limit, outbox); !st) return st.error();
        if (auto st = load_problems(c, SyncQueue::inbox, tenant, limit, inbox); !st) return st.error();
        // Merge keeping the state order (dead, retrying, pending), outbox before inbox within a state.
        for (const char* state : {"dead", "retrying", "pending"})
          for (auto* list : {&outbox, &inbox})
            for (auto& p : *list)
              if (p.state == state) s.problems.push_back(p);
        return s;
      },
      mno::db::TxKind::read);
}

mno::Result<std::vector<std::string>> list_sync_tenants(mno::db::Database& db) {
  auto rows = db.query(
      "SELECT tenant FROM sync_import_runs UNION SELECT tenant FROM sync_outbox UNION SELECT tenant FROM sync_inbox");
  if (!rows) return rows.error();
  std::vector<std::string> out;
  for (const auto& r : *rows) out.push_back(r.text(0));
  // Numeric order for company ids, text order for anything else.
  std::sort(out.begin(), out.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
  });
  return out;
}

mno::Result<bool> retry_sync_row(mno::db::Database& db, std::string_view tenant, SyncQueue queue, int64_t id,
                                 mno::TimePoint now) {
  return queue == SyncQueue::outbox ? mno::sync::retry_now(db, tenant, id, now)
                                    : mno::sync::retry_inbox_now(db, tenant, id, now);
}

std::string format_sync_status(const SyncStatus& s, mno::TimePoint now) {
  (void)now;
  std::string out = "Company " + s.tenant + "\n";
  if (!s.import) {
    out += "Import: none\n";
  } else {
    const auto& run = *s.import;
    auto total = run.total();
    out += "Import: " + std::string(mno::sync::to_string(run.state)) + ", " + std::to_string(run.done()) + " of " +
           (total ? std::to_string(*total) : std::string("?")) + " records (run " + std::to_string(run.id) +
           ", started " + when(run.created_at) + (run.finished_at ? ", finished " + when(*run.finished_at) : "") + ")\n";
    if (run.last_error) out += "  last error: " + *run.last_error + "\n";
    for (const auto& c : run.collections) {
      char pct[8];
      std::snprintf(pct, sizeof pct, "%3d%%", c.percent());
      out += "  " + pad(c.collection, 16) + pad(std::to_string(c.done) + "/" + (c.total ? std::to_string(*c.total) : "?"), 14) +
             pct + (c.finished ? "  done" : "") + "\n";
    }
  }
  out += "Outbox: " + std::to_string(s.outbox.pending) + " pending, " + std::to_string(s.outbox.sending) + " sending, " +
         std::to_string(s.outbox.done) + " done, " + std::to_string(s.outbox.dead) + " dead\n";
  out += "Inbox: " + std::to_string(s.inbox.pending) + " pending, " + std::to_string(s.inbox.applying) + " applying, " +
         std::to_string(s.inbox.done) + " done, " + std::to_string(s.inbox.dead) + " dead\n";
  if (s.problems.empty()) {
    out += "Nothing needs attention.\n";
  } else {
    out += "Records:\n";
    for (const auto& p : s.problems) {
      out += "  " + pad(p.state, 9) + pad(std::string(to_string(p.queue)) + " #" + std::to_string(p.id), 14) +
             pad(p.kind + " " + p.record, 28) + "attempts " + std::to_string(p.attempts) +
             (p.reason.empty() ? "" : "  " + p.reason) + "\n";
    }
  }
  return out;
}

}  // namespace tally::sync
