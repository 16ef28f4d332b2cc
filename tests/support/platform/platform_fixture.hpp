// A running mno-sandbox process plus helpers to start tally processes configured from it, for
// loopback integration tests. Everything is a real binary on 127.0.0.1 with its own data folder.
#pragma once
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "mno/http/curl_http_client.hpp"
#include "support/platform/process.hpp"

namespace testenv {

struct SandboxProcess {
  uint16_t port = 0;
  std::string url;
  std::unique_ptr<Process> process;
  nlohmann::json state;  // GET /control/v1/state

  // Environment variables that point an SDK at this sandbox's developer platform.
  std::map<std::string, std::string> devpl_env() const;
  std::string api_id(const std::string& marketplace) const;
  std::string api_key(const std::string& marketplace) const;
};

// Starts mno-sandbox with a fresh SQLite state; app_host is written into the seed; extra_args are added
// to its command line (for example --connec-notify-ms).
std::unique_ptr<SandboxProcess> start_sandbox(const std::string& app_host = "http://127.0.0.1:1",
                                              const std::vector<std::string>& extra_args = {});

struct TallyProcess {
  uint16_t port = 0;
  std::string url;
  std::unique_ptr<Process> process;
};

// Starts `tally serve` on a free port with extra arguments and environment; nullptr if it did not
// come up (the Process with its output is still returned through `failed` for diagnostics).
std::unique_ptr<TallyProcess> start_tally(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                                          std::string* failure_output = nullptr);

// A database URL for a tally process: a fresh SQLite file, or the test PostgreSQL database.
std::string tally_database_url(const std::string& kind);

mno::http::Response http_get(const std::string& url, const std::optional<std::pair<std::string, std::string>>& basic = {},
                             std::vector<std::pair<std::string, std::string>> headers = {});
mno::http::Response http_send(mno::http::Request request);
// A call to the sandbox's control API with an optional JSON body; a non-2xx answer is a test failure
// (the caller still gets the response).
mno::http::Response sandbox_control(const SandboxProcess& sandbox, const std::string& method, const std::string& path,
                                    const nlohmann::json& body = nullptr);

}  // namespace testenv
