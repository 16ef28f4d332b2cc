// The standard record endpoints of the JSON API — list, get, create, update (full replacement with
// the expected version) and archive — defined once for every entity. Each entity only says which
// service, which input parser and which list query it uses, so the four collections behave the same
// and a fix lands in all of them at once.
#pragma once
#include <string>

#include "tally/api/api_context.hpp"
#include "tally/api/api_json.hpp"

namespace tally::api {

template <class ServiceT, class InputT, class QueryT>
struct RecordApiSpec {
  std::string collection;     // URL segment: "customers"
  ServiceT Services::*service;  // &Services::customers
  mno::Result<InputT> (*parse_input)(const nlohmann::json& body);
  mno::Result<QueryT> (*list_query)(ApiContext& ctx);  // the entity's list query with its filters
};

template <class ServiceT, class InputT, class QueryT>
void add_record_api(web::Router& router, Services& services, RecordApiSpec<ServiceT, InputT, QueryT> spec) {
  const std::string base = "/api/v1/" + spec.collection;

  add_api_route(router, services, "GET", base, [spec](ApiContext& ctx) -> mno::Result<ApiReply> {
    auto q = spec.list_query(ctx);
    if (!q) return q.error();
    auto page = (ctx.services.*spec.service).list(ctx.company_id(), *q);
    if (!page) return page.error();
    return ApiReply{200, page_json(*page), {}};
  });

  add_api_route(router, services, "GET", base + "/{id}", [spec](ApiContext& ctx) -> mno::Result<ApiReply> {
    auto id = ctx.id_param();
    if (!id) return id.error();
    auto r = (ctx.services.*spec.service).get(ctx.company_id(), *id);
    if (!r) return r.error();
    return record_reply(record_json(*r), r->version);
  });

  add_api_route(router, services, "POST", base, [spec, base](ApiContext& ctx) -> mno::Result<ApiReply> {
    auto body = ctx.json_body();
    if (!body) return body.error();
    auto in = spec.parse_input(*body);
    if (!in) return in.error();
    auto r = (ctx.services.*spec.service).create(ctx.company_id(), *in);
    if (!r) return r.error();
    auto reply = record_reply(record_json(*r), r->version, 201);
    reply.headers.emplace_back("Location", base + "/" + std::to_string(r->id));
    return reply;
  });

  add_api_route(router, services, "PUT", base + "/{id}", [spec](ApiContext& ctx) -> mno::Result<ApiReply> {
    auto id = ctx.id_param();
    if (!id) return id.error();
    auto body = ctx.json_body();
    if (!body) return body.error();
    auto version = ctx.expected_version(*body);
    if (!version) return version.error();
    auto in = spec.parse_input(*body);
    if (!in) return in.error();
    auto r = (ctx.services.*spec.service).update(ctx.company_id(), *id, *version, *in);
    if (!r) return r.error();
    return record_reply(record_json(*r), r->version);
  });

  add_api_route(router, services, "POST", base + "/{id}/archive", [spec](ApiContext& ctx) -> mno::Result<ApiReply> {
    auto id = ctx.id_param();
    if (!id) return id.error();
    auto body = ctx.json_body(false);
    if (!body) return body.error();
    auto version = ctx.expected_version(*body);
    if (!version) return version.error();
    auto r = (ctx.services.*spec.service).archive(ctx.company_id(), *id, *version);
    if (!r) return r.error();
    return record_reply(record_json(*r), r->version);
  });
}

// The plain list query (search, sort, paging, archived) for entities without extra filters.
inline mno::Result<ListQuery> plain_list_query(ApiContext& ctx) { return ctx.list_query(); }

}  // namespace tally::api
