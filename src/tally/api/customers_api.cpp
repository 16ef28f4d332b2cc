// See customers_api.hpp.
#include "tally/api/customers_api.hpp"

#include "tally/api/api_context.hpp"
#include "tally/api/api_json.hpp"

namespace tally::api {

void add_customers_api(web::Router& router, Services& services) {
  add_api_route(router, services, "GET", "/api/v1/customers", [](ApiContext& ctx) -> mno::Result<ApiReply> {
    auto q = ctx.list_query();
    if (!q) return q.error();
    auto page = ctx.services.customers.list(ctx.company_id(), *q);
    if (!page) return page.error();
    return ApiReply{200, page_json(*page), {}};
  });

  add_api_route(router, services, "GET", "/api/v1/customers/{id}", [](ApiContext& ctx) -> mno::Result<ApiReply> {
    auto id = ctx.id_param();
    if (!id) return id.error();
    auto c = ctx.services.customers.get(ctx.company_id(), *id);
    if (!c) return c.error();
    return record_reply(record_json(*c), c->version);
  });

  add_api_route(router, services, "POST", "/api/v1/customers", [](ApiContext& ctx) -> mno::Result<ApiReply> {
    auto body = ctx.json_body();
    if (!body) return body.error();
    auto in = customer_input(*body);
    if (!in) return in.error();
    auto c = ctx.services.customers.create(ctx.company_id(), *in);
    if (!c) return c.error();
    auto reply = record_reply(record_json(*c), c->version, 201);
    reply.headers.emplace_back("Location", "/api/v1/customers/" + std::to_string(c->id));
    return reply;
  });

  add_api_route(router, services, "PUT", "/api/v1/customers/{id}", [](ApiContext& ctx) -> mno::Result<ApiReply> {
    auto id = ctx.id_param();
    if (!id) return id.error();
    auto body = ctx.json_body();
    if (!body) return body.error();
    auto version = ctx.expected_version(*body);
    if (!version) return version.error();
    auto in = customer_input(*body);
    if (!in) return in.error();
    auto c = ctx.services.customers.update(ctx.company_id(), *id, *version, *in);
    if (!c) return c.error();
    return record_reply(record_json(*c), c->version);
  });

  add_api_route(router, services, "POST", "/api/v1/customers/{id}/archive", [](ApiContext& ctx) -> mno::Result<ApiReply> {
    auto id = ctx.id_param();
    if (!id) return id.error();
    auto body = ctx.json_body(false);
    if (!body) return body.error();
    auto version = ctx.expected_version(*body);
    if (!version) return version.error();
    auto c = ctx.services.customers.archive(ctx.company_id(), *id, *version);
    if (!c) return c.error();
    return record_reply(record_json(*c), c->version);
  });
}

}  // namespace tally::api
