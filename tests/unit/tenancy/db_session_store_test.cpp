// DbSessionStore: save/load/erase, expiry, purge, ids stored hashed, and two Database objects (two
// processes) sharing sessions.
#include "mno/db/database.hpp"
#include "tally/domain/secret_digest.hpp"
#include "tally/store/db_session_store.hpp"
#include "tenancy_fixture.hpp"

using namespace tally;
using namespace tenancy_test;
using namespace std::chrono_literals;

class DbSessionStoreTest : public TenancyTest {
 protected:
  web::Session session(const std::string& id, std::chrono::seconds ttl = 3600s) {
    web::Session s;
    s.id = id;
    s.csrf_token = "csrf-" + id;
    s.data = {{"user_id", "42"}, {"company_id", "7"}, {"flash", "Saved \"quotes\" & <tags> \xc3\xa9"}};
    s.expires = clock.now() + ttl;
    return s;
  }
};

TEST_P(DbSessionStoreTest, SaveLoadUpdateErase) {
  DbSessionStore store(database(), clock);
  auto s = session("abc123");
  ASSERT_OK(store.save(s));
  auto loaded = store.load("abc123");
  ASSERT_OK(loaded);
  ASSERT_TRUE(*loaded);
  EXPECT_EQ((*loaded)->id, "abc123");
  EXPECT_EQ((*loaded)->csrf_token, "csrf-abc123");
  EXPECT_EQ((*loaded)->data, s.data);
  EXPECT_EQ((*loaded)->expires, s.expires);

  s.data["company_id"] = "8";
  s.data.erase("flash");
  ASSERT_OK(store.save(s));
  loaded = store.load("abc123");
  ASSERT_OK(loaded);
  ASSERT_TRUE(*loaded);
  EXPECT_EQ((*loaded)->data, s.data);

  auto unknown = store.load("nope");
  ASSERT_OK(unknown);
  EXPECT_FALSE(*unknown);
  ASSERT_OK(store.erase("abc123"));
  ASSERT_OK(store.erase("abc123"));
  loaded = store.load("abc123");
  ASSERT_OK(loaded);
  EXPECT_FALSE(*loaded);
}

TEST_P(DbSessionStoreTest, IdsAreStoredHashed) {
  DbSessionStore store(database(), clock);
  ASSERT_OK(store.save(session("secret-session-id")));
  auto rows = database().query("SELECT id_hash FROM sessions");
  ASSERT_OK(rows);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].text("id_hash"), sha256_hex("secret-session-id"));
  EXPECT_EQ((*rows)[0].text("id_hash").find("secret-session-id"), std::string::npos);
}

TEST_P(DbSessionStoreTest, ExpiredSessionsAreNotReturnedAndArePurged) {
  DbSessionStore store(database(), clock);
  ASSERT_OK(store.save(session("short", 60s)));
  ASSERT_OK(store.save(session("long", 3600s)));
  clock.advance(59s);
  EXPECT_TRUE(*store.load("short"));
  clock.advance(1s);
  EXPECT_FALSE(*store.load("short"));
  EXPECT_TRUE(*store.load("long"));
  auto purged = store.purge_expired();
  ASSERT_OK(purged);
  EXPECT_EQ(*purged, 1);
  auto n = database().query("SELECT COUNT(*) AS n FROM sessions");
  ASSERT_OK(n);
  EXPECT_EQ((*n)[0].i64("n"), 1);
}

TEST_P(DbSessionStoreTest, TwoProcessesShareSessions) {
  auto other_db = mno::db::open_database(database_url());
  ASSERT_OK(other_db);
  DbSessionStore a(database(), clock);
  DbSessionStore b(**other_db, clock);
  ASSERT_OK(a.save(session("shared")));
  auto loaded = b.load("shared");
  ASSERT_OK(loaded);
  ASSERT_TRUE(*loaded);
  EXPECT_EQ((*loaded)->data.at("user_id"), "42");
  ASSERT_OK(b.erase("shared"));
  EXPECT_FALSE(*a.load("shared"));
}

TEST_P(DbSessionStoreTest, WorksBehindTheSessionManager) {
  auto store = std::make_shared<DbSessionStore>(database(), clock);
  mno::SeededRandom random(7);
  web::SessionManager manager(store, "0123456789abcdef0123456789abcdef", clock, random);
  web::Session s = session("via-manager");
  ASSERT_OK(manager.save(s));
  auto signed_cookie = manager.sign("via-manager");
  auto id = manager.verify(signed_cookie);
  ASSERT_TRUE(id);
  auto loaded = store->load(*id);
  ASSERT_OK(loaded);
  EXPECT_TRUE(*loaded);
}

TALLY_INSTANTIATE_DATABASE_TESTS(DbSessionStoreTest);
