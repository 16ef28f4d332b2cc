// Tests of the marketplace Registry: lookups by name and by credentials, snapshot semantics.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "mno/config/registry.hpp"

using namespace mno::config;

namespace {
Marketplace mk(std::string name, std::string id, std::string key) {
  Marketplace m;
  m.name = std::move(name);
  m.api.id = std::move(id);
  m.api.key = std::move(key);
  return m;
}
Registry two() { return Registry({mk("maestrano", "app-1", "key-1"), mk("partner", "app-2", "key-2")}); }
}  // namespace

TEST(Registry, FindByName) {
  auto r = two();
  EXPECT_EQ(r.size(), 2u);
  EXPECT_EQ(r.find("partner")->api.id, "app-2");
  EXPECT_EQ(r.find("nope"), nullptr);
  EXPECT_EQ(r.names(), (std::vector<std::string>{"maestrano", "partner"}));
  EXPECT_EQ(r.only(), nullptr);
}

TEST(Registry, FindByCredentials) {
  auto r = two();
  ASSERT_NE(r.find_by_credentials("app-2", "key-2"), nullptr);
  EXPECT_EQ(r.find_by_credentials("app-2", "key-2")->name, "partner");
  EXPECT_EQ(r.find_by_credentials("app-1", "key-1")->name, "maestrano");
  EXPECT_EQ(r.find_by_credentials("app-1", "wrong"), nullptr);
  EXPECT_EQ(r.find_by_credentials("app-1", "key-2"), nullptr);  // another marketplace's key
  EXPECT_EQ(r.find_by_credentials("app-1", ""), nullptr);
  EXPECT_EQ(r.find_by_credentials("", ""), nullptr);
  EXPECT_EQ(r.find_by_credentials("app-1", "key-1x"), nullptr);
}

TEST(Registry, EmptyCredentialsNeverMatchAnEmptyEntry) {
  // Only a hand-built entry can lack credentials (the JSON loader requires them); it must not match.
  Registry r({mk("a", "", ""), mk("b", "app-1", "")});
  EXPECT_EQ(r.find_by_credentials("", ""), nullptr);
  EXPECT_EQ(r.find_by_credentials("app-1", ""), nullptr);
  EXPECT_EQ(r.find_with_credentials("a", "", ""), nullptr);
}

TEST(Registry, FindWithCredentialsIsTenantBound) {
  auto r = two();
  EXPECT_NE(r.find_with_credentials("partner", "app-2", "key-2"), nullptr);
  EXPECT_EQ(r.find_with_credentials("maestrano", "app-2", "key-2"), nullptr);
  EXPECT_FALSE(r.credentials_match("nope", "app-2", "key-2"));
  EXPECT_TRUE(r.credentials_match("maestrano", "app-1", "key-1"));
}

TEST(Registry, SharedCredentialsStillBindToThePathTenant) {
  Registry r({mk("a", "app-1", "key-1"), mk("b", "app-1", "key-1")});
  EXPECT_EQ(r.find_with_credentials("b", "app-1", "key-1")->name, "b");
  EXPECT_EQ(r.find_by_credentials("app-1", "key-1")->name, "a");  // first match
}

TEST(Registry, OnlyAndReplace) {
  Registry r;
  EXPECT_EQ(r.size(), 0u);
  EXPECT_EQ(r.only(), nullptr);
  auto g0 = r.generation();
  r.replace({mk("solo", "app-1", "k")});
  EXPECT_EQ(r.only()->name, "solo");
  EXPECT_GT(r.generation(), g0);
  auto held = r.find("solo");
  r.replace({mk("other", "app-9", "k9"), mk("other", "dup", "dup")});  // duplicate: first wins
  EXPECT_EQ(r.size(), 1u);
  EXPECT_EQ(r.find("solo"), nullptr);
  EXPECT_EQ(held->name, "solo");  // readers keep their snapshot alive
  EXPECT_EQ(r.only()->api.id, "app-9");
}

TEST(Registry, ConcurrentReadersAndReplacer) {
  auto r = two();
  std::atomic<bool> stop{false};
  std::atomic<long> found{0}, lookups{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t)
    readers.emplace_back([&] {
      while (!stop) {
        bool hit = r.find_by_credentials("app-1", "key-1") != nullptr;
        found += hit;
        ++lookups;
      }
    });
  // Keep replacing until the readers have really run (a loaded machine may not schedule them at once).
  for (int i = 0; i < 500 || lookups.load() < 30; ++i)
    r.replace({mk("maestrano", "app-1", "key-1"), mk("p" + std::to_string(i), "x", "y")});
  stop = true;
  for (auto& t : readers) t.join();
  // app-1 is in every version of the registry, so no lookup may ever miss it mid-replace.
  EXPECT_GE(lookups.load(), 30);
  EXPECT_EQ(found.load(), lookups.load());
}
