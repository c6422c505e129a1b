#include "io/insight_json.h"

#include <gtest/gtest.h>

#include "io/review_report.h"

namespace cascade {
namespace {

Date D(const char* text) { return *Date::Parse(text); }

TEST(InsightJsonTest, CorrelationUsesTheSpecFieldNames) {
  CorrelationResult r;
  r.period = Period::kMonth;
  r.periods = {D("2026-01-01")};
  r.a = {1.5};
  r.b = {std::nullopt};
  r.lags = {LagStats{0, 4, 0.5, 2.0, 0.5, ""},
            LagStats{1, 2, std::nullopt, std::nullopt, std::nullopt, "fewer than 3 pairs"}};
  r.best = 0;
  const auto j = CorrelationToJson(r, "x", "y", D("2026-02-01"));
  EXPECT_EQ(j["period"], "month");
  EXPECT_EQ(j["max_lag"], 1);
  EXPECT_EQ(j["as_of"], "2026-02-01");
  EXPECT_EQ(j["series"][0], (nlohmann::json{{"period", "2026-01-01"}, {"a", 1.5}, {"b", nullptr}}));
  EXPECT_EQ(j["lags"][0], (nlohmann::json{{"lag", 0},
                                          {"r", 0.5},
                                          {"n", 4},
                                          {"p_value", 0.5},
                                          {"slope", 2.0},
                                          {"reason", nullptr}}));
  EXPECT_TRUE(j["lags"][1]["r"].is_null());
  EXPECT_EQ(j["lags"][1]["reason"], "fewer than 3 pairs");
  EXPECT_TRUE(j["lags"][1]["p_value"].is_null());
  EXPECT_EQ(j["best"], (nlohmann::json{{"lag", 0}, {"r", 0.5}}));
  r.best.reset();
  EXPECT_TRUE(CorrelationToJson(r, "x", "y", D("2026-02-01"))["best"].is_null());
}

TEST(InsightJsonTest, FunnelAllocationAndExperimentFields) {
  Workspace ws;
  Kpi& visits = ws.kpis.emplace_back();
  visits.id = "visits";
  visits.goal = "g";
  visits.name = "Visits";
  visits.unit = "visits";
  const Funnel f{"f", "Funnel", {"visits", "gone"}, 1};
  const FunnelResult fr = ComputeFunnel(f.stages, {100, 0}, 5.0);
  const auto fj = FunnelToJson(ws, f, fr, D("2026-01-01"));
  EXPECT_EQ(fj["stages"][0]["name"], "Visits");
  EXPECT_EQ(fj["stages"][0]["unit"], "visits");
  EXPECT_EQ(fj["stages"][1]["name"], "gone");
  for (const char* key : {"kpi", "value", "rate", "required", "gap"}) {
    EXPECT_TRUE(fj["stages"][1].contains(key)) << key;
  }
  EXPECT_EQ(fj["overall"], 0.0);
  EXPECT_EQ(fj["target"], 5.0);

  auto alloc = AllocateBudget({{"a", 1, 0, std::nullopt}, {"b", 0, 10, std::nullopt}}, 100);
  ASSERT_TRUE(alloc);
  const auto aj = AllocationToJson(*alloc);
  EXPECT_EQ(aj["allocations"][0]["goal"], "a");
  EXPECT_TRUE(aj["allocations"][0]["bound"].is_null());
  EXPECT_EQ(aj["allocations"][1]["bound"], "min");
  for (const char* key : {"goal", "growth_potential", "amount", "share"}) {
    EXPECT_TRUE(aj["allocations"][0].contains(key)) << key;
  }
  EXPECT_TRUE(aj.contains("total_uplift"));

  const Experiment e{"pilot", "g", "Pilot", {100, 0}, {100, 0}, 1};
  auto er = AnalyzeExperiment(e.control, e.variant);
  ASSERT_TRUE(er);
  const auto ej = ExperimentToJson(e, *er);
  EXPECT_EQ(ej["id"], "pilot");
  EXPECT_EQ(ej["control"]["visitors"], 100);
  EXPECT_TRUE(ej["relative_lift"].is_null());
  EXPECT_TRUE(ej["z"].is_null());
  EXPECT_TRUE(ej["p_value"].is_null());
  EXPECT_EQ(ej["ci95"], nlohmann::json({0.0, 0.0}));
  EXPECT_EQ(ej["significant"], false);
}

TEST(InsightJsonTest, ScorecardAndLeaderboard) {
  Scorecard s;
  s.id = "dana";
  s.name = "Dana";
  s.points = 12;
  s.rank = 1;
  const auto j = ScorecardToJson(s);
  EXPECT_FALSE(j.contains("rank"));
  EXPECT_TRUE(j["mean_progress"].is_null());
  EXPECT_TRUE(j["kpis_not_stale"].is_null());
  const auto board = LeaderboardToJson({s}, D("2026-03-01"));
  EXPECT_EQ(board["leaderboard"][0]["rank"], 1);
  EXPECT_EQ(board["as_of"], "2026-03-01");
}

TEST(ReviewReportTest, MarkdownAndHtmlEscapeUserText) {
  Workspace ws;
  Goal& g = ws.goals.emplace_back();
  g.id = "g";
  g.title = "Grow <fast> | *now*";
  g.owner = "o";
  ws.comments.push_back({1, "g", "ava", D("2026-01-02"), "a|b <script>"});
  const Rollup rollup = ComputeRollup(ws, D("2026-01-05"));
  auto agenda = BuildReviewAgenda(ws, rollup, "");
  ASSERT_TRUE(agenda);
  const std::string md = ReviewAgendaToMarkdown(ws, rollup, *agenda);
  EXPECT_NE(md.find("# Review of all teams as of 2026-01-05"), std::string::npos);
  EXPECT_NE(md.find("a\\|b \\<script\\>"), std::string::npos) << md;
  EXPECT_NE(md.find("## Off track (0)"), std::string::npos);
  const std::string html = ReviewAgendaToHtml(ws, rollup, *agenda);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("a|b &lt;script&gt;"), std::string::npos);
  EXPECT_NE(html.find("</html>"), std::string::npos);
  Review recorded;
  recorded.seq = 4;
  recorded.date = D("2026-01-05");
  EXPECT_NE(ReviewAgendaToMarkdown(ws, rollup, *agenda, &recorded).find("review #4"),
            std::string::npos);
}

}  // namespace
}  // namespace cascade
