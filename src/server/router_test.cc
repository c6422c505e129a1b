#include "server/router.h"

#include <gtest/gtest.h>

#include "server/http.h"

namespace cascade {
namespace {

TEST(SplitPathTest, SplitsOnSlashesAndIgnoresEmptySegments) {
  struct Case {
    std::string path;
    std::vector<std::string_view> want;
  } cases[] = {
      {"/", {}},
      {"", {}},
      {"/api/v1/goals", {"api", "v1", "goals"}},
      {"/api/v1/goals/", {"api", "v1", "goals"}},
      {"/a//b", {"a", "b"}},
  };
  for (const Case& c : cases) EXPECT_EQ(SplitPath(c.path), c.want) << c.path;
}

TEST(RouterTest, MatchesLiteralsAndCapturesInOrderAdded) {
  Router<int> r;
  r.Add("GET", "/api/v1/goals", 1);
  r.Add("POST", "/api/v1/checkins/batch", 2);
  r.Add("GET", "/api/v1/goals/{id}", 3);
  r.Add("PATCH", "/api/v1/goals/{id}", 4);
  r.Add("GET", "/api/v1/funnels/{id}/analysis", 5);

  auto m = r.Find("GET", "/api/v1/goals/market-share");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->handler, 3);
  EXPECT_EQ(m.params.at("id"), "market-share");

  m = r.Find("PATCH", "/api/v1/goals/x");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->handler, 4);

  m = r.Find("GET", "/api/v1/funnels/launch/analysis");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params.at("id"), "launch");

  m = r.Find("POST", "/api/v1/checkins/batch");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->handler, 2);
}

TEST(RouterTest, TellsAnUnknownPathFromAWrongMethod) {
  Router<int> r;
  r.Add("GET", "/api/v1/goals/{id}", 1);
  r.Add("DELETE", "/api/v1/goals/{id}", 2);

  auto wrong_method = r.Find("POST", "/api/v1/goals/x");
  EXPECT_EQ(wrong_method.route, nullptr);
  EXPECT_TRUE(wrong_method.path_known);
  EXPECT_EQ(wrong_method.allowed, (std::vector<std::string>{"GET", "DELETE"}));

  auto unknown = r.Find("GET", "/api/v1/goals/x/y");
  EXPECT_EQ(unknown.route, nullptr);
  EXPECT_FALSE(unknown.path_known);
  EXPECT_FALSE(r.Find("GET", "/api/v1").path_known);
}

TEST(QueryTest, DecodesPercentEscapesAndPlus) {
  auto q = ParseQuery("as_of=2026-03-01&team=social+media&x=%41%62&flag&empty=");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->find("as_of")->second, "2026-03-01");
  EXPECT_EQ(q->find("team")->second, "social media");
  EXPECT_EQ(q->find("x")->second, "Ab");
  EXPECT_EQ(q->find("flag")->second, "");
  EXPECT_EQ(q->find("empty")->second, "");
}

TEST(QueryTest, RefusesMalformedEscapes) {
  for (const char* bad : {"a=%", "a=%4", "a=%zz", "%g1=x"}) {
    EXPECT_FALSE(ParseQuery(bad)) << bad;
  }
  EXPECT_EQ(PercentDecode("/api/v1/goals/a%2Db", false), "/api/v1/goals/a-b");
  EXPECT_EQ(PercentDecode("a+b", false), "a+b");
}

TEST(HttpRequestTest, HeadersAndQueryLookUps) {
  HttpRequest req;
  req.method = "PATCH";
  req.headers = {{"if-match", "\"3\""}, {"content-type", "application/json"}};
  req.query = {{"as_of", "2026-01-01"}};
  EXPECT_EQ(req.Header("if-match"), "\"3\"");
  EXPECT_EQ(req.Header("x-missing"), "");
  EXPECT_EQ(req.Query("as_of"), "2026-01-01");
  EXPECT_FALSE(req.Query("team"));
  EXPECT_TRUE(req.StateChanging());
}

}  // namespace
}  // namespace cascade
