// A request and a response as plain values, so that handlers, the router and their tests never
// see the HTTP library: http_server.cc turns Beast's messages into these and back.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/mutex.h"

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

// A response body that never ends (Server-Sent Events): the handler returns it in
// HttpResponse::stream, the server sends the header and then whatever is pushed, until either end
// closes it. Bounded: a consumer that falls `capacity` messages behind is closed, not buffered.
// Thread-safe; the server never blocks on it and the pusher never waits for the socket.
class OutStream {
 public:
  explicit OutStream(size_t capacity = 64) : capacity_(capacity) {}
  // Queues `bytes`; false (and the stream closed) when it is closed or full.
  bool Push(std::string bytes) EXCLUDES(mu_) {
    std::function<void()> wake;
    {
      MutexLock lock(mu_);
      if (closed_) return false;
      if (queue_.size() >= capacity_) {
        closed_ = true;
      } else {
        queue_.push_back(std::move(bytes));
      }
      wake = wake_;
    }
    if (wake) wake();
    return !closed();
  }
  // Everything queued, in order; `closed` tells whether the stream has ended.
  std::deque<std::string> Take(bool& closed) EXCLUDES(mu_) {
    MutexLock lock(mu_);
    closed = closed_;
    return std::exchange(queue_, {});
  }
  void Close() EXCLUDES(mu_) {
    std::function<void()> wake;
    {
      MutexLock lock(mu_);
      if (closed_) return;
      closed_ = true;
      wake = wake_;
    }
    if (wake) wake();
  }
  bool closed() const EXCLUDES(mu_) {
    MutexLock lock(mu_);
    return closed_;
  }
  // The server's: called (on any thread) after every Push and on Close.
  void SetWaker(std::function<void()> wake) EXCLUDES(mu_) {
    MutexLock lock(mu_);
    wake_ = std::move(wake);
  }

 private:
  mutable Mutex mu_;
  const size_t capacity_;
  bool closed_ GUARDED_BY(mu_) = false;
  std::deque<std::string> queue_ GUARDED_BY(mu_);
  std::function<void()> wake_ GUARDED_BY(mu_);
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  // When set, sent instead of `body`: bytes shared with a cache, sent without a copy.
  std::shared_ptr<const std::string> shared_body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers (ETag, Set-Cookie, …)
  bool close = false;  // close the connection after this response
  // When set, the body is this stream (no Content-Length; the connection ends with it).
  std::shared_ptr<OutStream> stream;
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
