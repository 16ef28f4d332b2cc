// Request accessors (headers, query, cookies, form) and Response builders / Set-Cookie rendering.
#include <gtest/gtest.h>

#include "web/request.hpp"
#include "web/response.hpp"

using web::Cookie;
using web::Request;
using web::Response;

TEST(Request, HeaderLookupIsCaseInsensitiveAndCounts) {
  Request r;
  r.headers = {{"authorization", "Basic a"}, {"x-thing", "1"}, {"authorization", "Basic b"}};
  EXPECT_EQ(r.header("Authorization"), "Basic a");
  EXPECT_EQ(r.header_count("AUTHORIZATION"), 2u);
  EXPECT_EQ(r.header("missing"), std::nullopt);
}

TEST(Request, QueryParamDecodesFirstValue) {
  Request r;
  r.query = "q=hello+world&x=%2F&q=second";
  EXPECT_EQ(r.query_param("q"), "hello world");
  EXPECT_EQ(r.query_param("x"), "/");
  EXPECT_EQ(r.query_param("nope"), std::nullopt);
}

TEST(Request, CookieParsesAcrossHeaders) {
  Request r;
  r.headers = {{"cookie", "a=1; tally_session=abc.def ; b=\"q\""}, {"cookie", "c=3"}};
  EXPECT_EQ(r.cookie("tally_session"), "abc.def");
  EXPECT_EQ(r.cookie("b"), "q");
  EXPECT_EQ(r.cookie("c"), "3");
  EXPECT_EQ(r.cookie("tally"), std::nullopt);
}

TEST(Request, FormOnlyForUrlencodedBodies) {
  Request r;
  r.body = "_csrf=t%2Bk&name=A+B&name=C";
  EXPECT_TRUE(r.form().empty());
  r.headers = {{"content-type", "application/x-www-form-urlencoded; charset=UTF-8"}};
  auto f = r.form();
  EXPECT_EQ(f["_csrf"], "t+k");
  EXPECT_EQ(f["name"], "A B");
  r.headers = {{"content-type", "application/json"}};
  EXPECT_TRUE(r.form().empty());
}

TEST(Response, BuildersSetTypeAndStatus) {
  auto j = Response::json(201, "{}");
  EXPECT_EQ(j.status, 201);
  ASSERT_NE(j.header("content-type"), nullptr);
  EXPECT_EQ(*j.header("Content-Type"), "application/json");
  auto r = Response::redirect("/home");
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(*r.header("location"), "/home");
  EXPECT_EQ(*Response::html(200, "x").header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(*Response::text(200, "x").header("content-type"), "text/plain; charset=utf-8");
}

TEST(Response, SetHeaderReplacesAddHeaderAppends) {
  Response r;
  r.add_header("X-A", "1");
  r.add_header("x-a", "2");
  r.set_header("X-A", "3");
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].second, "3");
}

TEST(Cookie, RendersAttributes) {
  Cookie c;
  c.name = "s";
  c.value = "v";
  c.max_age = 60;
  c.secure = true;
  EXPECT_EQ(c.to_header(), "s=v; Path=/; Max-Age=60; HttpOnly; Secure; SameSite=Lax");
  Cookie d;
  d.name = "d";
  d.http_only = false;
  d.same_site = "";
  EXPECT_EQ(d.to_header(), "d=; Path=/");
  Response r;
  r.set_cookie(c);
  EXPECT_EQ(*r.header("set-cookie"), c.to_header());
}
