// serve: the HTTP API (spec §6) on Boost.Beast, with an access log line per request on stderr.
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/serve.h"
#include "cli/terminal_text.h"
#include "core/big_vector.h"
#include "server/api.h"

namespace cascade {
namespace {

// "127.0.0.1:8080" or "[::1]:8080" → address and port.
Result<void> ParseListen(const std::string& text, ServerOptions& out) {
  const size_t colon = text.rfind(':');
  auto bad = [&text] {
    return Error::Invalid("--listen '" + text + "' must be ADDR:PORT, e.g. 127.0.0.1:8080", "",
                          "", "listen");
  };
  if (colon == std::string::npos || colon == 0) return bad();
  std::string address = text.substr(0, colon);
  if (address.size() >= 2 && address.front() == '[' && address.back() == ']') {
    address = address.substr(1, address.size() - 2);
  }
  const std::string port = text.substr(colon + 1);
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) {
    return bad();
  }
  const int p = std::stoi(port);
  if (p > 65535) return bad();
  out.address = address;
  out.port = static_cast<uint16_t>(p);
  return Ok();
}

std::string DbUrl(const Context& ctx) {
  if (!ctx.db.empty()) return ctx.db;
  const char* env = std::getenv("CASCADE_DB");
  return env != nullptr && *env != '\0' ? env : "cascade.db";
}

}  // namespace

int RunServe(Context& ctx, ServeSettings settings,
             const std::function<void(const std::string& url)>& announce) {
  ServerOptions options = settings.server;
  if (auto r = ParseListen(settings.listen, options); !r) return ctx.Fail(r.error());
  // Open (and migrate) once here, so a bad database is reported before anything listens.
  if (auto store = ctx.OpenedStore(); !store) return ctx.Fail(store.error());
  const int threads = options.threads > 0
                          ? options.threads
                          : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  ApiOptions api_options;
  api_options.db_url = DbUrl(ctx);
  api_options.connections = threads;
  api_options.bench_routes = settings.bench_routes;
  api_options.max_event_streams = settings.max_event_streams;
  auto api = Api::Open(api_options);
  if (!api) return ctx.Fail(api.error());
  Api& handler = **api;
  // Each write is followed by a new roll-up of the workspace: its large blocks are reused.
  BigBlocks::Keep(true);
  Metrics& metrics = handler.metrics();
  const bool log = settings.access_log;
  ServerObserver observer;
  observer.on_request = [&metrics, log, clock = ctx.clock](
                            const HttpRequest& req, const HttpResponse& res,
                            std::chrono::nanoseconds took) {
    const double seconds = std::chrono::duration<double>(took).count();
    metrics.RecordRequest(req.method, res.route, res.status, seconds);
    if (!log) return;
    // One JSON line per request; fwrite of one buffer keeps lines whole across threads.
    const nlohmann::json path = req.path.empty() ? req.target : req.path;
    const std::string line = fmt::format(
        "{{\"time\":\"{}\",\"client\":\"{}\",\"method\":{},\"path\":{},\"route\":{},"
        "\"status\":{},\"ms\":{:.3f},\"bytes\":{},\"account\":{}}}\n",
        clock->NowUtcMillisText(), req.client, TerminalJson(req.method, -1), TerminalJson(path, -1),
        TerminalJson(res.route, -1), res.status, seconds * 1000, res.Body().size(),
        res.account.empty() ? "null" : TerminalJson(res.account, -1));
    std::fwrite(line.data(), 1, line.size(), stderr);
  };
  observer.on_connections = [&metrics](int open) { metrics.SetOpenConnections(open); };
  HttpServer server(options, [&handler](HttpRequest& req) { return handler.Handle(req); },
                    observer);
  auto port = server.Listen();
  if (!port) return ctx.Fail(port.error());
  const std::string host =
      options.address.find(':') != std::string::npos ? "[" + options.address + "]" : options.address;
  const std::string url = fmt::format("http://{}:{}", host, *port);
  if (announce) announce(url);
  std::cout << "listening on " << url << std::endl;
  server.Run();
  std::cout << "stopped" << std::endl;
  return kExitOk;
}

void AddServeCommands(CLI::App& app, CommandEnv env) {
  Context& ctx = env.ctx;
  int& code = env.exit_code;
  struct Flags {
    ServeSettings settings;
    int header_timeout_ms = 10000;
    int body_timeout_ms = 30000;
    bool no_access_log = false;
  };
  auto f = std::make_shared<Flags>();
  CLI::App* serve = app.add_subcommand("serve", "Serve the HTTP API (default 127.0.0.1:8080)");
  serve->add_option("--listen", f->settings.listen, "ADDR:PORT to listen on (port 0: any free one)");
  serve->add_option("--threads", f->settings.server.threads, "Worker threads (default: one per core)");
  serve->add_option("--max-body", f->settings.server.body_limit,
                    "Largest request body in bytes (default 1 MiB; larger: 413)");
  serve->add_option("--max-connections", f->settings.server.max_connections,
                    "Open connections allowed (default 256; more: 503)");
  serve->add_option("--max-event-streams", f->settings.max_event_streams,
                    "Open live event streams allowed (default 64; more: 503)")
      ->check(CLI::Range(0, 100000));
  serve->add_option("--header-timeout-ms", f->header_timeout_ms,
                    "Time a client has to send a request's header (default 10000)");
  serve->add_option("--body-timeout-ms", f->body_timeout_ms,
                    "Time a client has to send a request's body (default 30000)");
  serve->add_flag("--no-access-log", f->no_access_log, "Do not log each request on stderr");
  serve->add_flag("--bench-routes", f->settings.bench_routes,
                  "Also serve GET /bench/hello (the HTTP benchmark's reference)");
  serve->callback([&ctx, &code, f] {
    ServeSettings s = f->settings;
    s.server.header_timeout = std::chrono::milliseconds(f->header_timeout_ms);
    s.server.body_timeout = std::chrono::milliseconds(f->body_timeout_ms);
    s.access_log = !f->no_access_log;
    code = RunServe(ctx, s);
  });
  // The last of a repeated option wins, so scripts can append to a base command line.
  for (CLI::Option* o : serve->get_options()) o->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
}

}  // namespace cascade
