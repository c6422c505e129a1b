// The only file that includes Beast: keep it that way, it is what makes the build slow.
#include "server/http_server.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <deque>
#include <csignal>
#include <iostream>
#include <list>
#include <optional>
#include <thread>
#include <vector>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/http/span_body.hpp>

#include "core/mutex.h"

namespace cascade {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

std::string ErrorBody(std::string_view code, std::string_view message) {
  // Transport-level refusals have no field; the text is fixed, so no escaping is needed.
  return std::string(R"({"error":{"code":")") + std::string(code) + R"(","message":")" +
         std::string(message) + R"(","field":null}})";
}

}  // namespace

struct HttpServer::Impl {
  class Session;

  ServerOptions options;
  HttpHandler handler;
  ServerObserver observer;
  net::io_context ioc;
  // Handlers run here, never on the I/O threads: reads (GET, HEAD, OPTIONS) on one pool, writes
  // on another, so that /healthz and reads never wait behind writes, nor reading and writing
  // sockets behind either. Made by Run().
  std::unique_ptr<net::thread_pool> readers;
  std::unique_ptr<net::thread_pool> writers;
  tcp::acceptor acceptor{ioc};
  // Every use of the acceptor (accepting, retrying, closing on shutdown) runs on this strand:
  // a close on the signal's thread beside an accept completing on another was a data race (TSan).
  net::strand<net::io_context::executor_type> accept_strand{net::make_strand(ioc)};
  net::signal_set signals{ioc, SIGINT, SIGTERM};
  net::steady_timer grace{ioc};
  std::atomic<bool> stopping{false};
  std::atomic<int> open{0};
  Mutex sessions_mu;
  std::list<std::weak_ptr<Session>> sessions GUARDED_BY(sessions_mu);

  Impl(ServerOptions o, HttpHandler h, ServerObserver ob)
      : options(std::move(o)), handler(std::move(h)), observer(std::move(ob)) {}

  void Accept();
  void Shutdown();
  void ConnectionsChanged(int now) {
    if (observer.on_connections) observer.on_connections(now);
    // On the accept strand, as every use of `grace` (see Shutdown): an asio timer is not safe to
    // use from two threads at once (TSan saw this cancel race the grace period's async_wait).
    if (now == 0 && stopping) net::post(accept_strand, [this] { grace.cancel(); });
  }
};

// One client connection: reads a request's header (header timeout), then its body (body
// timeout), runs the handler, writes the response, and starts over while keep-alive holds.
class HttpServer::Impl::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Impl& server) : stream_(std::move(socket)), server_(server) {
    beast::error_code ec;
    auto endpoint = stream_.socket().remote_endpoint(ec);
    if (!ec) client_ = endpoint.address().to_string();
  }
  ~Session() {
    if (out_) out_->Close();
    server_.ConnectionsChanged(--server_.open);
  }

  void Start(bool reject) {
    net::dispatch(stream_.get_executor(), [self = shared_from_this(), reject] {
      if (reject) {
        self->SendError(503, "unavailable", "the server has too many open connections");
      } else {
        self->ReadHeader();
      }
    });
  }

  // Called on shutdown: a connection waiting for a request is closed; one reading a body or
  // handling a request finishes it and then closes.
  // An event stream is ended too: it never finishes by itself.
  void CloseIfIdle() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      if (self->out_) return self->Close();
      if (self->waiting_for_header_) self->stream_.cancel();
    });
  }

 private:
  void ReadHeader() {
    if (server_.stopping) return Close();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(server_.options.header_limit));
    parser_->body_limit(server_.options.body_limit);
    waiting_for_header_ = true;
    stream_.expires_after(server_.options.header_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = shared_from_this()](beast::error_code ec, size_t) {
                              self->OnHeader(ec);
                            });
  }

  void OnHeader(beast::error_code ec) {
    waiting_for_header_ = false;
    if (ec == http::error::end_of_stream || ec == net::error::eof ||
        ec == net::error::operation_aborted || ec == beast::error::timeout ||
        ec == net::error::connection_reset) {
      return Close();
    }
    if (ec == http::error::header_limit) {
      // 413 like an oversized body (spec §6 lists 413 for every size limit).
      return SendError(413, "too_large",
                       "the request header is too large: at most " +
                           std::to_string(server_.options.header_limit) +
                           " bytes of request line and header fields are accepted");
    }
    if (ec == http::error::body_limit) return SendError(413, "too_large", BodyTooLarge());
    if (ec) return SendError(400, "bad_request", "the request is not valid HTTP/1.1");
    if (parser_->is_done()) return Handle();
    const auto& header = parser_->get();
    if (header.version() == 11 && beast::iequals(header[http::field::expect], "100-continue")) {
      // The client waits for this before sending its body (curl does for bodies over 1 KiB; it
      // gives up waiting after a second, so without it every such request would take a second).
      auto go_on = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
      stream_.expires_after(server_.options.body_timeout);
      http::async_write(stream_, *go_on,
                        [self = shared_from_this(), go_on](beast::error_code ec2, size_t) {
                          if (ec2) return self->Close();
                          self->ReadBody();
                        });
      return;
    }
    ReadBody();
  }

  std::string BodyTooLarge() const {
    return "the request body is too large: at most " +
           std::to_string(server_.options.body_limit) +
           " bytes are accepted (cascade serve --max-body sets the limit)";
  }

  void ReadBody() {
    stream_.expires_after(server_.options.body_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       self->OnBody(ec);
                     });
  }

  void OnBody(beast::error_code ec) {
    if (ec == http::error::body_limit) return SendError(413, "too_large", BodyTooLarge());
    // A timeout has already closed the stream (that is how tcp_stream times out): no 408 can go.
    if (ec == beast::error::timeout || ec == net::error::eof || ec == http::error::end_of_stream ||
        ec == net::error::connection_reset || ec == net::error::operation_aborted) {
      return Close();
    }
    if (ec) return SendError(400, "bad_request", "the request is not valid HTTP/1.1");
    Handle();
  }

  void Handle() {
    http::request<http::string_body> msg = parser_->release();
    HttpRequest req;
    req.method = std::string(msg.method_string());
    req.target = std::string(msg.target());
    req.client = client_;
    const std::string_view target(msg.target().data(), msg.target().size());
    const size_t q = target.find('?');
    HttpResponse res;
    auto path = PercentDecode(target.substr(0, q), false);
    auto query = ParseQuery(q == std::string_view::npos ? "" : target.substr(q + 1));
    req.headers.reserve(16);
    for (const auto& field : msg) {
      std::string name(field.name_string());
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      req.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    req.body = std::move(msg.body());
    const unsigned version = static_cast<unsigned>(msg.version());
    const bool keep_alive = msg.keep_alive();
    const bool head_only = msg.method() == http::verb::head;
    if (!path || !query) {
      req.path = std::string(target.substr(0, q));
      res.status = 400;
      res.body = ErrorBody("invalid", "the request path or query has a malformed %-escape");
      if (server_.observer.on_request) {
        server_.observer.on_request(req, res, std::chrono::nanoseconds(0));
      }
      return Respond(std::move(res), keep_alive, version, head_only);
    }
    req.path = std::move(*path);
    req.query = std::move(*query);
    const bool safe = msg.method() == http::verb::get || head_only ||
                      msg.method() == http::verb::options;
    net::thread_pool* pool = safe ? server_.readers.get() : server_.writers.get();
    auto work = [self = shared_from_this(), req = std::make_shared<HttpRequest>(std::move(req)),
                 keep_alive, version, head_only]() mutable {
      auto res = std::make_shared<HttpResponse>(self->RunHandler(*req));
      net::post(self->stream_.get_executor(), [self, res, keep_alive, version, head_only] {
        self->Respond(std::move(*res), keep_alive, version, head_only);
      });
    };
    if (pool == nullptr) return work();  // no pools (not running): handled in place
    net::post(*pool, std::move(work));
  }

  // The handler's response to `req` (a 500 for an exception), observed with the time it took.
  HttpResponse RunHandler(HttpRequest& req) {
    const auto started = std::chrono::steady_clock::now();
    HttpResponse res;
    try {
      res = server_.handler(req);
    } catch (const std::exception& e) {
      // The client gets a generic message; the details go to the log only.
      std::cerr << "cascade serve: unexpected failure handling " << req.method << " " << req.path
                << ": " << e.what() << "\n";
      res = HttpResponse{};
      res.status = 500;
      res.body = ErrorBody("internal", "the server failed; the request was not completed");
    } catch (...) {
      res = HttpResponse{};
      res.status = 500;
      res.body = ErrorBody("internal", "the server failed; the request was not completed");
    }
    const auto took = std::chrono::steady_clock::now() - started;
    if (server_.observer.on_request) server_.observer.on_request(req, res, took);
    return res;
  }

  // On the session's strand: sends a handler's response.
  void Respond(HttpResponse res, bool keep_alive, unsigned version, bool head_only) {
    if (res.stream) return StartStream(std::move(res), version);
    const bool keep = keep_alive && !res.close && !server_.stopping;
    Write(std::move(res), keep, version, head_only);
  }

  // A response whose body is an OutStream: the header, then whatever is pushed, as it comes, until
  // the stream or the client ends it; the connection is not reused. Nothing here waits: the
  // stream wakes the session (on its strand) when there is something to send, at most one write
  // is in flight, and a read is kept pending only to notice the client leaving.
  void StartStream(HttpResponse res, unsigned version) {
    out_ = std::move(res.stream);
    std::string head = version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
    head += std::to_string(res.status) + " " +
            std::string(http::obsolete_reason(static_cast<http::status>(res.status))) + "\r\n";
    head += "Server: cascade\r\nContent-Type: " + res.content_type + "\r\n";
    for (const auto& [name, value] : res.headers) head += name + ": " + value + "\r\n";
    head += "Connection: close\r\n\r\n";
    stream_.expires_never();  // a stream lives until closed; slow readers are caught by the queue
    std::weak_ptr<Session> weak = shared_from_this();
    out_->SetWaker([weak] {
      if (auto self = weak.lock()) {
        net::post(self->stream_.get_executor(), [self] { self->Pump(); });
      }
    });
    if (server_.stopping) out_->Close();
    WatchPeer();
    SendStreamBytes(std::move(head));
  }

  void WatchPeer() {
    stream_.async_read_some(net::buffer(drain_),
                            [self = shared_from_this()](beast::error_code ec, size_t) {
                              if (ec) return self->Close();
                              self->WatchPeer();  // a client has nothing to say: ignored
                            });
  }

  void Pump() {
    if (out_->closed()) return Close();
    if (writing_) return;
    bool closed = false;
    std::deque<std::string> queued = out_->Take(closed);
    if (closed) return Close();
    if (queued.empty()) return;
    std::string bytes;
    for (auto& q : queued) bytes += q;
    SendStreamBytes(std::move(bytes));
  }

  void SendStreamBytes(std::string bytes) {
    writing_ = true;
    auto buf = std::make_shared<std::string>(std::move(bytes));
    net::async_write(stream_, net::buffer(*buf),
                     [self = shared_from_this(), buf](beast::error_code ec, size_t) {
                       self->writing_ = false;
                       if (ec) return self->Close();
                       self->Pump();
                     });
  }


  // `head_only`: the answer to a HEAD request, the header a GET would get (its Content-Length
  // included) without the body.
  void Write(HttpResponse res, bool keep, unsigned version, bool head_only = false) {
    // The message points into the body it owns, or into a cached body it shares (no copy).
    struct Out {
      http::response<http::span_body<const char>> msg;
      std::string body;
      std::shared_ptr<const std::string> shared;
      std::optional<http::response_serializer<http::span_body<const char>>> header;
    };
    auto out = std::make_shared<Out>();
    out->body = std::move(res.body);
    out->shared = std::move(res.shared_body);
    const std::string& bytes = out->shared ? *out->shared : out->body;
    auto& msg = out->msg;
    msg.result(static_cast<http::status>(res.status));
    msg.version(version == 10 ? 10 : 11);
    msg.set(http::field::server, "cascade");
    msg.set(http::field::content_type, res.content_type);
    for (auto& [name, value] : res.headers) msg.insert(name, value);
    msg.body() = beast::span<const char>(bytes.data(), bytes.size());
    msg.keep_alive(keep);
    msg.prepare_payload();
    stream_.expires_after(server_.options.body_timeout);
    auto done = [self = shared_from_this(), out, keep](beast::error_code ec, size_t) {
      if (ec) return self->Close();
      if (!keep) return self->Linger();
      self->ReadHeader();
    };
    if (head_only) {
      out->header.emplace(msg);
      http::async_write_header(stream_, *out->header, std::move(done));
      return;
    }
    http::async_write(stream_, msg, std::move(done));
  }

  // A refusal at the transport level (bad HTTP, too large, too many connections): answered,
  // counted, and the connection closed, since what follows on it cannot be trusted.
  void SendError(int status, std::string_view code, std::string_view message) {
    HttpRequest req;
    req.client = client_;
    if (parser_) {
      req.method = std::string(parser_->get().method_string());
      req.target = std::string(parser_->get().target());
    }
    HttpResponse res;
    res.status = status;
    res.body = ErrorBody(code, message);
    if (server_.observer.on_request) {
      server_.observer.on_request(req, res, std::chrono::nanoseconds(0));
    }
    Write(std::move(res), false, 11);
  }

  // Half-closes and reads what the client still sends for a moment before closing, so that a
  // client still sending a refused body sees the response rather than a reset.
  void Linger() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return Close();
    stream_.expires_after(std::chrono::seconds(2));
    DrainSome();
  }
  void DrainSome() {
    if (++drained_reads_ > 1024) return Close();
    stream_.async_read_some(net::buffer(drain_),
                            [self = shared_from_this()](beast::error_code ec, size_t) {
                              if (ec) return self->Close();
                              self->DrainSome();
                            });
  }

  void Close() {
    if (out_) out_->Close();
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.socket().close(ec);
  }

  beast::tcp_stream stream_;
  Impl& server_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::string client_;
  bool waiting_for_header_ = false;
  int drained_reads_ = 0;
  std::shared_ptr<OutStream> out_;  // set once the response is an event stream
  bool writing_ = false;            // a write of the stream is in flight
  std::array<char, 16384> drain_{};
};

void HttpServer::Impl::Accept() {
  acceptor.async_accept(net::make_strand(ioc), net::bind_executor(accept_strand, [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (stopping || !acceptor.is_open()) return;  // shutting down
      // Out of file descriptors and the like: try again shortly rather than spin.
      auto retry = std::make_shared<net::steady_timer>(ioc, std::chrono::milliseconds(50));
      retry->async_wait(net::bind_executor(accept_strand, [this, retry](beast::error_code) {
        if (!stopping && acceptor.is_open()) Accept();
      }));
      return;
    }
    const int now = ++open;
    auto session = std::make_shared<Session>(std::move(socket), *this);
    {
      MutexLock lock(sessions_mu);
      std::erase_if(sessions, [](const std::weak_ptr<Session>& s) { return s.expired(); });
      sessions.push_back(session);
    }
    if (observer.on_connections) observer.on_connections(now);
    session->Start(now > options.max_connections);
    Accept();
  }));
}

void HttpServer::Impl::Shutdown() {
  if (stopping.exchange(true)) return;
  beast::error_code ec;
  net::post(accept_strand, [this] {
    beast::error_code closing;
    acceptor.close(closing);
  });
  signals.cancel(ec);
  std::vector<std::shared_ptr<Session>> live;
  {
    MutexLock lock(sessions_mu);
    for (auto& weak : sessions) {
      if (auto s = weak.lock()) live.push_back(std::move(s));
    }
  }
  for (auto& s : live) s->CloseIfIdle();
  live.clear();
  // The grace period starts on the accept strand, where the last connection's cancel also runs:
  // whichever comes first, the other sees it (open is 0 by then, or the wait is there to cancel).
  net::post(accept_strand, [this] {
    if (open == 0) return;
    grace.expires_after(options.shutdown_grace);
    grace.async_wait([this](beast::error_code wait_ec) {
      if (!wait_ec) ioc.stop();  // requests still running after the grace period are abandoned
    });
  });
}

HttpServer::HttpServer(ServerOptions options, HttpHandler handler, ServerObserver observer)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler), std::move(observer))) {}

HttpServer::~HttpServer() = default;

Result<uint16_t> HttpServer::Listen() {
  beast::error_code ec;
  const auto address = net::ip::make_address(impl_->options.address, ec);
  if (ec) {
    return Error::Invalid("--listen '" + impl_->options.address + "' is not an IP address", "", "",
                          "listen");
  }
  const tcp::endpoint endpoint(address, impl_->options.port);
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return Error::Invalid("cannot listen on " + impl_->options.address + ":" +
                              std::to_string(impl_->options.port) + ": " + ec.message(),
                          "", "", "listen");
  }
  return acceptor.local_endpoint().port();
}

void HttpServer::Run() {
  Impl& s = *impl_;
  s.signals.async_wait([&s](beast::error_code ec, int) {
    if (!ec) s.Shutdown();
  });
  s.Accept();
  int threads = s.options.threads > 0 ? s.options.threads
                                      : static_cast<int>(std::thread::hardware_concurrency());
  threads = std::max(threads, 1);
  std::vector<std::thread> pool;
  pool.reserve(static_cast<size_t>(threads - 1));
  s.readers = std::make_unique<net::thread_pool>(static_cast<size_t>(std::max(threads, 2)));
  s.writers = std::make_unique<net::thread_pool>(static_cast<size_t>(std::max(s.options.write_threads, 1)));
  for (int i = 1; i < threads; ++i) pool.emplace_back([&s] { s.ioc.run(); });
  s.ioc.run();
  for (auto& t : pool) t.join();
  // Handlers still running after the grace period finish here; their responses go nowhere.
  s.readers->join();
  s.writers->join();
}

void HttpServer::Stop() {
  net::post(impl_->ioc, [this] { impl_->Shutdown(); });
}

}  // namespace cascade
