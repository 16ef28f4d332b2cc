// POST /maestrano/connec/notifications/{marketplace}: 401 for every credential failure (before the body is
// read), 400 for a body that is not a notification, records stored once (a redelivery is a duplicate), unknown
// groups and collections skipped, two groups in one request each reach their company.
#include "tally_sync_fixture.hpp"

namespace tallysync {
namespace {

class NotificationRouteTest : public SyncTest {
 protected:
  int64_t inbox_rows() {
    auto c = mno::sync::count_inbox(database());
    EXPECT_TRUE(c.ok());
    return c ? c->pending + c->applying + c->done + c->dead : -1;
  }
};

TEST_P(NotificationRouteTest, BadCredentialsAre401) {
  company("Acme", "cld-1");
  auto base = serve();
  const std::string body =
      nlohmann::json{{"organizations", {connec_record("org-a", "cld-1", {{"name", "Globex"}})}}}.dump();
  EXPECT_EQ(post(base + "/maestrano/connec/notifications/mkt", body, "app-1", "wrong").status, 401);
  EXPECT_EQ(post(base + "/maestrano/connec/notifications/mkt", body, "app-2", "secret-2").status, 401);  // other marketplace's
  EXPECT_EQ(post(base + "/maestrano/connec/notifications/nope", body).status, 401);
  // Two marketplaces configured: the unsuffixed path has no marketplace to bind to.
  EXPECT_EQ(post(base + "/maestrano/connec/notifications", body).status, 401);
  EXPECT_EQ(inbox_rows(), 0);
}

TEST_P(NotificationRouteTest, BadJsonIs400) {
  auto base = serve();
  EXPECT_EQ(post(base + "/maestrano/connec/notifications/mkt", "{not json").status, 400);
  EXPECT_EQ(post(base + "/maestrano/connec/notifications/mkt", "[1,2]").status, 400);
  EXPECT_EQ(post(base + "/maestrano/connec/notifications/mkt", R"({"people":[{"first_name":"x"}]})").status, 400);
  EXPECT_EQ(inbox_rows(), 0);
}

TEST_P(NotificationRouteTest, StoresOnceAndAppliesOnce) {
  auto co = company("Acme", "cld-1");
  auto base = serve();
  const std::string body =
      nlohmann::json{{"organizations", {connec_record("org-a", "cld-1", {{"name", "Globex"}})}}}.dump();
  auto r1 = post(base + "/maestrano/connec/notifications/mkt", body);
  EXPECT_EQ(r1.status, 200);
  EXPECT_EQ(nlohmann::json::parse(r1.body)["stored"], 1);
  auto r2 = post(base + "/maestrano/connec/notifications/mkt", body);
  EXPECT_EQ(r2.status, 200);
  EXPECT_EQ(nlohmann::json::parse(r2.body)["duplicates"], 1);
  EXPECT_EQ(inbox_rows(), 1);
  drain_all(1);
  auto list = services->customers.list(co, {});
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->total, 1);
}

TEST_P(NotificationRouteTest, UnknownGroupsAndCollectionsAreSkipped) {
  company("Acme", "cld-1");
  auto base = serve();
  nlohmann::json body = {
      {"organizations", {connec_record("org-a", "cld-unknown", {{"name", "Nobody's"}})}},
      {"payments", {connec_record("pay-1", "cld-1", {{"amount", 3}})}},
      {"items", {connec_record("item-1", "cld-1", {{"name", "Widget"}})}},
  };
  auto r = post(base + "/maestrano/connec/notifications/mkt", body.dump());
  EXPECT_EQ(r.status, 200);
  auto j = nlohmann::json::parse(r.body);
  EXPECT_EQ(j["stored"], 1);
  EXPECT_EQ(j["skipped"], 1);
  EXPECT_EQ(inbox_rows(), 1);
}

TEST_P(NotificationRouteTest, TwoGroupsInOneRequest) {
  auto a = company("A", "cld-1");
  auto b = company("B", "cld-2");
  auto base = serve();
  nlohmann::json body = {{"organizations",
                          {connec_record("org-1", "cld-1", {{"name", "For A"}}),
                           connec_record("org-2", "cld-2", {{"name", "For B"}})}}};
  EXPECT_EQ(post(base + "/maestrano/connec/notifications/mkt", body.dump()).status, 200);
  drain_all(1);
  auto la = services->customers.list(a, {});
  auto lb = services->customers.list(b, {});
  ASSERT_TRUE(la.ok() && lb.ok());
  ASSERT_EQ(la->items.size(), 1u);
  ASSERT_EQ(lb->items.size(), 1u);
  EXPECT_EQ(la->items[0].name, "For A");
  EXPECT_EQ(lb->items[0].name, "For B");
  EXPECT_EQ(outbox_rows(), 0);
}

TEST_P(NotificationRouteTest, GroupOfAnotherMarketplaceIsNotOurs) {
  company("Acme", "cld-1", "other");
  auto base = serve();
  nlohmann::json body = {{"organizations", {connec_record("org-1", "cld-1", {{"name", "x"}})}}};
  auto r = post(base + "/maestrano/connec/notifications/mkt", body.dump());
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(inbox_rows(), 0);
}

TALLY_INSTANTIATE_DATABASE_TESTS(NotificationRouteTest);

}  // namespace
}  // namespace tallysync
