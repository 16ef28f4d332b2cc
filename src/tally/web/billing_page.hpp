// The billing page (/app/billing: plan, trial end, next charge, every ledger row with its platform
// status; admins choose the plan and seats) and the paid in-app action "send a reminder by SMS" on
// an invoice (POST /app/invoices/{id}/sms-reminder, billed through the ledger).
#pragma once
#include "tally/app/services.hpp"
#include "web/router.hpp"

namespace tally {

void add_billing_pages(web::Router& router, Services& services);

}  // namespace tally
