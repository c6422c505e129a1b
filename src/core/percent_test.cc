#include "core/percent.h"

#include <gtest/gtest.h>

#include <limits>

namespace cascade {
namespace {

TEST(PercentNumberTest, TruncatesTowardZero) {
  EXPECT_EQ(PercentNumber(0.997), "99");
  EXPECT_EQ(PercentNumber(0.999), "99");
  EXPECT_EQ(PercentNumber(0.9999999), "99");
  EXPECT_EQ(PercentNumber(1.0), "100");
  EXPECT_EQ(PercentNumber(0.0049), "0");
  EXPECT_EQ(PercentNumber(0.29), "29");  // 0.29·100 is 28.999…
  EXPECT_EQ(PercentNumber(0.57), "57");
  EXPECT_EQ(PercentNumber(2.0 / 3, 1), "66.6");
  EXPECT_EQ(PercentNumber(0.997, 1), "99.7");
  EXPECT_EQ(PercentNumber(0.99999, 2), "99.99");
  EXPECT_EQ(PercentNumber(0.0049, 1), "0.4");
}

TEST(PercentNumberTest, NegativesTruncateTowardZeroWithoutMinusZero) {
  EXPECT_EQ(PercentNumber(-0.0049), "0");
  EXPECT_EQ(PercentNumber(-0.0049, 1), "-0.4");
  EXPECT_EQ(PercentNumber(-0.00001, 1), "0.0");
  EXPECT_EQ(PercentNumber(-0.129), "-12");
  EXPECT_EQ(PercentNumber(-0.0), "0");
}

TEST(PercentNumberTest, NotFiniteAndHugeValuesNeverPrintDigitsOrInf) {
  EXPECT_EQ(PercentNumber(std::numeric_limits<double>::infinity()), "—");
  EXPECT_EQ(PercentNumber(std::numeric_limits<double>::quiet_NaN()), "—");
  EXPECT_EQ(PercentNumber(1e300), ">1000000");
  EXPECT_EQ(PercentNumber(std::numeric_limits<double>::max()), ">1000000");
  EXPECT_EQ(PercentNumber(-1e300), "<-1000000");
  EXPECT_EQ(PercentNumber(10000.0), "1000000");
  EXPECT_EQ(PercentNumber(12.5), "1250");
}

}  // namespace
}  // namespace cascade
