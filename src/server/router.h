// Method + path pattern → handler. Patterns are literal segments and `{name}` captures
// ("/api/v1/goals/{id}"). Each route carries what the OpenAPI document says about it, so the
// document is generated from the very table that serves the requests.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace cascade {

// One query parameter a route reads.
struct QueryParamDoc {
  std::string name;
  std::string type = "string";  // JSON Schema type: string, number, integer, boolean
  std::string description;
  bool required = false;
  std::string format;  // "date" for as_of, …
};

// What the OpenAPI document says about a route.
struct RouteDoc {
  std::string summary;
  std::string tag;
  std::vector<QueryParamDoc> query;
  std::string request_schema;   // a component schema name, "" when there is no body
  std::string response_schema;  // a component schema name, "" for no JSON body
  int success_status = 200;
  bool authenticated = true;  // false: /healthz and sign-in
  // false: the handler never touches the database (/healthz), so it leases no connection and
  // never waits for one behind requests that hold them all.
  bool uses_store = true;
  std::vector<int> errors;    // the refusals it can give (400, 404, 409, …)
  std::string request_content_type = "application/json";
  std::string response_content_type = "application/json";
};

template <typename Handler>
struct Route {
  std::string method;
  std::string pattern;
  Handler handler;
  RouteDoc doc;
  std::vector<std::string> segments;  // the pattern split at '/'
};

// Splits "/a/b/c" into {"a", "b", "c"}; an empty path or "/" gives {}.
std::vector<std::string_view> SplitPath(std::string_view path);

// True when `segments` (of a pattern) match `path` (split); captures fill `params`.
bool MatchSegments(const std::vector<std::string>& pattern, const std::vector<std::string_view>& path,
                   std::map<std::string, std::string>& params);

template <typename Handler>
class Router {
 public:
  struct Match {
    const Route<Handler>* route = nullptr;  // null: no route for this method and path
    bool path_known = false;  // some route has this path with another method (→ 405)
    std::vector<std::string> allowed;  // the methods of that path
    std::map<std::string, std::string> params;
  };

  void Add(std::string method, std::string pattern, Handler handler, RouteDoc doc = {}) {
    Route<Handler> r{std::move(method), std::move(pattern), std::move(handler), std::move(doc), {}};
    for (std::string_view s : SplitPath(r.pattern)) r.segments.emplace_back(s);
    routes_.push_back(std::move(r));
  }

  // The route for `method` and `path`. Literal segments win over captures because routes are
  // tried in the order added: add "/goals/batch" before "/goals/{id}".
  Match Find(std::string_view method, std::string_view path) const {
    Match m;
    const std::vector<std::string_view> parts = SplitPath(path);
    for (const Route<Handler>& r : routes_) {
      std::map<std::string, std::string> params;
      if (!MatchSegments(r.segments, parts, params)) continue;
      if (r.method == method) {
        m.route = &r;
        m.params = std::move(params);
        return m;
      }
      m.path_known = true;
      m.allowed.push_back(r.method);
    }
    return m;
  }

  const std::vector<Route<Handler>>& routes() const { return routes_; }

 private:
  std::vector<Route<Handler>> routes_;
};

}  // namespace cascade
