// See products_api.hpp.
#include "tally/api/products_api.hpp"

#include "tally/api/record_api.hpp"

namespace tally::api {

void add_products_api(web::Router& router, Services& services) {
  add_record_api(router, services,
                 RecordApiSpec<ProductService, ProductInput, ListQuery>{"products", &Services::products, &product_input,
                                                                        &plain_list_query});
}

}  // namespace tally::api
