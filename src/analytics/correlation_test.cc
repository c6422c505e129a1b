#include "analytics/correlation.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

namespace cascade {
namespace {

constexpr double kPi = 3.14159265358979323846;

Date D(const char* text) { return *Date::Parse(text); }

Kpi MakeKpi(const char* id, KpiKind kind, std::optional<double> baseline, double target) {
  Kpi k;
  k.id = id;
  k.goal = "g";
  k.name = id;
  k.kind = kind;
  k.baseline = baseline;
  k.target = target;
  if (kind == KpiKind::kThreshold) k.direction = Direction::kAbove;
  return k;
}

void AddCheckin(Workspace& ws, const char* kpi, const char* date, double value) {
  Checkin c;
  c.kpi = kpi;
  c.date = D(date);
  c.value = value;
  c.seq = static_cast<int64_t>(ws.checkins.size()) + 1;
  ws.checkins.push_back(c);
}

TEST(PeriodTest, IsoWeeksStartOnMondayAcrossTheYearBoundary) {
  // 2026-01-01 is a Thursday: ISO week 1 of 2026 starts on Monday 2025-12-29.
  EXPECT_EQ(PeriodStart(D("2026-01-01"), Period::kWeek), D("2025-12-29"));
  EXPECT_EQ(PeriodStart(D("2025-12-29"), Period::kWeek), D("2025-12-29"));  // a Monday
  EXPECT_EQ(PeriodStart(D("2026-01-04"), Period::kWeek), D("2025-12-29"));  // its Sunday
  EXPECT_EQ(PeriodStart(D("2025-12-28"), Period::kWeek), D("2025-12-22"));  // the Sunday before
  EXPECT_EQ(NextPeriodStart(D("2025-12-29"), Period::kWeek), D("2026-01-05"));
}

TEST(PeriodTest, MonthsAndDays) {
  EXPECT_EQ(PeriodStart(D("2025-12-31"), Period::kMonth), D("2025-12-01"));
  EXPECT_EQ(PeriodStart(D("2026-01-01"), Period::kMonth), D("2026-01-01"));
  EXPECT_EQ(PeriodStart(D("2024-02-29"), Period::kMonth), D("2024-02-01"));
  EXPECT_EQ(NextPeriodStart(D("2025-12-01"), Period::kMonth), D("2026-01-01"));
  EXPECT_EQ(NextPeriodStart(D("2026-01-01"), Period::kMonth), D("2026-02-01"));
  EXPECT_EQ(PeriodStart(D("2026-03-07"), Period::kDay), D("2026-03-07"));
  EXPECT_EQ(NextPeriodStart(D("2025-12-31"), Period::kDay), D("2026-01-01"));
}

TEST(PeriodTest, ParsesTheThreeSpellings) {
  EXPECT_EQ(ParsePeriod("day"), Period::kDay);
  EXPECT_EQ(ParsePeriod("week"), Period::kWeek);
  EXPECT_EQ(ParsePeriod("month"), Period::kMonth);
  EXPECT_FALSE(ParsePeriod("quarter"));
  EXPECT_FALSE(ParsePeriod("Week"));
  EXPECT_EQ(ToString(Period::kMonth), "month");
}

TEST(PairStatsTest, FourPairs) {
  // x̄ = 2.5, ȳ = 3.75; Sxx = 5, Syy = 4.75, Sxy = 3.5. With 2 degrees of freedom the t
  // distribution gives p = 1 − |r| exactly.
  const LagStats s = PairStats({1, 2, 3, 4}, {2, 4, 5, 4});
  EXPECT_EQ(s.n, 4);
  const double r = 3.5 / std::sqrt(5 * 4.75);
  ASSERT_TRUE(s.r);
  EXPECT_NEAR(*s.r, r, 1e-12);
  EXPECT_NEAR(*s.slope, 0.7, 1e-12);
  EXPECT_NEAR(*s.p_value, 1 - r, 1e-9);
}

TEST(PairStatsTest, ThreePairs) {
  // r = 0.5; with 1 degree of freedom (Cauchy) p = 1 − 2·asin(|r|)/π = 2/3.
  const LagStats s = PairStats({1, 2, 3}, {1, 3, 2});
  EXPECT_NEAR(*s.r, 0.5, 1e-12);
  EXPECT_NEAR(*s.slope, 0.5, 1e-12);
  EXPECT_NEAR(*s.p_value, 1 - 2 * std::asin(0.5) / kPi, 1e-9);
}

TEST(PairStatsTest, NullBelowThreePairsAndForAFlatSide) {
  for (const auto& [x, y] : std::vector<std::pair<std::vector<double>, std::vector<double>>>{
           {{}, {}},
           {{1}, {2}},
           {{1, 2}, {3, 5}},              // n < 3
           {{1, 2, 3, 4}, {7, 7, 7, 7}},  // B flat
           {{0.1, 0.1, 0.1}, {1, 2, 3}},  // A flat
       }) {
    const LagStats s = PairStats(x, y);
    EXPECT_EQ(s.n, static_cast<int>(x.size()));
    EXPECT_FALSE(s.r);
    EXPECT_FALSE(s.slope);
    EXPECT_FALSE(s.p_value);
  }
}

TEST(PairStatsTest, FlatWithinTheToleranceIsFlat) {
  // 0.1 + 0.2 is 0.30000000000000004 in doubles: the same value as 0.3 within 1e-9, so A has
  // zero variance and r is null (not a ±1 made of rounding error). Large values compare
  // relatively: 1e12 and 1e12 + 1e-4 are equal within 1e-9 of their size.
  const LagStats rounding = PairStats({0.1 + 0.2, 0.3, 0.3}, {1, 2, 3});
  EXPECT_FALSE(rounding.r);
  EXPECT_FALSE(rounding.p_value);
  const LagStats large = PairStats({1, 2, 3}, {1e12, 1e12 + 1e-4, 1e12});
  EXPECT_FALSE(large.r);
  // A difference above the tolerance is variance: (1, 1, 1 + 1e-6) against (1, 2, 3) gives
  // Sxx = 2e-12/3, Sxy = 1e-6, Syy = 2, r = 1e-6 / √(4e-12/3) = √3/2.
  const LagStats small = PairStats({1, 1, 1 + 1e-6}, {1, 2, 3});
  ASSERT_TRUE(small.r);
  EXPECT_NEAR(*small.r, std::sqrt(3.0) / 2, 1e-6);
}

TEST(PairStatsTest, PerfectLineHasPZero) {
  const LagStats up = PairStats({1, 2, 3, 4, 5}, {3, 5, 7, 9, 11});
  EXPECT_NEAR(*up.r, 1, 1e-12);
  EXPECT_NEAR(*up.slope, 2, 1e-12);
  EXPECT_EQ(*up.p_value, 0);
  const LagStats down = PairStats({1, 2, 3}, {30, 20, 10});
  EXPECT_NEAR(*down.r, -1, 1e-12);
  EXPECT_NEAR(*down.slope, -10, 1e-12);
  EXPECT_EQ(*down.p_value, 0);
}

TEST(PairStatsTest, EveryNullSaysWhy) {
  EXPECT_EQ(PairStats({1, 2}, {3, 5}).reason, "fewer than 3 pairs");
  EXPECT_EQ(PairStats({4, 4, 4}, {1, 2, 3}).reason, "A does not vary");
  EXPECT_EQ(PairStats({1, 2, 3}, {7, 7, 7}).reason, "B does not vary");
  EXPECT_EQ(PairStats({1, 2, 3}, {1, 3, 2}).reason, "");
}

TEST(PairStatsTest, LargeValuesGiveTheSameRAsSmallOnes) {
  // (1, 2, 3) against (1, 3, 2): r = 0.5, slope 0.5, p = 2/3 (see ThreePairs). Scaled by 1e150
  // the squares (1e300) still fit in a double; scaled by 1e300 they would overflow, and with A at
  // 1e200 and B at 1 the slope is 0.5e-200. r, p and the slope in the values' own units stay right.
  const struct {
    double scale_a, scale_b, slope;
  } cases[] = {
      {1, 1, 0.5},          {1e150, 1e150, 0.5},  {1e300, 1e300, 0.5},
      {1e200, 1, 0.5e-200}, {1e-5, 1e15, 0.5e20},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::to_string(c.scale_a) + " / " + std::to_string(c.scale_b));
    const LagStats s = PairStats({1 * c.scale_a, 2 * c.scale_a, 3 * c.scale_a},
                                 {1 * c.scale_b, 3 * c.scale_b, 2 * c.scale_b});
    ASSERT_TRUE(s.r);
    EXPECT_NEAR(*s.r, 0.5, 1e-12);
    EXPECT_NEAR(*s.slope / c.slope, 1, 1e-12);
    EXPECT_NEAR(*s.p_value, 2.0 / 3, 1e-9);
    EXPECT_EQ(s.reason, "");
  }
  // Negative and mixed signs: (−1e300, 0, 1e300) against (−2e300, 0, 2e300) is a perfect line.
  const LagStats line = PairStats({-1e300, 0, 1e300}, {-2e300, 0, 2e300});
  EXPECT_NEAR(*line.r, 1, 1e-15);
  EXPECT_NEAR(*line.slope, 2, 1e-12);
  EXPECT_NEAR(*line.p_value, 0, 1e-9);
}

TEST(PairStatsTest, ValuesBeyondADoubleGiveNullWithAReason) {
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (const auto& [x, y] : std::vector<std::pair<std::vector<double>, std::vector<double>>>{
           {{inf, 1, 2}, {1, 2, 3}},  // a cumulative period whose sum overflowed
           {{1, 2, 3}, {-inf, 5, 6}},
           {{nan, 1, 2}, {1, 2, 3}},
       }) {
    const LagStats s = PairStats(x, y);
    EXPECT_FALSE(s.r);
    EXPECT_FALSE(s.slope);
    EXPECT_FALSE(s.p_value);
    EXPECT_EQ(s.reason, "values too large to correlate");
  }
  // A slope past the largest double: B spans 1e307, A 1e-8 (more than the 1e-9 tolerance), so
  // the slope would be 0.5e315.
  const LagStats steep = PairStats({1e-8, 2e-8, 3e-8}, {1e307, 3e307, 2e307});
  EXPECT_FALSE(steep.r);
  EXPECT_FALSE(steep.p_value);
  EXPECT_EQ(steep.reason, "values too large to correlate");
  // And one below the smallest normal double: 0.5e-308.
  const LagStats flat = PairStats({1e300, 2e300, 3e300}, {1e-8, 3e-8, 2e-8});
  EXPECT_FALSE(flat.r);
  EXPECT_EQ(flat.reason, "slope too small to represent");
}

// A (cumulative) and B (level, baseline 100) over six ISO weeks spanning the new year.
Workspace WeeklyWorkspace() {
  Workspace ws;
  ws.kpis.push_back(MakeKpi("a", KpiKind::kCumulative, 0, 100));
  ws.kpis.push_back(MakeKpi("b", KpiKind::kLevel, 100, 200));
  AddCheckin(ws, "a", "2025-12-15", 10);  // week of 12-15: 10 + 5
  AddCheckin(ws, "a", "2025-12-21", 5);
  AddCheckin(ws, "a", "2025-12-28", 20);  // week of 12-22 (a Sunday)
  AddCheckin(ws, "a", "2025-12-29", 10);  // week of 12-29: 10 + 15, across the new year
  AddCheckin(ws, "a", "2026-01-01", 15);
  // week of 01-05: no check-in of A, so 0
  AddCheckin(ws, "a", "2026-01-12", 30);
  AddCheckin(ws, "a", "2026-01-25", 40);   // Sunday of the week of 01-19
  AddCheckin(ws, "a", "2026-01-26", 99);   // after as_of: ignored
  AddCheckin(ws, "b", "2025-12-24", 120);  // week of 12-22; the week before holds the baseline
  AddCheckin(ws, "b", "2025-12-23", 110);  // recorded later but dated earlier
  AddCheckin(ws, "b", "2026-01-08", 130);
  AddCheckin(ws, "b", "2026-01-19", 95);
  AddCheckin(ws, "b", "2026-01-19", 90);  // same day, recorded later: the last value
  return ws;
}

TEST(CorrelateTest, WeeklySeriesAndLags) {
  const Workspace ws = WeeklyWorkspace();
  auto res = Correlate(ws, "a", "b", Period::kWeek, 5, D("2026-01-25"));
  ASSERT_TRUE(res) << res.error().message;
  const std::vector<Date> weeks = {D("2025-12-15"), D("2025-12-22"), D("2025-12-29"),
                                   D("2026-01-05"), D("2026-01-12"), D("2026-01-19")};
  EXPECT_EQ(res->periods, weeks);
  const std::vector<double> a = {15, 20, 25, 0, 30, 40};
  const std::vector<double> b = {100, 120, 120, 130, 130, 90};
  ASSERT_EQ(res->a.size(), 6u);
  for (size_t i = 0; i < 6; ++i) {
    EXPECT_EQ(res->a[i], a[i]) << i;
    EXPECT_EQ(res->b[i], b[i]) << i;
  }
  ASSERT_EQ(res->lags.size(), 6u);
  // Centred sums by hand. Lag 0: Sxx = 2800/3, Syy = 1350, Sxy = −550.
  const LagStats& l0 = res->lags[0];
  EXPECT_EQ(l0.lag, 0);
  EXPECT_EQ(l0.n, 6);
  EXPECT_NEAR(*l0.r, -550 / std::sqrt(2800.0 / 3 * 1350), 1e-12);
  EXPECT_NEAR(*l0.slope, -550 / (2800.0 / 3), 1e-12);
  EXPECT_NEAR(*l0.p_value, 0.32384850157043554, 1e-9);  // t = r·√(4/(1−r²)), 4 df
  // Lag 1: pairs (15,120) (20,120) (25,130) (0,130) (30,90): Sxx = 530, Syy = 1080, Sxy = −470.
  const LagStats& l1 = res->lags[1];
  EXPECT_EQ(l1.n, 5);
  EXPECT_NEAR(*l1.r, -470 / std::sqrt(530.0 * 1080), 1e-12);
  EXPECT_NEAR(*l1.slope, -470 / 530.0, 1e-12);
  EXPECT_NEAR(*l1.p_value, 0.2633577494881556, 1e-9);  // 3 df
  // Lag 2: (15,120) (20,130) (25,130) (0,90): Sxx = 350, Syy = 1075, Sxy = 600; 2 df: p = 1 − r.
  const LagStats& l2 = res->lags[2];
  EXPECT_EQ(l2.n, 4);
  const double r2 = 600 / std::sqrt(350.0 * 1075);
  EXPECT_NEAR(*l2.r, r2, 1e-12);
  EXPECT_NEAR(*l2.slope, 600 / 350.0, 1e-12);
  EXPECT_NEAR(*l2.p_value, 1 - r2, 1e-9);
  // Lag 3: (15,130) (20,130) (25,90): Sxx = 50, Syy = 3200/3, Sxy = −200, r = −√3/2; 1 df:
  // p = 1 − 2·asin(√3/2)/π = 1/3.
  const LagStats& l3 = res->lags[3];
  EXPECT_EQ(l3.n, 3);
  EXPECT_NEAR(*l3.r, -std::sqrt(3.0) / 2, 1e-12);
  EXPECT_NEAR(*l3.slope, -4, 1e-12);
  EXPECT_NEAR(*l3.p_value, 1.0 / 3, 1e-9);
  // Lags 4 and 5: 2 and 1 pairs, too few.
  EXPECT_EQ(res->lags[4].n, 2);
  EXPECT_FALSE(res->lags[4].r);
  EXPECT_FALSE(res->lags[4].p_value);
  EXPECT_EQ(res->lags[5].n, 1);
  EXPECT_FALSE(res->lags[5].r);
  // Best: the largest |r| is lag 2's 0.978.
  ASSERT_TRUE(res->best);
  EXPECT_EQ(*res->best, 2);
}

TEST(CorrelateTest, ChecksInAfterAsOfAreIgnoredAndTheRangeFollowsThem) {
  const Workspace ws = WeeklyWorkspace();
  // As of 2026-01-11 the last check-in is 2026-01-08 (B): weeks 12-15 … 01-05.
  auto res = Correlate(ws, "a", "b", Period::kWeek, 0, D("2026-01-11"));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->periods.size(), 4u);
  EXPECT_EQ(res->periods.back(), D("2026-01-05"));
  EXPECT_EQ(res->a.back(), 0.0);
  EXPECT_EQ(res->b.back(), 130.0);
}

TEST(CorrelateTest, MonthlyBucketsAcrossTheYearBoundary) {
  Workspace ws;
  ws.kpis.push_back(MakeKpi("a", KpiKind::kCumulative, 0, 100));
  ws.kpis.push_back(MakeKpi("b", KpiKind::kLevel, 5, 50));
  AddCheckin(ws, "a", "2025-11-30", 1);
  AddCheckin(ws, "a", "2025-12-01", 2);
  AddCheckin(ws, "a", "2025-12-31", 3);
  AddCheckin(ws, "a", "2026-01-01", 4);
  AddCheckin(ws, "b", "2025-12-31", 7);
  AddCheckin(ws, "b", "2026-03-02", 9);
  auto res = Correlate(ws, "a", "b", Period::kMonth, 1, D("2026-12-31"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->periods, (std::vector<Date>{D("2025-11-01"), D("2025-12-01"), D("2026-01-01"),
                                             D("2026-02-01"), D("2026-03-01")}));
  EXPECT_EQ(res->a, (std::vector<std::optional<double>>{1, 5, 4, 0, 0}));
  EXPECT_EQ(res->b, (std::vector<std::optional<double>>{5, 7, 7, 7, 9}));
}

TEST(CorrelateTest, DailyPeriods) {
  Workspace ws;
  ws.kpis.push_back(MakeKpi("a", KpiKind::kCumulative, 0, 100));
  ws.kpis.push_back(MakeKpi("b", KpiKind::kCumulative, 0, 100));
  AddCheckin(ws, "a", "2025-12-30", 1);
  AddCheckin(ws, "a", "2025-12-31", 2);
  AddCheckin(ws, "a", "2026-01-01", 3);
  AddCheckin(ws, "a", "2026-01-02", 4);
  AddCheckin(ws, "b", "2026-01-02", 2);
  AddCheckin(ws, "b", "2026-01-03", 4);
  AddCheckin(ws, "b", "2026-01-04", 6);
  auto res = Correlate(ws, "a", "b", Period::kDay, 2, D("2026-01-04"));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->periods.size(), 6u);
  EXPECT_EQ(res->a, (std::vector<std::optional<double>>{1, 2, 3, 4, 0, 0}));
  EXPECT_EQ(res->b, (std::vector<std::optional<double>>{0, 0, 0, 2, 4, 6}));
  // Lag 2: pairs (1,0) (2,2) (3,4) (4,6): b = 2a − 2 exactly.
  EXPECT_EQ(res->lags[2].n, 4);
  EXPECT_NEAR(*res->lags[2].r, 1, 1e-12);
  EXPECT_NEAR(*res->lags[2].slope, 2, 1e-12);
  EXPECT_EQ(*res->lags[2].p_value, 0);
  EXPECT_EQ(*res->best, 2);
}

TEST(CorrelateTest, TiesGoToTheSmallerLag) {
  Workspace ws;
  ws.kpis.push_back(MakeKpi("a", KpiKind::kCumulative, 0, 100));
  ws.kpis.push_back(MakeKpi("b", KpiKind::kCumulative, 0, 100));
  for (const char* d : {"2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04", "2026-01-05"}) {
    const double v = D(d) - D("2025-12-31");  // 1, 2, 3, 4, 5
    AddCheckin(ws, "a", d, v);
    AddCheckin(ws, "b", d, v);
  }
  auto res = Correlate(ws, "a", "b", Period::kDay, 2, D("2026-01-05"));
  ASSERT_TRUE(res);
  // r = 1 at lags 0, 1 and 2.
  for (int lag = 0; lag <= 2; ++lag) EXPECT_NEAR(*res->lags[lag].r, 1, 1e-12);
  EXPECT_EQ(*res->best, 0);
}

TEST(CorrelateTest, NoBestWhenEveryRIsNull) {
  Workspace ws;
  ws.kpis.push_back(MakeKpi("a", KpiKind::kCumulative, 0, 100));
  ws.kpis.push_back(MakeKpi("b", KpiKind::kLevel, 2, 100));
  AddCheckin(ws, "a", "2026-01-01", 1);
  AddCheckin(ws, "a", "2026-01-02", 2);
  AddCheckin(ws, "b", "2026-01-03", 2);  // B is 2, 2, 2 (baseline, baseline, 2): no variance
  auto res = Correlate(ws, "a", "b", Period::kDay, 1, D("2026-01-31"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->lags[0].n, 3);
  EXPECT_FALSE(res->lags[0].r);
  EXPECT_EQ(res->lags[1].n, 2);
  EXPECT_FALSE(res->lags[1].r);
  EXPECT_FALSE(res->best);
}

TEST(CorrelateTest, NoCheckinsMeansNoPeriods) {
  Workspace ws;
  ws.kpis.push_back(MakeKpi("a", KpiKind::kCumulative, 0, 100));
  ws.kpis.push_back(MakeKpi("b", KpiKind::kLevel, 0, 100));
  auto res = Correlate(ws, "a", "b", Period::kWeek, 2, D("2026-01-31"));
  ASSERT_TRUE(res);
  EXPECT_TRUE(res->periods.empty());
  ASSERT_EQ(res->lags.size(), 3u);
  for (const LagStats& l : res->lags) {
    EXPECT_EQ(l.n, 0);
    EXPECT_FALSE(l.r);
  }
  EXPECT_FALSE(res->best);
}

TEST(CorrelateTest, ThresholdWithoutBaselineHasNoValueBeforeItsFirstCheckin) {
  Workspace ws;
  ws.kpis.push_back(MakeKpi("a", KpiKind::kCumulative, 0, 100));
  ws.kpis.push_back(MakeKpi("nps", KpiKind::kThreshold, std::nullopt, 50));
  AddCheckin(ws, "a", "2026-01-01", 1);
  AddCheckin(ws, "a", "2026-01-02", 2);
  AddCheckin(ws, "a", "2026-01-03", 4);
  AddCheckin(ws, "a", "2026-01-04", 3);
  AddCheckin(ws, "nps", "2026-01-02", 40);
  AddCheckin(ws, "nps", "2026-01-04", 60);
  auto res = Correlate(ws, "a", "nps", Period::kDay, 0, D("2026-01-04"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->b, (std::vector<std::optional<double>>{std::nullopt, 40, 40, 60}));
  // Day one drops out: pairs (2,40) (4,40) (3,60).
  EXPECT_EQ(res->lags[0].n, 3);
  ASSERT_TRUE(res->lags[0].r);
  // x̄ = 3, ȳ = 140/3: Sxx = 2, Syy = 800/3, Sxy = (−1)(−20/3) + (1)(−20/3) + 0 = 0.
  EXPECT_NEAR(*res->lags[0].r, 0, 1e-12);
  EXPECT_NEAR(*res->lags[0].p_value, 1, 1e-9);
}

TEST(CorrelateTest, RefusesUnknownKpisAndBadLags) {
  const Workspace ws = WeeklyWorkspace();
  auto unknown = Correlate(ws, "a", "nope", Period::kWeek, 2, D("2026-01-31"));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  EXPECT_NE(unknown.error().message.find("'nope'"), std::string::npos);
  auto negative = Correlate(ws, "a", "b", Period::kWeek, -1, D("2026-01-31"));
  ASSERT_FALSE(negative);
  EXPECT_EQ(negative.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(negative.error().field, "max_lag");
  EXPECT_EQ(kMaxCorrelationLag, 366);
  auto long_lag = Correlate(ws, "a", "b", Period::kWeek, 367, D("2026-01-31"));
  ASSERT_FALSE(long_lag);
  EXPECT_EQ(long_lag.error().message, "max lag 367 is not allowed; use 0 to 366 periods");
  EXPECT_TRUE(Correlate(ws, "a", "b", Period::kWeek, kMaxCorrelationLag, D("2026-01-31")));
}

TEST(CorrelateTest, StoredHugeValuesCorrelateOrSayWhyNot) {
  // Values stored before entry was bounded: 1e307 per day on A, B at 1, 3, 2. The squares of the
  // deviations (1e614) do not fit in a double, the scaled ones do: r = 0.5 as for 1, 2, 3.
  Workspace ws;
  ws.kpis.push_back(MakeKpi("a", KpiKind::kCumulative, 0, 100));
  ws.kpis.push_back(MakeKpi("b", KpiKind::kLevel, 0, 100));
  AddCheckin(ws, "a", "2026-01-01", 1e307);
  AddCheckin(ws, "a", "2026-01-02", 2e307);
  AddCheckin(ws, "a", "2026-01-03", 3e307);
  AddCheckin(ws, "b", "2026-01-01", 1);
  AddCheckin(ws, "b", "2026-01-02", 3);
  AddCheckin(ws, "b", "2026-01-03", 2);
  auto res = Correlate(ws, "a", "b", Period::kDay, 1, D("2026-01-03"));
  ASSERT_TRUE(res);
  ASSERT_TRUE(res->lags[0].r);
  EXPECT_NEAR(*res->lags[0].r, 0.5, 1e-12);
  EXPECT_NEAR(*res->lags[0].slope / 0.5e-307, 1, 1e-12);
  EXPECT_NEAR(*res->lags[0].p_value, 2.0 / 3, 1e-9);
  EXPECT_EQ(res->lags[1].reason, "fewer than 3 pairs");
  // Two more of 1e308 on the third day: that day's sum is past the largest double.
  AddCheckin(ws, "a", "2026-01-03", 1e308);
  AddCheckin(ws, "a", "2026-01-03", 1e308);
  res = Correlate(ws, "a", "b", Period::kDay, 0, D("2026-01-03"));
  ASSERT_TRUE(res);
  EXPECT_FALSE(res->lags[0].r);
  EXPECT_FALSE(res->lags[0].p_value);
  EXPECT_EQ(res->lags[0].reason, "values too large to correlate");
  EXPECT_FALSE(res->best);
}

TEST(CorrelateTest, RefusesASpanOfMoreThan5000Periods) {
  EXPECT_EQ(kMaxCorrelationPeriods, 5000);
  Workspace ws;
  ws.kpis.push_back(MakeKpi("a", KpiKind::kCumulative, 0, 100));
  ws.kpis.push_back(MakeKpi("b", KpiKind::kLevel, 0, 100));
  AddCheckin(ws, "b", "2026-01-01", 1);  // a Thursday, in the ISO week from Monday 2025-12-29
  const struct {
    Period period;
    const char* last_inside;  // the last day of the 5000th period
    const char* first_outside;
  } cases[] = {
      {Period::kDay, "2039-09-09", "2039-09-10"},    // 2026-01-01 + 4999 days
      {Period::kWeek, "2121-10-26", "2121-10-27"},   // Monday 2025-12-29 + 35000 days − 1
      {Period::kMonth, "2442-08-31", "2442-09-01"},  // January 2026 + 4999 months
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(ToString(c.period)));
    Workspace inside = ws;
    AddCheckin(inside, "a", c.last_inside, 5);
    auto ok = Correlate(inside, "a", "b", c.period, 0, D("2500-01-01"));
    ASSERT_TRUE(ok) << ok.error().message;
    EXPECT_EQ(ok->periods.size(), 5000u);
    Workspace outside = ws;
    AddCheckin(outside, "a", c.first_outside, 5);
    auto refused = Correlate(outside, "a", "b", c.period, 0, D("2500-01-01"));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kInvalid);
    EXPECT_EQ(refused.error().field, "period");
    EXPECT_NE(refused.error().message.find("5001 " + std::string(ToString(c.period)) +
                                           "s; a correlation spans at most 5000 periods"),
              std::string::npos)
        << refused.error().message;
  }
  // One check-in dated 0001-01-01 (stored before dates were bounded) against one of today.
  Workspace typo = ws;
  AddCheckin(typo, "a", "0001-01-01", 5);
  auto refused = Correlate(typo, "a", "b", Period::kDay, 1, D("2026-12-04"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message,
            "the check-ins of 'a' and 'b' run from 0001-01-01 to 2026-01-01, 739617 days; a "
            "correlation spans at most 5000 periods: use a longer period (week or month), or "
            "correct the check-ins dated far from the others");
  refused = Correlate(typo, "a", "b", Period::kMonth, 1, D("2026-12-04"));
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("24301 months; a correlation spans at most 5000 periods: "
                                         "correct the check-ins dated far from the others"),
            std::string::npos)
      << refused.error().message;
}

}  // namespace
}  // namespace cascade
