// End-to-end tests of the live feed (spec §6 "Live"): `GET /api/v1/events` of a running
// `cascade serve`, read over a raw socket, while check-ins arrive through the CLI (another
// process on the same database) and through the API.
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <regex>
#include <thread>

#include "cli_runner.h"
#include "http_client.h"
#include "server_process.h"
#include "server/auth.h"
#include "store/store.h"

namespace cascade::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

// A raw connection holding GET /api/v1/events open.
class EventReader {
 public:
  EventReader(int port, const std::string& token, const std::string& extra_headers = "") {
    fd_ = ConnectLocal(port);
    std::string req = "GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n";
    if (!token.empty()) req += "Authorization: Bearer " + token + "\r\n";
    req += extra_headers + "\r\n";
    if (fd_ >= 0) SendAll(fd_, req);
  }
  ~EventReader() {
    if (fd_ >= 0) ::close(fd_);
  }

  // Reads until the header is in; returns the status line and header block.
  std::string Head(std::chrono::milliseconds timeout = 5s) {
    const auto until = Clock::now() + timeout;
    size_t end;
    while ((end = buf_.find("\r\n\r\n")) == std::string::npos) {
      if (!ReadMore(until)) return buf_;
    }
    std::string head = buf_.substr(0, end);
    buf_.erase(0, end + 4);
    return head;
  }

  // The next `data:` line's JSON, or null when none arrives within `timeout`.
  json NextEvent(std::chrono::milliseconds timeout) {
    const auto until = Clock::now() + timeout;
    while (true) {
      size_t end;
      while ((end = buf_.find("\n\n")) != std::string::npos) {
        const std::string block = buf_.substr(0, end);
        buf_.erase(0, end + 2);
        size_t at = 0;
        while (at < block.size()) {
          size_t nl = block.find('\n', at);
          if (nl == std::string::npos) nl = block.size();
          const std::string line = block.substr(at, nl - at);
          if (line.rfind("data: ", 0) == 0) return json::parse(line.substr(6));
          at = nl + 1;
        }
      }
      if (!ReadMore(until)) return nullptr;
    }
  }

  // Whether the server closed the connection within `timeout` (what was sent is read and kept).
  bool ClosedWithin(std::chrono::milliseconds timeout) {
    const auto until = Clock::now() + timeout;
    while (Clock::now() < until) {
      if (!ReadMore(until)) return closed_;
    }
    return closed_;
  }

  const std::string& buffered() const { return buf_; }
  // Every byte received so far, header included.
  const std::string& received() const { return log_; }

 private:
  bool ReadMore(Clock::time_point until) {
    if (fd_ < 0 || closed_) return false;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    char chunk[4096];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) {
      closed_ = true;
      return false;
    }
    buf_.append(chunk, static_cast<size_t>(n));
    log_.append(chunk, static_cast<size_t>(n));
    return true;
  }

  int fd_ = -1;
  bool closed_ = false;
  std::string buf_;
  std::string log_;
};

class EventsTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    const RunResult demo = Run({"demo"});
    ASSERT_EQ(demo.exit_code, 0) << demo.err;
    auto store = OpenStore(db_);
    ASSERT_TRUE(store.ok());
    auto ws = (*store)->Load();
    ASSERT_TRUE(ws.ok());
    AuthService auth((*store)->accounts());
    ASSERT_TRUE(auth.AddUser(*ws, "admin", "", Role::kAdmin, "").ok());
    auto token = auth.CreateToken("admin", "tests", 1'700'000'000);
    ASSERT_TRUE(token.ok());
    token_ = token->secret;
  }

  void StartServer(std::vector<std::string> extra = {}) {
    extra.insert(extra.begin(), "--no-access-log");
    server_ = std::make_unique<ServerProcess>(db_, dir_, extra);
    port_ = server_->port();
    ASSERT_GT(port_, 0) << server_->Out() << server_->Log();
  }

  // Sends SIGTERM and waits up to `limit`; the exit status, or -1 when it had to be killed.
  int StopServer(std::chrono::milliseconds limit = 10s) {
    return server_ ? server_->Stop(SIGTERM, limit) : -1;
  }

  void TearDown() override {
    server_.reset();
    CliFixture::TearDown();
  }

  std::string token_;
  std::unique_ptr<ServerProcess> server_;
  int port_ = 0;
};

TEST_F(EventsTest, CheckinsFromTheCliAndTheApiArriveWithinASecond) {
  StartServer();
  EventReader events(port_, token_);
  const std::string head = events.Head();
  ASSERT_EQ(head.substr(0, 15), "HTTP/1.1 200 OK") << head;
  EXPECT_NE(head.find("Content-Type: text/event-stream; charset=utf-8\r\n"), std::string::npos)
      << head;
  EXPECT_NE(head.find("Cache-Control: no-store\r\n"), std::string::npos) << head;
  // Nothing has changed yet: no event.
  EXPECT_TRUE(events.NextEvent(300ms).is_null()) << events.buffered();

  // Another process writes to the same database.
  const RunResult cli = Run({"checkin", "tracker-share", "6.5"});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  const auto after_cli = Clock::now();
  json e = events.NextEvent(1s);
  ASSERT_FALSE(e.is_null()) << "no event within 1 s of the CLI's check-in";
  EXPECT_LE(Clock::now() - after_cli, 1s);
  EXPECT_EQ(e["kind"], "checkin");
  EXPECT_EQ(e["id"], "tracker-share");
  ASSERT_TRUE(e["version"].is_number_unsigned()) << e.dump();
  const uint64_t first_version = e["version"].get<uint64_t>();
  EXPECT_TRUE(events.NextEvent(300ms).is_null()) << "one check-in, one event";

  // Through the API.
  HttpClient api(port_);
  api.defaults["Authorization"] = "Bearer " + token_;
  const HttpResult r =
      api.Post("/api/v1/checkins", json{{"kpi", "tracker-nps"}, {"value", 41}, {"date", "2026-03-02"}});
  ASSERT_EQ(r.status, 201) << r.body;
  const auto after_api = Clock::now();
  e = events.NextEvent(1s);
  ASSERT_FALSE(e.is_null()) << "no event within 1 s of the API's check-in";
  EXPECT_LE(Clock::now() - after_api, 1s);
  EXPECT_EQ(e, (json{{"kind", "checkin"}, {"id", "tracker-nps"}, {"version", e["version"]}}));
  EXPECT_NE(e["version"].get<uint64_t>(), first_version);
}

TEST_F(EventsTest, WithoutCredentialsTheStreamIsRefused) {
  StartServer();
  EventReader events(port_, "");
  const std::string head = events.Head();
  EXPECT_EQ(head.substr(0, 12), "HTTP/1.1 401") << head;
  EventReader wrong(port_, "not-a-token");
  EXPECT_EQ(wrong.Head().substr(0, 12), "HTTP/1.1 401");
}

TEST_F(EventsTest, StreamsBeyondTheLimitAreRefusedAndAClosedOneFreesItsPlace) {
  StartServer({"--max-event-streams", "3"});
  std::vector<std::unique_ptr<EventReader>> open;
  for (int i = 0; i < 3; ++i) {
    open.push_back(std::make_unique<EventReader>(port_, token_));
    ASSERT_EQ(open.back()->Head().substr(0, 15), "HTTP/1.1 200 OK") << i;
  }
  EventReader fourth(port_, token_);
  const std::string head = fourth.Head();
  EXPECT_EQ(head.substr(0, 12), "HTTP/1.1 503") << head;
  EXPECT_NE(head.find("Retry-After: 30\r\n"), std::string::npos) << head;
  EXPECT_NE(fourth.buffered().find("too many open event streams: at most 3"), std::string::npos)
      << fourth.buffered();
  // Other requests are still served.
  HttpClient api(port_);
  EXPECT_EQ(api.Get("/healthz").status, 200);
  // A client that leaves frees its place.
  open.pop_back();
  bool admitted = false;
  for (int i = 0; i < 50 && !admitted; ++i) {
    EventReader again(port_, token_);
    admitted = again.Head().substr(0, 15) == "HTTP/1.1 200 OK";
    if (!admitted) std::this_thread::sleep_for(20ms);
  }
  EXPECT_TRUE(admitted);
}

TEST_F(EventsTest, SigtermEndsOpenStreamsAndTheServerExitsCleanly) {
  StartServer();
  EventReader a(port_, token_);
  EventReader b(port_, token_);
  ASSERT_EQ(a.Head().substr(0, 15), "HTTP/1.1 200 OK");
  ASSERT_EQ(b.Head().substr(0, 15), "HTTP/1.1 200 OK");
  const auto started = Clock::now();
  EXPECT_EQ(StopServer(), 0);
  EXPECT_LT(Clock::now() - started, 3s) << "open streams held the shutdown up";
  EXPECT_TRUE(a.ClosedWithin(1s));
  EXPECT_TRUE(b.ClosedWithin(1s));
  EXPECT_NE(server_->Out().find("stopped"), std::string::npos) << server_->Out();
}

TEST_F(EventsTest, AReconnectWithAnOldLastEventIdGetsOneWorkspaceEvent) {
  StartServer();
  EventReader first(port_, token_);
  ASSERT_EQ(first.Head().substr(0, 15), "HTTP/1.1 200 OK");
  EXPECT_TRUE(first.NextEvent(300ms).is_null());
  // The greeting sets the client's last event id: the newest history row when it connected.
  std::smatch m;
  const std::string greeting = first.received();
  ASSERT_TRUE(std::regex_search(greeting, m, std::regex("\r\n\r\nretry: 1000\nid: (\\d+)\n\n")))
      << greeting;
  const std::string seen = m[1];
  // The client goes away; a change happens it does not hear of.
  ASSERT_EQ(Run({"checkin", "tracker-share", "7"}).exit_code, 0);
  std::this_thread::sleep_for(500ms);  // the watcher has seen it: only a catch-up can tell of it
  EventReader back(port_, token_, "Last-Event-ID: " + seen + "\r\n");
  ASSERT_EQ(back.Head().substr(0, 15), "HTTP/1.1 200 OK");
  json e = back.NextEvent(1s);
  ASSERT_FALSE(e.is_null()) << back.buffered();
  EXPECT_EQ(e["kind"], "workspace");
  EXPECT_FALSE(e.contains("id"));
  EXPECT_TRUE(back.NextEvent(300ms).is_null()) << back.buffered();
  // Up to date: nothing to catch up on.
  EventReader current(port_, token_);
  ASSERT_EQ(current.Head().substr(0, 15), "HTTP/1.1 200 OK");
  current.NextEvent(200ms);
  const std::string now = current.received();
  ASSERT_TRUE(std::regex_search(now, m, std::regex("\nid: (\\d+)\n"))) << now;
  EXPECT_EQ(std::stoll(m[1]), std::stoll(seen) + 1);
  EventReader uptodate(port_, token_, "Last-Event-ID: " + m[1].str() + "\r\n");
  ASSERT_EQ(uptodate.Head().substr(0, 15), "HTTP/1.1 200 OK");
  EXPECT_TRUE(uptodate.NextEvent(300ms).is_null()) << uptodate.buffered();
}

}  // namespace
}  // namespace cascade::testing
