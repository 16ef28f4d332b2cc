// See contacts_api.hpp.
#include "tally/api/contacts_api.hpp"

#include "tally/api/api_context.hpp"
#include "tally/api/api_json.hpp"

namespace tally::api {

void add_contacts_api(web::Router& router, Services& services) {
  add_api_route(router, services, "GET", "/api/v1/contacts", [](ApiContext& ctx) -> mno::Result<ApiReply> {
    auto q = ctx.list_query();
    if (!q) return q.error();
    auto customer_id = ctx.id_query_param("customer_id");
    if (!customer_id) return customer_id.error();
    auto page = ctx.services.contacts.list(ctx.company_id(), ContactListQuery{*q, *customer_id});
    if (!page) return page.error();
    return ApiReply{200, page_json(*page), {}};
  });

  add_api_route(router, services, "GET", "/api/v1/contacts/{id}", [](ApiContext& ctx) -> mno::Result<ApiReply> {
    auto id = ctx.id_param();
    if (!id) return id.error();
    auto c = ctx.services.contacts.get(ctx.company_id(), *id);
    if (!c) return c.error();
    return record_reply(record_json(*c), c->version);
  });

  add_api_route(router, services, "POST", "/api/v1/contacts", [](ApiContext& ctx) -> mno::Result<ApiReply> {
    auto body = ctx.json_body();
    if (!body) return body.error();
    auto in = contact_input(*body);
    if (!in) return in.error();
    auto c = ctx.services.contacts.create(ctx.company_id(), *in);
    if (!c) return c.error();
    auto reply = record_reply(record_json(*c), c->version, 201);
    reply.headers.emplace_back("Location", "/api/v1/contacts/" + std::to_string(c->id));
    return reply;
  });

  add_api_route(router, services, "PUT", "/api/v1/contacts/{id}", [](ApiContext& ctx) -> mno::Result<ApiReply> {
    auto id = ctx.id_param();
    if (!id) return id.error();
    auto body = ctx.json_body();
    if (!body) return body.error();
    auto version = ctx.expected_version(*body);
    if (!version) return version.error();
    auto in = contact_input(*body);
    if (!in) return in.error();
    auto c = ctx.services.contacts.update(ctx.company_id(), *id, *version, *in);
    if (!c) return c.error();
    return record_reply(record_json(*c), c->version);
  });

  add_api_route(router, services, "POST", "/api/v1/contacts/{id}/archive", [](ApiContext& ctx) -> mno::Result<ApiReply> {
    auto id = ctx.id_param();
    if (!id) return id.error();
    auto body = ctx.json_body(false);
    if (!body) return body.error();
    auto version = ctx.expected_version(*body);
    if (!version) return version.error();
    auto c = ctx.services.contacts.archive(ctx.company_id(), *id, *version);
    if (!c) return c.error();
    return record_reply(record_json(*c), c->version);
  });
}

}  // namespace tally::api
