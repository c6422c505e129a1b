#include "cli/insight_printer.h"

#include <gtest/gtest.h>

#include <limits>

namespace cascade {
namespace {

TEST(InsightNumberTest, HugeNumbersAreShortAndNonFiniteADash) {
  EXPECT_EQ(InsightNumber(1e300), "1.00e+300");  // a 301-digit number before
  EXPECT_EQ(InsightNumber(-3e16), "-3.00e+16");
  EXPECT_EQ(InsightNumber(123456789.0), "123,456,789");
  EXPECT_EQ(InsightNumber(std::numeric_limits<double>::infinity()), "—");
  EXPECT_EQ(InsightNumber(std::numeric_limits<double>::quiet_NaN()), "—");
}

}  // namespace
}  // namespace cascade
