// Notification parsing: several collections and groups in one body, normalised names, skipped collections
// reported, malformed bodies rejected as a whole.
#include <gtest/gtest.h>

#include "mno/connec/notification.hpp"

namespace {

using namespace mno::connec;

TEST(ConnecNotification, NormalisesCollectionNames) {
  EXPECT_EQ(normalize_collection_name("Person"), "people");
  EXPECT_EQ(normalize_collection_name("people"), "people");
  EXPECT_EQ(normalize_collection_name("ORGANIZATIONS"), "organizations");
  EXPECT_EQ(normalize_collection_name("Tax Code"), "tax_codes");
  EXPECT_EQ(normalize_collection_name("SalesOrder"), "sales_orders");
  EXPECT_EQ(normalize_collection_name("item"), "items");
  EXPECT_EQ(normalize_collection_name("company"), "company");
  EXPECT_EQ(normalize_collection_name("opportunity"), "opportunities");
}

TEST(ConnecNotification, SeveralCollectionsAndGroups) {
  const char* body = R"({
    "organizations": [{"id":[{"id":"o-1","provider":"connec","realm":"org-a"}],"name":"Acme","group_id":"cld-1",
                        "updated_at":"2026-01-02T03:04:05Z"}],
    "People": [{"id":[{"id":"p-1","provider":"connec","realm":"org-b"}],"group_id":"cld-2"},
               {"id":"p-2","group_id":"cld-1"}],
    "payments": [{"id":"x","group_id":"cld-1"}],
    "tenant": "default"
  })";
  auto n = parse_notification(body, {"organizations", "people", "items", "invoices"});
  ASSERT_TRUE(n.ok()) << n.error().message;
  ASSERT_EQ(n->entities.size(), 3u);
  // keys come in sorted order (JSON object)
  EXPECT_EQ(n->entities[0].collection, "people");
  EXPECT_EQ(n->entities[0].group_id, "cld-2");
  EXPECT_EQ(n->entities[0].connec_id, "p-1");
  EXPECT_EQ(n->entities[1].connec_id, "p-2");
  EXPECT_EQ(n->entities[2].collection, "organizations");
  EXPECT_EQ(n->entities[2].updated_at, "2026-01-02T03:04:05Z");
  ASSERT_TRUE(n->entities[2].updated_at_time.has_value());
  ASSERT_EQ(n->skipped.size(), 2u);
  EXPECT_EQ(n->skipped[0].key, "payments");
  EXPECT_EQ(n->skipped[0].reason, "unknown collection");
  EXPECT_EQ(n->skipped[0].count, 1u);
  EXPECT_EQ(n->skipped[1].reason, "routing key");
}

TEST(ConnecNotification, Errors) {
  EXPECT_EQ(parse_notification("{not json").error().code, "connec.bad_json");
  EXPECT_EQ(parse_notification("[1,2]").error().code, "connec.bad_json");
  EXPECT_EQ(parse_notification(R"({"people": 3})").error().code, "connec.bad_notification");
  EXPECT_EQ(parse_notification(R"({"people": [1]})").error().code, "connec.bad_notification");
  auto no_group = parse_notification(R"({"people": [{"id":"p"}]})");
  EXPECT_EQ(no_group.error().code, "connec.bad_notification");
  EXPECT_NE(no_group.error().message.find("people[0]"), std::string::npos);
  EXPECT_EQ(parse_notification(R"({"people": [{"group_id":"cld-1","id":[{"id":"1","provider":"x","realm":"y"}]}]})")
                .error()
                .code,
            "connec.bad_notification");
  auto empty = parse_notification("{}");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->entities.empty());
}

}  // namespace
