// A request and a response as plain values, so that handlers, the router and their tests never
// see the HTTP library: http_server.cc turns Beast's messages into these and back.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cascade {

struct HttpRequest {
  std::string method;  // "GET", "POST", …
  std::string target;  // as sent: path and query
  std::string path;    // percent-decoded path, without the query
  std::multimap<std::string, std::string> query;  // decoded query parameters
  std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
  std::string body;
  std::string client;  // remote address
  std::map<std::string, std::string> params;  // path parameters the router matched ({id} → …)

  // The first header of that (lower-case) name, "" when absent.
  std::string_view Header(std::string_view lower_name) const {
    for (const auto& [name, value] : headers) {
      if (name == lower_name) return value;
    }
    return {};
  }
  // The first query parameter of that name, nullopt when absent.
  std::optional<std::string> Query(const std::string& name) const {
    auto it = query.find(name);
    if (it == query.end()) return std::nullopt;
    return it->second;
  }
  std::string Param(const std::string& name) const {
    auto it = params.find(name);
    return it == params.end() ? std::string() : it->second;
  }
  bool StateChanging() const {
    return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
  }
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  // When set, sent instead of `body`: bytes shared with a cache, sent without a copy.
  std::shared_ptr<const std::string> shared_body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers (ETag, Set-Cookie, …)
  bool close = false;  // close the connection after this response
  // For metrics and the access log, not sent: the route pattern that served the request ("" when
  // none matched) and the account that made it ("" when anonymous).
  std::string route;
  std::string account;

  // What is sent: the shared body when there is one, else `body`.
  std::string_view Body() const { return shared_body ? std::string_view(*shared_body) : body; }
  void AddHeader(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }
};

// Decodes %XX escapes (and '+' as a space when `plus_is_space`); nullopt on a malformed escape.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space);
// Splits "a=1&b=two" into decoded pairs; nullopt on a malformed escape.
std::optional<std::multimap<std::string, std::string>> ParseQuery(std::string_view query);

}  // namespace cascade
