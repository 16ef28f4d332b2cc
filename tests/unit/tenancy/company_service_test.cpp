// CompanyService: creation and validation, optimistic concurrency, status changes, and the
// change-event hook (exactly one event per committed change, none for a rolled-back one).
#include "tally/domain/company_service.hpp"
#include "tenancy_fixture.hpp"

using namespace tally;
using namespace tenancy_test;

class CompanyServiceTest : public TenancyTest {
 protected:
  static NewCompany company(CompanySettingsInput settings) {
    NewCompany n;
    n.settings = std::move(settings);
    return n;
  }
  static NewCompany acme() { return company({"Acme", "EUR", "Europe/Paris", "FR"}); }
};

TEST_P(CompanyServiceTest, CreateGetAndValidate) {
  CompanyService svc(database(), clock, sink);
  auto c = svc.create(acme());
  ASSERT_OK(c);
  EXPECT_EQ(c->version, 1);
  EXPECT_EQ(c->created_at, "2027-01-15T08:00:00Z");
  auto got = svc.get(c->id);
  ASSERT_OK(got);
  EXPECT_EQ(got->name, "Acme");
  EXPECT_EQ(got->timezone, "Europe/Paris");
  EXPECT_FALSE(got->marketplace);
  EXPECT_ERROR_CODE(svc.get(c->id + 1000), "record.not_found");

  auto bad = svc.create(company({"", "eu", "Not a zone", "F"}));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "validation.failed");
  EXPECT_EQ(bad.error().fields.size(), 4u);
  EXPECT_EQ(committed_events(), 1);
}

TEST_P(CompanyServiceTest, MarketplaceCompaniesAreFoundByExternalUid) {
  CompanyService svc(database(), clock, sink);
  NewCompany n = acme();
  n.status = CompanyStatus::trialing;
  n.marketplace = "maestrano";
  n.external_uid = "cld-42";
  n.trial_ends_at = "2027-02-15T08:00:00Z";
  ASSERT_OK(svc.create(n));
  auto f = svc.find_by_external_uid("maestrano", "cld-42");
  ASSERT_OK(f);
  ASSERT_TRUE(*f);
  EXPECT_EQ((*f)->status, CompanyStatus::trialing);
  EXPECT_EQ((*f)->trial_ends_at, "2027-02-15T08:00:00Z");
  auto none = svc.find_by_external_uid("maestrano", "cld-43");
  ASSERT_OK(none);
  EXPECT_FALSE(*none);
}

TEST_P(CompanyServiceTest, UpdateWithAStaleVersionIsRefused) {
  CompanyService svc(database(), clock, sink);
  auto c = svc.create(acme());
  ASSERT_OK(c);
  auto first = svc.update_settings(c->id, {"Acme SAS", "eur", "UTC", ""}, 1);
  ASSERT_OK(first);
  EXPECT_EQ(first->version, 2);
  EXPECT_EQ(first->currency, "EUR");
  EXPECT_EQ(first->country, "");
  auto stale = svc.update_settings(c->id, {"Acme Two", "USD", "UTC", "US"}, 1);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, "record.stale");
  EXPECT_NE(stale.error().message.find("changed by someone else"), std::string::npos);
  EXPECT_EQ(svc.get(c->id)->name, "Acme SAS");
  EXPECT_ERROR_CODE(svc.update_settings(c->id + 1000, {"X", "EUR", "UTC", ""}, 1), "record.not_found");
  auto invalid = svc.update_settings(c->id, {"X", "EUR", "Mars Base", ""}, 2);
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.error().fields.at("timezone"), "must be a time zone name, e.g. Europe/Paris or UTC");
  EXPECT_EQ(committed_events(), 2);  // create + one update
}

TEST_P(CompanyServiceTest, SetStatus) {
  CompanyService svc(database(), clock, sink);
  auto c = svc.create(acme());
  ASSERT_OK(c);
  auto b = svc.set_status(c->id, CompanyStatus::blocked);
  ASSERT_OK(b);
  EXPECT_EQ(b->status, CompanyStatus::blocked);
  EXPECT_EQ(b->version, 2);
  EXPECT_ERROR_CODE(svc.set_status(c->id, CompanyStatus::trialing, "tomorrow"), "validation.failed");
  EXPECT_ERROR_CODE(svc.set_status(c->id + 1000, CompanyStatus::active), "record.not_found");
  EXPECT_EQ(committed_events(), 2);
}

TEST_P(CompanyServiceTest, EventsFireOncePerCommittedChangeAndNeverForARolledBackOne) {
  CompanyService svc(database(), clock, sink);
  auto c = svc.create(acme());
  ASSERT_OK(c);
  ASSERT_OK(svc.update_settings(c->id, {"Acme 2", "EUR", "UTC", "FR"}, 1));
  ASSERT_OK(svc.set_status(c->id, CompanyStatus::trialing));
  auto rows = database().query("SELECT company_id, record_id, kind, version FROM test_change_events ORDER BY version");
  ASSERT_OK(rows);
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0].text("kind"), "created");
  EXPECT_EQ((*rows)[1].text("kind"), "updated");
  EXPECT_EQ((*rows)[2].i64("version"), 3);
  EXPECT_EQ((*rows)[2].i64("company_id"), c->id);
  EXPECT_EQ((*rows)[2].i64("record_id"), c->id);

  // A successful update followed by a failing second operation in the same transaction: neither
  // the change nor its event survive.
  auto tx = database().transaction([&](mno::db::Connection& conn) -> mno::Status {
    auto u = svc.update_settings(conn, c->id, {"Rolled Back", "EUR", "UTC", "FR"}, 3);
    if (!u.ok()) return u.error();
    auto second = svc.update_settings(conn, c->id, {"Also", "EUR", "UTC", "FR"}, 3);  // stale now
    if (!second.ok()) return second.error();
    return {};
  });
  EXPECT_ERROR_CODE(tx, "record.stale");
  EXPECT_EQ(committed_events(), 3);
  auto after = svc.get(c->id);
  ASSERT_OK(after);
  EXPECT_EQ(after->name, "Acme 2");
  EXPECT_EQ(after->version, 3);

  // A failing sink rolls its own change back.
  sink.fail_next = true;
  EXPECT_ERROR_CODE(svc.update_settings(c->id, {"Sink Failed", "EUR", "UTC", "FR"}, 3), "sink.failed");
  EXPECT_EQ(svc.get(c->id)->name, "Acme 2");
  EXPECT_EQ(committed_events(), 3);
  sink.fail_next = true;
  EXPECT_ERROR_CODE(svc.create(company({"Never", "EUR", "UTC", ""})), "sink.failed");
  auto n = database().query("SELECT COUNT(*) AS n FROM companies");
  ASSERT_OK(n);
  EXPECT_EQ((*n)[0].i64("n"), 1);
}

TALLY_INSTANTIATE_DATABASE_TESTS(CompanyServiceTest);
