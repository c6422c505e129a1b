#include "server/api.h"

#include <unistd.h>

#include <filesystem>
#include <functional>
#include <set>
#include <stdexcept>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <zlib.h>

#include "server/api_internal.h"
#include "server/auth.h"
#include "server/request_for_test.h"
#include "store/store.h"

namespace cascade {
namespace {

using nlohmann::json;

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cascade-api-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto api = Api::Open(ApiOptions{.db_url = (dir_ / "api.db").string(), .connections = 2});
    ASSERT_TRUE(api.ok()) << api.error().message;
    api_ = std::move(*api);
  }
  void TearDown() override {
    api_.reset();
    std::filesystem::remove_all(dir_);
  }

  HttpResponse Get(const std::string& path) { return Send("GET", path, "", {}); }

  HttpResponse Send(const std::string& method, const std::string& path, const std::string& body,
                    std::vector<std::pair<std::string, std::string>> headers) {
    HttpRequest req = RequestFor(method, path, body, std::move(headers));
    return api_->Handle(req);
  }

  // A bearer token of a new admin account.
  std::string AdminToken() {
    auto store = OpenStore((dir_ / "api.db").string());
    EXPECT_TRUE(store.ok());
    auto ws = (*store)->Load();
    EXPECT_TRUE(ws.ok());
    AuthService auth((*store)->accounts());
    EXPECT_TRUE(auth.AddUser(*ws, "admin", "", Role::kAdmin, "").ok());
    auto token = auth.CreateToken("admin", "tests", 1'700'000'000);
    EXPECT_TRUE(token.ok());
    return token->secret;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Api> api_;
};

std::string Gunzip(std::string_view data) {
  z_stream z{};
  EXPECT_EQ(inflateInit2(&z, 15 + 16), Z_OK);
  std::string out(1 << 20, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  inflateEnd(&z);
  return out;
}

std::string HeaderOf(const HttpResponse& res, const std::string& name) {
  for (const auto& [n, v] : res.headers) {
    if (n == name) return v;
  }
  return "";
}

TEST(GuardedTest, AnExceptionBecomesA500WithAGenericMessage) {
  const HttpResponse ok =
      Guarded([] { return ErrorResponse(404, "not_found", "no"); }, "GET", "/x");
  EXPECT_EQ(ok.status, 404);
  const HttpResponse thrown =
      Guarded([]() -> HttpResponse { throw std::domain_error("Random variate x is -nan"); }, "GET",
              "/api/v1/correlation");
  EXPECT_EQ(thrown.status, 500);
  EXPECT_EQ(json::parse(thrown.Body()),
            (json{{"error",
                   {{"code", "internal"},
                    {"message", "the server failed; the request was not completed"},
                    {"field", nullptr}}}}));
  EXPECT_EQ(Guarded([]() -> HttpResponse { throw 42; }, "GET", "/x").status, 500);
}

TEST_F(ApiTest, OpenApiDocumentsExactlyTheRoutesServed) {
  const json doc = json::parse(api_->OpenApiJson());
  EXPECT_EQ(doc["openapi"], "3.1.0");
  std::set<std::pair<std::string, std::string>> documented;
  for (const auto& [path, ops] : doc["paths"].items()) {
    for (const auto& [method, op] : ops.items()) {
      std::string m = method;
      for (char& c : m) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      documented.emplace(m, path);
      EXPECT_TRUE(op.contains("responses")) << m << " " << path;
      EXPECT_TRUE(op.contains("summary")) << m << " " << path;
    }
  }
  const auto routes = api_->Routes();
  const std::set<std::pair<std::string, std::string>> served(routes.begin(), routes.end());
  EXPECT_EQ(documented, served);
  EXPECT_EQ(routes.size(), served.size()) << "a route is registered twice";

  // Every $ref points at a schema the document defines.
  std::function<void(const json&)> check_refs = [&](const json& j) {
    if (j.is_object()) {
      if (auto it = j.find("$ref"); it != j.end()) {
        const std::string ref = *it;
        const std::string prefix = "#/components/schemas/";
        ASSERT_EQ(ref.rfind(prefix, 0), 0u) << ref;
        EXPECT_TRUE(doc["components"]["schemas"].contains(ref.substr(prefix.size()))) << ref;
      }
      for (const auto& [k, v] : j.items()) check_refs(v);
    } else if (j.is_array()) {
      for (const json& v : j) check_refs(v);
    }
  };
  check_refs(doc);
}

TEST_F(ApiTest, EveryEntityKindHasTheFiveOperations) {
  const auto routes = api_->Routes();
  const std::set<std::pair<std::string, std::string>> served(routes.begin(), routes.end());
  for (const char* kind : {"teams", "people", "goals", "kpis", "actions", "funnels", "experiments"}) {
    const std::string base = std::string("/api/v1/") + kind;
    for (const auto& [method, path] :
         std::vector<std::pair<std::string, std::string>>{{"GET", base},
                                                          {"POST", base},
                                                          {"GET", base + "/{id}"},
                                                          {"PUT", base + "/{id}"},
                                                          {"PATCH", base + "/{id}"},
                                                          {"DELETE", base + "/{id}"}}) {
      EXPECT_TRUE(served.count({method, path})) << method << " " << path;
    }
  }
}

TEST_F(ApiTest, RefusalsBeforeAnyHandler) {
  HttpResponse res = Get("/healthz");
  EXPECT_EQ(res.status, 200);
  res = Get("/api/v1/goals");
  EXPECT_EQ(res.status, 401);
  EXPECT_EQ(json::parse(res.body)["error"]["code"], "unauthenticated");
  res = Get("/api/v1/nothing");
  EXPECT_EQ(res.status, 404);
  HttpRequest req;
  req.method = "DELETE";
  req.path = "/api/v1/goals";
  res = api_->Handle(req);
  EXPECT_EQ(res.status, 405);
  const json err = json::parse(res.body)["error"];
  EXPECT_EQ(err["code"], "method_not_allowed");
  EXPECT_TRUE(err.contains("field"));
}

TEST_F(ApiTest, CheckinListDatesOutsideTheEntryRangeAre400sStatingIt) {
  const std::string auth = "Bearer " + AdminToken();
  for (const std::string query :
       {"from=1899-12-31", "to=2200-01-01", "from=0001-01-01&to=2026-01-01"}) {
    SCOPED_TRACE(query);
    const HttpResponse r = Send("GET", "/api/v1/checkins?" + query, "", {{"authorization", auth}});
    EXPECT_EQ(r.status, 400);
    const json body = json::parse(r.Body());
    const std::string name = query.substr(0, query.find('='));
    EXPECT_EQ(body["error"]["field"], name);
    EXPECT_EQ(body["error"]["message"],
              name + " " + query.substr(query.find('=') + 1, 10) +
                  " is outside the dates Cascade accepts; use a date from 1900-01-01 to "
                  "2199-12-31");
  }
  for (const std::string path :
       {"/api/v1/checkins?as_of=2200-01-01", "/api/v1/teams?as_of=2200-01-01"}) {
    const HttpResponse r = Send("GET", path, "", {{"authorization", auth}});
    EXPECT_EQ(r.status, 400) << path;
    EXPECT_EQ(
        json::parse(r.Body())["error"]["message"],
        "as_of 2200-01-01 is outside the dates Cascade accepts; use a date from 1900-01-01 to "
        "2199-12-31");
  }
  EXPECT_EQ(
      Send("GET", "/api/v1/checkins?from=1900-01-01&to=2199-12-31", "", {{"authorization", auth}})
          .status,
      200);
}

TEST_F(ApiTest, LargeComputedBodiesAreGzippedWhenAcceptedAndChangeWithTheWorkspace) {
  const std::string auth = "Bearer " + AdminToken();
  for (int i = 0; i < 12; ++i) {
    const json goal = {{"id", "goal-" + std::to_string(i)},
                       {"title", "Reach goal number " + std::to_string(i) + " this year"},
                       {"level", "macro"},
                       {"start", "2026-01-01"},
                       {"due", "2026-12-31"}};
    HttpResponse res = Send("POST", "/api/v1/goals", goal.dump(),
                            {{"authorization", auth}, {"content-type", "application/json"}});
    ASSERT_EQ(res.status, 201) << res.Body();
  }
  const std::string list = "/api/v1/goals?limit=1000&as_of=2026-06-30";
  HttpResponse plain = Send("GET", list, "", {{"authorization", auth}});
  ASSERT_EQ(plain.status, 200);
  ASSERT_GE(plain.Body().size(), 1024u);
  EXPECT_EQ(json::parse(plain.Body())["total"], 12);
  EXPECT_EQ(HeaderOf(plain, "Content-Encoding"), "");
  EXPECT_EQ(HeaderOf(plain, "Vary"), "Accept-Encoding");

  HttpResponse packed =
      Send("GET", list, "", {{"authorization", auth}, {"accept-encoding", "gzip, deflate, br"}});
  ASSERT_EQ(packed.status, 200);
  EXPECT_EQ(HeaderOf(packed, "Content-Encoding"), "gzip");
  EXPECT_EQ(HeaderOf(packed, "Vary"), "Accept-Encoding");
  EXPECT_LT(packed.Body().size(), plain.Body().size() / 3);
  EXPECT_EQ(Gunzip(packed.Body()), plain.Body());
  // Refused with q=0: sent as it is.
  HttpResponse refused = Send("GET", list, "", {{"authorization", auth}, {"accept-encoding", "gzip;q=0"}});
  EXPECT_EQ(HeaderOf(refused, "Content-Encoding"), "");
  EXPECT_EQ(refused.Body(), plain.Body());

  // A write makes a new workspace version: both encodings say so at once.
  HttpResponse added = Send("POST", "/api/v1/goals",
                            R"({"id":"late","title":"Added later","level":"micro","parent":"goal-0"})",
                            {{"authorization", auth}, {"content-type", "application/json"}});
  ASSERT_EQ(added.status, 201) << added.Body();
  packed = Send("GET", list, "", {{"authorization", auth}, {"accept-encoding", "gzip"}});
  EXPECT_EQ(json::parse(Gunzip(packed.Body()))["total"], 13);
  plain = Send("GET", list, "", {{"authorization", auth}});
  EXPECT_EQ(json::parse(plain.Body())["total"], 13);

  // Small bodies go as they are, whatever the client accepts.
  HttpResponse small = Send("GET", "/api/v1/goals?limit=1&as_of=2026-06-30", "",
                            {{"authorization", auth}, {"accept-encoding", "gzip"}});
  ASSERT_EQ(small.status, 200);
  EXPECT_LT(small.Body().size(), 1024u);
  EXPECT_EQ(HeaderOf(small, "Content-Encoding"), "");
  EXPECT_EQ(json::parse(small.Body())["goals"].size(), 1u);
}

}  // namespace
}  // namespace cascade
