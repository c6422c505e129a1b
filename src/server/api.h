// The HTTP API of spec §6 (`/api/v1/…`, `/healthz`, `/metrics`, `/api/v1/openapi.json`) as one
// request handler for HttpServer: routes, sign-in, roles, optimistic concurrency, errors as
// {"error": {code, message, field}}. Every write goes through MutateWorkspace with the signed-in
// account's rights; reads are served from a workspace cache that follows the database.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "server/http.h"
#include "server/metrics.h"

namespace cascade {

struct ApiOptions {
  std::string db_url;
  int connections = 4;        // database connections kept open for requests
  bool bench_routes = false;  // also serve GET /bench/hello, the hello-world of bench/http_bench.sh
  bool secure_cookies = false;  // mark the session cookie Secure (behind an HTTPS proxy)
  int max_event_streams = 64;   // open GET /api/v1/events streams allowed (more: 503)
  // Today for ?as_of='s default and a check-in's date, the instant for sessions, sign-in limits,
  // tokens and history rows. Must outlive the Api.
  const Clock* clock = &SystemClock();
};

class Api {
 public:
  // Opens `connections` stores on options.db_url (migrating the schema).
  static Result<std::unique_ptr<Api>> Open(const ApiOptions& options);
  ~Api();
  Api(const Api&) = delete;
  Api& operator=(const Api&) = delete;

  // Answers one request; never throws for bad input (a handler's exception is HttpServer's 500).
  HttpResponse Handle(HttpRequest& request);

  Metrics& metrics();
  // The OpenAPI 3.1 document of exactly the routes served.
  std::string OpenApiJson() const;
  // Every route as (method, pattern), in table order.
  std::vector<std::pair<std::string, std::string>> Routes() const;

  struct State;

 private:
  explicit Api(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace cascade
