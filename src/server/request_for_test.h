// A request as the HTTP server hands it to the API (path split from its query, the query decoded,
// header names in lower case), for the tests that call Api::Handle in process.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "server/http.h"

namespace cascade {

inline HttpRequest RequestFor(const std::string& method, const std::string& target,
                              std::string body = "",
                              std::vector<std::pair<std::string, std::string>> headers = {},
                              std::string client = "") {
  HttpRequest req;
  req.method = method;
  req.target = target;
  const size_t q = target.find('?');
  req.path = target.substr(0, q);
  if (q != std::string::npos) req.query = ParseQuery(target.substr(q + 1)).value();
  req.headers = std::move(headers);
  req.body = std::move(body);
  req.client = std::move(client);
  return req;
}

}  // namespace cascade
