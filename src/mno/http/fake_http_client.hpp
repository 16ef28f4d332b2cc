// In-memory HttpClient for unit tests of libmno and of apps built on it: scripted responses matched by
// method + URL (or a catch-all handler), transport errors on demand, and a record of every request sent.
#pragma once
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "mno/http/http_client.hpp"

namespace mno::http {

class FakeHttpClient final : public HttpClient {
 public:
  using Handler = std::function<Result<Response>(const Request&)>;

  // Scripts the outcome for an exact method + URL (query included). Scripting the same route several
  // times queues the outcomes: each call consumes one, and the last one keeps answering.
  void on(std::string method, std::string url, Response response) { push(std::move(method), std::move(url), Outcome{std::move(response)}); }
  void on(std::string method, std::string url, Error transport_error) { push(std::move(method), std::move(url), Outcome{std::move(transport_error)}); }
  void on(std::string method, std::string url, Handler handler) { push(std::move(method), std::move(url), Outcome{std::move(handler)}); }
  // Answers every request no route matches; without one, an unmatched request is an "http.transport" error.
  void set_fallback(Handler handler) {
    std::lock_guard lock(mu_);
    fallback_ = std::move(handler);
  }

  Result<Response> send(const Request& request) override {
    Outcome outcome;
    Handler fallback;
    {
      std::lock_guard lock(mu_);
      requests_.push_back(request);
      auto it = routes_.find({request.method, request.url});
      if (it == routes_.end()) {
        fallback = fallback_;
      } else {
        outcome = it->second.size() > 1 ? pop(it->second) : it->second.front();
      }
    }
    if (std::holds_alternative<std::monostate>(outcome)) {
      if (fallback) return fallback(request);
      return make_error("http.transport", "FakeHttpClient: nothing scripted for " + request.method + " " + request.url);
    }
    if (auto* r = std::get_if<Response>(&outcome)) return *r;
    if (auto* e = std::get_if<Error>(&outcome)) return *e;
    return std::get<Handler>(outcome)(request);  // called unlocked: a handler may script further routes
  }

  std::vector<Request> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }
  size_t request_count() const {
    std::lock_guard lock(mu_);
    return requests_.size();
  }
  // Precondition: at least one request was sent.
  Request last_request() const {
    std::lock_guard lock(mu_);
    return requests_.back();
  }
  void clear() {
    std::lock_guard lock(mu_);
    routes_.clear();
    requests_.clear();
    fallback_ = nullptr;
  }

  static Response text_response(int status, std::string body, std::string content_type = "text/plain") {
    Response r;
    r.status = status;
    r.headers.emplace_back("content-type", std::move(content_type));
    r.body = std::move(body);
    return r;
  }
  static Response json_response(int status, const nlohmann::json& body) {
    return text_response(status, body.dump(), "application/json");
  }

 private:
  using Outcome = std::variant<std::monostate, Response, Error, Handler>;
  static Outcome pop(std::deque<Outcome>& q) {
    Outcome o = std::move(q.front());
    q.pop_front();
    return o;
  }
  void push(std::string method, std::string url, Outcome o) {
    std::lock_guard lock(mu_);
    routes_[{std::move(method), std::move(url)}].push_back(std::move(o));
  }

  mutable std::mutex mu_;
  std::map<std::pair<std::string, std::string>, std::deque<Outcome>> routes_;
  std::vector<Request> requests_;
  Handler fallback_;
};

}  // namespace mno::http
