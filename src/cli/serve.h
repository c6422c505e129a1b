// Running the HTTP server from the command line: `serve` and `demo --serve`.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "cli/context.h"
#include "server/http_server.h"

namespace cascade {

struct ServeSettings {
  std::string listen = "127.0.0.1:8080";  // ADDR:PORT ([::1]:PORT for IPv6); port 0: any free
  ServerOptions server;                   // limits and timeouts (address and port from `listen`)
  bool bench_routes = false;
  bool access_log = true;
  int max_event_streams = 64;  // open GET /api/v1/events streams (more: 503)
};

// Serves the API on ctx's database until SIGTERM/SIGINT. Prints "listening on http://ADDR:PORT"
// (the port chosen, when 0 was asked) on stdout once ready, after `announce(url)` when given.
// Returns the exit code.
int RunServe(Context& ctx, ServeSettings settings,
             const std::function<void(const std::string& url)>& announce = {});

}  // namespace cascade
