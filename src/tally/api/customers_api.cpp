// See customers_api.hpp.
#include "tally/api/customers_api.hpp"

#include "tally/api/record_api.hpp"

namespace tally::api {

void add_customers_api(web::Router& router, Services& services) {
  add_record_api(router, services,
                 RecordApiSpec<CustomerService, CustomerInput, ListQuery>{"customers", &Services::customers, &customer_input,
                                                                          &plain_list_query});
}

}  // namespace tally::api
