// End-to-end tests of the dashboard as `cascade serve` delivers it: the page, its files and their
// headers, over real sockets. What the page does in a browser is web/test/*.test.mjs (a file a page).
#include <memory>
#include <regex>

#include "cli_runner.h"
#include "http_client.h"
#include "server_process.h"

namespace cascade::testing {
namespace {

constexpr const char* kCsp =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

class DashboardTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    const RunResult demo = Run({"demo"});
    ASSERT_EQ(demo.exit_code, 0) << demo.err;
    server_ = std::make_unique<ServerProcess>(db_, dir_);
    port_ = server_->port();
    ASSERT_GT(port_, 0) << server_->Out() << server_->Log();
  }

  void TearDown() override {
    server_.reset();
    CliFixture::TearDown();
  }

  // The path of the first file index.html names with `attribute="/assets/…suffix"`.
  static std::string AssetNamed(const std::string& html, const std::string& suffix) {
    std::smatch m;
    const std::regex asset("\"(/assets/app-[A-Za-z0-9_-]+\\" + suffix + ")\"");
    return std::regex_search(html, m, asset) ? m[1].str() : "";
  }

  std::unique_ptr<ServerProcess> server_;
  int port_ = 0;
};

void ExpectDashboardHeaders(const HttpResult& r) {
  EXPECT_EQ(r.Header("content-security-policy"), kCsp);
  EXPECT_EQ(r.Header("x-content-type-options"), "nosniff");
  EXPECT_EQ(r.Header("referrer-policy"), "same-origin");
}

TEST_F(DashboardTest, RootIsThePageWithStrictHeadersNeverCached) {
  HttpClient c(port_);
  const HttpResult r = c.Get("/");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(r.Header("cache-control"), "no-store");
  ExpectDashboardHeaders(r);
  EXPECT_EQ(r.body.rfind("<!doctype html>", 0), 0u) << r.body;
  EXPECT_NE(r.body.find("<title>Cascade</title>"), std::string::npos);
  EXPECT_NE(AssetNamed(r.body, ".js"), "");
  EXPECT_NE(AssetNamed(r.body, ".css"), "");
}

TEST_F(DashboardTest, HashedAssetsAreKeptForAYearAndGzippedWhenAsked) {
  HttpClient c(port_);
  const std::string html = c.Get("/").body;
  for (const std::string suffix : {".js", ".css"}) {
    const std::string path = AssetNamed(html, suffix);
    ASSERT_NE(path, "") << html;
    const HttpResult plain = c.Get(path);
    ASSERT_EQ(plain.status, 200) << path;
    EXPECT_EQ(plain.Header("cache-control"), "public, max-age=31536000, immutable");
    EXPECT_EQ(plain.Header("content-encoding"), "");
    ExpectDashboardHeaders(plain);
    EXPECT_EQ(plain.Header("content-type"), suffix == ".js" ? "text/javascript; charset=utf-8"
                                                            : "text/css; charset=utf-8");
    const HttpResult zipped = c.Request("GET", path, "", {{"Accept-Encoding", "gzip"}});
    ASSERT_EQ(zipped.status, 200);
    EXPECT_EQ(zipped.Header("content-encoding"), "gzip");
    EXPECT_LT(zipped.body.size(), plain.body.size());
    EXPECT_EQ(zipped.body.substr(0, 2), "\x1f\x8b");
  }
}

TEST_F(DashboardTest, ClientSideRoutesGetThePageAndUnknownApiPathsTheJson404) {
  HttpClient c(port_);
  const std::string index = c.Get("/").body;
  for (const std::string path : {"/goal/x", "/goal/launch-share", "/signin?next=%2F", "/review",
                                 "/insight?a=leads&b=organic-visits", "/recognition", "/plan"}) {
    const HttpResult r = c.Get(path);
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.body, index) << path;
    EXPECT_EQ(r.Header("cache-control"), "no-store") << path;
    ExpectDashboardHeaders(r);
  }
  for (const std::string path : {"/api/v1/no-such-thing", "/api/nothing", "/assets/app-gone.js"}) {
    const HttpResult r = c.Get(path);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(r.Header("content-type"), "application/json") << path;
    const nlohmann::json j = r.Json();
    ASSERT_TRUE(j.is_object()) << r.body;
    EXPECT_EQ(j["error"]["code"], "not_found") << path;
    EXPECT_EQ(j["error"]["message"], "there is nothing at " + path) << path;
  }
  // The API's own routes are untouched: still 401 without credentials.
  EXPECT_EQ(c.Get("/api/v1/goals").status, 401);
  // Other methods on a page are not the dashboard's.
  EXPECT_EQ(c.Post("/goal/x", std::string("{}")).status, 404);
}

// A page loaded afresh keeps the session cookie but not the CSRF token it got at sign-in: /me
// gives it back to a cookie (never to a bearer token), and it works for writes.
TEST_F(DashboardTest, MeGivesASessionItsCsrfTokenBack) {
  const RunResult added =
      RunWithInput({"user", "add", "ava", "--person", "ava", "--password-stdin"}, "ava-password-1\n");
  ASSERT_EQ(added.exit_code, 0) << added.err;
  HttpClient c(port_);
  const HttpResult login =
      c.Post("/api/v1/login", nlohmann::json{{"name", "ava"}, {"password", "ava-password-1"}});
  ASSERT_EQ(login.status, 200) << login.body;
  const std::string csrf = login.Json()["csrf_token"];
  const std::string set_cookie = login.Header("set-cookie");
  const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
  ASSERT_EQ(cookie.rfind("cascade_session=", 0), 0u) << set_cookie;

  HttpClient browser(port_);
  browser.defaults["Cookie"] = cookie;
  const HttpResult me = browser.Get("/api/v1/me");
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.Json(), (nlohmann::json{{"account", "ava"},
                                       {"role", "admin"},
                                       {"person", "ava"},
                                       {"team", "marketing"},
                                       {"csrf_token", csrf}}));
  const HttpResult comment = browser.Request(
      "POST", "/api/v1/comments", R"({"goal":"market-share","text":"After a reload"})",
      {{"X-CSRF-Token", me.Json()["csrf_token"]}});
  EXPECT_EQ(comment.status, 201) << comment.body;

  const RunResult token = Run({"--json", "token", "create", "ava"});
  ASSERT_EQ(token.exit_code, 0) << token.err;
  HttpClient tool(port_);
  tool.defaults["Authorization"] = "Bearer " + token.Json()["secret"].get<std::string>();
  const HttpResult by_token = tool.Get("/api/v1/me");
  ASSERT_EQ(by_token.status, 200) << by_token.body << " secret: " << token.out;
  EXPECT_FALSE(by_token.Json().contains("csrf_token")) << by_token.body;

  ASSERT_EQ(browser.Request("POST", "/api/v1/logout", "", {{"X-CSRF-Token", csrf}}).status, 204);
  EXPECT_EQ(browser.Get("/api/v1/me").status, 401);
}

}  // namespace
}  // namespace cascade::testing
