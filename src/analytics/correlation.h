// Lagged correlation of two KPIs (spec §2, Correlation): does a micro KPI move the macro KPI, and
// how many periods later? Each KPI becomes one value per period; for each lag the pairs
// (A[i], B[i + lag]) give Pearson's r, the OLS slope of B on A and a two-sided p-value.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/error.h"
#include "core/model.h"

namespace cascade {

enum class Period { kDay, kWeek, kMonth };
std::string_view ToString(Period p);  // "day", "week", "month"
std::optional<Period> ParsePeriod(std::string_view s);

// The first day of the period holding `d`: `d` itself, the Monday of its ISO week, or the first of
// its month.
Date PeriodStart(Date d, Period p);
// The first day of the period after the one starting at `start`.
Date NextPeriodStart(Date start, Period p);

// The statistics of one lag. r, slope and p_value are null together: with fewer than 3 pairs or
// when either side of the pairs has zero variance.
struct LagStats {
  int lag = 0;
  int n = 0;  // pairs with a value on both sides
  std::optional<double> r;
  std::optional<double> slope;    // of B on A (ordinary least squares)
  std::optional<double> p_value;  // two-sided, Student t with n − 2 degrees of freedom
};

// Pearson r, slope and p-value of the pairs (x[i], y[i]) (equal sizes).
LagStats PairStats(const std::vector<double>& x, const std::vector<double>& y);

struct CorrelationResult {
  Period period = Period::kWeek;
  std::vector<Date> periods;             // the first day of each period, oldest first
  std::vector<std::optional<double>> a;  // A's value per period (parallel to `periods`)
  std::vector<std::optional<double>> b;  // B's value per period
  std::vector<LagStats> lags;            // lag 0 … max_lag
  std::optional<int> best;               // index into `lags`; null when every r is null
};

// The largest lag the analysis accepts: a longer one has no pairs in any realistic series.
inline constexpr int kMaxCorrelationLag = 1000;

// Correlates KPIs `a` and `b` of `ws` as of `as_of`. Refuses an unknown KPI (kNotFound) and a lag
// outside 0 … kMaxCorrelationLag (kInvalid). With no check-ins there are no periods and every lag
// has n = 0.
Result<CorrelationResult> Correlate(const Workspace& ws, const std::string& a, const std::string& b,
                                    Period period, int max_lag, Date as_of);

}  // namespace cascade
