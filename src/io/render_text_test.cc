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

TEST(FormatNumberTest, HugeNumbersAreShortAndNonFiniteADash) {
  EXPECT_EQ(FormatNumber(999999999999999.0), "999,999,999,999,999");
  EXPECT_EQ(FormatNumber(1e15), "1.00e+15");
  EXPECT_EQ(FormatNumber(-2.5e20), "-2.50e+20");
  EXPECT_EQ(FormatNumber(1e300), "1.00e+300");
  EXPECT_EQ(FormatNumber(1e300, 2), "1.00e+300");
  EXPECT_EQ(FormatQuantity(1e300, "$", false), "$1.00e+300");
  EXPECT_EQ(FormatNumber(std::numeric_limits<double>::infinity()), "—");
  EXPECT_EQ(FormatNumber(std::numeric_limits<double>::quiet_NaN()), "—");
  EXPECT_EQ(FormatNumber(-1e-10), "0");  // never "-0"
  EXPECT_EQ(FormatNumber(1234.6), "1,235");
}

// What someone entered reads back exactly, grouped.
TEST(FormatNumberTest, ExactNumbersReadBackAsEntered) {
  EXPECT_EQ(ExactNumber(0.125), "0.125");
  EXPECT_EQ(ExactNumber(2.345), "2.345");
  EXPECT_EQ(ExactNumber(1234567.5), "1,234,567.5");
  EXPECT_EQ(ExactNumber(-5000), "-5,000");
  EXPECT_EQ(ExactNumber(0.00001), "0.00001");
  EXPECT_EQ(ExactNumber(-0.0), "0");
  EXPECT_EQ(ExactNumber(1e15), "1.00e+15");
  EXPECT_EQ(ExactNumber(std::numeric_limits<double>::quiet_NaN()), "—");
}

// Below 1, two significant digits: a click-through rate of 0.0045 never reads 0.
TEST(FormatNumberTest, SmallNumbersKeepTwoSignificantDigits) {
  EXPECT_EQ(FormatNumber(0.0045), "0.0045");
  EXPECT_EQ(FormatNumber(0.001234), "0.0012");
  EXPECT_EQ(FormatNumber(-0.001), "-0.001");
  EXPECT_EQ(FormatNumber(0.5), "0.5");
  EXPECT_EQ(FormatNumber(0.12345), "0.12");
  EXPECT_EQ(FormatNumber(2.31913), "2.32");
  EXPECT_EQ(FormatNumber(0), "0");
  EXPECT_EQ(FormatQuantity(0.0045, "%", false), "0.0045%");
}

}  // namespace
}  // namespace cascade
