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

// The statistics of one lag. r, slope and p_value are null together: with fewer than 3 pairs,
// when either side of the pairs has zero variance, or when a value or the slope is too large to
// be a finite number; `reason` then says which.
struct LagStats {
  int lag = 0;
  int n = 0;  // pairs with a value on both sides
  std::optional<double> r;
  std::optional<double> slope;    // of B on A (ordinary least squares)
  std::optional<double> p_value;  // two-sided, Student t with n − 2 degrees of freedom
  std::string reason;             // why r is null ("fewer than 3 pairs", …); empty when it is not
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

// The largest lag the analysis accepts: a year of days, seven years of weeks, thirty of months.
inline constexpr int kMaxCorrelationLag = 366;
// The most periods a correlation may span (about 13 years of days, 96 of weeks): the series, the
// answer and the work for every lag stay small whatever dates the check-ins carry.
inline constexpr int kMaxCorrelationPeriods = 5000;

// Correlates KPIs `a` and `b` of `ws` as of `as_of`. Refuses an unknown KPI (kNotFound), a lag
// outside 0 … kMaxCorrelationLag (kInvalid, field max_lag) and check-ins spanning more than
// kMaxCorrelationPeriods periods (kInvalid, field period). With no check-ins there are no periods
// and every lag has n = 0.
Result<CorrelationResult> Correlate(const Workspace& ws, const std::string& a, const std::string& b,
                                    Period period, int max_lag, Date as_of);

}  // namespace cascade
