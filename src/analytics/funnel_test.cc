#include "analytics/funnel.h"

#include <gtest/gtest.h>

#include <limits>

namespace cascade {
namespace {

Date D(const char* text) { return *Date::Parse(text); }

const std::vector<std::string> kStages = {"visits", "leads", "qualified", "customers"};

TEST(ComputeFunnelTest, RatesOverallAndTheInverseCascade) {
  const FunnelResult f = ComputeFunnel(kStages, {10000, 250, 50, 10}, 20.0);
  ASSERT_EQ(f.stages.size(), 4u);
  EXPECT_EQ(f.stages[0].kpi, "visits");
  EXPECT_FALSE(f.stages[0].rate);
  EXPECT_NEAR(*f.stages[1].rate, 0.025, 1e-12);
  EXPECT_NEAR(*f.stages[2].rate, 0.2, 1e-12);
  EXPECT_NEAR(*f.stages[3].rate, 0.2, 1e-12);
  EXPECT_NEAR(*f.overall, 0.001, 1e-12);
  // 20 customers need 20 / 0.2 = 100 qualified, 100 / 0.2 = 500 leads, 500 / 0.025 = 20,000 visits.
  EXPECT_NEAR(*f.stages[3].required, 20, 1e-9);
  EXPECT_NEAR(*f.stages[2].required, 100, 1e-9);
  EXPECT_NEAR(*f.stages[1].required, 500, 1e-9);
  EXPECT_NEAR(*f.stages[0].required, 20000, 1e-9);
  EXPECT_NEAR(*f.stages[3].gap, 10, 1e-9);
  EXPECT_NEAR(*f.stages[2].gap, 50, 1e-9);
  EXPECT_NEAR(*f.stages[1].gap, 250, 1e-9);
  EXPECT_NEAR(*f.stages[0].gap, 10000, 1e-9);
  EXPECT_EQ(f.target, 20.0);
}

TEST(ComputeFunnelTest, WithoutTargetNothingIsRequired) {
  const FunnelResult f = ComputeFunnel(kStages, {10000, 250, 50, 10}, std::nullopt);
  for (const FunnelStage& s : f.stages) {
    EXPECT_FALSE(s.required);
    EXPECT_FALSE(s.gap);
  }
  EXPECT_FALSE(f.target);
}

TEST(ComputeFunnelTest, AZeroStageNullsTheRateBelowIt) {
  // leads = 0: its rate is 0, the next rate has nothing to divide by.
  const FunnelResult f = ComputeFunnel(kStages, {1000, 0, 0, 0}, 5.0);
  EXPECT_NEAR(*f.stages[1].rate, 0, 1e-12);
  EXPECT_FALSE(f.stages[2].rate);
  EXPECT_FALSE(f.stages[3].rate);
  EXPECT_NEAR(*f.overall, 0, 1e-12);
  // required stops at the first null rate: only the last stage has one.
  EXPECT_NEAR(*f.stages[3].required, 5, 1e-12);
  EXPECT_NEAR(*f.stages[3].gap, 5, 1e-12);
  for (int j = 0; j < 3; ++j) {
    EXPECT_FALSE(f.stages[j].required) << j;
    EXPECT_FALSE(f.stages[j].gap) << j;
  }
}

TEST(ComputeFunnelTest, AZeroRateStopsTheCascade) {
  // 100 qualified but 0 customers: rate 0, so no volume above can be derived.
  const FunnelResult f = ComputeFunnel(kStages, {1000, 400, 100, 0}, 10.0);
  EXPECT_NEAR(*f.stages[3].rate, 0, 1e-12);
  EXPECT_NEAR(*f.stages[3].required, 10, 1e-12);
  EXPECT_FALSE(f.stages[2].required);
  EXPECT_FALSE(f.stages[1].required);
  EXPECT_FALSE(f.stages[0].required);
  EXPECT_NEAR(*f.overall, 0, 1e-12);
}

TEST(ComputeFunnelTest, ZeroTopStageHasNoOverall) {
  const FunnelResult f = ComputeFunnel({"a", "b"}, {0, 5}, std::nullopt);
  EXPECT_FALSE(f.overall);
  EXPECT_FALSE(f.stages[1].rate);
}

TEST(ComputeFunnelTest, NullValueLeavesItsRatesNull) {
  const FunnelResult f = ComputeFunnel({"a", "b", "c"}, {100, std::nullopt, 5}, 10.0);
  EXPECT_FALSE(f.stages[1].rate);
  EXPECT_FALSE(f.stages[2].rate);
  EXPECT_NEAR(*f.overall, 0.05, 1e-12);
  EXPECT_NEAR(*f.stages[2].required, 10, 1e-12);
  EXPECT_FALSE(f.stages[1].required);
}

TEST(ComputeFunnelTest, AStageThatIsNotAFiniteNumberIsNullAndSoAreItsRates) {
  // An infinite V (two check-ins of 1e308 stored before entry bounded values) never reaches a
  // rate, an overall conversion or a required volume: they are null, never inf or NaN.
  const double inf = std::numeric_limits<double>::infinity();
  const FunnelResult f = ComputeFunnel({"a", "b", "c"}, {inf, 10, 5}, 1.0);
  EXPECT_FALSE(f.stages[0].value);
  EXPECT_FALSE(f.stages[1].rate);
  EXPECT_NEAR(*f.stages[2].rate, 0.5, 1e-12);
  EXPECT_FALSE(f.overall);
  EXPECT_NEAR(*f.stages[2].required, 1, 1e-12);
  EXPECT_NEAR(*f.stages[1].required, 2, 1e-12);
  EXPECT_NEAR(*f.stages[1].gap, -8, 1e-12);
  EXPECT_FALSE(f.stages[0].required);
  EXPECT_FALSE(f.stages[0].gap);
  const FunnelResult bottom = ComputeFunnel({"a", "b"}, {100, -inf}, 1.0);
  EXPECT_FALSE(bottom.stages[1].value);
  EXPECT_FALSE(bottom.stages[1].rate);
  EXPECT_FALSE(bottom.stages[1].gap);
  EXPECT_FALSE(bottom.overall);
}

TEST(ComputeFunnelTest, ExtremeButBoundedValuesGiveFiniteRates) {
  // Values within the entry bound (±1e15) and above the 1e-9 tolerance: the largest rate is
  // 1e15 / 2e-9 = 5e23; rates of 1e-8 and 1e-7 make a target of 1e15 need 1e22 and 1e30 above.
  const FunnelResult up = ComputeFunnel({"a", "b"}, {2e-9, 1e15}, std::nullopt);
  EXPECT_NEAR(*up.stages[1].rate / 5e23, 1, 1e-12);
  EXPECT_NEAR(*up.overall / 5e23, 1, 1e-12);
  const FunnelResult down = ComputeFunnel({"a", "b", "c"}, {1e15, 1e7, 1}, 1e15);
  EXPECT_NEAR(*down.stages[1].rate / 1e-8, 1, 1e-12);
  EXPECT_NEAR(*down.stages[2].rate / 1e-7, 1, 1e-12);
  EXPECT_NEAR(*down.stages[1].required / 1e22, 1, 1e-12);
  EXPECT_NEAR(*down.stages[0].required / 1e30, 1, 1e-12);
}

// Three cumulative KPIs of one goal; the funnel reads V from the roll-up (the goal's window).
Workspace FunnelWorkspace() {
  Workspace ws;
  Goal g;
  g.id = "inbound";
  g.title = "Inbound";
  g.level = Level::kMacro;
  g.start = D("2026-01-01");
  g.due = D("2026-03-31");
  ws.goals.push_back(g);
  for (const char* id : {"visits", "leads", "customers"}) {
    Kpi k;
    k.id = id;
    k.goal = "inbound";
    k.name = id;
    k.kind = KpiKind::kCumulative;
    k.baseline = 0;
    k.target = 1000;
    ws.kpis.push_back(k);
  }
  auto add = [&ws](const char* kpi, const char* date, double v) {
    Checkin c;
    c.kpi = kpi;
    c.date = D(date);
    c.value = v;
    ws.checkins.push_back(c);
  };
  add("visits", "2025-12-31", 999);  // before the goal's start: not counted
  add("visits", "2026-01-10", 3000);
  add("visits", "2026-02-10", 1000);
  add("leads", "2026-01-10", 100);
  add("leads", "2026-02-10", 60);
  add("customers", "2026-02-10", 8);
  ws.funnels.push_back({"inbound", "Inbound funnel", {"visits", "leads", "customers"}, 1});
  return ws;
}

TEST(AnalyzeFunnelTest, ReadsValuesFromTheRollup) {
  const Workspace ws = FunnelWorkspace();
  const Rollup rollup = ComputeRollup(ws, D("2026-03-01"));
  auto f = AnalyzeFunnel(ws, rollup, "inbound", 12.0);
  ASSERT_TRUE(f) << f.error().message;
  // visits 4000, leads 160, customers 8: rates 0.04 and 0.05.
  EXPECT_NEAR(*f->stages[0].value, 4000, 1e-9);
  EXPECT_NEAR(*f->stages[1].value, 160, 1e-9);
  EXPECT_NEAR(*f->stages[2].value, 8, 1e-9);
  EXPECT_NEAR(*f->stages[1].rate, 0.04, 1e-12);
  EXPECT_NEAR(*f->stages[2].rate, 0.05, 1e-12);
  EXPECT_NEAR(*f->overall, 0.002, 1e-12);
  // 12 customers: 240 leads, 6,000 visits.
  EXPECT_NEAR(*f->stages[1].required, 240, 1e-9);
  EXPECT_NEAR(*f->stages[0].required, 6000, 1e-9);
  EXPECT_NEAR(*f->stages[0].gap, 2000, 1e-9);
  EXPECT_NEAR(*f->stages[1].gap, 80, 1e-9);
  EXPECT_NEAR(*f->stages[2].gap, 4, 1e-9);
}

TEST(AnalyzeFunnelTest, RefusesUnknownFunnelsAndBadTargets) {
  const Workspace ws = FunnelWorkspace();
  const Rollup rollup = ComputeRollup(ws, D("2026-03-01"));
  auto unknown = AnalyzeFunnel(ws, rollup, "nope", std::nullopt);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  auto negative = AnalyzeFunnel(ws, rollup, "inbound", -5.0);
  ASSERT_FALSE(negative);
  EXPECT_EQ(negative.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(negative.error().field, "target");
  EXPECT_NE(negative.error().message.find("-5"), std::string::npos);
  EXPECT_TRUE(AnalyzeFunnel(ws, rollup, "inbound", 0.0));
  auto huge = AnalyzeFunnel(ws, rollup, "inbound", 1e16);
  ASSERT_FALSE(huge);
  EXPECT_EQ(huge.error().message,
            "funnel 'inbound': target 1e+16 is not allowed; the target is a volume of the last "
            "stage, from 0 to 1e15");
  EXPECT_TRUE(AnalyzeFunnel(ws, rollup, "inbound", 1e15));
}

}  // namespace
}  // namespace cascade
