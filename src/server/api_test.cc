#include "server/api.h"

#include <unistd.h>

#include <filesystem>
#include <functional>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

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

  HttpResponse Get(const std::string& path) {
    HttpRequest req;
    req.method = "GET";
    req.path = path;
    req.target = path;
    return api_->Handle(req);
  }

  std::filesystem::path dir_;
  std::unique_ptr<Api> api_;
};

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

}  // namespace
}  // namespace cascade
