// An in-memory Account API (spec 5.2-5.3: bills and recurring bills; create, list by group, cancel)
// behind a FakeHttpClient, with the faults the billing worker must survive: the next creates answer
// 500, or are applied and then lose their answer ("apply then drop"), or are refused (400).
#pragma once
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "mno/http/fake_http_client.hpp"

namespace billingtest {

class FakeAccountPlatform {
 public:
  // Answers every request of `http` for api host `base` ("http://platform.test/api/v1/").
  FakeAccountPlatform(mno::http::FakeHttpClient& http, std::string base);

  enum class Fault { none, server_error, apply_then_drop, drop_before_apply, reject };
  // The next `count` creates (bill or recurring bill) get this fault.
  void fail_next_creates(Fault fault, int count = 1);
  void unreachable(bool down);  // every request fails before reaching the platform
  int invoice_submitted_bills();  // the platform's invoicing run: submitted bills become invoiced

  std::vector<nlohmann::json> bills() const;
  std::vector<nlohmann::json> recurring_bills() const;
  int create_calls() const;
  int list_calls() const;

 private:
  mno::Result<mno::http::Response> handle(const mno::http::Request& r);

  std::string base_;
  mutable std::mutex mu_;
  std::vector<nlohmann::json> bills_;
  std::vector<nlohmann::json> recurring_;
  Fault fault_ = Fault::none;
  int fault_count_ = 0;
  bool down_ = false;
  int creates_ = 0;
  int lists_ = 0;
  int next_id_ = 1;
};

}  // namespace billingtest
