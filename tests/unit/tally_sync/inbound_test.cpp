// Connec! -> Tally (checklist 3.3.1/3.3.2): notifications create and update records through the domain services,
// references out of order wait and then resolve, nothing echoes back to the outbox, and two companies receiving
// records with the same Connec! ids keep them apart.
#include "mno/sync/id_map.hpp"
#include "tally_sync_fixture.hpp"

namespace tallysync {
namespace {

class InboundTest : public SyncTest {
 protected:
  // Stores records as the notifications route does, for one company.
  void receive(int64_t company_id, const std::string& collection, const nlohmann::json& record) {
    mno::connec::NotificationEntity e;
    e.group_id = record.value("group_id", "");
    e.collection = collection;
    e.entity = record;
    e.connec_id = mno::connec::find_connec_id(record["id"]).value_or("");
    e.updated_at = record.value("updated_at", "");
    e.updated_at_time = mno::parse_iso8601(e.updated_at).ok()
                            ? std::optional<mno::TimePoint>(*mno::parse_iso8601(e.updated_at))
                            : std::nullopt;
    auto r = mno::sync::store_inbox(database(), {{std::to_string(company_id), e}}, clock.now());
    ASSERT_TRUE(r.ok()) << r.error().message;
  }
  std::optional<int64_t> local_of(int64_t company_id, const std::string& entity, const std::string& connec_id) {
    auto r = database().transact(
        [&](mno::db::Connection& c) {
          return mno::sync::find_by_connec_id(c, std::to_string(company_id), entity, connec_id);
        },
        mno::db::TxKind::read);
    if (!r || !*r || !(*r)->local_id) return std::nullopt;
    return std::stoll(*(*r)->local_id);
  }
};

TEST_P(InboundTest, OrganizationCreatesThenUpdatesACustomer) {
  auto co = company("Acme", "cld-1");
  receive(co, "organizations",
          connec_record("org-a", "cld-1",
                        {{"name", "Globex"}, {"reference", "GLX"}, {"email", {{"address", "ap@globex.test"}}},
                         {"address", {{"billing", {{"city", "Lyon"}, {"country", "France"}}}}}}));
  drain_all(1);
  auto id = local_of(co, "customer", "org-a");
  ASSERT_TRUE(id);
  auto x = services->customers.get(co, *id);
  ASSERT_TRUE(x.ok());
  EXPECT_EQ(x->name, "Globex");
  EXPECT_EQ(x->code, "GLX");
  EXPECT_EQ(x->email, "ap@globex.test");
  EXPECT_EQ(x->billing.city, "Lyon");
  EXPECT_EQ(x->billing.country, "");  // a country name is not a code: left empty rather than rejected

  receive(co, "organizations", connec_record("org-a", "cld-1", {{"name", "Globex Corp"}}, "2030-01-02T00:00:00Z"));
  drain_all(1);
  auto y = services->customers.get(co, *id);
  ASSERT_TRUE(y.ok());
  EXPECT_EQ(y->name, "Globex Corp");
  auto list = services->customers.list(co, {});
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->total, 1);
  EXPECT_EQ(outbox_rows(), 0);  // no echo
}

TEST_P(InboundTest, PersonBeforeItsOrganizationWaitsThenLinks) {
  auto co = company("Acme", "cld-1");
  receive(co, "people",
          connec_record("per-1", "cld-1", {{"first_name", "Ann"}, {"last_name", "Lee"}, {"organization_id", ref("org-a")}}));
  auto first = inbox->drain();
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->waiting, 1);
  EXPECT_EQ(first->dead, 0);
  receive(co, "organizations", connec_record("org-a", "cld-1", {{"name", "Globex"}}));
  drain_all(3);
  auto person = local_of(co, "contact", "per-1");
  auto org = local_of(co, "customer", "org-a");
  ASSERT_TRUE(person && org);
  auto c = services->contacts.get(co, *person);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->customer_id, org);
  EXPECT_EQ(outbox_rows(), 0);
}

TEST_P(InboundTest, InvoiceWithLinesAndStatus) {
  auto co = company("Acme", "cld-1");
  receive(co, "items", connec_record("item-1", "cld-1", {{"name", "Widget"}, {"sale_price", {{"net_amount", 10}, {"tax_rate", 20}}}}));
  receive(co, "organizations", connec_record("org-a", "cld-1", {{"name", "Globex"}}));
  receive(co, "invoices",
          connec_record("inv-1", "cld-1",
                        {{"type", "CUSTOMER"},
                         {"status", "PAID"},
                         {"transaction_date", "2030-01-05T00:00:00Z"},
                         {"due_date", "2030-02-05"},
                         {"organization_id", ref("org-a")},
                         {"lines",
                          {{{"id", ref("line-1")}, {"quantity", 3}, {"item_id", ref("item-1")}},
                           {{"id", ref("line-2")}, {"description", "Setup"}, {"quantity", 1.5},
                            {"unit_price", {{"net_amount", "4.20"}, {"tax_rate", 0}}}}}}}));
  drain_all(3);
  auto id = local_of(co, "invoice", "inv-1");
  ASSERT_TRUE(id);
  auto inv = services->invoices.get(co, *id);
  ASSERT_TRUE(inv.ok());
  EXPECT_EQ(inv->status, tally::InvoiceStatus::paid);
  EXPECT_EQ(inv->issue_date, "2030-01-05");
  EXPECT_EQ(inv->due_date, "2030-02-05");
  ASSERT_EQ(inv->lines.size(), 2u);
  EXPECT_EQ(inv->lines[0].product_id, local_of(co, "product", "item-1"));
  EXPECT_EQ(inv->lines[0].unit_price_cents, 1000);  // the product's price
  EXPECT_EQ(inv->lines[1].unit_price_cents, 420);
  EXPECT_EQ(inv->lines[1].quantity_milli, 1500);
  EXPECT_EQ(inv->total_cents, 3000 + 600 + 630);  // 3 x 10 + 20% tax, 1.5 x 4.20
  EXPECT_EQ(outbox_rows(), 0);
}

TEST_P(InboundTest, SupplierInvoiceAndInvalidRecordDeadLetterWithoutEffect) {
  auto co = company("Acme", "cld-1");
  receive(co, "invoices", connec_record("inv-s", "cld-1", {{"type", "SUPPLIER"}}));
  receive(co, "organizations", connec_record("org-x", "cld-1", {{"name", ""}}));
  auto rep = inbox->drain();
  ASSERT_TRUE(rep.ok());
  EXPECT_EQ(rep->dead, 2);
  auto list = services->customers.list(co, {});
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->total, 0);
}

TEST_P(InboundTest, TwoCompaniesWithTheSameConnecIdsStayApart) {
  auto a = company("A", "cld-1");
  auto b = company("B", "cld-2");
  receive(a, "organizations", connec_record("org-same", "cld-1", {{"name", "For A"}}));
  receive(b, "organizations", connec_record("org-same", "cld-2", {{"name", "For B"}}));
  drain_all(1);
  auto in_a = local_of(a, "customer", "org-same");
  auto in_b = local_of(b, "customer", "org-same");
  ASSERT_TRUE(in_a && in_b);
  EXPECT_NE(*in_a, *in_b);
  EXPECT_EQ(services->customers.get(a, *in_a)->name, "For A");
  EXPECT_EQ(services->customers.get(b, *in_b)->name, "For B");
  EXPECT_FALSE(services->customers.get(a, *in_b).ok());
}

TEST_P(InboundTest, LocalEditAfterInboundGoesOutAsTheSameRecord) {
  auto co = company("Acme", "cld-1");
  receive(co, "organizations", connec_record("org-a", "cld-1", {{"name", "Globex"}}));
  drain_all(1);
  auto id = local_of(co, "customer", "org-a");
  ASSERT_TRUE(id);
  auto x = services->customers.get(co, *id);
  ASSERT_TRUE(services->customers.update(co, *id, x->version, customer_named("Globex (edited)")).ok());
  drain_all(1);
  // The push carries the known Connec! id, so Connec! updates org-a rather than creating a record.
  bool sent_with_connec_id = false;
  for (auto& req : http->requests())
    if (req.body.find("org-a") != std::string::npos && req.body.find("Globex (edited)") != std::string::npos)
      sent_with_connec_id = true;
  EXPECT_TRUE(sent_with_connec_id);
}

TALLY_INSTANTIATE_DATABASE_TESTS(InboundTest);

}  // namespace
}  // namespace tallysync
