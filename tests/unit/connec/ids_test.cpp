// Id arrays: own id vs Connec! id, string comparison of numeric ids, fold and unfold of (nested) references.
#include <gtest/gtest.h>

#include "mno/connec/ids.hpp"

namespace {

using nlohmann::json;
using namespace mno::connec;

const AppIdentity kApp{"tally", "co-1"};

TEST(ConnecIds, FindsOwnAndConnecIds) {
  json ids = json::parse(R"([{"id":"u-1","provider":"connec","realm":"org-1"},
                              {"id":17,"provider":"tally","realm":"co-1"},
                              {"id":"99","provider":"tally","realm":"co-2"},
                              {"id":"s1","provider":"shopify","realm":"co-1"}])");
  EXPECT_EQ(find_connec_id(ids), "u-1");
  EXPECT_EQ(find_own_id(ids, kApp), "17");
  EXPECT_EQ(find_own_id(ids, AppIdentity{"tally", "co-2"}), "99");
  EXPECT_EQ(find_own_id(ids, AppIdentity{"tally", "co-3"}), std::nullopt);
  EXPECT_EQ(find_connec_id(json("plain-uuid")), "plain-uuid");
  EXPECT_EQ(find_own_id(json("plain-uuid"), kApp), std::nullopt);
  EXPECT_EQ(find_connec_id(json(nullptr)), std::nullopt);
}

TEST(ConnecIds, MakeIdArray) {
  auto a = make_id_array("5", kApp);
  EXPECT_EQ(a, json::parse(R"([{"id":"5","provider":"tally","realm":"co-1"}])"));
  auto b = make_id_array("5", kApp, std::string("u-5"));
  EXPECT_EQ(find_connec_id(b), "u-5");
  EXPECT_EQ(find_own_id(b, kApp), "5");
}

TEST(ConnecIds, FoldAndUnfoldReferences) {
  json inv = json::parse(R"({"organization_id":"12","person_id":null,
                            "lines":[{"item_id":"3"},{"item_id":4},{"description":"free"}]})");
  fold_references(inv, {"organization_id", "person_id", "lines/item_id"}, kApp);
  EXPECT_EQ(inv["organization_id"], make_id_array("12", kApp));
  EXPECT_TRUE(inv["person_id"].is_null());
  EXPECT_EQ(inv["lines"][1]["item_id"], make_id_array("4", kApp));
  EXPECT_FALSE(inv["lines"][2].contains("item_id"));

  // Connec! -> app: the item of line 1 is only known to Connec!.
  inv["lines"][1]["item_id"] = json::parse(R"([{"id":"u-4","provider":"connec","realm":"org-1"}])");
  auto missing = unfold_references(inv, {"organization_id", "lines/item_id"}, kApp);
  EXPECT_EQ(inv["organization_id"], "12");
  EXPECT_EQ(inv["lines"][0]["item_id"], "3");
  EXPECT_FALSE(inv["lines"][1].contains("item_id"));
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0].path, "lines/1/item_id");
  EXPECT_EQ(missing[0].connec_id, "u-4");
}

TEST(ConnecIds, UnfoldRemovesPlainStringReferences) {
  json p = {{"organization_id", "u-77"}};
  auto missing = unfold_references(p, {"organization_id"}, kApp);
  EXPECT_FALSE(p.contains("organization_id"));
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0].connec_id, "u-77");
}

}  // namespace
