// Connec! notifications (connec.md 3): POST /maestrano/connec/notifications/{marketplace} (and
// /maestrano/connec/notifications when exactly one marketplace is configured). HTTP Basic api.id:api.key of that
// marketplace, checked before the body is read (401, the same for every failure); 400 for a body that is not a
// notification. Every record addressed to a group of ours, in a collection Tally shares, is stored in the inbox
// (deduplicated, all in one transaction) and acknowledged with 200; records of unknown groups or collections are
// logged and skipped. The inbox job applies them later (it is nudged).
#pragma once
#include "tally/app/services.hpp"
#include "web/router.hpp"

namespace tally {

void add_connec_notification_routes(web::Router& router, Services& services);

}  // namespace tally
