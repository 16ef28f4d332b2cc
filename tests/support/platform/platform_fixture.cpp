// See platform_fixture.hpp.
#include "support/platform/platform_fixture.hpp"

#include <gtest/gtest.h>

#include "support/test_env.hpp"

namespace testenv {

std::map<std::string, std::string> SandboxProcess::devpl_env() const {
  return {{"MNO_DEVPL_HOST", url},
          {"MNO_DEVPL_API_PATH", "/api/config/v1/marketplaces"},
          {"MNO_DEVPL_ENV_NAME", state["environment"]["name"].get<std::string>()},
          {"MNO_DEVPL_ENV_KEY", state["environment"]["api_key"].get<std::string>()},
          {"MNO_DEVPL_ENV_SECRET", state["environment"]["api_secret"].get<std::string>()}};
}

static const nlohmann::json& find_market(const nlohmann::json& state, const std::string& name) {
  for (const auto& m : state["marketplaces"])
    if (m["name"] == name) return m;
  throw std::runtime_error("sandbox has no marketplace " + name);
}

std::string SandboxProcess::api_id(const std::string& m) const { return find_market(state, m)["app_id"]; }
std::string SandboxProcess::api_key(const std::string& m) const { return find_market(state, m)["api_key"]; }

mno::http::Response http_send(mno::http::Request request) {
  static mno::http::CurlHttpClient client([] {
    mno::http::CurlOptions o;
    o.proxy = "";  // loopback only, whatever the environment says
    return o;
  }());
  auto r = client.send(request);
  if (!r) throw std::runtime_error("HTTP " + request.method + " " + request.url + " failed: " + r.error().message);
  return *r;
}

mno::http::Response http_get(const std::string& url, const std::optional<std::pair<std::string, std::string>>& basic,
                             std::vector<std::pair<std::string, std::string>> headers) {
  mno::http::Request req;
  req.method = "GET";
  req.url = url;
  req.basic_auth = basic;
  req.headers = std::move(headers);
  req.timeout = std::chrono::seconds(10);
  return http_send(req);
}

mno::http::Response sandbox_control(const SandboxProcess& sandbox, const std::string& method, const std::string& path,
                                    const nlohmann::json& body) {
  mno::http::Request r;
  r.method = method;
  r.url = sandbox.url + path;
  if (!body.is_null()) {
    r.body = body.dump();
    r.headers = {{"Content-Type", "application/json"}};
  }
  r.timeout = std::chrono::seconds(30);
  auto res = http_send(r);
  EXPECT_LT(res.status, 300) << method << " " << path << ": " << res.body;
  return res;
}

std::unique_ptr<SandboxProcess> start_sandbox(const std::string& app_host, const std::vector<std::string>& extra_args) {
  auto s = std::make_unique<SandboxProcess>();
  s->port = free_port();
  s->url = "http://127.0.0.1:" + std::to_string(s->port);
  auto dir = temp_dir("sandbox");
  std::vector<std::string> args{"--port", std::to_string(s->port), "--database", "sqlite:" + dir + "/sandbox.db",
                                "--app-host", app_host, "--log-level", "warn"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  s->process = std::make_unique<Process>(SANDBOX_BIN, args, std::map<std::string, std::string>{}, dir + "/sandbox.log");
  if (!s->process->wait_for_port(s->port)) {
    ADD_FAILURE() << "mno-sandbox did not start:\n" << s->process->output();
    return nullptr;
  }
  auto res = http_get(s->url + "/control/v1/state");
  s->state = nlohmann::json::parse(res.body);
  return s;
}

std::unique_ptr<TallyProcess> start_tally(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                                          std::string* failure_output) {
  auto t = std::make_unique<TallyProcess>();
  t->port = free_port();
  t->url = "http://127.0.0.1:" + std::to_string(t->port);
  std::vector<std::string> argv{"serve", "--port", std::to_string(t->port), "--log-level", "warn"};
  argv.insert(argv.end(), args.begin(), args.end());
  t->process = std::make_unique<Process>(TALLY_BIN, argv, env);
  if (!t->process->wait_for_port(t->port)) {
    if (failure_output) *failure_output = t->process->output();
    return nullptr;
  }
  return t;
}

std::string tally_database_url(const std::string& kind) {
  if (kind == "postgresql") return postgres_url();
  return "sqlite:" + temp_dir("tally-db") + "/tally.db";
}

}  // namespace testenv
