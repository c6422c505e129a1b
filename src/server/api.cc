#include "server/api.h"

#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "core/validate.h"
#include "io/entity_json.h"

#include "server/api_internal.h"
#include "server/gzip.h"
#include "server/static_assets.h"

namespace cascade {
namespace {

using nlohmann::json;

constexpr int kMaxJsonDepth = 64;
constexpr int64_t kAuthCacheSeconds = 5;
// Bodies smaller than this go as they are: gzip would save next to nothing.
constexpr size_t kGzipMinBytes = 1024;

// True when `text` nests arrays and objects deeper than `limit` (strings are skipped).
bool TooDeep(std::string_view text, int limit) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return true;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return false;
}

// "the body is not valid JSON at byte 14: …" from nlohmann's "[json.exception.parse_error.101]
// parse error at line 1, column 14: syntax error while parsing …": the byte counts from 1.
std::string JsonSyntaxMessage(const json::parse_error& e) {
  std::string_view what = e.what();
  const size_t detail = what.find(": ");
  what = detail == std::string_view::npos ? std::string_view() : what.substr(detail + 2);
  return "the body is not valid JSON at byte " + std::to_string(e.byte) +
         (what.empty() ? "" : ": " + std::string(what));
}

std::string_view ErrorCodeName(int status) {
  switch (status) {
    case 400:
    case 422:
      return "invalid";
    case 401:
      return "unauthenticated";
    case 403:
      return "forbidden";
    case 404:
      return "not_found";
    case 405:
      return "method_not_allowed";
    case 409:
      return "conflict";
    case 413:
      return "too_large";
    case 415:
      return "unsupported_media_type";
    case 429:
      return "rate_limited";
    case 503:
      return "unavailable";
    default:
      return "internal";
  }
}

}  // namespace

// ---- AuthCache ----

std::optional<Principal> AuthCache::Find(const std::string& key, uint64_t version, int64_t now) {
  if (version == 0) return std::nullopt;
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end() || it->second.version != version ||
      now - it->second.at >= kAuthCacheSeconds) {
    return std::nullopt;
  }
  return it->second.who;
}

void AuthCache::Put(const std::string& key, const Principal& who, uint64_t version, int64_t now) {
  if (version == 0) return;
  std::lock_guard lock(mu_);
  if (entries_.size() >= 4096) entries_.clear();
  entries_[key] = Entry{who, version, now};
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
                               const LoadOptions& load, bool dry_run,
                               const std::vector<Entity>* addressed, const ScopeRequest* scope) {
  ServedStore served(*this);
  const Principal& principal = who;
  MutateOptions options;
  options.load = load;
  options.actor = who.account;
  options.dry_run = dry_run;
  options.addressed = addressed;
  options.scope = scope;
  options.authorize = [&principal](const Workspace& before, const ChangeSet& changes) {
    return AuthorizeChanges(before, changes, principal);
  };
  auto result = MutateWorkspace(served, edit, options);
  if (result && !dry_run) api.events->Wake();  // subscribers hear of it now, not at the next tick
  if (!result && result.error().code == ErrorCode::kNotFound && result.error().field != "id" &&
      result.error().field != "seq") {
    // A reference in the body to something that does not exist: the request is invalid (422),
    // the resource it addresses is there.
    Error e = result.error();
    e.code = ErrorCode::kInvalid;
    return e;
  }
  return result;
}

Result<ChangeSet> Call::Commit(const Operation& op) {
  // A write starts from the workspace as stored now, not as the request first saw it.
  snapshot.reset();
  auto snap = Snapshot();
  if (!snap) return snap.error();
  const std::shared_ptr<const WorkspaceSnapshot> current = *snap;
  auto result = op(OperationContext{current->entities(), current->Index(), &who});
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
  if (!result && result.error().code == ErrorCode::kNotFound && result.error().field != "id" &&
      result.error().field != "seq") {
    // A reference in the body to something that does not exist: the request is invalid (422).
    Error e = result.error();
    e.code = ErrorCode::kInvalid;
    return e;
  }
  return result;
}

// ---- Responses ----

int StatusFor(const Error& error, bool bad_request) {
  switch (error.code) {
    case ErrorCode::kInvalid:
      return bad_request ? 400 : 422;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kForbidden:
      return 403;
    case ErrorCode::kStorage:
      return 500;
    case ErrorCode::kBusy:
      return 503;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kRateLimited:
      return 429;
  }
  return 500;
}

HttpResponse ErrorResponse(int status, std::string code, std::string message, std::string field) {
  json body = {{"error",
                {{"code", std::move(code)},
                 {"message", std::move(message)},
                 {"field", field.empty() ? json(nullptr) : json(field)}}}};
  HttpResponse res = JsonResponse(status, body);
  if (status == 401) res.AddHeader("WWW-Authenticate", "Bearer realm=\"cascade\"");
  return res;
}

HttpResponse ErrorResponse(const Error& error, bool bad_request) {
  const int status = StatusFor(error, bad_request);
  std::string message = error.ToString();
  std::string field = error.field;
  if (status >= 500) {
    // Storage details (SQL, file names) stay in the log.
    std::fprintf(stderr, "cascade serve: storage failure: %s\n", message.c_str());
    message = status == 503 ? "the database is busy; try again" : "the database failed; try again";
    field.clear();
  }
  if (field == "csrf") field = "X-CSRF-Token";
  if (error.code == ErrorCode::kUnauthenticated || error.code == ErrorCode::kRateLimited) {
    field.clear();
  }
  HttpResponse res = ErrorResponse(status, std::string(ErrorCodeName(status)), std::move(message),
                                   std::move(field));
  // Busy: another writer held the database past the wait; a retry shortly is likely to pass.
  if (error.code == ErrorCode::kBusy) res.AddHeader("Retry-After", "1");
  if (error.code == ErrorCode::kRateLimited) res.AddHeader("Retry-After", "900");
  return res;
}

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

HttpResponse JsonTextResponse(int status, std::string body) {
  HttpResponse res;
  res.status = status;
  res.body = std::move(body);
  res.AddHeader("Cache-Control", "no-store");
  res.AddHeader("X-Content-Type-Options", "nosniff");
  return res;
}

std::string DumpJson(const json& body) {
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
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

HttpResponse JsonResponse(int status, const json& body) {
  return JsonTextResponse(status, DumpJson(body));
}

std::string ETagFor(int64_t version) { return "\"" + std::to_string(version) + "\""; }

// ---- Requests ----

// The media type of a Content-Type header, lower case and without parameters or spaces.
std::string MediaType(std::string_view header) {
  std::string_view type = header.substr(0, header.find(';'));
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  std::string out(type);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::optional<json> JsonBody(const HttpRequest& req, HttpResponse& refusal) {
  const std::string type = MediaType(req.Header("content-type"));
  const bool json_type = type == "application/json" ||
                         (type.size() > 5 && type.compare(type.size() - 5, 5, "+json") == 0);
  if (!type.empty() && !json_type) {
    refusal = ErrorResponse(415, "unsupported_media_type",
                            "the body must be JSON (Content-Type: application/json)",
                            "content-type");
    return std::nullopt;
  }
  if (TooDeep(req.body, kMaxJsonDepth)) {
    refusal = ErrorResponse(400, "invalid", "the body nests deeper than 64 levels", "");
    return std::nullopt;
  }
  if (req.body.empty()) {
    refusal = ErrorResponse(400, "invalid", "the request needs a JSON body", "");
    return std::nullopt;
  }
  try {
    return json::parse(req.body);
  } catch (const json::parse_error& e) {
    refusal = ErrorResponse(400, "invalid", JsonSyntaxMessage(e), "");
    return std::nullopt;
  } catch (const json::out_of_range&) {
    // nlohmann refuses a number no double holds (1e812) with an exception of its own.
    refusal = ErrorResponse(400, "invalid",
                            "the body holds a number too large to read; numbers must be " +
                                EntryValueRangeText(),
                            "");
    return std::nullopt;
  }
}

Date TodayUtc() {
  const auto days = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return Date(static_cast<int32_t>(days.time_since_epoch().count()));
}

int64_t NowUnix() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Result<Date> AsOfParam(const HttpRequest& req) {
  auto text = req.Query("as_of");
  if (!text || text->empty()) return TodayUtc();
  const auto d = Date::Parse(*text);
  if (!d) {
    return Error::Invalid("as_of '" + *text + "' is not a date; use YYYY-MM-DD", "", "", "as_of");
  }
  if (!IsEntryDate(*d)) {
    return Error::Invalid("as_of " + *text +
                              " is outside the dates Cascade accepts; use a date from " +
                              EntryDateRangeText(),
                          "", "", "as_of");
  }
  return *d;
}

Result<std::optional<double>> NumberParam(const HttpRequest& req, const std::string& name) {
  auto text = req.Query(name);
  if (!text) return std::optional<double>();
  try {
    size_t used = 0;
    const double v = std::stod(*text, &used);
    if (used == text->size() && std::isfinite(v)) return std::optional<double>(v);
  } catch (const std::exception&) {
  }
  return Error::Invalid(name + " '" + *text + "' is not a number", "", "", name);
}

Result<std::optional<int64_t>> IntParam(const HttpRequest& req, const std::string& name,
                                        int64_t min, int64_t max) {
  auto text = req.Query(name);
  if (!text) return std::optional<int64_t>();
  try {
    size_t used = 0;
    const long long v = std::stoll(*text, &used);
    if (used == text->size() && v >= min && v <= max) return std::optional<int64_t>(v);
  } catch (const std::exception&) {
  }
  return Error::Invalid(name + " '" + *text + "' must be a whole number from " +
                            std::to_string(min) + " to " + std::to_string(max),
                        "", "", name);
}

Result<bool> BoolParam(const HttpRequest& req, const std::string& name) {
  auto text = req.Query(name);
  if (!text) return false;
  if (*text == "" || *text == "true" || *text == "1") return true;
  if (*text == "false" || *text == "0") return false;
  return Error::Invalid(name + " '" + *text + "' must be true or false", "", "", name);
}

Result<std::optional<int64_t>> ExpectedVersion(const HttpRequest& req, const json* body) {
  std::string_view match = req.Header("if-match");
  if (!match.empty()) {
    if (match == "*") return std::optional<int64_t>();
    if (match.substr(0, 2) == "W/") match.remove_prefix(2);
    if (match.size() >= 2 && match.front() == '"' && match.back() == '"') {
      match = match.substr(1, match.size() - 2);
    }
    int64_t v = 0;
    bool ok = !match.empty() && match.size() < 19;
    for (char c : match) {
      ok = ok && c >= '0' && c <= '9';
      if (ok) v = v * 10 + (c - '0');
    }
    if (!ok) {
      return Error::Invalid("If-Match must be an ETag this API gave (a version such as \"3\")", "",
                            "", "If-Match");
    }
    return std::optional<int64_t>(v);
  }
  if (body != nullptr) {
    auto it = body->find("version");
    if (it != body->end()) {
      if (!it->is_number_integer() || it->get<int64_t>() < 0) {
        return Error::Invalid("'version' must be a non-negative whole number", "", "", "version");
      }
      return std::optional<int64_t>(it->get<int64_t>());
    }
  }
  return std::optional<int64_t>();
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
    auto store = OpenStore(options.db_url);
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
    if (auto as_of = AsOfParam(req); !as_of) {
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
