// Route matching: literals, {params}, {tail...}, 404, 405 with Allow, HEAD -> GET, bad patterns.
#include <gtest/gtest.h>

#include <stdexcept>

#include "web/router.hpp"

using web::Match;
using web::Request;
using web::Response;
using web::Router;

namespace {
web::Handler ok(std::string tag) {
  return [tag](Request&) { return Response::text(200, tag); };
}
std::string run(const Match& m) {
  Request r;
  return m.route->handler(r).body;
}
}  // namespace

TEST(Router, MatchesLiteralsAndParams) {
  Router r;
  r.add("GET", "/healthz", ok("health"));
  r.add("GET", "/maestrano/metadata/{marketplace}", ok("meta"));
  r.add("GET", "/customers/{id}/contacts/{cid}", ok("contact"));
  auto m = r.match("GET", "/healthz");
  ASSERT_EQ(m.kind, Match::Kind::found);
  EXPECT_EQ(run(m), "health");
  m = r.match("GET", "/maestrano/metadata/maestrano-prod");
  ASSERT_EQ(m.kind, Match::Kind::found);
  EXPECT_EQ(m.params.at("marketplace"), "maestrano-prod");
  m = r.match("GET", "/customers/12/contacts/a b");
  ASSERT_EQ(m.kind, Match::Kind::found);
  EXPECT_EQ(m.params.at("id"), "12");
  EXPECT_EQ(m.params.at("cid"), "a b");
  EXPECT_EQ(m.route->options.name, "/customers/{id}/contacts/{cid}");
}

TEST(Router, ParamsNeedANonEmptySegment) {
  Router r;
  r.add("GET", "/c/{id}", ok("c"));
  EXPECT_EQ(r.match("GET", "/c/").kind, Match::Kind::not_found);
  EXPECT_EQ(r.match("GET", "/c").kind, Match::Kind::not_found);
  EXPECT_EQ(r.match("GET", "/c/1/2").kind, Match::Kind::not_found);
}

TEST(Router, TailTakesTheRestOfThePath) {
  Router r;
  r.add("GET", "/static/{path...}", ok("static"));
  auto m = r.match("GET", "/static/css/app.css");
  ASSERT_EQ(m.kind, Match::Kind::found);
  EXPECT_EQ(m.params.at("path"), "css/app.css");
  m = r.match("GET", "/static/a");
  EXPECT_EQ(m.params.at("path"), "a");
  EXPECT_EQ(r.match("GET", "/other/a").kind, Match::Kind::not_found);
}

TEST(Router, LiteralRoutesWinOverParams) {
  Router r;
  r.add("GET", "/users/{id}", ok("param"));
  r.add("GET", "/users/me", ok("literal"));
  EXPECT_EQ(run(r.match("GET", "/users/me")), "literal");
  EXPECT_EQ(run(r.match("GET", "/users/7")), "param");
}

TEST(Router, MethodNotAllowedListsAllowedMethods) {
  Router r;
  r.add("GET", "/items/{id}", ok("get"));
  r.add("DELETE", "/items/{id}", ok("del"));
  auto m = r.match("POST", "/items/3");
  EXPECT_EQ(m.kind, Match::Kind::method_not_allowed);
  EXPECT_EQ(m.allow, "GET, HEAD, DELETE");
  EXPECT_EQ(r.match("GET", "/nothing").kind, Match::Kind::not_found);
}

TEST(Router, HeadFallsBackToGet) {
  Router r;
  r.add("GET", "/x", ok("get"));
  auto m = r.match("HEAD", "/x");
  ASSERT_EQ(m.kind, Match::Kind::found);
  EXPECT_EQ(m.route->method, "GET");
  r.add("POST", "/y", ok("post"));
  EXPECT_EQ(r.match("HEAD", "/y").kind, Match::Kind::method_not_allowed);
}

TEST(Router, RejectsBadPatternsAndDuplicates) {
  Router r;
  EXPECT_THROW(r.add("GET", "nope", ok("")), std::invalid_argument);
  EXPECT_THROW(r.add("GET", "/a/{rest...}/b", ok("")), std::invalid_argument);
  EXPECT_THROW(r.add("GET", "/a/{}", ok("")), std::invalid_argument);
  EXPECT_THROW(r.add("GET", "/a/x{y}", ok("")), std::invalid_argument);
  r.add("GET", "/a", ok(""));
  EXPECT_THROW(r.add("GET", "/a", ok("")), std::invalid_argument);
  EXPECT_NO_THROW(r.add("POST", "/a", ok("")));
  EXPECT_EQ(r.size(), 2u);
  EXPECT_EQ(r.route(1).method, "POST");
}
