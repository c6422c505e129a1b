// Correlation of formula KPIs (spec §2): a formula is read as a level, its value at the end of each
// period computed from its inputs' check-ins, whatever the goals' windows.
#include <gtest/gtest.h>

#include "analytics/correlation.h"

namespace cascade {
namespace {

Date D(const char* text) { return *Date::Parse(text); }

Kpi MakeKpi(const char* id, KpiKind kind, double target, const char* formula = "") {
  Kpi k;
  k.id = id;
  k.goal = "g";
  k.name = id;
  k.kind = kind;
  k.baseline = 0;
  k.target = target;
  k.formula = formula;
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

// x: 1, 2, 3, 4, 5 on Jan 1–5; z: 1 from Jan 3; b: 3, 5, 7, 9, 11 on Jan 1–5. The goal's window
// (Jan 2 – Jan 3) does not limit what correlation reads.
Workspace Daily() {
  Workspace ws;
  Goal g;
  g.id = "g";
  g.title = "A goal with a short window";
  g.start = D("2026-01-02");
  g.due = D("2026-01-03");
  ws.goals.push_back(g);
  ws.kpis = {MakeKpi("x", KpiKind::kLevel, 10), MakeKpi("z", KpiKind::kLevel, 10),
             MakeKpi("b", KpiKind::kLevel, 20), MakeKpi("double", KpiKind::kFormula, 20, "{x} * 2"),
             MakeKpi("ratio", KpiKind::kFormula, 20, "{x} / {z}")};
  const char* days[] = {"2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04", "2026-01-05"};
  for (int i = 0; i < 5; ++i) {
    AddCheckin(ws, "x", days[i], i + 1);
    AddCheckin(ws, "b", days[i], 2 * i + 3);
  }
  AddCheckin(ws, "z", "2026-01-03", 1);
  return ws;
}

TEST(CorrelationFormula, AFormulaIsReadAsALevelAtTheEndOfEachPeriod) {
  const Workspace ws = Daily();
  auto r = Correlate(ws, "double", "b", Period::kDay, 1, D("2026-01-31"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->periods.size(), 5u);
  EXPECT_EQ(r->periods.front(), D("2026-01-01"));
  EXPECT_EQ(r->a, (std::vector<std::optional<double>>{2, 4, 6, 8, 10}));
  EXPECT_EQ(r->lags[0].n, 5);
  EXPECT_NEAR(*r->lags[0].r, 1, 1e-12);
  EXPECT_NEAR(*r->lags[0].slope, 1, 1e-12);  // b = a + 1
}

TEST(CorrelationFormula, PeriodsWhereTheFormulaHasNoValueDropOut) {
  const Workspace ws = Daily();
  auto r = Correlate(ws, "ratio", "b", Period::kDay, 0, D("2026-01-04"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  // Up to Jan 4 (as of): z is 0 on Jan 1–2 (division by 0), then 1.
  EXPECT_EQ(r->a, (std::vector<std::optional<double>>{std::nullopt, std::nullopt, 3, 4}));
  EXPECT_EQ(r->lags[0].n, 2);
  EXPECT_FALSE(r->lags[0].r.has_value());
}

}  // namespace
}  // namespace cascade
