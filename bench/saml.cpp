// SAML benchmark driver for bench/suites/saml.sh (a plain timed loop; the suite prints the table).
//   bench_saml validate SECONDS THREADS OUT_DIR
//     builds a realistic Maestrano response (spec 3.3/3.4 attributes, RSA-SHA256 signed Assertion) with
//     the sandbox's seed key for maestrano-sandbox, writes it and the IdP certificate to OUT_DIR for
//     the node-saml reference, then validates it with libmno's ResponseValidator (the one Tally's ACS
//     uses) in THREADS threads for SECONDS; prints validations_per_sec and per_core.
//   bench_saml consume TALLY_URL SANDBOX_URL COUNT THREADS
//     the full SSO consume of an existing user through Tally's real path over loopback HTTP: first
//     (untimed) COUNT inits, each in its own cookie session with a fresh AuthnRequest id, and COUNT
//     responses signed for them with the sandbox's signer; then (timed) the COUNT ACS POSTs from
//     THREADS threads. Prints consumes_per_sec; every POST must end in the 303 to /app.
// The replay cache of the validate mode accepts everything: the same response is validated again and
// again, and the cache is measured by the consume mode instead.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "mno/config/marketplace_json.hpp"
#include "mno/http/curl_http_client.hpp"
#include "mno/saml/authn_request.hpp"
#include "mno/saml/replay_cache.hpp"
#include "mno/saml/response_builder.hpp"
#include "mno/saml/response_validator.hpp"
#include "mno/saml/url_codec.hpp"
#include "mno/util/iso8601.hpp"
#include "mno/util/random.hpp"
#include "sandbox/seed_keys.hpp"

namespace {

using Clock = std::chrono::steady_clock;
constexpr const char* kMarket = "maestrano-sandbox";

class AcceptAllReplayCache final : public mno::saml::ReplayCache {
 public:
  mno::Status remember(std::string_view, std::string_view, mno::TimePoint) override { return {}; }
  mno::Result<int64_t> purge_expired(mno::TimePoint) override { return int64_t{0}; }
};

const sandbox::SeedKey& seed_key() {
  for (const auto& k : sandbox::seed_keys())
    if (k.marketplace == kMarket) return k;
  throw std::runtime_error("no seed key for maestrano-sandbox");
}

// The demo directory's usr-1 in cld-1, as mno-sandbox sends it.
mno::saml::ResponseParams maestrano_params(const mno::config::Marketplace& m, const std::string& request_id) {
  const auto now = mno::SystemClock::instance().now();
  mno::saml::ResponseParams p;
  p.issuer = mno::saml::idp_sso_url(m);
  p.destination = mno::saml::acs_url(m);
  p.recipient = p.destination;
  p.audience = m.api.id;
  p.in_response_to = request_id;
  p.name_id = "usr-1";
  p.attributes = {{"mno_uid", "usr-1"}, {"mno_session", "bench-session-token-0123456789abcdef"},
                  {"mno_session_recheck", mno::format_iso8601(now + std::chrono::hours(1))}, {"uid", "usr-1"},
                  {"virtual_uid", "usr-1.cld-1"}, {"email", "john.doe@example.com"},
                  {"virtual_email", "usr-1.cld-1@mno-api-sandbox-mail.maestrano.com"}, {"name", "John"}, {"surname", "Doe"},
                  {"country", "AU"}, {"company_name", "DoeCorp"}, {"group_uid", "cld-1"}, {"group_name", "Doe Corp"},
                  {"group_email", "admin@doecorp.example.com"}, {"group_role", "Admin"},
                  {"group_end_free_trial", "2030-01-01T00:00:00Z"}, {"group_has_credit_card", "true"},
                  {"group_currency", "USD"}, {"group_timezone", "America/Los_Angeles"}, {"group_country", "US"},
                  {"group_city", "Los Angeles"}, {"group_org_uid", "org-1"}};
  return p;
}

mno::saml::BuiltResponse sign(const mno::config::Marketplace& m, const std::string& request_id, mno::Random& random) {
  mno::saml::SigningOptions s;
  s.private_key_pem = seed_key().private_key_pem;
  s.certificate_pem = seed_key().certificate_pem;
  auto r = mno::saml::build_signed_response(maestrano_params(m, request_id), s, mno::SystemClock::instance(), random);
  if (!r.ok()) throw std::runtime_error("signing failed: " + r.error().message);
  return *r;
}

int validate_mode(double seconds, int threads, const std::string& out_dir) {
  mno::config::Marketplace m;
  m.name = kMarket;
  m.app.host = "http://127.0.0.1:7800";
  m.api.id = "app-tally-sbx";
  m.api.key = "unused";
  m.api.host = "http://127.0.0.1:7700";
  m.api.base = "/api/v1/";
  m.sso.idp = m.api.host;
  m.sso.init_path = "/maestrano/auth/saml/init/maestrano-sandbox";
  m.sso.consume_path = "/maestrano/auth/saml/consume/maestrano-sandbox";
  m.sso.x509_certificate = seed_key().certificate_pem;
  m.sso.x509_fingerprint = seed_key().sha1_fingerprint;
  const std::string request_id = "_bench0123456789abcdef0123456789ab";
  auto built = sign(m, request_id, mno::SecureRandom::instance());
  std::ofstream(out_dir + "/response.b64") << built.base64;
  std::ofstream(out_dir + "/idp.crt") << seed_key().certificate_pem;
  std::ofstream(out_dir + "/acs_url") << mno::saml::acs_url(m);
  std::ofstream(out_dir + "/audience") << m.api.id;

  auto v = mno::saml::ResponseValidator::create(m, mno::SystemClock::instance(), std::make_shared<AcceptAllReplayCache>());
  if (!v.ok()) throw std::runtime_error("validator: " + v.error().message);
  auto validator = *v;
  const auto check = mno::saml::InResponseToCheck::expect(request_id);
  if (auto r = validator->validate(built.base64, check); !r.ok()) throw std::runtime_error("rejected: " + r.error().code);

  std::atomic<int64_t> total{0};
  std::atomic<bool> failed{false};
  const auto start = Clock::now();
  const auto end = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&] {
      int64_t n = 0;
      while (Clock::now() < end) {
        if (!validator->validate(built.base64, check).ok()) failed = true;
        ++n;
      }
      total += n;
    });
  for (auto& th : pool) th.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  if (failed) throw std::runtime_error("a validation failed during the run");
  const double rate = static_cast<double>(total) / elapsed;
  std::printf("validations_per_sec=%.0f\nvalidations_per_sec_per_core=%.0f\nresponse_bytes=%zu\n", rate, rate / threads,
              built.xml.size());
  return 0;
}

struct Prepared {
  std::string cookie;
  std::string body;
};

int consume_mode(const std::string& tally, const std::string& sandbox, int count, int threads) {
  mno::http::CurlOptions o;
  o.proxy = "";
  mno::http::CurlHttpClient http(o);
  auto get = [&](const std::string& url) {
    mno::http::Request r;
    r.url = url;
    auto res = http.send(r);
    if (!res.ok()) throw std::runtime_error("GET " + url + ": " + res.error().message);
    return *res;
  };
  auto market = mno::config::marketplace_from_json(nlohmann::json::parse(get(sandbox + "/control/v1/marketplaces/" + kMarket).body));
  if (!market.ok()) throw std::runtime_error("marketplace: " + market.error().message);
  const std::string acs = mno::saml::acs_url(*market);
  const std::string init = tally + "/maestrano/auth/saml/init/" + kMarket + "?group_id=cld-1";

  // Untimed: one init per consume (its own browser session, a fresh AuthnRequest id) and its response.
  auto prepare = [&]() {
    auto r = get(init);
    auto location = r.header("location");
    if (r.status != 302 || !location) throw std::runtime_error("init answered " + std::to_string(r.status));
    auto parsed = mno::saml::parse_authn_request(location->substr(location->find('?') + 1));
    if (!parsed.ok()) throw std::runtime_error("AuthnRequest: " + parsed.error().message);
    Prepared p;
    for (const auto& [k, v] : r.headers)
      if (k == "set-cookie") p.cookie += (p.cookie.empty() ? "" : "; ") + v.substr(0, v.find(';'));
    p.body = "SAMLResponse=" + mno::saml::url_encode(sign(*market, parsed->id, mno::SecureRandom::instance()).base64);
    return p;
  };
  std::vector<Prepared> work;
  work.reserve(count + 1);
  for (int i = 0; i <= count; ++i) work.push_back(prepare());

  auto post = [&](mno::http::HttpClient& client, const Prepared& p) {
    mno::http::Request r;
    r.method = "POST";
    r.url = acs;
    r.body = p.body;
    r.headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"Cookie", p.cookie}};
    auto res = client.send(r);
    return res.ok() && res->status == 303 && res->header("location") && *res->header("location") == "/app";
  };
  // The first consume creates the user and company (untimed): the timed ones are an existing user.
  if (!post(http, work[0])) throw std::runtime_error("the first consume did not sign in (is the sandbox app host this tally?)");

  std::atomic<int> next{1}, ok{0};
  const auto start = Clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&] {
      mno::http::CurlHttpClient client(o);
      for (int i = next++; i <= count; i = next++)
        if (post(client, work[i])) ++ok;
    });
  for (auto& th : pool) th.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("consumes_per_sec=%.0f\nconsumes_ok=%d\nconsumes=%d\n", count / elapsed, ok.load(), count);
  return ok == count ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    std::vector<std::string> a(argv + 1, argv + argc);
    if (a.size() == 4 && a[0] == "validate") return validate_mode(std::stod(a[1]), std::stoi(a[2]), a[3]);
    if (a.size() == 5 && a[0] == "consume") return consume_mode(a[1], a[2], std::stoi(a[3]), std::stoi(a[4]));
    std::cerr << "usage: bench_saml validate SECONDS THREADS OUT_DIR | consume TALLY_URL SANDBOX_URL COUNT THREADS\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "bench_saml: " << e.what() << "\n";
    return 1;
  }
}
