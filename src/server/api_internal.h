// What the api_*.cc files share: the state behind Api, the per-request Call, and the helpers that
// turn errors, bodies and query parameters into responses. Not for use outside src/server/.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/changeset.h"
#include "core/date.h"
#include "core/error.h"
#include "core/model.h"
#include "core/mutex.h"
#include "core/operations.h"
#include "core/permissions.h"
#include "core/rollup.h"
#include "server/api.h"
#include "server/events.h"
#include "server/http.h"
#include "server/metrics.h"
#include "server/router.h"
#include "server/workspace_cache.h"
#include "store/mutate.h"
#include "store/store.h"

// Route tables are written with designated initializers that leave most RouteDoc fields at their
// defaults on purpose; g++ 12 warns about each one under -Wextra.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace cascade {

struct Call;
using ApiHandler = std::function<HttpResponse(Call&)>;
using ApiRouter = Router<ApiHandler>;

// A fixed set of open stores handed out one request at a time.
class StorePool {
 public:
  void Add(std::unique_ptr<Store> store) EXCLUDES(mu_) {
    MutexLock lock(mu_);
    free_.push_back(store.get());
    all_.push_back(std::move(store));
  }
  Store* Acquire() EXCLUDES(mu_) {
    MutexLock lock(mu_);
    while (free_.empty()) cv_.Wait(mu_);
    Store* s = free_.back();
    free_.pop_back();
    return s;
  }
  void Release(Store* s) EXCLUDES(mu_) {
    {
      MutexLock lock(mu_);
      free_.push_back(s);
    }
    cv_.NotifyOne();
  }

 private:
  Mutex mu_;
  CondVar cv_;
  std::vector<Store*> free_ GUARDED_BY(mu_);
  std::vector<std::unique_ptr<Store>> all_ GUARDED_BY(mu_);
};

// Remembers who a set of credentials authenticated as, while the database is unchanged (a revoked
// token or a deleted session changes it), for a few seconds at most, and never past `valid_until`
// (a session's expiry: a cached sign-in must not outlive it).
class AuthCache {
 public:
  std::optional<Principal> Find(const std::string& key, uint64_t version, int64_t now)
      EXCLUDES(mu_);
  void Put(const std::string& key, const Principal& who, uint64_t version, int64_t now,
           int64_t valid_until) EXCLUDES(mu_);

 private:
  struct Entry {
    Principal who;
    uint64_t version = 0;
    int64_t at = 0;
    int64_t valid_until = 0;
  };
  Mutex mu_;
  std::map<std::string, Entry> entries_ GUARDED_BY(mu_);
};

struct Api::State {
  ApiOptions options;
  StorePool pool;
  std::unique_ptr<WorkspaceCache> cache;
  Metrics metrics;
  AuthCache auth_cache;
  ApiRouter router;
  std::unique_ptr<EventHub> events;  // after `cache`, which it watches: destroyed before it
};

// One request being handled: the request, who made it, and the API's state.
struct Call {
  HttpRequest& req;
  Api::State& api;
  Principal who;        // set for authenticated routes
  Store* store = nullptr;  // leased for the request
  // The workspace this request reads, once it has asked (Snapshot); dropped by its own writes.
  std::shared_ptr<const WorkspaceSnapshot> snapshot;

  // The workspace as stored when the request first asks (cached while unchanged): one database
  // check a request, and one consistent view for its authentication and its reads.
  Result<std::shared_ptr<const WorkspaceSnapshot>> Snapshot();
  // Loads the whole workspace, edits a copy, validates, authorizes `who`, applies: the write path
  // of a plan applied, whose input is the whole workspace.
  Result<ChangeSet> Mutate(const std::function<Result<void>(Workspace&)>& edit,
                           const LoadOptions& load = {}, bool dry_run = false);
  // Runs a named operation (core/operations.h) as `who` on the workspace as stored now (the cached
  // snapshot and its indexes, never a copy) and applies the ChangeSet it returns: the write path of
  // the edits that have one. While `op` runs, `snapshot` is the one it reads. Errors map as
  // Mutate's do.
  Result<ChangeSet> Commit(const Operation& op);
  // The same for an operation that edits a copy of what it reads (core/entity_operations.h): it
  // reads the part of the workspace `scope` names, from the database, or, when `scope` is null,
  // the whole cached workspace without check-ins.
  Result<ChangeSet> Commit(const Operation& op, const ScopeRequest* scope);
  // Applies what an operation returned (through the cache) and maps its errors.
  Result<ChangeSet> Committed(Result<ChangeSet> result);

  // The API's clock (ApiOptions::clock): today in UTC, and the instant in seconds since 1970.
  Date Today() const { return api.options.clock->Today(); }
  int64_t Now() const { return api.options.clock->NowUnix(); }
};

// ---- Responses ----

// What `handle` answers; an exception it throws becomes a 500 with a generic message, the details
// going to stderr with the method and route. Api::Handle runs every route's handler through it,
// so that the access log and the metrics still carry the route and the account of a failure.
HttpResponse Guarded(const std::function<HttpResponse()>& handle, std::string_view method,
                     std::string_view route);

// The HTTP status an Error means (the one place: 400/401/403/404/409/422/429/500/503). Invalid
// input is 422 unless `bad_request` (the body or a parameter could not be read at all: 400).
int StatusFor(const Error& error, bool bad_request = false);
HttpResponse ErrorResponse(const Error& error, bool bad_request = false);
// {"error": {"code", "message", "field"}} with an explicit status and code.
HttpResponse ErrorResponse(int status, std::string code, std::string message,
                           std::string field = {});
HttpResponse JsonResponse(int status, const nlohmann::json& body);
// Compact JSON text; bytes that are not UTF-8 (in names typed on a command line, say) become
// U+FFFD rather than an exception.
std::string DumpJson(const nlohmann::json& body);
HttpResponse JsonTextResponse(int status, std::string body);
// 200 with a body computed once per workspace snapshot and `key` (the same query on the same
// workspace gives the same bytes), gzip-encoded, also once, when the client accepts it and the
// body is large enough to gain from it.
HttpResponse MemoResponse(const Call& call, const WorkspaceSnapshot& snapshot, const std::string& key,
                          const std::function<std::string()>& make,
                          std::string content_type = "application/json");
// ETag of an entity version: "\"7\"".
std::string ETagFor(int64_t version);

// ---- Requests ----

// The media type of a Content-Type header ("application/json"), lower case, without parameters.
std::string MediaType(std::string_view header);
// The body as JSON. Refuses (a ready response in `refusal`) a content type other than
// application/json or a "+json" type (415), malformed JSON or nesting deeper than 64 (400).
std::optional<nlohmann::json> JsonBody(const HttpRequest& req, HttpResponse& refusal);
// ?as_of=YYYY-MM-DD, else `today` (Call::Today).
Result<Date> AsOfParam(const HttpRequest& req, Date today);
// An optional numeric / integer / boolean query parameter; Errors name the parameter.
Result<std::optional<double>> NumberParam(const HttpRequest& req, const std::string& name);
Result<std::optional<int64_t>> IntParam(const HttpRequest& req, const std::string& name,
                                        int64_t min, int64_t max);
Result<bool> BoolParam(const HttpRequest& req, const std::string& name);
// The version an update must match: If-Match, else the body's `version`; nullopt when neither.
Result<std::optional<int64_t>> ExpectedVersion(const HttpRequest& req, const nlohmann::json* body);

// {"changes": [...], "checkins_added", "comments_added", "reviews_added"}: what a write did, as
// `apply --json` prints it.
nlohmann::json ChangeSetJson(const ChangeSet& changes);

// ---- Route groups, one file each ----
void AddEntityRoutes(ApiRouter& router);    // api_entities.cc
void AddCheckinRoutes(ApiRouter& router);   // api_checkins.cc: check-ins and comments
void AddComputedRoutes(ApiRouter& router);  // api_computed.cc: status, lint, history
void AddInsightRoutes(ApiRouter& router);   // api_insights.cc: review, correlation, funnels, …
void AddPlanRoutes(ApiRouter& router);      // api_plans.cc: export, apply
void AddAuthRoutes(ApiRouter& router);      // api_auth.cc: login, logout, me
void AddSystemRoutes(ApiRouter& router, bool bench_routes);  // api.cc: healthz, metrics, openapi

// Authenticates a request (bearer token or session cookie with CSRF), in api_auth.cc.
Result<Principal> Authenticate(Call& call);

// The OpenAPI document for a route table, in openapi.cc.
nlohmann::json OpenApiDocument(const ApiRouter& router);

}  // namespace cascade
