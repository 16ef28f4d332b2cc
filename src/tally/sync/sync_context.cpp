// See sync_context.hpp.
#include "tally/sync/sync_context.hpp"

#include "tally/sync/contact_adapter.hpp"
#include "tally/sync/customer_adapter.hpp"
#include "tally/sync/invoice_adapter.hpp"
#include "tally/sync/product_adapter.hpp"

namespace tally::sync {

std::shared_ptr<mno::sync::AdapterRegistry> make_adapters(CustomerService& customers, ContactService& contacts,
                                                          ProductService& products, InvoiceService& invoices) {
  auto registry = std::make_shared<mno::sync::AdapterRegistry>();
  registry->add(std::make_shared<CustomerAdapter>(customers));
  registry->add(std::make_shared<ContactAdapter>(contacts));
  registry->add(std::make_shared<ProductAdapter>(products));
  registry->add(std::make_shared<InvoiceAdapter>(invoices));
  return registry;
}

}  // namespace tally::sync
