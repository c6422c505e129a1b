#include "io/render_text.h"

#include <gtest/gtest.h>

#include <limits>
#include <optional>

namespace cascade {
namespace {

TEST(PercentTextTest, TruncatesTowardZero) {
  EXPECT_EQ(PercentText(0.997), "99%");
  EXPECT_EQ(PercentText(0.999), "99%");
  EXPECT_EQ(PercentText(0.0049), "0%");
  EXPECT_EQ(PercentText(-0.0049), "0%");
  EXPECT_EQ(PercentText(-0.125), "-12%");
  EXPECT_EQ(PercentText(0.997, 1), "99.7%");
  EXPECT_EQ(PercentText(0.9999, 1), "99.9%");
}

TEST(PercentTextTest, NullAndNotFiniteReadAsDash) {
  EXPECT_EQ(PercentText(std::nullopt), "—");
  EXPECT_EQ(PercentText(std::numeric_limits<double>::infinity()), "—");
  EXPECT_EQ(PercentText(std::numeric_limits<double>::quiet_NaN()), "—");
  EXPECT_EQ(PercentText(1e300), ">1000000%");
}

TEST(PointsTextTest, SignedAndTruncated) {
  EXPECT_EQ(PointsText(0.1239), "+12.3 pts");
  EXPECT_EQ(PointsText(-0.0049), "−0.4 pts");
  EXPECT_EQ(PointsText(0.00049), "±0 pts");
  EXPECT_EQ(PointsText(-0.00049), "±0 pts");
  EXPECT_EQ(PointsText(0.997), "+99.7 pts");
  EXPECT_EQ(PointsText(std::numeric_limits<double>::infinity()), "—");
}

}  // namespace
}  // namespace cascade
