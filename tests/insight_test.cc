// End-to-end tests of the analytics commands (correlate, funnel, allocate, experiment, review,
// scorecard, comment): their --json on tests/data/insight.yaml against numbers worked out by hand,
// their refusals (exit 2, nothing written), and what they make of the demo workspace.
#include <gmock/gmock.h>

#include <algorithm>
#include <cmath>

#include "cli_runner.h"

namespace cascade::testing {
namespace {

using ::testing::HasSubstr;

constexpr const char* kAsOf = "2026-03-01";

class InsightTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    const RunResult r = Run({"apply", TestData("insight.yaml")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  // `cascade --json --as-of 2026-03-01 ARGS…`, expecting success.
  nlohmann::json Json(std::vector<std::string> args, const char* as_of = kAsOf) const {
    args.insert(args.begin(), {"--json", "--as-of", as_of});
    const RunResult r = Run(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.exit_code == 0 ? r.Json() : nlohmann::json();
  }
  // Expects exit 2 with one "error: …" line mentioning `message`, and no change to the workspace.
  void ExpectRefused(std::vector<std::string> args, const std::string& message) const {
    const std::string before = Snapshot();
    args.insert(args.begin(), {"--as-of", kAsOf});
    const RunResult r = Run(args);
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_THAT(r.err, HasSubstr("error: ")) << r.err;
    EXPECT_THAT(r.err, HasSubstr(message)) << r.err;
    EXPECT_EQ(Snapshot(), before);
  }
  std::string Snapshot() const {
    return Run({"export", "--format", "json"}).out + Run({"--json", "history"}).out +
           Run({"--json", "review", "list"}).out;
  }
};

double D(const nlohmann::json& v) { return v.get<double>(); }

// ---- correlate --------------------------------------------------------------------------------

TEST_F(InsightTest, CorrelateWeeklyLagTable) {
  const auto j = Json({"correlate", "visits", "leads", "--period", "week", "--max-lag", "4"});
  EXPECT_EQ(j["a"], "visits");
  EXPECT_EQ(j["b"], "leads");
  EXPECT_EQ(j["period"], "week");
  EXPECT_EQ(j["max_lag"], 4);
  // ISO weeks from Monday 2026-01-05: visits 15, 20, 25, 0, 30, 40 (the check-ins of Sunday
  // 01-11 and Monday 01-19 fall in different weeks); leads 100, 120, 120, 130, 130, 90.
  ASSERT_EQ(j["series"].size(), 6u);
  EXPECT_EQ(j["series"][0]["period"], "2026-01-05");
  EXPECT_EQ(j["series"][5]["period"], "2026-02-09");
  const double a[] = {15, 20, 25, 0, 30, 40};
  const double b[] = {100, 120, 120, 130, 130, 90};
  for (size_t i = 0; i < 6; ++i) {
    EXPECT_NEAR(D(j["series"][i]["a"]), a[i], 1e-9) << i;
    EXPECT_NEAR(D(j["series"][i]["b"]), b[i], 1e-9) << i;
  }
  const auto& lags = j["lags"];
  ASSERT_EQ(lags.size(), 5u);
  // Lag 0: centred sums Sxx = 2800/3, Syy = 1350, Sxy = −550; t with 4 degrees of freedom.
  EXPECT_EQ(lags[0]["lag"], 0);
  EXPECT_EQ(lags[0]["n"], 6);
  EXPECT_NEAR(D(lags[0]["r"]), -550 / std::sqrt(2800.0 / 3 * 1350), 1e-9);
  EXPECT_NEAR(D(lags[0]["slope"]), -550 / (2800.0 / 3), 1e-9);
  EXPECT_NEAR(D(lags[0]["p_value"]), 0.32384850157043554, 1e-6);
  // Lag 1: Sxx = 530, Syy = 1080, Sxy = −470; 3 degrees of freedom.
  EXPECT_EQ(lags[1]["n"], 5);
  EXPECT_NEAR(D(lags[1]["r"]), -470 / std::sqrt(530.0 * 1080), 1e-9);
  EXPECT_NEAR(D(lags[1]["slope"]), -470 / 530.0, 1e-9);
  EXPECT_NEAR(D(lags[1]["p_value"]), 0.2633577494881556, 1e-6);
  // Lag 2: Sxx = 350, Syy = 1075, Sxy = 600; with 2 degrees of freedom p = 1 − |r|.
  const double r2 = 600 / std::sqrt(350.0 * 1075);
  EXPECT_EQ(lags[2]["n"], 4);
  EXPECT_NEAR(D(lags[2]["r"]), r2, 1e-9);
  EXPECT_NEAR(D(lags[2]["slope"]), 600 / 350.0, 1e-9);
  EXPECT_NEAR(D(lags[2]["p_value"]), 1 - r2, 1e-6);
  // Lag 3: r = −√3/2; with 1 degree of freedom p = 1 − 2·asin(|r|)/π = 1/3.
  EXPECT_EQ(lags[3]["n"], 3);
  EXPECT_NEAR(D(lags[3]["r"]), -std::sqrt(3.0) / 2, 1e-9);
  EXPECT_NEAR(D(lags[3]["slope"]), -4, 1e-9);
  EXPECT_NEAR(D(lags[3]["p_value"]), 1.0 / 3, 1e-6);
  // Lag 4: 2 pairs, too few.
  EXPECT_EQ(lags[4]["n"], 2);
  EXPECT_TRUE(lags[4]["r"].is_null());
  EXPECT_TRUE(lags[4]["p_value"].is_null());
  EXPECT_TRUE(lags[4]["slope"].is_null());
  EXPECT_EQ(j["best"]["lag"], 2);
  EXPECT_NEAR(D(j["best"]["r"]), r2, 1e-9);
}

TEST_F(InsightTest, CorrelateMonthlyAndBeforeAnyData) {
  const auto month = Json({"correlate", "visits", "leads", "--period", "month", "--max-lag", "0"});
  ASSERT_EQ(month["series"].size(), 2u);
  EXPECT_EQ(month["series"][0]["period"], "2026-01-01");
  EXPECT_NEAR(D(month["series"][0]["a"]), 60, 1e-9);
  EXPECT_NEAR(D(month["series"][0]["b"]), 470, 1e-9);
  EXPECT_NEAR(D(month["series"][1]["a"]), 70, 1e-9);
  EXPECT_NEAR(D(month["series"][1]["b"]), 220, 1e-9);
  EXPECT_EQ(month["lags"][0]["n"], 2);
  EXPECT_TRUE(month["lags"][0]["r"].is_null());
  EXPECT_TRUE(month["best"].is_null());
  // As of the last day of 2025 there is nothing yet.
  const auto early = Json({"correlate", "visits", "leads"}, "2025-12-31");
  EXPECT_TRUE(early["series"].empty());
  EXPECT_EQ(early["period"], "week");   // the default
  EXPECT_EQ(early["lags"].size(), 5u);  // lags 0 … 4 by default
  EXPECT_TRUE(early["best"].is_null());
}

TEST_F(InsightTest, CorrelateTextShowsTheTableAndTheBestLag) {
  const RunResult r = Run({"--as-of", kAsOf, "correlate", "visits", "leads"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("◀ best"));
  EXPECT_THAT(r.out, HasSubstr("Visits leads Leads by 2 weeks"));
  EXPECT_THAT(r.out, HasSubstr("█"));
  EXPECT_THAT(r.out, ::testing::Not(HasSubstr("\x1b[")));  // no colour when not a terminal
}

TEST_F(InsightTest, CorrelateRefusals) {
  ExpectRefused({"correlate", "visits", "nope"}, "kpi 'nope' does not exist");
  ExpectRefused({"correlate", "nope", "leads"}, "kpi 'nope' does not exist");
  ExpectRefused({"correlate", "visits", "leads", "--period", "quarter"}, "--period 'quarter'");
  ExpectRefused({"correlate", "visits", "leads", "--max-lag=-1"}, "--max-lag -1");
  ExpectRefused({"correlate", "visits", "leads", "--max-lag", "two"}, "--max-lag 'two'");
  ExpectRefused({"correlate", "visits", "leads", "--max-lag", "5000"}, "max lag 5000");
}

TEST_F(InsightTest, CorrelateBoundsTheLagAndTheSpan) {
  ExpectRefused({"correlate", "visits", "leads", "--max-lag", "367"},
                "error: max lag 367 is not allowed; use 0 to 366 periods");
  EXPECT_EQ(Run({"--as-of", kAsOf, "--json", "correlate", "visits", "leads", "--max-lag", "366"})
                .exit_code,
            0);
  // A check-in of 1900 (the first day Cascade accepts) makes the daily series 46,000 days long.
  const RunResult added = Run({"checkin", "visits", "1", "--date", "1900-01-01"});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  const RunResult day = Run({"--as-of", kAsOf, "correlate", "visits", "leads", "--period", "day"});
  EXPECT_EQ(day.exit_code, 2);
  EXPECT_EQ(day.out, "");
  EXPECT_THAT(day.err, HasSubstr("error: the check-ins of 'visits' and 'leads' run from 1900-01-01 "
                                 "to 2026-02-"));
  EXPECT_THAT(day.err, HasSubstr(" days; a correlation spans at most 5000 periods: use a longer "
                                 "period (week or month), or correct the check-ins dated far "
                                 "from the others\n"));
  EXPECT_EQ(std::count(day.err.begin(), day.err.end(), '\n'), 1);
  // By month it is 1,514 periods (January 1900 to February 2026): within the bound.
  const auto month = Json({"correlate", "visits", "leads", "--period", "month", "--max-lag", "0"});
  EXPECT_EQ(month["series"].size(), 1514u);
}

TEST_F(InsightTest, EnteredNumbersAndDatesAreBoundedAndTheBoundIsStated) {
  ExpectRefused({"checkin", "leads", "1e307"},
                "error: check-in of kpi 'leads': value 1e307 is out of range; value must be a "
                "number between -1e15 and "
                "1e15\n");
  ExpectRefused({"checkin", "leads", "-2e15"}, "value -2e15 is out of range");
  ExpectRefused({"checkin", "leads", "5", "--date", "0001-01-01"},
                "error: check-in of kpi 'leads': --date 0001-01-01 is outside the dates Cascade "
                "accepts; use a date from "
                "1900-01-01 to 2199-12-31\n");
  ExpectRefused({"checkin", "leads", "5", "--date", "2200-01-01"}, "--date 2200-01-01 is outside");
  ExpectRefused({"kpi", "set", "leads", "--target", "1e16"},
                "--target 1e16 is out of range; --target must be a number between -1e15 and 1e15");
  ExpectRefused({"funnel", "launch", "--target", "1e300"}, "--target 1e300 is out of range");
  const RunResult as_of = Run({"--as-of", "0001-01-01", "status"});
  EXPECT_EQ(as_of.exit_code, 2);
  EXPECT_EQ(as_of.err,
            "error: --as-of 0001-01-01 is outside the dates Cascade accepts; use a date from "
            "1900-01-01 to 2199-12-31\n");
  // The bounds themselves are allowed.
  EXPECT_EQ(Run({"checkin", "leads", "1e15", "--date", "2026-02-01"}).exit_code, 0);
  EXPECT_EQ(Run({"checkin", "leads", "-1e15", "--date", "1900-01-01"}).exit_code, 0);
}

// ---- funnel -----------------------------------------------------------------------------------

TEST_F(InsightTest, FunnelRatesAndRequiredVolumes) {
  const auto j = Json({"funnel", "launch", "--target", "100"});
  EXPECT_EQ(j["funnel"], "launch");
  EXPECT_EQ(j["name"], "Launch funnel");
  EXPECT_NEAR(D(j["target"]), 100, 1e-9);
  const auto& s = j["stages"];
  ASSERT_EQ(s.size(), 3u);
  // 20,000 impressions → 1,000 clicks (5%) → 50 sign-ups (5%); overall 0.25%.
  EXPECT_EQ(s[0]["kpi"], "impressions");
  EXPECT_NEAR(D(s[0]["value"]), 20000, 1e-9);
  EXPECT_TRUE(s[0]["rate"].is_null());
  EXPECT_NEAR(D(s[1]["rate"]), 0.05, 1e-9);
  EXPECT_NEAR(D(s[2]["rate"]), 0.05, 1e-9);
  EXPECT_NEAR(D(j["overall"]), 0.0025, 1e-9);
  // 100 sign-ups need 100 / 0.05 = 2,000 clicks and 2,000 / 0.05 = 40,000 impressions.
  EXPECT_NEAR(D(s[2]["required"]), 100, 1e-9);
  EXPECT_NEAR(D(s[1]["required"]), 2000, 1e-9);
  EXPECT_NEAR(D(s[0]["required"]), 40000, 1e-9);
  EXPECT_NEAR(D(s[2]["gap"]), 50, 1e-9);
  EXPECT_NEAR(D(s[1]["gap"]), 1000, 1e-9);
  EXPECT_NEAR(D(s[0]["gap"]), 20000, 1e-9);

  // Without a target: rates only; `funnel show ID` is the same.
  const auto plain = Json({"funnel", "show", "launch"});
  EXPECT_TRUE(plain["target"].is_null());
  EXPECT_TRUE(plain["stages"][0]["required"].is_null());
  EXPECT_TRUE(plain["stages"][2]["gap"].is_null());
  EXPECT_NEAR(D(plain["overall"]), 0.0025, 1e-9);
}

TEST_F(InsightTest, FunnelWithAZeroStage) {
  // 1,000 clicks → 50 sign-ups → 0 paid: the last rate is 0, so no volume above it is derived.
  const auto j = Json({"funnel", "upgrade", "--target", "10"});
  const auto& s = j["stages"];
  EXPECT_NEAR(D(s[1]["rate"]), 0.05, 1e-9);
  EXPECT_NEAR(D(s[2]["rate"]), 0, 1e-9);
  EXPECT_NEAR(D(j["overall"]), 0, 1e-9);
  EXPECT_NEAR(D(s[2]["required"]), 10, 1e-9);
  EXPECT_NEAR(D(s[2]["gap"]), 10, 1e-9);
  EXPECT_TRUE(s[1]["required"].is_null());
  EXPECT_TRUE(s[0]["required"].is_null());
  EXPECT_TRUE(s[0]["gap"].is_null());
}

TEST_F(InsightTest, FunnelAddListAndText) {
  const RunResult add =
      Run({"funnel", "add", "traffic", "--stages", "visits,leads", "--name", "Traffic to leads"});
  ASSERT_EQ(add.exit_code, 0) << add.err;
  EXPECT_THAT(add.out, HasSubstr("+ funnel traffic"));
  // 130 visits → 690 leads as of t: a rate above 1 is reported as it is.
  const auto j = Json({"funnel", "traffic"});
  EXPECT_NEAR(D(j["stages"][1]["rate"]), 690.0 / 130, 1e-9);
  // Shown truncated toward zero: 530.769…% reads 530.76%, not 530.77%.
  const RunResult traffic = Run({"--as-of", kAsOf, "funnel", "traffic"});
  EXPECT_THAT(traffic.out, HasSubstr("530.76%"));
  const auto list = Json({"funnel", "list"});
  ASSERT_EQ(list["funnels"].size(), 3u);
  EXPECT_EQ(list["funnels"][2]["stages"], nlohmann::json({"visits", "leads"}));
  const RunResult text = Run({"--as-of", kAsOf, "funnel", "launch", "--target", "100"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr("Launch funnel"));
  EXPECT_THAT(text.out, HasSubstr("40,000"));
  EXPECT_THAT(text.out, HasSubstr("█"));
}

TEST_F(InsightTest, FunnelRefusals) {
  ExpectRefused({"funnel", "nope"}, "funnel 'nope' does not exist");
  ExpectRefused({"funnel", "launch", "--target", "-5"}, "target -5");
  ExpectRefused({"funnel", "launch", "--target", "many"}, "--target 'many'");
  ExpectRefused({"funnel", "add", "bad", "--stages", "visits,nope"}, "'nope'");
  ExpectRefused({"funnel", "add", "bad", "--stages", "visits"}, "at least 2");
  ExpectRefused({"funnel", "add", "launch", "--stages", "visits,leads"}, "already exists");
}

// ---- allocate ---------------------------------------------------------------------------------

TEST_F(InsightTest, AllocateWithBindingBounds) {
  // Candidates: social-push (g 1, min 300), seo (g 2), ads (g 3, max 600); the draft is left out
  // (as of 2026-03-01 seo is achieved and no longer a candidate: AllocateLeavesOutAnAchievedGoal).
  // λ = 125: social-push at its minimum 300, ads at its maximum 600, seo 4·125 = 500.
  const auto j = Json({"allocate", "--budget", "1400"}, "2026-02-01");
  EXPECT_NEAR(D(j["budget"]), 1400, 1e-9);
  const auto& a = j["allocations"];
  ASSERT_EQ(a.size(), 3u);
  EXPECT_EQ(a[0]["goal"], "social-push");
  EXPECT_NEAR(D(a[0]["amount"]), 300, 1e-6);
  EXPECT_EQ(a[0]["bound"], "min");
  EXPECT_EQ(a[1]["goal"], "seo");
  EXPECT_NEAR(D(a[1]["growth_potential"]), 2, 1e-9);
  EXPECT_NEAR(D(a[1]["amount"]), 500, 1e-6);
  EXPECT_NEAR(D(a[1]["share"]), 500.0 / 1400, 1e-9);
  EXPECT_TRUE(a[1]["bound"].is_null());
  EXPECT_EQ(a[2]["goal"], "ads");
  EXPECT_NEAR(D(a[2]["amount"]), 600, 1e-6);
  EXPECT_EQ(a[2]["bound"], "max");
  EXPECT_NEAR(D(j["total_uplift"]), std::sqrt(300.0) + 2 * std::sqrt(500.0) + 3 * std::sqrt(600.0),
              1e-6);
}

TEST_F(InsightTest, AllocateNamedGoals) {
  // seo and ads only: λ·(4 + 9) = 1,300 would give ads 900 > 600, so ads 600 and seo 400.
  const auto j = Json({"allocate", "--budget", "1000", "--goal", "seo", "--goal", "ads"});
  const auto& a = j["allocations"];
  ASSERT_EQ(a.size(), 2u);
  EXPECT_NEAR(D(a[0]["amount"]), 400, 1e-6);
  EXPECT_NEAR(D(a[1]["amount"]), 600, 1e-6);
  EXPECT_NEAR(D(a[0]["share"]) + D(a[1]["share"]), 1, 1e-9);
  EXPECT_NEAR(D(j["total_uplift"]), 2 * std::sqrt(400.0) + 3 * std::sqrt(600.0), 1e-6);
}

TEST_F(InsightTest, AllocateLeavesOutAnAchievedGoal) {
  // seo reached its rank score of 10 on 02-20: as of 03-01 only social-push (g 1, from 300) and
  // ads (g 3, at most 600) share 1,400: ads at its maximum, social-push the other 800.
  const auto j = Json({"allocate", "--budget", "1400"});
  const auto& a = j["allocations"];
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0]["goal"], "social-push");
  EXPECT_NEAR(D(a[0]["amount"]), 800, 1e-6);
  EXPECT_EQ(a[1]["goal"], "ads");
  EXPECT_NEAR(D(a[1]["amount"]), 600, 1e-6);
  EXPECT_EQ(a[1]["bound"], "max");
}

TEST_F(InsightTest, AllocateRefusals) {
  ExpectRefused({"allocate", "--budget", "200"}, "sum to 300");
  ExpectRefused({"allocate", "--budget", "1000", "--goal", "ads"}, "sum to 600");
  ExpectRefused({"allocate", "--budget", "-1"}, "budget -1");
  ExpectRefused({"allocate", "--budget", "lots"}, "--budget 'lots'");
  ExpectRefused({"allocate", "--budget", "100", "--goal", "nope"}, "goal 'nope' does not exist");
  ExpectRefused({"allocate", "--budget", "100", "--goal", "seo", "--goal", "seo"}, "twice");
}

// ---- experiment -------------------------------------------------------------------------------

TEST_F(InsightTest, ExperimentShowTwoProportionTest) {
  const auto j = Json({"experiment", "show", "hero"});
  EXPECT_EQ(j["id"], "hero");
  EXPECT_EQ(j["goal"], "ads");
  EXPECT_NEAR(D(j["p_control"]), 0.05, 1e-9);
  EXPECT_NEAR(D(j["p_variant"]), 0.07, 1e-9);
  EXPECT_NEAR(D(j["lift"]), 0.02, 1e-9);
  EXPECT_NEAR(D(j["relative_lift"]), 0.4, 1e-9);
  const double z = 0.02 / std::sqrt(0.06 * 0.94 * (2.0 / 1000));
  EXPECT_NEAR(D(j["z"]), z, 1e-6);
  EXPECT_NEAR(D(j["p_value"]), std::erfc(z / std::sqrt(2.0)), 1e-6);
  const double se = std::sqrt(0.05 * 0.95 / 1000 + 0.07 * 0.93 / 1000);
  ASSERT_EQ(j["ci95"].size(), 2u);
  EXPECT_NEAR(D(j["ci95"][0]), 0.02 - 1.959964 * se, 1e-9);
  EXPECT_NEAR(D(j["ci95"][1]), 0.02 + 1.959964 * se, 1e-9);
  EXPECT_EQ(j["significant"], false);
}

TEST_F(InsightTest, ExperimentAddSignificantPilot) {
  const RunResult add = Run({"experiment", "add", "lp", "--goal", "ads", "--name", "Landing page",
                             "--control-visitors", "2000", "--control-conversions", "80",
                             "--variant-visitors", "2000", "--variant-conversions", "120"});
  ASSERT_EQ(add.exit_code, 0) << add.err;
  EXPECT_THAT(add.out, HasSubstr("+ experiment lp"));
  const auto j = Json({"experiment", "show", "lp"});
  const double z = 0.02 / std::sqrt(0.05 * 0.95 * (2.0 / 2000));
  EXPECT_NEAR(D(j["z"]), z, 1e-6);
  EXPECT_NEAR(D(j["p_value"]), std::erfc(z / std::sqrt(2.0)), 1e-6);
  EXPECT_NEAR(D(j["relative_lift"]), 0.5, 1e-9);
  EXPECT_EQ(j["significant"], true);
  const auto list = Json({"experiment", "list"});
  ASSERT_EQ(list["experiments"].size(), 2u);
  const RunResult text = Run({"experiment", "show", "lp"});
  EXPECT_THAT(text.out, HasSubstr("significant at 5%"));
}

TEST_F(InsightTest, ExperimentRefusesImpossibleCounts) {
  auto add = [](const char* id, const char* goal, const char* cv, const char* cc, const char* vv,
                const char* vc) {
    return std::vector<std::string>{"experiment",
                                    "add",
                                    id,
                                    "--goal",
                                    goal,
                                    "--control-visitors",
                                    cv,
                                    "--control-conversions",
                                    cc,
                                    "--variant-visitors",
                                    vv,
                                    "--variant-conversions",
                                    vc};
  };
  ExpectRefused(add("x", "ads", "100", "101", "100", "5"), "control conversions");
  ExpectRefused(add("x", "ads", "0", "0", "100", "5"), "control visitors");
  ExpectRefused(add("x", "ads", "100", "5", "100", "-1"), "variant conversions");
  ExpectRefused(add("x", "ads", "100", "5", "ten", "1"), "--variant-visitors 'ten'");
  ExpectRefused(add("x", "nope", "100", "5", "100", "6"), "'nope'");
  ExpectRefused(add("hero", "ads", "100", "5", "100", "6"), "already exists");
  ExpectRefused({"experiment", "show", "nope"}, "experiment 'nope' does not exist");
}

// ---- review -----------------------------------------------------------------------------------

TEST_F(InsightTest, ReviewRecordsThenComparesWithTheLastReview) {
  // As of 2026-02-01: social-push 2/10 against 31/89 expected (at risk); posts and rank-score
  // last checked in 12 and 17 days ago (weekly), ad-clicks 22 days ago (every 14 days): all
  // stale; no earlier review.
  const auto feb = Json({"review", "--team", "marketing", "--record", "--notes", "February review"},
                        "2026-02-01");
  EXPECT_EQ(feb["team"], "marketing");
  EXPECT_TRUE(feb["since"].is_null());
  ASSERT_EQ(feb["at_risk"].size(), 1u);
  EXPECT_EQ(feb["at_risk"][0]["goal"], "social-push");
  EXPECT_NEAR(D(feb["at_risk"][0]["gap"]), 31.0 / 89 - 0.2, 1e-9);
  EXPECT_TRUE(feb["off_track"].empty());
  ASSERT_EQ(feb["stale"].size(), 3u);
  EXPECT_EQ(feb["stale"][0]["kpi"], "posts");
  EXPECT_EQ(feb["stale"][0]["days_since"], 12);
  EXPECT_EQ(feb["stale"][1]["kpi"], "rank-score");
  EXPECT_EQ(feb["stale"][1]["days_since"], 17);
  EXPECT_EQ(feb["stale"][2]["kpi"], "ad-clicks");
  EXPECT_EQ(feb["stale"][2]["days_since"], 22);
  EXPECT_EQ(feb["stale"][2]["cadence_days"], 14);
  EXPECT_EQ(feb["stale"][2]["last_checkin"], "2026-01-10");
  EXPECT_EQ(feb["recorded"]["seq"], 1);
  EXPECT_EQ(feb["recorded"]["date"], "2026-02-01");
  EXPECT_EQ(feb["recorded"]["notes"], "February review");

  ASSERT_EQ(Run({"comment", "social-push", "Post twice a week", "--author", "ava", "--date",
                 "2026-02-10"})
                .exit_code,
            0);

  const auto mar = Json({"review", "--team", "marketing"});
  EXPECT_EQ(mar["as_of"], kAsOf);
  EXPECT_EQ(mar["since"]["seq"], 1);
  EXPECT_EQ(mar["since"]["date"], "2026-02-01");
  EXPECT_EQ(mar["since"]["notes"], "February review");
  // Largest gap first: ads 59/89 − 0.3, social-push 59/89 − 0.4.
  ASSERT_EQ(mar["off_track"].size(), 2u);
  EXPECT_EQ(mar["off_track"][0]["goal"], "ads");
  EXPECT_NEAR(D(mar["off_track"][0]["gap"]), 59.0 / 89 - 0.3, 1e-9);
  EXPECT_NEAR(D(mar["off_track"][0]["expected"]), 59.0 / 89, 1e-9);
  EXPECT_EQ(mar["off_track"][1]["goal"], "social-push");
  EXPECT_NEAR(D(mar["off_track"][1]["gap"]), 59.0 / 89 - 0.4, 1e-9);
  EXPECT_TRUE(mar["at_risk"].empty());
  EXPECT_TRUE(mar["missed"].empty());
  ASSERT_EQ(mar["stale"].size(), 1u);
  EXPECT_EQ(mar["stale"][0]["days_since"], 50);
  EXPECT_EQ(mar["stale"][0]["owner"], "ava");
  // seo reached 10 on 02-20: achieved since February's review.
  ASSERT_EQ(mar["achieved"].size(), 1u);
  EXPECT_EQ(mar["achieved"][0]["goal"], "seo");
  EXPECT_TRUE(mar["lint_errors"].empty());
  // Progress per goal of marketing and social, cascade order.
  const auto& c = mar["progress_changes"];
  ASSERT_EQ(c.size(), 5u);
  EXPECT_EQ(c[0]["goal"],
            "brand");  // mean of its live children: (0.2 + 0.5 + 0.3)/3 → (0.4 + 1 + 0.3)/3
  EXPECT_NEAR(D(c[0]["before"]), 1.0 / 3, 1e-9);
  EXPECT_NEAR(D(c[0]["after"]), 1.7 / 3, 1e-9);
  EXPECT_NEAR(D(c[0]["change"]), 0.7 / 3, 1e-9);
  EXPECT_EQ(c[1]["goal"], "social-push");
  EXPECT_NEAR(D(c[1]["change"]), 0.2, 1e-9);
  EXPECT_EQ(c[1]["status_before"], "at_risk");
  EXPECT_EQ(c[1]["status"], "off_track");
  EXPECT_EQ(c[2]["goal"], "seo");
  EXPECT_NEAR(D(c[2]["change"]), 0.5, 1e-9);
  EXPECT_EQ(c[3]["goal"], "ads");
  EXPECT_NEAR(D(c[3]["change"]), 0, 1e-9);
  EXPECT_EQ(c[4]["goal"], "later");
  EXPECT_TRUE(c[4]["change"].is_null());
  ASSERT_EQ(mar["comments"].size(), 1u);
  EXPECT_EQ(mar["comments"][0]["text"], "Post twice a week");
  EXPECT_EQ(mar["comments"][0]["author"], "ava");

  // The whole workspace compares with the same review and adds sales' goal.
  const auto all = Json({"review"});
  EXPECT_TRUE(all["team"].is_null());
  EXPECT_EQ(all["since"]["seq"], 1);
  EXPECT_EQ(all["progress_changes"].size(), 6u);

  // Recorded reviews are listed and shown with their snapshot.
  const auto list = Json({"review", "list"});
  ASSERT_EQ(list["reviews"].size(), 1u);
  EXPECT_EQ(list["reviews"][0]["seq"], 1);
  EXPECT_EQ(list["reviews"][0]["team"], "marketing");
  EXPECT_EQ(list["reviews"][0]["goals"], 6);
  const auto show = Json({"review", "show", "1"});
  EXPECT_EQ(show["notes"], "February review");
  ASSERT_EQ(show["snapshot"].size(), 6u);
  EXPECT_EQ(show["snapshot"][0]["goal"], "brand");
  EXPECT_NEAR(D(show["snapshot"][0]["progress"]), 1.0 / 3, 1e-9);
  EXPECT_EQ(show["snapshot"][0]["status"], "on_track");
}

TEST_F(InsightTest, ReviewFormats) {
  const RunResult md = Run({"--as-of", kAsOf, "review", "--format", "md"});
  ASSERT_EQ(md.exit_code, 0) << md.err;
  EXPECT_THAT(md.out, HasSubstr("# Review of all teams as of 2026-03-01"));
  EXPECT_THAT(md.out, HasSubstr("## Off track (2)"));
  EXPECT_THAT(md.out, HasSubstr("| ads |"));
  const RunResult html = Run({"--as-of", kAsOf, "review", "--format", "html", "--team", "social"});
  ASSERT_EQ(html.exit_code, 0) << html.err;
  EXPECT_THAT(html.out, HasSubstr("<!DOCTYPE html>"));
  EXPECT_THAT(html.out, HasSubstr("<h2>Off track (1)</h2>"));
  EXPECT_THAT(html.out, HasSubstr("Social Media (social)"));
  EXPECT_THAT(html.out, HasSubstr("</html>"));
  const RunResult json = Run({"--as-of", kAsOf, "review", "--format", "json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_EQ(json.Json()["off_track"].size(), 2u);
  const RunResult text = Run({"--as-of", kAsOf, "review"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr("Off track (2)"));
  EXPECT_THAT(text.out, HasSubstr("Stale KPIs (1)"));
  EXPECT_THAT(text.out, HasSubstr("Achieved since the last review (1)"));
  const RunResult recorded =
      Run({"--as-of", kAsOf, "review", "--format", "md", "--record", "--notes", "March"});
  ASSERT_EQ(recorded.exit_code, 0) << recorded.err;
  EXPECT_THAT(recorded.out, HasSubstr("Recorded as review #1"));
}

TEST_F(InsightTest, ReviewRefusals) {
  ExpectRefused({"review", "--team", "nope"}, "team 'nope' does not exist");
  ExpectRefused({"review", "--team", "nope", "--record"}, "team 'nope' does not exist");
  ExpectRefused({"review", "--format", "pdf"}, "--format 'pdf'");
  ExpectRefused({"review", "--notes", "x"}, "--record");
  ExpectRefused({"review", "show", "9"}, "review #9 does not exist");
  ExpectRefused({"review", "show", "one"}, "'one'");
}

// ---- scorecard --------------------------------------------------------------------------------

TEST_F(InsightTest, ScorecardPersonTeamAndLeaderboard) {
  // dana: social-push (4/10, off track) and a draft that does not count; 3 check-ins authored;
  // weekly streak: 02-26 in (02-22, 03-01], 02-22 in (02-15, 02-22], nothing in (02-08, 02-15].
  const auto dana = Json({"scorecard", "--person", "dana"})["person"];
  EXPECT_EQ(dana["id"], "dana");
  EXPECT_EQ(dana["goals_owned"], 1);
  EXPECT_EQ(dana["achieved"], 0);
  EXPECT_NEAR(D(dana["mean_progress"]), 0.4, 1e-9);
  EXPECT_NEAR(D(dana["kpis_not_stale"]), 1, 1e-9);
  EXPECT_EQ(dana["checkins"], 3);
  EXPECT_NEAR(D(dana["points"]), 3, 1e-9);
  EXPECT_EQ(dana["streak"], 2);
  EXPECT_EQ(dana["streak_cadence_days"], 7);

  // ava: brand (on track), seo (achieved micro: 10 points), ads (off track, stale KPI); 2
  // check-ins. Her only live KPI, ad-clicks, was last checked in 50 days ago: no streak.
  const auto ava = Json({"scorecard", "--person", "ava"})["person"];
  EXPECT_EQ(ava["goals_owned"], 3);
  EXPECT_EQ(ava["achieved"], 1);
  EXPECT_EQ(ava["missed"], 0);
  EXPECT_NEAR(D(ava["mean_progress"]), (1.7 / 3 + 1 + 0.3) / 3, 1e-9);
  EXPECT_EQ(ava["kpis"], 2);
  EXPECT_NEAR(D(ava["kpis_not_stale"]), 0.5, 1e-9);
  EXPECT_NEAR(D(ava["goal_points"]), 10, 1e-9);
  EXPECT_NEAR(D(ava["points"]), 12, 1e-9);
  EXPECT_EQ(ava["streak"], 0);

  // marketing: ava and dana (social is under marketing).
  const auto team = Json({"scorecard", "--team", "marketing"});
  EXPECT_EQ(team["team"]["goals_owned"], 4);
  EXPECT_NEAR(D(team["team"]["mean_progress"]), (1.7 / 3 + 1 + 0.3 + 0.4) / 4, 1e-9);
  EXPECT_NEAR(D(team["team"]["kpis_not_stale"]), 2.0 / 3, 1e-9);
  EXPECT_NEAR(D(team["team"]["points"]), 15, 1e-9);
  EXPECT_EQ(team["team"]["streak"], 2);
  ASSERT_EQ(team["leaderboard"].size(), 2u);

  const auto board = Json({"scorecard"})["leaderboard"];
  ASSERT_EQ(board.size(), 3u);
  EXPECT_EQ(board[0]["id"], "ava");
  EXPECT_EQ(board[0]["rank"], 1);
  EXPECT_EQ(board[1]["id"], "dana");
  EXPECT_EQ(board[2]["id"], "sam");
  EXPECT_NEAR(D(board[2]["points"]), 1, 1e-9);  // one check-in on ad-clicks
  EXPECT_EQ(board[2]["streak"], 1);             // inbound's 90-day period holds check-ins

  const RunResult text = Run({"--as-of", kAsOf, "scorecard"});
  EXPECT_THAT(text.out, HasSubstr("Ava Stone (ava)"));
}

TEST_F(InsightTest, ScorecardRefusals) {
  ExpectRefused({"scorecard", "--person", "nope"}, "person 'nope' does not exist");
  ExpectRefused({"scorecard", "--team", "nope"}, "team 'nope' does not exist");
  ExpectRefused({"scorecard", "--person", "ava", "--team", "marketing"}, "not both");
}

// ---- comment ----------------------------------------------------------------------------------

TEST_F(InsightTest, CommentShowsInGoalShow) {
  const RunResult r = Run({"--as-of", kAsOf, "comment", "brand", "Great start, keep going"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("+ 1 comment"));
  const auto show = Json({"goal", "show", "brand"});
  ASSERT_EQ(show["comments"].size(), 1u);
  EXPECT_EQ(show["comments"][0]["text"], "Great start, keep going");
  EXPECT_TRUE(show["comments"][0]["author"].is_null());  // CASCADE_ACTOR=tester is no person
  EXPECT_EQ(show["comments"][0]["date"], kAsOf);
  ExpectRefused({"comment", "nope", "Hello"}, "goal 'nope' does not exist");
  ExpectRefused({"comment", "brand", "   "}, "empty");
  ExpectRefused({"comment", "brand", "Hi", "--date", "March"}, "--date 'March'");
}

// ---- the demo workspace -----------------------------------------------------------------------

class InsightDemoTest : public CliFixture {};

TEST_F(InsightDemoTest, AHugeCheckinIsRefusedAndCorrelationStaysSound) {
  // Once: `checkin leads 1e307` was taken, and `correlate` then aborted (exit 134) in Boost.
  ASSERT_EQ(Run({"demo"}).exit_code, 0);
  const std::string before = Run({"export", "--format", "json"}).out;
  const RunResult huge = Run({"checkin", "leads", "1e307"});
  EXPECT_EQ(huge.exit_code, 2);
  EXPECT_EQ(huge.err,
            "error: check-in of kpi 'leads': value 1e307 is out of range; value must be a number "
            "between -1e15 and 1e15\n");
  const RunResult twice = Run({"checkin", "leads", "1e308"});
  EXPECT_EQ(twice.exit_code, 2);
  EXPECT_EQ(Run({"export", "--format", "json"}).out, before);
  const RunResult corr = Run({"correlate", "organic-visits", "leads"});
  EXPECT_EQ(corr.exit_code, 0) << corr.err;
  EXPECT_THAT(corr.out, HasSubstr("◀ best"));
}

TEST_F(InsightDemoTest, DemoGivesMeaningfulAnalytics) {
  ASSERT_EQ(Run({"demo"}).exit_code, 0);
  // Organic visits lead leads by two weeks.
  const RunResult corr =
      Run({"--json", "correlate", "organic-visits", "leads", "--period", "week", "--max-lag", "4"});
  ASSERT_EQ(corr.exit_code, 0) << corr.err;
  const auto c = corr.Json();
  EXPECT_EQ(c["best"]["lag"], 2);
  EXPECT_GT(c["best"]["r"].get<double>(), 0.9);
  EXPECT_LT(c["lags"][2]["p_value"].get<double>(), 0.05);

  // The inbound funnel with a target derives the volume every stage must deliver.
  const RunResult funnel = Run({"--json", "funnel", "inbound", "--target", "150"});
  ASSERT_EQ(funnel.exit_code, 0) << funnel.err;
  const auto f = funnel.Json();
  ASSERT_EQ(f["stages"].size(), 4u);
  EXPECT_NEAR(f["stages"][3]["required"].get<double>(), 150, 1e-9);
  for (const auto& s : f["stages"]) {
    EXPECT_GT(s["value"].get<double>(), 0);
    EXPECT_GT(s["required"].get<double>(), s["value"].get<double>());  // a stretch target
  }
  EXPECT_GT(f["overall"].get<double>(), 0);

  // Allocation over the growth potentials spends the whole budget within the bounds.
  const RunResult alloc = Run({"--json", "allocate", "--budget", "30000"});
  ASSERT_EQ(alloc.exit_code, 0) << alloc.err;
  const auto a = alloc.Json();
  double sum = 0;
  for (const auto& x : a["allocations"]) sum += x["amount"].get<double>();
  EXPECT_NEAR(sum, 30000, 1e-6);
  EXPECT_GE(a["allocations"].size(), 5u);
  EXPECT_GT(a["total_uplift"].get<double>(), 0);

  // The landing-page pilot is significant; the emoji subject line is not.
  const RunResult lp = Run({"--json", "experiment", "show", "lp-headline"});
  ASSERT_EQ(lp.exit_code, 0) << lp.err;
  EXPECT_EQ(lp.Json()["significant"], true);
  EXPECT_EQ(Run({"--json", "experiment", "show", "subject-emoji"}).Json()["significant"], false);

  // The review compares with the demo's last review and celebrates the launch followers.
  const RunResult review = Run({"--json", "review"});
  ASSERT_EQ(review.exit_code, 0) << review.err;
  const auto r = review.Json();
  EXPECT_FALSE(r["since"].is_null());
  EXPECT_FALSE(r["off_track"].empty());
  bool followers = false;
  for (const auto& g : r["achieved"]) followers = followers || g["goal"] == "launch-followers";
  EXPECT_TRUE(followers);
  EXPECT_FALSE(r["comments"].empty());

  const RunResult board = Run({"--json", "scorecard"});
  ASSERT_EQ(board.exit_code, 0) << board.err;
  EXPECT_GT(board.Json()["leaderboard"][0]["points"].get<double>(), 0);
}

}  // namespace
}  // namespace cascade::testing
