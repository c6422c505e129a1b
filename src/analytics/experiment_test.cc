#include "analytics/experiment.h"

#include <gtest/gtest.h>

#include <cmath>

namespace cascade {
namespace {

// Two-sided normal p-value written out independently of Boost: erfc(|z| / √2).
double TwoSidedP(double z) { return std::erfc(std::fabs(z) / std::sqrt(2.0)); }

TEST(AnalyzeExperimentTest, SpecExampleIsNotSignificant) {
  // 50/1,000 vs 70/1,000: pooled p = 0.06.
  auto r = AnalyzeExperiment({1000, 50}, {1000, 70});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_NEAR(r->p_control, 0.05, 1e-12);
  EXPECT_NEAR(r->p_variant, 0.07, 1e-12);
  EXPECT_NEAR(r->lift, 0.02, 1e-12);
  EXPECT_NEAR(*r->relative_lift, 0.4, 1e-12);
  const double z = 0.02 / std::sqrt(0.06 * 0.94 * (2.0 / 1000));
  EXPECT_NEAR(*r->z, z, 1e-9);
  EXPECT_NEAR(*r->z, 1.88310894288677, 1e-9);
  EXPECT_NEAR(*r->p_value, TwoSidedP(z), 1e-9);
  EXPECT_NEAR(*r->p_value, 0.0596856055324263, 1e-9);
  const double se = std::sqrt(0.05 * 0.95 / 1000 + 0.07 * 0.93 / 1000);
  EXPECT_NEAR(r->ci95[0], 0.02 - 1.959964 * se, 1e-12);
  EXPECT_NEAR(r->ci95[1], 0.02 + 1.959964 * se, 1e-12);
  EXPECT_FALSE(r->significant);
}

TEST(AnalyzeExperimentTest, DemoLandingPagePilotIsSignificant) {
  // 80/2,000 vs 120/2,000: pooled p = 0.05.
  auto r = AnalyzeExperiment({2000, 80}, {2000, 120});
  ASSERT_TRUE(r);
  EXPECT_NEAR(r->lift, 0.02, 1e-12);
  EXPECT_NEAR(*r->relative_lift, 0.5, 1e-12);
  const double z = 0.02 / std::sqrt(0.05 * 0.95 * (2.0 / 2000));
  EXPECT_NEAR(*r->z, z, 1e-9);
  EXPECT_NEAR(*r->p_value, TwoSidedP(z), 1e-9);
  EXPECT_NEAR(*r->p_value, 0.00370900999097481, 1e-9);
  const double se = std::sqrt(0.04 * 0.96 / 2000 + 0.06 * 0.94 / 2000);
  EXPECT_NEAR(r->ci95[0], 0.02 - 1.959964 * se, 1e-12);
  EXPECT_NEAR(r->ci95[1], 0.02 + 1.959964 * se, 1e-12);
  EXPECT_TRUE(r->significant);
}

TEST(AnalyzeExperimentTest, ZeroControlRateHasNoRelativeLift) {
  // 0/200 vs 3/100: pooled 3/300 = 0.01, unequal arms.
  auto r = AnalyzeExperiment({200, 0}, {100, 3});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->p_control, 0);
  EXPECT_FALSE(r->relative_lift);
  const double z = 0.03 / std::sqrt(0.01 * 0.99 * (1.0 / 200 + 1.0 / 100));
  EXPECT_NEAR(*r->z, z, 1e-9);
  EXPECT_NEAR(*r->p_value, TwoSidedP(z), 1e-9);
  EXPECT_TRUE(r->significant);
  const double se = std::sqrt(0.03 * 0.97 / 100);
  EXPECT_NEAR(r->ci95[0], 0.03 - 1.959964 * se, 1e-12);
}

TEST(AnalyzeExperimentTest, NegativeLift) {
  auto r = AnalyzeExperiment({1000, 70}, {1000, 50});
  ASSERT_TRUE(r);
  EXPECT_NEAR(r->lift, -0.02, 1e-12);
  EXPECT_NEAR(*r->relative_lift, -0.02 / 0.07, 1e-12);
  EXPECT_NEAR(*r->z, -1.88310894288677, 1e-9);
  EXPECT_NEAR(*r->p_value, 0.0596856055324263, 1e-9);
}

TEST(AnalyzeExperimentTest, NoVarianceWhenNobodyOrEverybodyConverts) {
  for (const auto& [c, v] : {std::pair<Arm, Arm>{{100, 0}, {100, 0}}, {{100, 100}, {50, 50}}}) {
    auto r = AnalyzeExperiment(c, v);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->lift, 0);
    EXPECT_FALSE(r->z);
    EXPECT_FALSE(r->p_value);
    EXPECT_FALSE(r->significant);
    EXPECT_EQ(r->ci95[0], 0);
    EXPECT_EQ(r->ci95[1], 0);
  }
}

TEST(AnalyzeExperimentTest, RefusesImpossibleCounts) {
  struct Case {
    Arm control, variant;
    const char* field;
  };
  for (const Case& c :
       {Case{{0, 0}, {100, 5}, "control.visitors"}, Case{{100, 5}, {0, 0}, "variant.visitors"},
        Case{{100, 101}, {100, 5}, "control.conversions"},
        Case{{100, 5}, {100, -1}, "variant.conversions"},
        Case{{-5, 0}, {100, 5}, "control.visitors"}}) {
    auto r = AnalyzeExperiment(c.control, c.variant);
    ASSERT_FALSE(r) << c.field;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalid);
    EXPECT_EQ(r.error().field, c.field);
  }
}

}  // namespace
}  // namespace cascade
