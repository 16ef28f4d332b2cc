// Tally -> Connec!: each adapter's record as Connec! receives it (checklist 3.2.1/3.2.2: create and update reach
// Connec! with no duplicate), references folded into id arrays with the Connec! id, a record whose reference is
// not in Connec! yet waits and goes out once it is, and two companies' records stay apart.
#include <set>

#include "mno/connec/ids.hpp"
#include "tally_sync_fixture.hpp"

namespace tallysync {
namespace {

class OutboundTest : public SyncTest {
 protected:
  nlohmann::json find_remote(const std::string& field, const std::string& value) {
    for (auto& r : remote())
      if (r.value(field, nlohmann::json()) == value) return r;
    ADD_FAILURE() << "no Connec! record with " << field << " = " << value;
    return {};
  }
  std::string connec_id_of(const nlohmann::json& r) { return mno::connec::find_connec_id(r["id"]).value_or(""); }
};

TEST_P(OutboundTest, CustomerCreateThenUpdateIsOneOrganization) {
  auto co = company("Acme", "cld-1");
  tally::CustomerInput in = customer_named("Globex");
  in.code = "GLX";
  in.email = "ap@globex.test";
  in.phone = "+33 1";
  in.website = "https://globex.test";
  in.billing = {"1 Main St", "", "Paris", "75001", "", "FR"};
  auto x = services->customers.create(co, in);
  ASSERT_TRUE(x.ok());
  drain_all(1);
  ASSERT_EQ(connec->record_count(), 1u);
  auto r = find_remote("name", "Globex");
  EXPECT_EQ(r["reference"], "GLX");
  EXPECT_EQ(r["is_customer"], true);
  EXPECT_EQ(r["email"]["address"], "ap@globex.test");
  EXPECT_EQ(r["address"]["billing"]["city"], "Paris");
  EXPECT_EQ(r["address"]["billing"]["postal_code"], "75001");
  EXPECT_EQ(mno::connec::find_own_id(r["id"], tally::sync::app_identity(co)), std::to_string(x->id));

  in.name = "Globex Corp";
  ASSERT_TRUE(services->customers.update(co, x->id, x->version, in).ok());
  drain_all(1);
  EXPECT_EQ(connec->record_count(), 1u);
  EXPECT_EQ(find_remote("name", "Globex Corp")["reference"], "GLX");
}

TEST_P(OutboundTest, ArchivedProductGoesOutInactive) {
  auto co = company("Acme", "cld-1");
  auto pin = product_named("Widget", "12.50");
  pin.code = "W1";
  pin.description = "blue";
  pin.tax_rate = "5.5";
  pin.unit = "item";
  auto p = services->products.create(co, pin);
  ASSERT_TRUE(p.ok());
  drain_all(1);
  auto r = find_remote("name", "Widget");
  EXPECT_EQ(r["sale_price"]["net_amount"], 12.5);
  EXPECT_EQ(r["sale_price"]["tax_rate"], 5.5);
  EXPECT_EQ(r["unit"], "item");
  EXPECT_EQ(r["status"], "ACTIVE");
  ASSERT_TRUE(services->products.archive(co, p->id, p->version).ok());
  drain_all(1);
  EXPECT_EQ(connec->record_count(), 1u);
  EXPECT_EQ(find_remote("name", "Widget")["status"], "INACTIVE");
}

TEST_P(OutboundTest, InvoiceWithReferencesAndLineIds) {
  spread_ids();
  auto co = company("Acme", "cld-1");
  auto cu = services->customers.create(co, customer_named("Globex"));
  auto ct = services->contacts.create(co, contact_named("Ann", "Lee", ""));
  auto pr = services->products.create(co, product_named("Widget", "10"));
  ASSERT_TRUE(cu.ok() && ct.ok() && pr.ok());
  tally::InvoiceInput in;
  in.customer_id = std::to_string(cu->id);
  in.contact_id = std::to_string(ct->id);
  in.issue_date = "2030-01-10";
  in.lines = {{std::to_string(pr->id), "", "2", "", ""}, {"", "Setup", "1", "5.00", "20"}};
  auto inv = services->invoices.create(co, in);
  ASSERT_TRUE(inv.ok()) << inv.error().message;
  drain_all(2);
  ASSERT_EQ(connec->record_count(), 4u);
  auto customer = find_remote("name", "Globex");
  auto product = find_remote("name", "Widget");
  auto contact = find_remote("first_name", "Ann");
  auto r = find_remote("type", "CUSTOMER");
  EXPECT_EQ(r["transaction_number"], inv->number);
  EXPECT_EQ(r["transaction_date"], "2030-01-10");
  EXPECT_EQ(r["status"], "DRAFT");
  EXPECT_EQ(mno::connec::find_connec_id(r["organization_id"]), connec_id_of(customer));
  EXPECT_EQ(mno::connec::find_connec_id(r["person_id"]), connec_id_of(contact));
  ASSERT_EQ(r["lines"].size(), 2u);
  EXPECT_EQ(mno::connec::find_connec_id(r["lines"][0]["item_id"]), connec_id_of(product));
  EXPECT_EQ(mno::connec::find_own_id(r["lines"][0]["id"], tally::sync::app_identity(co)), std::to_string(inv->id) + "-1");
  EXPECT_TRUE(r["lines"][1]["item_id"].is_null());
  EXPECT_EQ(r["lines"][1]["unit_price"]["net_amount"], 5.0);
  EXPECT_EQ(r["amount"]["total_amount"], 26.0);  // 2 x 10 + 5 + 20% of 5
  EXPECT_EQ(r["opts"]["sparse"], false);
}

TEST_P(OutboundTest, RecordWaitsForAReferenceNotInConnecYet) {
  // The customer exists before the company shares data: it has no outbox row and no Connec! id.
  spread_ids();
  auto co = company("Acme", "");
  auto cu = services->customers.create(co, customer_named("Globex"));
  ASSERT_TRUE(cu.ok());
  link(co, "cld-1");
  auto ct = services->contacts.create(co, contact_named("Ann", "", std::to_string(cu->id)));
  ASSERT_TRUE(ct.ok());
  auto rep = dispatcher->drain();
  ASSERT_TRUE(rep.ok());
  EXPECT_EQ(rep->retried, 1);  // waiting, not dead
  EXPECT_EQ(connec->record_count(), 0u);
  // Any later change of the customer sends it; then the contact goes out with the reference.
  ASSERT_TRUE(services->customers.update(co, cu->id, cu->version, customer_named("Globex")).ok());
  drain_all(3);
  ASSERT_EQ(connec->record_count(), 2u);
  auto contact = find_remote("first_name", "Ann");
  EXPECT_EQ(mno::connec::find_connec_id(contact["organization_id"]), connec_id_of(find_remote("name", "Globex")));
  auto counts = mno::sync::count_outbox(database());
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->dead, 0);
  EXPECT_EQ(counts->done, 2);
}

TEST_P(OutboundTest, TwoCompaniesStayApart) {
  auto a = company("A", "cld-1");
  auto b = company("B", "cld-2");
  ASSERT_TRUE(services->customers.create(a, customer_named("Same")).ok());
  ASSERT_TRUE(services->customers.create(b, customer_named("Same")).ok());
  drain_all(1);
  EXPECT_EQ(connec->record_count(), 2u);
  std::set<std::string> realms;
  for (auto& r : remote())
    for (auto& e : mno::connec::parse_id_array(r["id"]))
      if (e.provider == "tally") realms.insert(e.realm);
  EXPECT_EQ(realms, (std::set<std::string>{std::to_string(a), std::to_string(b)}));
  // Each went to its own group (in the URL, or in a batch op's URL).
  int to_1 = 0, to_2 = 0;
  for (auto& req : http->requests()) {
    if ((req.url + req.body).find("/cld-1/") != std::string::npos) ++to_1;
    if ((req.url + req.body).find("/cld-2/") != std::string::npos) ++to_2;
  }
  EXPECT_EQ(to_1, 1);
  EXPECT_EQ(to_2, 1);
}

TEST_P(OutboundTest, NoDuplicateAfterApplyThenDrop) {
  auto co = company("Acme", "cld-1");
  ASSERT_TRUE(services->customers.create(co, customer_named("Globex")).ok());
  connec->plan(synctest::Fault::apply_then_drop);
  drain_all(3);
  EXPECT_EQ(connec->record_count(), 1u);
  EXPECT_GE(connec->posts(), 2);
}

TALLY_INSTANTIATE_DATABASE_TESTS(OutboundTest);

}  // namespace
}  // namespace tallysync
