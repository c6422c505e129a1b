#include "server/api.h"

#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "core/mutex.h"
#include "core/validate.h"
#include "io/entity_json.h"

#include "server/api_internal.h"
#include "server/gzip.h"
#include "server/static_assets.h"

namespace cascade {
namespace {

using nlohmann::json;

constexpr int64_t kAuthCacheSeconds = 5;
// Bodies smaller than this go as they are: gzip would save next to nothing.
constexpr size_t kGzipMinBytes = 1024;

}  // namespace

// ---- AuthCache ----

std::optional<Principal> AuthCache::Find(const std::string& key, uint64_t version, int64_t now) {
  if (version == 0) return std::nullopt;
  MutexLock lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end() || it->second.version != version ||
      now - it->second.at >= kAuthCacheSeconds || now >= it->second.valid_until) {
    return std::nullopt;
  }
  return it->second.who;
}

void AuthCache::Put(const std::string& key, const Principal& who, uint64_t version, int64_t now,
                    int64_t valid_until) {
  if (version == 0) return;
  MutexLock lock(mu_);
  if (entries_.size() >= 4096) entries_.clear();
  entries_[key] = Entry{who, version, now, valid_until};
}

// ---- Call ----

Result<std::shared_ptr<const WorkspaceSnapshot>> Call::Snapshot() {
  if (snapshot) return snapshot;
  const auto started = std::chrono::steady_clock::now();
  auto snap = api.cache->Current(*store);
  api.metrics.AddDatabaseTime(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  if (snap) snapshot = *snap;
  return snap;
}

namespace {


// The store MutateWorkspace writes through: loads come from the workspace cache (a copy, without
// check-ins when the edit does not need them), writes go to the leased connection, and both
// count as database time.
class ServedStore final : public Store {
 public:
  explicit ServedStore(Call& call) : call_(call) {}
  Result<void> Migrate() override { return call_.store->Migrate(); }
  Result<Workspace> Load(const LoadOptions& options) override {
    // A write starts from the workspace as stored now, not as the request first saw it.
    call_.snapshot.reset();
    auto snap = call_.Snapshot();
    if (!snap) return snap.error();
    if (options.checkins) return (*snap)->ws();
    const Workspace& ws = (*snap)->entities();
    Workspace copy;
    copy.teams = ws.teams;
    copy.people = ws.people;
    copy.goals = ws.goals;
    copy.kpis = ws.kpis;
    copy.actions = ws.actions;
    copy.funnels = ws.funnels;
    copy.experiments = ws.experiments;
    copy.comments = ws.comments;
    copy.reviews = ws.reviews;
    copy.spend = ws.spend;
    copy.cycles = ws.cycles;
    return copy;
  }
  Result<Workspace> LoadScope(const ScopeRequest& request) override {
    return call_.store->LoadScope(request);
  }
  Result<Applied> Apply(const ChangeSet& changes, const std::string& actor) override {
    const auto started = std::chrono::steady_clock::now();
    // Through the cache, which moves to the snapshot after the write without loading it.
    auto r = call_.api.cache->Commit(*call_.store, changes, actor);
    call_.snapshot.reset();  // later reads in this request see the write
    call_.api.metrics.AddDatabaseTime(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    return r;
  }
  Result<std::vector<HistoryEntry>> History(const std::string& id) override {
    return call_.store->History(id);
  }
  Result<std::vector<HistoryEntry>> HistorySince(int64_t after_seq, size_t limit) override {
    return call_.store->HistorySince(after_seq, limit);
  }
  uint64_t DataVersion() override { return call_.store->DataVersion(); }
  Result<int> SchemaVersion() override { return call_.store->SchemaVersion(); }
  Result<void> Backup(const std::string& path) override { return call_.store->Backup(path); }
  AccountStore& accounts() override { return call_.store->accounts(); }

 private:
  Call& call_;
};

}  // namespace

Result<ChangeSet> Call::Mutate(const std::function<Result<void>(Workspace&)>& edit,
                               const LoadOptions& load, bool dry_run) {
  ServedStore served(*this);
  const Principal& principal = who;
  MutateOptions options;
  options.load = load;
  options.actor = who.account;
  options.dry_run = dry_run;
  options.authorize = [&principal](const Workspace& before, const ChangeSet& changes) {
    return AuthorizeChanges(before, changes, principal);
  };
  auto result = MutateWorkspace(served, edit, options);
  if (result && !dry_run) api.events->Wake();  // subscribers hear of it now, not at the next tick
  return result;
}

Result<ChangeSet> Call::Commit(const Operation& op, const ScopeRequest* scope) {
  // Unscoped: the snapshot's entities and its id index, not a copy with an index built again.
  if (scope == nullptr) return Commit(op);
  ServedStore served(*this);
  auto read = served.LoadScope(*scope);
  if (!read) return read.error();
  const WorkspaceIndex index(*read);
  return Committed(op(OperationContext{*read, index, &who}));
}

Result<ChangeSet> Call::Commit(const Operation& op) {
  // A write starts from the workspace as stored now, not as the request first saw it.
  snapshot.reset();
  auto snap = Snapshot();
  if (!snap) return snap.error();
  const std::shared_ptr<const WorkspaceSnapshot> current = *snap;
  return Committed(
      op(OperationContext{current->entities(), current->Index(), &who, &current->Links()}));
}

Result<ChangeSet> Call::Committed(Result<ChangeSet> result) {
  if (result && !result->empty()) {
    const auto started = std::chrono::steady_clock::now();
    // Through the cache, which moves to the snapshot after the write without loading it.
    auto applied = api.cache->Commit(*store, *result, who.account);
    snapshot.reset();  // later reads in this request see the write
    api.metrics.AddDatabaseTime(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    if (!applied) return applied.error();
    StampApplied(*result, *applied);
    api.events->Wake();  // subscribers hear of it now, not at the next tick
  }
  return result;
}

// ---- Responses ----

HttpResponse Guarded(const std::function<HttpResponse()>& handle, std::string_view method,
                     std::string_view route) {
  try {
    return handle();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cascade serve: unexpected failure handling %.*s %.*s: %s\n",
                 static_cast<int>(method.size()), method.data(), static_cast<int>(route.size()),
                 route.data(), e.what());
  } catch (...) {
    std::fprintf(stderr, "cascade serve: unexpected failure handling %.*s %.*s\n",
                 static_cast<int>(method.size()), method.data(), static_cast<int>(route.size()),
                 route.data());
  }
  return ErrorResponse(500, "internal", "the server failed; the request was not completed");
}

HttpResponse MemoResponse(const Call& call, const WorkspaceSnapshot& snapshot, const std::string& key,
                          const std::function<std::string()>& make, std::string content_type) {
  auto body = snapshot.Memo(key, make);
  HttpResponse res = JsonTextResponse(200, std::string());
  res.content_type = std::move(content_type);
  if (body->size() >= kGzipMinBytes) {
    res.AddHeader("Vary", "Accept-Encoding");
    if (AcceptsGzip(call.req.Header("accept-encoding"))) {
      // Keys start with a route's name, never with "gzip:": no clash with another body.
      // The best compression for what is sent often; a faster level for the very large.
      body = snapshot.Memo("gzip:" + key, [plain = body] {
        return Gzip(*plain, plain->size() <= (1u << 20) ? 9 : 6);
      });
      res.AddHeader("Content-Encoding", "gzip");
    }
  }
  res.shared_body = std::move(body);
  return res;
}

json ChangeSetJson(const ChangeSet& changes) {
  json list = json::array();
  for (const EntityChange& c : changes.changes) {
    const Entity& e = c.after ? *c.after : *c.before;
    json item = {{"op", ToString(c.op)}, {"kind", EntityKindName(e)}, {"id", EntityId(e)}};
    if (c.op == EntityChange::Op::kUpdate) {
      const json before = EntityToJson(*c.before);
      const json after = EntityToJson(*c.after);
      json fields = json::object();
      for (const auto& [key, value] : after.items()) {
        if (key == "version") continue;
        const json old = before.contains(key) ? before[key] : json(nullptr);
        if (old != value) fields[key] = {{"before", old}, {"after", value}};
      }
      item["fields"] = std::move(fields);
    }
    list.push_back(std::move(item));
  }
  return {{"changes", std::move(list)},
          {"checkins_added", changes.checkins.size()},
          {"comments_added", changes.comments.size()},
          {"reviews_added", changes.reviews.size()},
          {"spend_added", changes.spend.size()}};
}

// ---- System routes ----

void AddSystemRoutes(ApiRouter& router, bool bench_routes) {
  router.Add("GET", "/healthz",
             [](Call&) { return JsonTextResponse(200, R"({"status":"ok"})"); },
             {.summary = "Liveness: the server answers",
              .tag = "system",
              .response_schema = "Health",
              .authenticated = false,
              .uses_store = false});
  router.Add(
      "GET", "/metrics",
      [](Call& call) {
        HttpResponse res;
        res.content_type = "text/plain; version=0.0.4";
        res.body = call.api.metrics.Render();
        res.body +=
            "# HELP cascade_workspace_loads_total Whole loads of the workspace (the first, and "
            "after a write of another process).\n"
            "# TYPE cascade_workspace_loads_total counter\n"
            "cascade_workspace_loads_total " +
            std::to_string(call.api.cache->loads()) +
            "\n"
            "# HELP cascade_workspace_snapshots_total Snapshots made from this server's writes "
            "without loading.\n"
            "# TYPE cascade_workspace_snapshots_total counter\n"
            "cascade_workspace_snapshots_total " +
            std::to_string(call.api.cache->snapshots_made()) + "\n";
        return res;
      },
      {.summary = "Prometheus metrics: requests by route and status, latency, connections, "
                  "database time",
       .tag = "system",
       .errors = {401},
       .response_content_type = "text/plain"});
  router.Add(
      "GET", "/api/v1/openapi.json",
      [](Call& call) { return JsonResponse(200, OpenApiDocument(call.api.router)); },
      {.summary = "This API's OpenAPI 3.1 document",
       .tag = "system",
       .authenticated = false});
  router.Add(
      "GET", "/api/v1/events",
      [](Call& call) {
        std::optional<int64_t> last;
        const std::string_view header = call.req.Header("last-event-id");
        if (!header.empty() && header.size() < 19 &&
            header.find_first_not_of("0123456789") == std::string_view::npos) {
          last = std::stoll(std::string(header));
        }
        auto stream = call.api.events->Subscribe(last);
        if (!stream) {
          HttpResponse res = ErrorResponse(
              503, "unavailable",
              "too many open event streams: at most " +
                  std::to_string(call.api.events->options().max_streams) + "; try again later");
          res.AddHeader("Retry-After", "30");
          return res;
        }
        HttpResponse res;
        res.content_type = "text/event-stream; charset=utf-8";
        res.stream = std::move(stream);
        res.AddHeader("Cache-Control", "no-store");
        res.AddHeader("X-Content-Type-Options", "nosniff");
        res.AddHeader("X-Accel-Buffering", "no");  // nginx: pass each event on at once
        return res;
      },
      {.summary = "Live: a Server-Sent Events stream of what changed, one event per changed "
                  "entity ({\"kind\", \"id\", \"version\"}; {\"kind\": \"workspace\"} for "
                  "many), a \": ping\" comment every 15 s; Last-Event-ID after a reconnect",
       .tag = "system",
       .errors = {401, 503},
       .response_content_type = "text/event-stream"});
  if (bench_routes) {
    router.Add("GET", "/bench/hello",
               [](Call&) { return JsonTextResponse(200, R"({"hello":"world"})"); },
               {.summary = "Hello world, the reference of the HTTP benchmark (serve --bench-routes)",
                .tag = "system",
                .response_schema = "Health",
                .authenticated = false});
  }
}

// ---- Api ----

Api::Api(std::unique_ptr<State> state) : state_(std::move(state)) {}
Api::~Api() = default;

Result<std::unique_ptr<Api>> Api::Open(const ApiOptions& options) {
  auto state = std::make_unique<State>();
  state->options = options;
  const int n = std::max(1, options.connections);
  for (int i = 0; i < n; ++i) {
    auto store = OpenStore(options.db_url, *options.clock);
    if (!store) return store.error();
    state->pool.Add(std::move(*store));
  }
  state->cache = std::make_unique<WorkspaceCache>(options.db_url);
  {
    auto watcher = OpenStore(options.db_url);
    if (!watcher) return watcher.error();
    EventHubOptions events;
    events.max_streams = std::max(0, options.max_event_streams);
    state->events = std::make_unique<EventHub>(*state->cache, std::move(*watcher), events);
  }
  AddSystemRoutes(state->router, options.bench_routes);
  AddAuthRoutes(state->router);
  AddEntityRoutes(state->router);
  AddCheckinRoutes(state->router);
  AddComputedRoutes(state->router);
  AddPlanRoutes(state->router);
  return std::unique_ptr<Api>(new Api(std::move(state)));
}

Metrics& Api::metrics() { return state_->metrics; }

std::string Api::OpenApiJson() const { return OpenApiDocument(state_->router).dump(2); }

std::vector<std::pair<std::string, std::string>> Api::Routes() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& r : state_->router.routes()) out.emplace_back(r.method, r.pattern);
  return out;
}

HttpResponse Api::Handle(HttpRequest& req) {
  State& s = *state_;
  // HEAD is answered wherever GET is, as GET is: the server sends the header without the body.
  auto match = s.router.Find(req.method == "HEAD" ? "GET" : req.method, req.path);
  if (!match.route) {
    if (match.path_known) {
      std::string allowed;
      for (const auto& m : match.allowed) {
        allowed += (allowed.empty() ? "" : ", ") + m + (m == "GET" ? ", HEAD" : "");
      }
      HttpResponse res = ErrorResponse(405, "method_not_allowed",
                                       req.method + " is not allowed here; use " + allowed);
      res.AddHeader("Allow", allowed);
      return res;
    }
    // What no API route takes may be the dashboard's: its page, its files (static_assets.h).
    if (auto page = ServeDashboard(req)) return std::move(*page);
    return ErrorResponse(404, "not_found", "there is nothing at " + req.path);
  }
  req.params = std::move(match.params);
  const auto& route = *match.route;
  Store* store = route.doc.uses_store ? s.pool.Acquire() : nullptr;
  struct Release {
    StorePool& pool;
    Store* store;
    ~Release() {
      if (store != nullptr) pool.Release(store);
    }
  } release{s.pool, store};
  Call call{req, s, Principal{}, store};
  HttpResponse res;
  if (route.doc.authenticated) {
    auto who = Authenticate(call);
    if (!who) {
      res = ErrorResponse(who.error());
      res.route = route.pattern;
      return res;
    }
    call.who = std::move(*who);
  }
  // as_of is accepted by every route, also by those that compute nothing from it (lists,
  // history): it is held to the same dates everywhere, never taken as it came.
  if (req.query.count("as_of") > 0) {
    if (auto as_of = AsOfParam(req, call.Today()); !as_of) {
      res = ErrorResponse(as_of.error(), true);
      res.route = route.pattern;
      res.account = call.who.account;
      return res;
    }
  }
  res = Guarded([&] { return route.handler(call); }, req.method, route.pattern);
  res.route = route.pattern;
  res.account = call.who.account;
  return res;
}

}  // namespace cascade
