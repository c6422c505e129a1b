// A KPI's JSON (the API's bodies) with relative targets, formulas and benchmarks: read, refused
// naming the field, and written back so that a GET body PUT back changes nothing.
#include <gtest/gtest.h>

#include "io/entity_from_json.h"
#include "io/entity_json.h"

namespace cascade {
namespace {

using nlohmann::json;

TEST(KpiJsonKinds, ATargetIsANumberOrARelativeTarget) {
  Kpi k;
  ASSERT_TRUE(KpiFromJson(json{{"id", "share"}, {"baseline", 120}, {"target", "+10%"}}, k).ok());
  EXPECT_EQ(k.target_written, "+10%");
  ASSERT_TRUE(KpiFromJson(json{{"target", 150}}, k).ok());  // a number drops the relative form
  EXPECT_EQ(k.target, 150);
  EXPECT_EQ(k.target_written, "");
  ASSERT_TRUE(KpiFromJson(json{{"target", 132}, {"target_written", "+10%"}}, k).ok());
  EXPECT_EQ(k.target_written, "+10%");  // as GET writes it
  ASSERT_TRUE(KpiFromJson(json{{"target_written", nullptr}}, k).ok());
  EXPECT_EQ(k.target_written, "");
}

TEST(KpiJsonKinds, AMalformedRelativeTargetIsRefusedNamingTheField) {
  Kpi k;
  const auto r = KpiFromJson(json{{"id", "share"}, {"target", "10 percent"}}, k);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "target");
  EXPECT_EQ(r.error().message,
            "kpi 'share': 'target' \"10 percent\" is not a target relative to the baseline; write "
            "a number or a signed percent such as \"+10%\" or \"-5%\"");
}

TEST(KpiJsonKinds, FormulaAndBenchmarkRoundTrip) {
  Kpi k;
  ASSERT_TRUE(KpiFromJson(json{{"id", "conv"},
                               {"kind", "formula"},
                               {"formula", "{a} / {b}"},
                               {"benchmark_for", nullptr},
                               {"target", 5}},
                          k)
                  .ok());
  EXPECT_EQ(k.kind, KpiKind::kFormula);
  EXPECT_EQ(k.formula, "{a} / {b}");
  k.benchmark_for = "share";
  k.target_written = "+10%";
  const json j = ToJson(k);
  EXPECT_EQ(j["formula"], "{a} / {b}");
  EXPECT_EQ(j["benchmark_for"], "share");
  EXPECT_EQ(j["target_written"], "+10%");
  Kpi back;
  ASSERT_TRUE(KpiFromJson(j, back).ok());
  EXPECT_EQ(back, k);
  EXPECT_FALSE(KpiFromJson(json{{"benchmark_for", "Not An Id"}}, back).ok());
}

}  // namespace
}  // namespace cascade
