// Plan files with relative targets, formula KPIs and benchmark KPIs: read, resolved, written back
// as written, and read again to the same workspace.
#include <gtest/gtest.h>

#include "core/validate.h"
#include "io/plan.h"

namespace cascade {
namespace {

constexpr const char* kPlan = R"(version: 1
goals:
  - id: growth
    title: Grow the customer base
    level: macro
    start: 2026-01-01
    due: 2026-03-31
    kpis:
      - {id: leads, name: Leads, kind: cumulative, target: 100}
      - {id: customers, name: Customers, kind: level, target: 50}
      - {id: conversion, name: Conversion, kind: formula, formula: "{customers} / {leads} * 100", baseline: 10, target: "-5%"}
      - {id: share, name: Share, kind: level, baseline: 120, target: "+10%"}
      - {id: rival, name: Rival, kind: level, target: 100, benchmark_for: share}
)";

TEST(PlanKpiKinds, ReadsResolvesAndWritesBackAsWritten) {
  const ParsedPlan plan = ParsePlan(kPlan, "plan.yaml");
  ASSERT_TRUE(plan.errors.empty()) << plan.errors.front().message;
  const Workspace& ws = plan.workspace;
  ASSERT_EQ(ws.kpis.size(), 5u);
  EXPECT_EQ(ws.kpis[2].kind, KpiKind::kFormula);
  EXPECT_EQ(ws.kpis[2].formula, "{customers} / {leads} * 100");
  EXPECT_EQ(ws.kpis[2].target, 9.5);  // 10 − 10 · 5 / 100
  EXPECT_EQ(ws.kpis[2].target_written, "-5%");
  EXPECT_EQ(ws.kpis[3].target, 132);
  EXPECT_EQ(ws.kpis[3].target_written, "+10%");
  EXPECT_EQ(ws.kpis[4].benchmark_for, "share");
  EXPECT_TRUE(ValidateWorkspace(ws).empty());

  const std::string yaml = WritePlanYaml(ws);
  EXPECT_NE(yaml.find("- {id: conversion, name: \"Conversion\", kind: formula, baseline: 10, target: "
                      "\"-5%\", formula: \"{customers} / {leads} * 100\"}"),
            std::string::npos)
      << yaml;
  EXPECT_NE(yaml.find("- {id: share, name: \"Share\", kind: level, baseline: 120, target: \"+10%\"}"),
            std::string::npos)
      << yaml;
  EXPECT_NE(yaml.find("- {id: rival, name: \"Rival\", kind: level, target: 100, benchmark_for: share}"),
            std::string::npos)
      << yaml;
  for (const std::string& text : {yaml, WritePlanJson(ws)}) {
    const ParsedPlan again = ParsePlan(text, "again.yaml");
    ASSERT_TRUE(again.errors.empty()) << again.errors.front().message;
    EXPECT_EQ(again.workspace.kpis, ws.kpis);
  }
}

TEST(PlanKpiKinds, AMalformedRelativeTargetNamesItsLine) {
  const ParsedPlan plan = ParsePlan(R"(version: 1
goals:
  - id: g
    title: A goal with a bad target
    level: macro
    kpis:
      - {id: share, name: Share, kind: level, baseline: 120, target: "+ten%"}
)",
                                    "plan.yaml");
  ASSERT_EQ(plan.errors.size(), 1u);
  EXPECT_EQ(plan.errors.front().line, 7);
  EXPECT_NE(plan.errors.front().message.find(
                "target '+ten%' is not a number or a target relative to the baseline"),
            std::string::npos)
      << plan.errors.front().message;
}

}  // namespace
}  // namespace cascade
