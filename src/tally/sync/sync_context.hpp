// Tally's data-sharing parts, built once per process by TallyApp and reachable from Services::sync: the tenant
// directory, the four entity adapters (customers, contacts, products, invoices) and the outbox sink. The jobs
// (sync_jobs.hpp), the notifications route and the import use these, never their own copies.
#pragma once
#include <memory>

#include "mno/config/registry.hpp"
#include "mno/db/database.hpp"
#include "mno/http/http_client.hpp"
#include "mno/sync/adapter.hpp"
#include "mno/util/clock.hpp"
#include "tally/domain/contact.hpp"
#include "tally/domain/customer.hpp"
#include "tally/domain/invoice.hpp"
#include "tally/domain/product.hpp"
#include "tally/sync/outbox_sink.hpp"
#include "tally/sync/tenant_directory.hpp"

namespace tally::sync {

struct SyncContext {
  std::shared_ptr<TallyTenantDirectory> directory;
  std::shared_ptr<mno::sync::AdapterRegistry> adapters;
  std::shared_ptr<OutboxChangeSink> sink;  // the same sink the domain services were built with
};

// The registry of Tally's four adapters over the given services (which must outlive it).
std::shared_ptr<mno::sync::AdapterRegistry> make_adapters(CustomerService& customers, ContactService& contacts,
                                                          ProductService& products, InvoiceService& invoices);

}  // namespace tally::sync
