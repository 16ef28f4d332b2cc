// See request_log.hpp.
#include "sandbox/request_log.hpp"

#include "mno/util/iso8601.hpp"

namespace sandbox {

namespace {
constexpr const char* kNoteHeader = "X-Sandbox-Note";
constexpr size_t kMaxQuery = 2048;
}  // namespace

RequestLog::RequestLog(const mno::Clock& clock, size_t capacity) : clock_(clock), capacity_(capacity) {}

void RequestLog::add(LoggedRequest entry) {
  std::lock_guard lock(mutex_);
  entry.seq = next_seq_++;
  if (entry.time.empty()) entry.time = mno::format_iso8601(clock_.now());
  if (entry.query.size() > kMaxQuery) entry.query = entry.query.substr(0, kMaxQuery) + "…";
  entries_.push_back(std::move(entry));
  while (entries_.size() > capacity_) entries_.pop_front();
}

std::vector<LoggedRequest> RequestLog::entries(const std::string& endpoint, size_t limit) const {
  std::lock_guard lock(mutex_);
  std::vector<LoggedRequest> out;
  for (auto it = entries_.rbegin(); it != entries_.rend() && out.size() < limit; ++it)
    if (endpoint.empty() || it->endpoint == endpoint) out.push_back(*it);
  return out;
}

void RequestLog::clear() {
  std::lock_guard lock(mutex_);
  entries_.clear();
}

web::Handler RequestLog::wrap(std::string endpoint, web::Handler handler) {
  return [this, endpoint = std::move(endpoint), handler = std::move(handler)](web::Request& req) {
    web::Response res = handler(req);
    LoggedRequest e;
    e.endpoint = endpoint;
    e.method = req.method;
    e.path = req.path;
    e.query = req.query;
    e.status = res.status;
    if (const auto* note = res.header(kNoteHeader)) e.note = *note;
    std::erase_if(res.headers, [](const auto& h) {
      return h.first.size() == std::string_view(kNoteHeader).size() &&
             std::equal(h.first.begin(), h.first.end(), kNoteHeader,
                        [](char a, char b) { return std::tolower(a) == std::tolower(b); });
    });
    add(std::move(e));
    return res;
  };
}

}  // namespace sandbox
