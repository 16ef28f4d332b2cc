// See invoices_api.hpp.
#include "tally/api/invoices_api.hpp"

#include "tally/api/record_api.hpp"

namespace tally::api {

namespace {

// Invoices filter by status and customer_id as well.
mno::Result<InvoiceListQuery> invoice_list_query(ApiContext& ctx) {
  auto q = ctx.list_query();
  if (!q) return q.error();
  auto customer_id = ctx.id_query_param("customer_id");
  if (!customer_id) return customer_id.error();
  return InvoiceListQuery{*q, ctx.req.query_param("status").value_or(""), *customer_id};
}

}  // namespace

void add_invoices_api(web::Router& router, Services& services) {
  add_record_api(router, services,
                 RecordApiSpec<InvoiceService, InvoiceInput, InvoiceListQuery>{"invoices", &Services::invoices, &invoice_input,
                                                                               &invoice_list_query});

  add_api_route(router, services, "POST", "/api/v1/invoices/{id}/status", [](ApiContext& ctx) -> mno::Result<ApiReply> {
    auto id = ctx.id_param();
    if (!id) return id.error();
    auto body = ctx.json_body();
    if (!body) return body.error();
    auto version = ctx.expected_version(*body);
    if (!version) return version.error();
    auto status = status_input(*body);
    if (!status) return status.error();
    auto c = ctx.services.invoices.change_status(ctx.company_id(), *id, *version, *status);
    if (!c) return c.error();
    return record_reply(record_json(*c), c->version);
  });
}

}  // namespace tally::api
