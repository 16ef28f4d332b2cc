// Signed session cookies, rotation on login, expiry with a ManualClock, destroy, and CSRF checks.
#include <gtest/gtest.h>

#include "web/session.hpp"

using namespace std::chrono_literals;
using web::Request;
using web::Response;
using web::SessionManager;

namespace {
struct Fixture {
  mno::ManualClock clock;
  mno::SeededRandom random{42};
  std::shared_ptr<web::MemorySessionStore> store = std::make_shared<web::MemorySessionStore>(clock);
  SessionManager mgr{store, "test-signing-key-0123456789", clock, random};

  // The cookie value from the last Set-Cookie of `res`.
  static std::string cookie_value(const Response& res) {
    std::string v;
    for (const auto& [k, h] : res.headers)
      if (k == "Set-Cookie") v = h;
    auto eq = v.find('=');
    return v.substr(eq + 1, v.find(';') - eq - 1);
  }
  static Request with_cookie(const std::string& value) {
    Request r;
    r.headers = {{"cookie", "tally_session=" + value}};
    return r;
  }
};
}  // namespace

TEST(Session, StartSetsSignedHttpOnlyCookieAndAttachLoadsIt) {
  Fixture f;
  Request req;
  Response res;
  auto s = f.mgr.start(req, res);
  ASSERT_TRUE(s);
  s->data["uid"] = "usr-1";
  ASSERT_TRUE(f.mgr.save(*s).ok());
  const std::string* set = res.header("set-cookie");
  ASSERT_NE(set, nullptr);
  EXPECT_NE(set->find("HttpOnly"), std::string::npos);
  EXPECT_NE(set->find("SameSite=Lax"), std::string::npos);
  EXPECT_NE(set->find("Max-Age=28800"), std::string::npos);

  Request next = Fixture::with_cookie(Fixture::cookie_value(res));
  auto loaded = f.mgr.attach(next);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->id, s->id);
  EXPECT_EQ(loaded->data["uid"], "usr-1");
  EXPECT_EQ(next.session, loaded);
}

TEST(Session, TamperedOrForeignCookiesAreRejected) {
  Fixture f;
  Request req;
  Response res;
  auto s = f.mgr.start(req, res);
  std::string good = Fixture::cookie_value(res);
  std::string tampered = good;
  tampered[tampered.size() - 2] = tampered[tampered.size() - 2] == 'A' ? 'B' : 'A';
  std::string other_id = "x" + good.substr(1);
  for (const std::string& bad : {tampered, other_id, s->id, s->id + ".", std::string("."), std::string("")}) {
    Request r = Fixture::with_cookie(bad);
    EXPECT_EQ(f.mgr.attach(r), nullptr) << bad;
    EXPECT_EQ(r.session, nullptr);
  }
  SessionManager other_key{f.store, "another-key", f.clock, f.random};
  Request r = Fixture::with_cookie(good);
  EXPECT_EQ(other_key.attach(r), nullptr);
}

TEST(Session, StartRotatesTheIdAndKeepsData) {
  Fixture f;
  Request req;
  Response res1;
  auto before = f.mgr.start(req, res1);
  before->data["relay"] = "/invoices";
  ASSERT_TRUE(f.mgr.save(*before).ok());
  std::string old_cookie = Fixture::cookie_value(res1);
  std::string old_id = before->id, old_csrf = before->csrf_token;

  Request login = Fixture::with_cookie(old_cookie);
  ASSERT_TRUE(f.mgr.attach(login));
  Response res2;
  auto after = f.mgr.start(login, res2);
  EXPECT_NE(after->id, old_id);
  EXPECT_NE(after->csrf_token, old_csrf);
  EXPECT_EQ(after->data["relay"], "/invoices");
  Request stale = Fixture::with_cookie(old_cookie);
  EXPECT_EQ(f.mgr.attach(stale), nullptr) << "the pre-login id must be dead";
  Request fresh = Fixture::with_cookie(Fixture::cookie_value(res2));
  EXPECT_TRUE(f.mgr.attach(fresh));
}

TEST(Session, ExpiresAfterTtl) {
  Fixture f;
  Request req;
  Response res;
  f.mgr.start(req, res);
  std::string cookie = Fixture::cookie_value(res);
  f.clock.advance(8h - 1s);
  Request r1 = Fixture::with_cookie(cookie);
  EXPECT_TRUE(f.mgr.attach(r1));
  f.clock.advance(1s);
  Request r2 = Fixture::with_cookie(cookie);
  EXPECT_EQ(f.mgr.attach(r2), nullptr);
  EXPECT_EQ(f.store->size(), 0u);
}

TEST(Session, DestroyErasesAndExpiresCookie) {
  Fixture f;
  Request req;
  Response res;
  f.mgr.start(req, res);
  std::string cookie = Fixture::cookie_value(res);
  Request r = Fixture::with_cookie(cookie);
  ASSERT_TRUE(f.mgr.attach(r));
  Response out;
  f.mgr.destroy(r, out);
  EXPECT_EQ(r.session, nullptr);
  EXPECT_NE(out.header("set-cookie")->find("Max-Age=0"), std::string::npos);
  Request again = Fixture::with_cookie(cookie);
  EXPECT_EQ(f.mgr.attach(again), nullptr);
}

TEST(Session, MemoryStorePurgesExpired) {
  Fixture f;
  Request a, b;
  Response ra, rb;
  f.mgr.start(a, ra);
  f.clock.advance(4h);
  f.mgr.start(b, rb);
  f.clock.advance(5h);
  EXPECT_EQ(f.store->purge_expired(), 1u);
  EXPECT_EQ(f.store->size(), 1u);
}

TEST(Csrf, AcceptsMatchingTokenFromFormOrHeader) {
  Fixture f;
  Request req;
  Response res;
  auto s = f.mgr.start(req, res);
  Request form = req;
  form.headers = {{"content-type", "application/x-www-form-urlencoded"}};
  form.body = "name=x&_csrf=" + s->csrf_token;
  EXPECT_TRUE(f.mgr.csrf_ok(form));
  Request hdr = req;
  hdr.headers = {{"x-csrf-token", s->csrf_token}};
  EXPECT_TRUE(f.mgr.csrf_ok(hdr));
}

TEST(Csrf, RejectsMissingWrongOrSessionless) {
  Fixture f;
  Request req;
  Response res;
  auto s = f.mgr.start(req, res);
  Request missing = req;
  EXPECT_FALSE(f.mgr.csrf_ok(missing));
  Request wrong = req;
  wrong.headers = {{"x-csrf-token", s->csrf_token + "x"}};
  EXPECT_FALSE(f.mgr.csrf_ok(wrong));
  Request empty = req;
  empty.headers = {{"x-csrf-token", ""}};
  EXPECT_FALSE(f.mgr.csrf_ok(empty));
  Request no_session;
  no_session.headers = {{"x-csrf-token", s->csrf_token}};
  EXPECT_FALSE(f.mgr.csrf_ok(no_session));
}
