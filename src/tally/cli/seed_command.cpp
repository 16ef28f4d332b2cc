// `tally seed`: creates (or reuses) an account with a company and fills it with sample customers,
// products and invoices through the real services. Used by `make demo` (demo credentials) and by
// `make bench` (a company with 10,000 invoices); also handy for trying Tally by hand.
#include <CLI/CLI.hpp>

#include <iostream>

#include "mno/db/database.hpp"
#include "mno/db/migrations.hpp"
#include "mno/util/clock.hpp"
#include "mno/util/random.hpp"
#include "tally/app/settings.hpp"
#include "tally/cli/commands.hpp"
#include "tally/domain/account_service.hpp"
#include "tally/domain/api_token_service.hpp"
#include "tally/domain/customer.hpp"
#include "tally/domain/invoice.hpp"
#include "tally/domain/product.hpp"
#include "tally/store/schema.hpp"

namespace tally {
namespace {

struct SeedOptions {
  std::string email = "demo@tally.test";
  std::string password = "demo-password-123";
  std::string company = "Demo Trading Ltd";
  int customers = 12;
  int products = 8;
  int invoices = 30;
  bool api_token = false;
};

int fail(const std::string& what, const mno::Error& e) {
  std::cerr << "tally seed: " << what << ": " << e.message << " [" << e.code << "]\n";
  return 1;
}

int run_seed(Settings& settings, const SeedOptions& o) {
  if (auto s = finalise(settings); !s) return fail("settings", s.error());
  auto db = mno::db::open_database(settings.database);
  if (!db) return fail("cannot open the database", db.error());
  if (auto s = mno::db::migrate(**db, schema_migrations()); !s) return fail("migration failed", s.error());
  const auto& clock = mno::SystemClock::instance();
  auto& random = mno::SecureRandom::instance();
  NullChangeSink sink;
  PasswordHasher hasher;
  AccountService accounts(**db, clock, sink, hasher);

  int64_t user_id = 0, company_id = 0;
  auto existing = accounts.find_user_by_email(o.email);
  if (!existing) return fail("lookup", existing.error());
  if (*existing) {
    user_id = (*existing)->id;
    auto companies = accounts.memberships_of(user_id);
    if (!companies || companies->empty()) return fail("the existing user has no company", mno::make_error("seed.no_company", o.email));
    company_id = companies->front().company_id;
  } else {
    auto r = accounts.sign_up({o.email, o.password, "Dana", "Demo", o.company, "EUR", "Europe/Paris", "FR"});
    if (!r) return fail("sign-up", r.error());
    user_id = r->user.id;
    company_id = r->company.id;
  }

  CustomerService customers(**db, clock, sink);
  ProductService products(**db, clock, sink);
  InvoiceService invoices(**db, clock, sink);
  static const char* kNames[] = {"Northwind", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Acme", "Hooli",
                                 "Vandelay", "Soylent", "Cyberdyne", "Tyrell"};
  std::vector<int64_t> customer_ids, product_ids;
  for (int i = 0; i < o.customers; ++i) {
    CustomerInput in;
    in.name = std::string(kNames[i % 12]) + (i >= 12 ? " " + std::to_string(i / 12 + 1) : "") + " Ltd";
    in.email = "billing" + std::to_string(i) + "@example.com";
    in.billing.city = "Paris";
    in.billing.country = "FR";
    auto c = customers.create(company_id, in);
    if (!c) return fail("customer", c.error());
    customer_ids.push_back(c->id);
  }
  static const char* kProducts[] = {"Consulting hour", "Support plan", "Licence", "Training day", "Audit", "Hosting month",
                                    "Setup fee", "Design sprint"};
  for (int i = 0; i < o.products; ++i) {
    ProductInput in;
    in.name = std::string(kProducts[i % 8]) + (i >= 8 ? " " + std::to_string(i / 8 + 1) : "");
    in.sale_price = std::to_string(50 + 25 * (i % 8)) + ".00";
    in.tax_rate = "20";
    in.unit = i % 2 ? "item" : "hour";
    auto p = products.create(company_id, in);
    if (!p) return fail("product", p.error());
    product_ids.push_back(p->id);
  }
  for (int i = 0; i < o.invoices; ++i) {
    if (customer_ids.empty() || product_ids.empty()) break;
    InvoiceInput in;
    in.customer_id = std::to_string(customer_ids[i % customer_ids.size()]);
    in.lines.push_back({std::to_string(product_ids[i % product_ids.size()]), "", std::to_string(1 + i % 5), "", ""});
    in.lines.push_back({"", "Travel expenses", "1", std::to_string(10 + i % 90) + ".50", "10"});
    auto inv = invoices.create(company_id, in);
    if (!inv) return fail("invoice", inv.error());
    if (i % 3 != 2) {  // a realistic mix of statuses
      auto sent = invoices.change_status(company_id, inv->id, inv->version, "sent");
      if (!sent) return fail("invoice status", sent.error());
      if (i % 3 == 0) {
        auto paid = invoices.change_status(company_id, sent->id, sent->version, "paid");
        if (!paid) return fail("invoice status", paid.error());
      }
    }
    if ((i + 1) % 1000 == 0) std::cerr << "tally seed: " << (i + 1) << " of " << o.invoices << " invoices\n";
  }
  std::cout << "email=" << o.email << "\n" << "password=" << (*existing ? "(unchanged)" : o.password) << "\n"
            << "company_id=" << company_id << "\n";
  if (o.api_token) {
    ApiTokenService tokens(**db, clock, random);
    auto t = tokens.create(user_id, company_id, "seed");
    if (!t) return fail("api token", t.error());
    std::cout << "api_token=" << t->plaintext << "\n";
  }
  return 0;
}

}  // namespace

void add_seed_command(CLI::App& app, CommandRunner& run) {
  auto settings = std::make_shared<Settings>();
  auto o = std::make_shared<SeedOptions>();
  auto* cmd = app.add_subcommand("seed", "Create a demo account with sample customers, products and invoices");
  add_database_option(*cmd, *settings);
  cmd->add_option("--email", o->email, "Account email (reused when it exists)")->capture_default_str();
  cmd->add_option("--password", o->password, "Password for a new account")->capture_default_str();
  cmd->add_option("--company", o->company, "Company name for a new account")->capture_default_str();
  cmd->add_option("--customers", o->customers, "Customers to add")->capture_default_str()->check(CLI::Range(0, 100000));
  cmd->add_option("--products", o->products, "Products to add")->capture_default_str()->check(CLI::Range(0, 100000));
  cmd->add_option("--invoices", o->invoices, "Invoices to add")->capture_default_str()->check(CLI::Range(0, 1000000));
  cmd->add_flag("--api-token", o->api_token, "Also create an API token and print it");
  cmd->callback([settings, o, &run] { run = [settings, o] { return run_seed(*settings, *o); }; });
}

}  // namespace tally
