// A tiny blocking HTTP/1.1 client over a POSIX socket, for the end-to-end tests of `cascade
// serve`: one keep-alive connection, Content-Length bodies only (all the server sends), and raw
// socket helpers for the tests that misbehave on purpose (slow clients, oversized requests).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace cascade::testing {

struct HttpResult {
  int status = 0;  // 0: no response (connection closed or timed out)
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;

  nlohmann::json Json() const {
    return nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  }
  std::string Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? "" : it->second;
  }
};

// A connected socket to 127.0.0.1:port, -1 on failure.
inline int ConnectLocal(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

inline bool SendAll(int fd, const std::string& data) {
  size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

// Reads some bytes, waiting at most `timeout`; "" with `closed` set when the peer closed (or
// reset), "" with `closed` unset on timeout.
inline std::string ReadSome(int fd, std::chrono::milliseconds timeout, bool& closed) {
  closed = false;
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return "";
  char buf[65536];
  const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
  if (n <= 0) {
    closed = true;
    return "";
  }
  return std::string(buf, static_cast<size_t>(n));
}

// Reads one response from `fd` (`pending` holds bytes already read past the previous one). The
// response to a HEAD request (`head_request`) has no body, whatever its Content-Length says.
inline HttpResult ReadResponse(int fd, std::string& pending,
                               std::chrono::milliseconds timeout = std::chrono::seconds(30),
                               bool head_request = false) {
  HttpResult r;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto remaining = [&] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(deadline -
                                                                 std::chrono::steady_clock::now());
  };
  size_t header_end;
  while ((header_end = pending.find("\r\n\r\n")) == std::string::npos) {
    if (remaining().count() <= 0) return r;
    bool closed = false;
    std::string more = ReadSome(fd, remaining(), closed);
    if (closed) return r;
    pending += more;
  }
  const std::string head = pending.substr(0, header_end);
  pending.erase(0, header_end + 4);
  size_t line_end = head.find("\r\n");
  const std::string status_line = head.substr(0, line_end);
  if (status_line.size() < 12) return r;
  r.status = std::stoi(status_line.substr(9, 3));
  while (line_end != std::string::npos) {
    const size_t start = line_end + 2;
    line_end = head.find("\r\n", start);
    const std::string line = head.substr(start, line_end == std::string::npos ? std::string::npos
                                                                               : line_end - start);
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    size_t v = colon + 1;
    while (v < line.size() && line[v] == ' ') ++v;
    r.headers[name] = line.substr(v);
  }
  const size_t length =
      head_request || !r.headers.count("content-length") ? 0 : std::stoul(r.headers["content-length"]);
  while (pending.size() < length) {
    if (remaining().count() <= 0) break;
    bool closed = false;
    std::string more = ReadSome(fd, remaining(), closed);
    if (closed) break;
    pending += more;
  }
  r.body = pending.substr(0, length);
  pending.erase(0, std::min(length, pending.size()));
  return r;
}

// A keep-alive client; reconnects when the server closed the connection.
class HttpClient {
 public:
  explicit HttpClient(int port) : port_(port) {}
  ~HttpClient() { Close(); }
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Headers sent with every request (Authorization, Cookie, …).
  std::map<std::string, std::string> defaults;

  HttpResult Request(const std::string& method, const std::string& target,
                     const std::string& body = "",
                     const std::map<std::string, std::string>& headers = {}) {
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (fd_ < 0) {
        fd_ = ConnectLocal(port_);
        pending_.clear();
        if (fd_ < 0) return {};
      }
      std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
      std::map<std::string, std::string> all = defaults;
      for (const auto& [k, v] : headers) all[k] = v;
      if (!body.empty() && !all.count("Content-Type")) all["Content-Type"] = "application/json";
      for (const auto& [k, v] : all) req += k + ": " + v + "\r\n";
      if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
        req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
      }
      req += "\r\n" + body;
      if (SendAll(fd_, req)) {
        HttpResult r = ReadResponse(fd_, pending_, std::chrono::seconds(30), method == "HEAD");
        if (r.status != 0) {
          if (r.Header("connection") == "close") Close();
          return r;
        }
      }
      Close();  // a stale keep-alive connection: try once more on a new one
    }
    return {};
  }

  HttpResult Get(const std::string& target) { return Request("GET", target); }
  HttpResult Post(const std::string& target, const std::string& body) {
    return Request("POST", target, body);
  }
  HttpResult Post(const std::string& target, const nlohmann::json& body) {
    return Request("POST", target, body.dump());
  }
  HttpResult Patch(const std::string& target, const nlohmann::json& body,
                   const std::map<std::string, std::string>& headers = {}) {
    return Request("PATCH", target, body.dump(), headers);
  }
  HttpResult Put(const std::string& target, const nlohmann::json& body) {
    return Request("PUT", target, body.dump());
  }
  HttpResult Delete(const std::string& target,
                    const std::map<std::string, std::string>& headers = {}) {
    return Request("DELETE", target, "", headers);
  }

  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int port_;
  int fd_ = -1;
  std::string pending_;
};

}  // namespace cascade::testing
