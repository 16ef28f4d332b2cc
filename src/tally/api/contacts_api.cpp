// See contacts_api.hpp.
#include "tally/api/contacts_api.hpp"

#include "tally/api/record_api.hpp"

namespace tally::api {
namespace {

// Contacts filter by customer_id as well.
mno::Result<ContactListQuery> contact_list_query(ApiContext& ctx) {
  auto q = ctx.list_query();
  if (!q) return q.error();
  auto customer_id = ctx.id_query_param("customer_id");
  if (!customer_id) return customer_id.error();
  return ContactListQuery{*q, *customer_id};
}

}  // namespace

void add_contacts_api(web::Router& router, Services& services) {
  add_record_api(router, services,
                 RecordApiSpec<ContactService, ContactInput, ContactListQuery>{"contacts", &Services::contacts, &contact_input,
                                                                               &contact_list_query});
}

}  // namespace tally::api
