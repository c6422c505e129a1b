// The HTTP/1.1 server under `cascade serve`: Boost.Beast over Asio, asynchronous, keep-alive, I/O
// threads sized to the cores and handlers on worker pools (reads and writes apart, so that a read
// or /healthz never waits behind a write), bounded in what one client may cost (header and body sizes, read
// timeouts, open connections), and a graceful shutdown on SIGTERM/SIGINT that lets requests in
// flight finish. It knows nothing about Cascade: it hands every request to one handler.
// http_server.cc is the only file that includes Beast.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/error.h"
#include "server/http.h"

namespace cascade {

struct ServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 8080;  // 0: any free port (Listen returns the one chosen)
  int threads = 0;       // I/O threads and read handlers (GET, HEAD): 0, one per core (at least 2)
  int write_threads = 2;  // handlers of other methods: writes, which the database serializes
  size_t body_limit = 1 << 20;    // larger bodies get 413
  size_t header_limit = 8 << 10;  // larger header blocks get 413
  // To receive a request's header, counted from when the server starts waiting for it: this also
  // bounds how long a keep-alive connection may sit idle between requests.
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds body_timeout{30'000};  // to receive its body
  int max_connections = 256;  // beyond: 503 and close
  std::chrono::milliseconds shutdown_grace{30'000};  // how long in-flight requests may take
};

// Observes the server: called once per request after the response is built, with the time the
// handler took, and on every connection opened or closed. Called on the server's threads.
struct ServerObserver {
  std::function<void(const HttpRequest&, const HttpResponse&, std::chrono::nanoseconds)> on_request;
  std::function<void(int open_connections)> on_connections;
};

using HttpHandler = std::function<HttpResponse(HttpRequest&)>;

class HttpServer {
 public:
  HttpServer(ServerOptions options, HttpHandler handler, ServerObserver observer = {});
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens; returns the port (the chosen one when options.port is 0). kStorage-coded
  // errors are not used here: a failure to bind is kInvalid naming "listen".
  Result<uint16_t> Listen();
  // Serves until Stop() or SIGTERM/SIGINT, then stops accepting, closes idle connections, lets
  // requests in flight finish (up to shutdown_grace) and returns.
  void Run();
  // Asks Run to shut down gracefully; callable from any thread.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cascade
