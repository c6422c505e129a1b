// Relative targets, formula KPIs and benchmark KPIs (spec §1, §2): the model's resolution, what
// validation refuses, and what the roll-up and lint make of them, with hand-computed numbers.
#include <gtest/gtest.h>

#include <string>

#include "core/kpi_values.h"
#include "core/lint.h"
#include "core/model.h"
#include "core/operations.h"
#include "core/rollup.h"
#include "core/validate.h"

namespace cascade {
namespace {

Date D(const char* text) { return *Date::Parse(text); }

Goal MakeGoal(std::string id, const char* start, const char* due, std::string parent = "") {
  Goal g;
  g.id = std::move(id);
  g.title = "Goal " + g.id + " for testing";
  g.owner = "dana";
  g.start = D(start);
  g.due = D(due);
  g.parent = std::move(parent);
  return g;
}

Kpi MakeKpi(std::string id, std::string goal, KpiKind kind, std::optional<double> baseline,
            double target, std::string formula = "") {
  Kpi k;
  k.id = std::move(id);
  k.name = k.id;
  k.goal = std::move(goal);
  k.kind = kind;
  k.baseline = baseline;
  k.target = target;
  k.formula = std::move(formula);
  return k;
}

Checkin MakeCheckin(std::string kpi, const char* date, double value) {
  Checkin c;
  c.kpi = std::move(kpi);
  c.date = D(date);
  c.value = value;
  return c;
}

size_t KpiPos(const Workspace& ws, std::string_view id) {
  for (size_t i = 0; i < ws.kpis.size(); ++i) {
    if (ws.kpis[i].id == id) return i;
  }
  ADD_FAILURE() << "no kpi " << id;
  return 0;
}
size_t GoalPos(const Workspace& ws, std::string_view id) {
  for (size_t i = 0; i < ws.goals.size(); ++i) {
    if (ws.goals[i].id == id) return i;
  }
  ADD_FAILURE() << "no goal " << id;
  return 0;
}

Workspace WithDana() {
  Workspace ws;
  Person dana;
  dana.id = "dana";
  dana.name = "Dana";
  ws.people.push_back(dana);
  return ws;
}

// The first error's message, or "" when the workspace is valid.
std::string FirstError(const Workspace& ws) {
  const Errors errors = ValidateWorkspace(ws);
  return errors.empty() ? "" : errors.front().message;
}

// ---------------------------------------------------------------------------------------------
// Relative targets.

TEST(RelativeTarget, ParsesASignedPercent) {
  EXPECT_DOUBLE_EQ(*ParseRelativeTarget("+10%"), 1.10);
  EXPECT_DOUBLE_EQ(*ParseRelativeTarget("-5%"), 0.95);
  EXPECT_DOUBLE_EQ(*ParseRelativeTarget("+12.5%"), 1.125);
  for (const char* bad : {"10%", "+10", "+%", "+1.2.3%", "+.5%", "+5.%", "+ 5%", "+1e3%", "", "%"}) {
    EXPECT_FALSE(ParseRelativeTarget(bad).has_value()) << bad;
  }
}

TEST(RelativeTarget, ResolvesAgainstTheBaseline) {
  Kpi k = MakeKpi("k", "g", KpiKind::kLevel, 120, 0);
  k.target_written = "+10%";
  ResolveRelativeTarget(k);
  EXPECT_EQ(k.target, 132);  // exactly: 120 + 120 · 10 / 100
  k.baseline = 200;
  k.target_written = "-5%";
  ResolveRelativeTarget(k);
  EXPECT_EQ(k.target, 190);
}

TEST(RelativeTarget, LeftAloneWithoutABaselineToResolveAgainst) {
  Kpi k = MakeKpi("k", "g", KpiKind::kLevel, 0, 7);
  k.target_written = "+10%";
  ResolveRelativeTarget(k);
  EXPECT_EQ(k.target, 7);
  k.baseline.reset();
  ResolveRelativeTarget(k);
  EXPECT_EQ(k.target, 7);
}

TEST(RelativeTarget, ValidationRefusesAZeroOrMissingBaselineNamingTheTarget) {
  Workspace ws = WithDana();
  ws.goals.push_back(MakeGoal("g", "2026-01-01", "2026-01-31"));
  ws.kpis.push_back(MakeKpi("k", "g", KpiKind::kLevel, 0, 0));
  ws.kpis[0].target_written = "+10%";
  EXPECT_EQ(FirstError(ws),
            "KPI 'k': target '+10%' is relative to the baseline, but baseline is 0; a relative "
            "target needs a non-zero baseline (or write the target as a number)");
  EXPECT_EQ(ValidateWorkspace(ws).front().field, "target");
  ws.kpis[0].baseline.reset();
  EXPECT_EQ(FirstError(ws),
            "KPI 'k': target '+10%' is relative to the baseline, but baseline is not set; a "
            "relative target needs a non-zero baseline (or write the target as a number)");
}

TEST(RelativeTarget, ValidationRefusesItOnAMilestoneOrThreshold) {
  Workspace ws = WithDana();
  ws.goals.push_back(MakeGoal("g", "2026-01-01", "2026-01-31"));
  ws.kpis.push_back(MakeKpi("k", "g", KpiKind::kThreshold, 40, 44));
  ws.kpis[0].direction = Direction::kAbove;
  ws.kpis[0].target_written = "+10%";
  EXPECT_EQ(FirstError(ws),
            "KPI 'k': target '+10%' is relative, which a threshold KPI cannot take; relative "
            "targets are for level, cumulative and formula KPIs");
}

TEST(RelativeTarget, TheResolvedNumberIsTheTargetOfTheRollup) {
  Workspace ws = WithDana();
  ws.goals.push_back(MakeGoal("g", "2026-01-01", "2026-01-31"));
  ws.kpis.push_back(MakeKpi("k", "g", KpiKind::kLevel, 120, 0));
  ws.kpis[0].target_written = "+10%";
  ResolveRelativeTarget(ws.kpis[0]);
  ws.checkins.push_back(MakeCheckin("k", "2026-01-10", 126));
  ASSERT_EQ(FirstError(ws), "");
  const Rollup r = ComputeRollup(ws, D("2026-01-16"));
  EXPECT_NEAR(r.kpis[0].attainment, 0.5, 1e-9);  // (126 − 120) / (132 − 120)
  EXPECT_NEAR(*r.goals[0].progress, 0.5, 1e-9);
}

// ---------------------------------------------------------------------------------------------
// Formula KPIs: validation.

// A goal with a level KPI "a", a cumulative KPI "b" and a formula KPI "f".
Workspace FormulaWorkspace(std::string formula) {
  Workspace ws = WithDana();
  ws.goals.push_back(MakeGoal("g", "2026-01-01", "2026-03-31"));
  ws.kpis.push_back(MakeKpi("a", "g", KpiKind::kLevel, 0, 50));
  ws.kpis.push_back(MakeKpi("b", "g", KpiKind::kCumulative, 0, 100));
  ws.kpis.push_back(MakeKpi("f", "g", KpiKind::kFormula, 10, 30, std::move(formula)));
  return ws;
}

TEST(FormulaKpi, ValidationAcceptsAWellFormedFormula) {
  EXPECT_EQ(FirstError(FormulaWorkspace("{a} / {b} * 100")), "");
}

TEST(FormulaKpi, ValidationRefusesAParseErrorNamingThePosition) {
  const Errors errors = ValidateWorkspace(FormulaWorkspace("{a} / * 100"));
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors.front().field, "formula");
  EXPECT_EQ(errors.front().id, "f");
  EXPECT_EQ(errors.front().message,
            "KPI 'f': formula, character 7: expected a number, a {kpi-id} or '(', found '*'");
}

TEST(FormulaKpi, ValidationRefusesAnUnknownId) {
  const Errors errors = ValidateWorkspace(FormulaWorkspace("{a} / {nope}"));
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors.front().code, ErrorCode::kInvalid);
  EXPECT_EQ(errors.front().message,
            "KPI 'f': formula reads {nope}, but KPI 'nope' does not exist; write {id} with the id "
            "of an existing KPI");
}

TEST(FormulaKpi, ValidationRefusesAMissingFormulaAndAFormulaOnAnotherKind) {
  EXPECT_EQ(FirstError(FormulaWorkspace("")),
            "KPI 'f': formula is missing; a formula KPI computes its value from other KPIs, e.g. "
            "formula: \"{customers} / {leads} * 100\"");
  Workspace ws = FormulaWorkspace("{a} / {b}");
  ws.kpis[0].formula = "{b} * 2";
  EXPECT_EQ(FirstError(ws),
            "KPI 'a': formula is set, but kind is level; only a KPI of kind formula has a formula");
}

TEST(FormulaKpi, ValidationRefusesAFormulaReadingItself) {
  EXPECT_EQ(FirstError(FormulaWorkspace("{f} + 1")),
            "KPI 'f': formula reads {f}, itself; a formula must read other KPIs");
  Workspace ws = FormulaWorkspace("{g2} + {a}");
  ws.goals.push_back(MakeGoal("h", "2026-01-01", "2026-03-31"));
  ws.kpis.push_back(MakeKpi("g2", "h", KpiKind::kFormula, 0, 1, "{f} * 2"));
  EXPECT_EQ(FirstError(ws),
            "KPI 'f': formula reads itself through other formulas (f → g2 → f); a formula must "
            "not depend on its own value");
}

TEST(FormulaKpi, ValidationRefusesTargetEqualToBaseline) {
  Workspace ws = FormulaWorkspace("{a} / {b}");
  ws.kpis[2].target = 10;
  EXPECT_EQ(FirstError(ws),
            "KPI 'f': target 10 equals baseline 10; a formula KPI needs a target different from "
            "its baseline");
}

TEST(FormulaKpi, ACheckinIsRefusedNamingTheKpi) {
  Workspace ws = FormulaWorkspace("{a} / {b}");
  ws.checkins.push_back(MakeCheckin("f", "2026-01-05", 3));
  const Errors errors = ValidateWorkspace(ws);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors.front().message,
            "check-in of 2026-01-05 for KPI 'f': KPI 'f' is a formula KPI ({a} / {b}); its value "
            "is computed, so it takes no check-ins; check in the KPIs it reads");
  EXPECT_EQ(errors.front().field, "kpi");
}

// ---------------------------------------------------------------------------------------------
// Formula KPIs: the roll-up.

// A conversion rate over a cumulative KPI and a level KPI whose goals have different windows:
//   leads (cumulative, goal Feb 1 – Feb 28): 50 on Jan 20 (before its start), 40 on Feb 5,
//     60 on Feb 20, 100 on Mar 10 (after its due);
//   customers (level, goal Jan 1 – Mar 31): 4 on Jan 15, 12 on Feb 10, 15 on Mar 5;
//   conversion = {customers} / {leads} * 100 (goal Jan 1 – Mar 31, baseline 10, target 30).
Workspace Conversion() {
  Workspace ws = WithDana();
  ws.goals.push_back(MakeGoal("macro", "2026-01-01", "2026-03-31"));
  ws.goals.back().level = Level::kMacro;
  ws.goals.push_back(MakeGoal("leads-goal", "2026-02-01", "2026-02-28", "macro"));
  ws.goals.push_back(MakeGoal("customers-goal", "2026-01-01", "2026-03-31", "macro"));
  ws.goals.push_back(MakeGoal("conversion-goal", "2026-01-01", "2026-03-31", "macro"));
  ws.kpis.push_back(MakeKpi("leads", "leads-goal", KpiKind::kCumulative, 0, 100));
  ws.kpis.push_back(MakeKpi("customers", "customers-goal", KpiKind::kLevel, 0, 50));
  ws.kpis.push_back(MakeKpi("conversion", "conversion-goal", KpiKind::kFormula, 10, 30,
                            "{customers} / {leads} * 100"));
  ws.checkins = {MakeCheckin("leads", "2026-01-20", 50),    MakeCheckin("leads", "2026-02-05", 40),
                 MakeCheckin("leads", "2026-02-20", 60),    MakeCheckin("leads", "2026-03-10", 100),
                 MakeCheckin("customers", "2026-01-15", 4), MakeCheckin("customers", "2026-02-10", 12),
                 MakeCheckin("customers", "2026-03-05", 15)};
  for (size_t i = 0; i < ws.checkins.size(); ++i) ws.checkins[i].seq = static_cast<int64_t>(i + 1);
  return ws;
}

TEST(FormulaRollup, ConversionRateOverInputsWithTheirOwnWindows) {
  const Workspace ws = Conversion();
  ASSERT_EQ(FirstError(ws), "");
  const Rollup r = ComputeRollup(ws, D("2026-03-15"));
  const KpiResult& c = r.kpis[KpiPos(ws, "conversion")];
  // As of Mar 15: leads is frozen at its due (40 + 60 = 100), customers is 15: 15 / 100 · 100.
  ASSERT_TRUE(c.value.has_value());
  EXPECT_NEAR(*c.value, 15, 1e-9);
  EXPECT_NEAR(c.attainment, 0.25, 1e-9);  // (15 − 10) / (30 − 10)
  EXPECT_NEAR(c.progress, 0.25, 1e-9);
  EXPECT_TRUE(c.counted);
  EXPECT_EQ(c.last_checkin, D("2026-03-05"));  // the latest of Feb 20 (leads) and Mar 5
  // Points on the inputs' check-in dates in [Jan 1, Mar 15], whatever the inputs' windows; Jan 15
  // and Jan 20 give none (no leads counted yet: division by 0): (0, 10), (35, 10), (40, 30),
  // (50, 12), (63, 15), (68, 15); the line at day 89 is 164149/8986 = 18.2671934…
  ASSERT_TRUE(c.forecast.has_value());
  EXPECT_NEAR(*c.forecast, (164149.0 / 8986.0 - 10) / 20, 1e-9);
  EXPECT_NEAR(*r.goals[GoalPos(ws, "conversion-goal")].progress, 0.25, 1e-9);
}

TEST(FormulaRollup, DivisionByZeroLeavesItOutOfItsGoal) {
  Workspace ws = WithDana();
  ws.goals.push_back(MakeGoal("g", "2026-01-01", "2026-01-31"));
  ws.goals.push_back(MakeGoal("other", "2026-01-01", "2026-01-31"));
  ws.kpis.push_back(MakeKpi("a", "g", KpiKind::kLevel, 0, 100));
  ws.kpis.push_back(MakeKpi("ratio", "g", KpiKind::kFormula, 0, 1, "{a} / {z}"));
  ws.kpis.push_back(MakeKpi("z", "other", KpiKind::kLevel, 0, 10));
  ws.checkins.push_back(MakeCheckin("a", "2026-01-10", 50));
  ASSERT_EQ(FirstError(ws), "");
  const Rollup r = ComputeRollup(ws, D("2026-01-16"));
  const KpiResult& ratio = r.kpis[KpiPos(ws, "ratio")];
  EXPECT_FALSE(ratio.value.has_value());
  EXPECT_FALSE(ratio.counted);
  EXPECT_FALSE(ratio.forecast.has_value());
  EXPECT_EQ(ratio.last_checkin, D("2026-01-10"));
  EXPECT_NEAR(*r.goals[GoalPos(ws, "g")].progress, 0.5, 1e-9);  // a alone
  EXPECT_NEAR(*r.goals[GoalPos(ws, "g")].forecast, 1.0, 1e-9);  // a: (0, 0), (9, 50) → 166 → 1
}

TEST(FormulaRollup, NestedFormulaForecastPointsComeFromTheLeaves) {
  Workspace ws = WithDana();
  ws.goals.push_back(MakeGoal("inputs", "2026-01-01", "2026-01-31"));
  ws.goals.push_back(MakeGoal("mid", "2026-01-01", "2026-01-31"));
  ws.goals.push_back(MakeGoal("top", "2026-01-01", "2026-01-31"));
  ws.kpis.push_back(MakeKpi("x", "inputs", KpiKind::kLevel, std::nullopt, 100));
  ws.kpis.push_back(MakeKpi("y", "inputs", KpiKind::kLevel, std::nullopt, 100));
  ws.kpis.push_back(MakeKpi("f1", "mid", KpiKind::kFormula, 0, 100, "{x} + {y}"));
  ws.kpis.push_back(MakeKpi("f2", "top", KpiKind::kFormula, 0, 100, "{f1} * 2"));
  ws.checkins = {MakeCheckin("x", "2026-01-10", 10), MakeCheckin("y", "2026-01-20", 5),
                 MakeCheckin("y", "2026-01-28", 100)};  // after t: ignored
  ASSERT_EQ(FirstError(ws), "");
  const Rollup r = ComputeRollup(ws, D("2026-01-25"));
  const KpiResult& f2 = r.kpis[KpiPos(ws, "f2")];
  ASSERT_TRUE(f2.value.has_value());
  EXPECT_NEAR(*f2.value, 30, 1e-9);  // (10 + 5) · 2
  EXPECT_EQ(f2.last_checkin, D("2026-01-20"));
  // (0, 0), (9, 20), (19, 30): at day 30 the line is 13300/271.
  ASSERT_TRUE(f2.forecast.has_value());
  EXPECT_NEAR(*f2.forecast, 13300.0 / 271.0 / 100, 1e-9);
  EXPECT_NEAR(*r.kpis[KpiPos(ws, "f1")].value, 15, 1e-9);
}

TEST(FormulaRollup, ValuesAsOfAnyDate) {
  const Workspace ws = Conversion();
  const Rollup r = ComputeRollup(ws, D("2026-03-15"));
  const KpiValues values = KpiValues::ForAllKpis(ws, r);
  const size_t c = KpiPos(ws, "conversion");
  EXPECT_FALSE(values.AsOf(c, D("2026-01-31")).value.has_value());
  EXPECT_NEAR(*values.AsOf(c, D("2026-02-10")).value, 30, 1e-9);
  EXPECT_NEAR(*values.AsOf(KpiPos(ws, "leads"), D("2026-03-15")).value, 100, 1e-9);
  EXPECT_EQ(values.InputDates(c).size(), 7u);
  EXPECT_TRUE(values.InputDates(KpiPos(ws, "leads")).empty());
}

// ---------------------------------------------------------------------------------------------
// Benchmark KPIs.

Workspace WithBenchmark() {
  Workspace ws = WithDana();
  ws.goals.push_back(MakeGoal("g", "2026-01-01", "2026-01-31"));
  ws.kpis.push_back(MakeKpi("share", "g", KpiKind::kLevel, 0, 100));
  ws.kpis.push_back(MakeKpi("rival", "g", KpiKind::kLevel, 0, 100));
  ws.kpis[1].benchmark_for = "share";
  ws.checkins = {MakeCheckin("share", "2026-01-10", 50), MakeCheckin("rival", "2026-01-02", 10),
                 MakeCheckin("rival", "2026-01-03", 90)};
  return ws;
}

TEST(BenchmarkKpi, CountsInNoProgressForecastOrStaleness) {
  const Workspace ws = WithBenchmark();
  ASSERT_EQ(FirstError(ws), "");
  const Rollup r = ComputeRollup(ws, D("2026-01-20"));
  const KpiResult& rival = r.kpis[1];
  EXPECT_NEAR(*rival.value, 90, 1e-9);
  EXPECT_EQ(rival.last_checkin, D("2026-01-03"));
  EXPECT_FALSE(rival.counted);
  EXPECT_FALSE(rival.forecast.has_value());
  EXPECT_FALSE(rival.stale);  // 17 days since its check-in, cadence 7
  EXPECT_TRUE(r.kpis[0].stale);  // 10 days
  EXPECT_NEAR(*r.goals[0].progress, 0.5, 1e-9);  // share alone
}

TEST(BenchmarkKpi, IsNotLinted) {
  Workspace ws = WithBenchmark();
  // A goal whose only KPI is a benchmark has no measure of its own (M1), and the benchmark's
  // flat trend raises no A1.
  ws.goals.push_back(MakeGoal("h", "2026-01-01", "2026-01-31"));
  ws.kpis.push_back(MakeKpi("rival2", "h", KpiKind::kLevel, 0, 100));
  ws.kpis.back().benchmark_for = "share";
  ws.checkins.push_back(MakeCheckin("rival2", "2026-01-05", 1));
  ASSERT_EQ(FirstError(ws), "");
  const Rollup r = ComputeRollup(ws, D("2026-01-20"));
  std::vector<std::string> found;
  for (const Finding& f : LintWorkspace(ws, r)) found.push_back(f.code + ":" + f.goal + ":" + f.kpi);
  EXPECT_EQ(found, (std::vector<std::string>{"R1:g:", "M1:h:", "R1:h:"}));
}

TEST(BenchmarkKpi, ValidationRefusesUnknownSelfAndBenchmarkOfABenchmark) {
  Workspace ws = WithBenchmark();
  ws.kpis[1].benchmark_for = "nope";
  EXPECT_EQ(FirstError(ws),
            "KPI 'rival': benchmark_for 'nope' does not exist; benchmark_for must be the id of a "
            "KPI");
  ws.kpis[1].benchmark_for = "rival";
  EXPECT_EQ(FirstError(ws),
            "KPI 'rival': benchmark_for 'rival' is the KPI itself; a benchmark is drawn beside "
            "another KPI");
  ws.kpis[1].benchmark_for = "share";
  ws.kpis.push_back(MakeKpi("rival3", "g", KpiKind::kLevel, 0, 100));
  ws.kpis.back().benchmark_for = "rival";
  EXPECT_EQ(FirstError(ws),
            "KPI 'rival3': benchmark_for 'rival' is itself a benchmark (for 'share'); a benchmark "
            "must be for a KPI that is not one");
}

TEST(BenchmarkKpi, AFormulaMayReadOne) {
  Workspace ws = WithBenchmark();
  ws.kpis.push_back(MakeKpi("lead", "g", KpiKind::kFormula, 1, 2, "{share} / {rival}"));
  ASSERT_EQ(FirstError(ws), "");
  const Rollup r = ComputeRollup(ws, D("2026-01-20"));
  EXPECT_NEAR(*r.kpis[2].value, 50.0 / 90.0, 1e-9);
}

// ---------------------------------------------------------------------------------------------
// Removing what a formula or benchmark reads.

TEST(KpiReferences, RemovingAKpiAFormulaOrBenchmarkReadsIsRefused) {
  Workspace ws = WithBenchmark();
  ws.kpis.push_back(MakeKpi("lead", "g", KpiKind::kFormula, 1, 2, "{rival} * 2"));
  const WorkspaceIndex index(ws);
  const OperationContext at{ws, index, nullptr};
  auto share = RemoveKpi(at, "share");
  ASSERT_FALSE(share.ok());
  EXPECT_EQ(share.error().code, ErrorCode::kConflict);
  EXPECT_EQ(share.error().message,
            "kpi 'share' is still used: kpi 'rival' is a benchmark for it; change or remove that "
            "KPI first");
  auto rival = RemoveKpi(at, "rival");
  ASSERT_FALSE(rival.ok());
  EXPECT_EQ(rival.error().message,
            "kpi 'rival' is still used: kpi 'lead' reads it in its formula; change or remove that "
            "KPI first");
  EXPECT_TRUE(RemoveKpi(at, "lead").ok());
  EXPECT_TRUE(RemoveGoal(at, "g").ok());  // its KPIs go together
}

}  // namespace
}  // namespace cascade
