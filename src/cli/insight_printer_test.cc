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

// Analytics promise finite statistics; if one ever is not, the printers say "—" and draw no bar
// rather than print "nan" or size a bar from it (a NaN cast to a width is undefined behaviour).
TEST(InsightPrinterTest, NonFiniteStatisticsPrintAsDashes) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Workspace ws;
  CorrelationResult c;
  c.period = Period::kWeek;
  c.periods = {*Date::Parse("2026-01-05"), *Date::Parse("2026-01-12"), *Date::Parse("2026-01-19")};
  LagStats lag0;
  lag0.n = 3;
  lag0.r = nan;
  lag0.slope = nan;
  lag0.p_value = nan;
  LagStats lag1;
  lag1.lag = 1;
  lag1.n = 3;
  lag1.r = 7.0;  // out of [−1, 1]: drawn as a full bar, never a negative width
  lag1.slope = 2;
  lag1.p_value = 0.5;
  c.lags = {lag0, lag1};
  c.best = 0;
  const std::string text = RenderCorrelation(ws, c, "a", "b", {});
  EXPECT_EQ(text.find("nan"), std::string::npos) << text;
  EXPECT_NE(text.find("No lag has enough data"), std::string::npos) << text;
  EXPECT_NE(text.find("1.000"), std::string::npos) << text;

  ExperimentResult e;
  e.z = nan;
  e.p_value = nan;
  const std::string exp = RenderExperiment(Experiment{}, e, {});
  EXPECT_EQ(exp.find("nan"), std::string::npos) << exp;
  EXPECT_NE(exp.find("z = —, p = —"), std::string::npos) << exp;
}

}  // namespace
}  // namespace cascade
