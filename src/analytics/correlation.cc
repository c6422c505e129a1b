#include "analytics/correlation.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>

#include <boost/math/distributions/students_t.hpp>

#include "core/kpi_values.h"

namespace cascade {
namespace {

constexpr double kEps = 1e-9;

// Why a lag has no r although it has pairs that vary.
constexpr const char* kTooLarge = "values too large to correlate";
constexpr const char* kSlopeTooSmall = "slope too small to represent";

// One check-in of one KPI, as the series reads it.
struct Reading {
  Date date;
  int64_t seq;
  size_t index;  // position in Workspace::checkins: the tie-break after seq
  double value;
};

// The KPI's check-ins dated ≤ as_of, ordered by date, then the order recorded. Correlation reads
// them whatever the goal's window: a trend is a trend before and after the goal's dates.
std::vector<Reading> ReadingsOf(const Workspace& ws, const std::string& kpi, Date as_of) {
  std::vector<Reading> out;
  for (size_t i = 0; i < ws.checkins.size(); ++i) {
    const Checkin& c = ws.checkins[i];
    if (c.kpi == kpi && c.date <= as_of) out.push_back({c.date, c.seq, i, c.value});
  }
  std::sort(out.begin(), out.end(), [](const Reading& x, const Reading& y) {
    if (x.date != y.date) return x.date < y.date;
    if (x.seq != y.seq) return x.seq < y.seq;
    return x.index < y.index;
  });
  return out;
}

// One value per period. Cumulative KPIs: the sum of the check-ins inside the period (0 if none).
// Every other kind (level, milestone, and threshold, which is read as a level here): V at the end
// of the period, the last value carried forward; a period before the KPI's first check-in holds
// its baseline (so a series that starts later than the other KPI's still has a value there), and
// no value at all for a threshold KPI without a baseline. Periods without a value drop out of
// the pairs.
std::vector<std::optional<double>> SeriesOf(const Kpi& kpi, const std::vector<Reading>& readings,
                                            const std::vector<Date>& periods, Period period) {
  std::vector<std::optional<double>> out(periods.size());
  const bool cumulative = kpi.kind == KpiKind::kCumulative;
  std::optional<double> level = kpi.effective_baseline();
  size_t next = 0;
  for (size_t i = 0; i < periods.size(); ++i) {
    const Date end = NextPeriodStart(periods[i], period);  // exclusive
    double sum = 0;
    for (; next < readings.size() && readings[next].date < end; ++next) {
      sum += readings[next].value;
      level = readings[next].value;
    }
    out[i] = cumulative ? std::optional<double>(sum) : level;
  }
  return out;
}

// A formula KPI's readings: one on each date its inputs were checked in (through nested formulas),
// dated ≤ as_of; they set the periods spanned, their values are not read (see FormulaSeries).
std::vector<Reading> FormulaReadingsOf(const KpiValues& values, size_t kpi, Date as_of) {
  std::vector<Reading> out;
  for (const Date d : values.InputDates(kpi)) {
    if (d <= as_of) out.push_back({d, 0, 0, 0});
  }
  return out;
}

// A formula KPI read as a level: V at the end of each period (as of as_of at the latest), on its
// inputs' values read as correlation reads them, whatever their goals' windows; null where the
// formula has no value.
std::vector<std::optional<double>> FormulaSeries(const KpiValues& values, size_t kpi,
                                                 const std::vector<Date>& periods, Period period,
                                                 Date as_of) {
  std::vector<std::optional<double>> out(periods.size());
  for (size_t i = 0; i < periods.size(); ++i) {
    const Date end = NextPeriodStart(periods[i], period) - 1;
    out[i] = values.AsOf(kpi, std::min(end, as_of)).value;
  }
  return out;
}

// Zero variance, within the spec's tolerance (relative for large values): sums such as
// 0.1 + 0.2 and 0.3 are the same number, not a signal that r could be computed from.
bool AllEqual(const std::vector<double>& v) {
  return std::all_of(v.begin(), v.end(), [&v](double x) {
    return std::fabs(x - v.front()) <= kEps * std::max(1.0, std::fabs(v.front()));
  });
}

bool AllFinite(const std::vector<double>& v) {
  return std::all_of(v.begin(), v.end(), [](double x) { return std::isfinite(x); });
}

// The exponent e of the power of two 2^e just above the largest |v| (0 when every value is 0).
// Dividing by 2^e is exact and brings every value into (−1, 1), so that sums, squares and
// products of the scaled values stay finite for any finite values.
int ScaleExponent(const std::vector<double>& v) {
  double largest = 0;
  for (const double x : v) largest = std::max(largest, std::fabs(x));
  int exponent = 0;
  std::frexp(largest, &exponent);  // largest = f·2^exponent with 0.5 ≤ f < 1
  return exponent;
}

// Boost's distributions throw on a NaN or infinite argument; here they return NaN instead, which
// the caller turns into a null with a reason, so that no input can crash a command or a request.
using NoThrow = boost::math::policies::policy<
    boost::math::policies::domain_error<boost::math::policies::ignore_error>,
    boost::math::policies::overflow_error<boost::math::policies::ignore_error>,
    boost::math::policies::evaluation_error<boost::math::policies::ignore_error>>;

// The two-sided p-value of r over n pairs (n ≥ 3, |r| < 1): t = r·√((n−2)/(1−r²)), n − 2 degrees
// of freedom. NaN when it cannot be computed.
double TwoSidedP(double r, double n) {
  const double df = n - 2;
  const double t = r * std::sqrt(df / (1 - r * r));
  if (!std::isfinite(t) || !(df >= 1)) return std::numeric_limits<double>::quiet_NaN();
  const boost::math::students_t_distribution<double, NoThrow> student(df);
  return 2 * boost::math::cdf(boost::math::complement(student, std::fabs(t)));
}

LagStats NullStats(LagStats s, std::string reason) {
  s.r.reset();
  s.slope.reset();
  s.p_value.reset();
  s.reason = std::move(reason);
  return s;
}

// The number of periods from the one holding `first` to the one holding `last` (first ≤ last).
int64_t PeriodCount(Date first, Date last, Period p) {
  switch (p) {
    case Period::kDay:
      return int64_t{last - first} + 1;
    case Period::kWeek:
      return int64_t{(last - first + static_cast<int>(first.iso_weekday()) - 1) / 7} + 1;
    case Period::kMonth:
      return (int64_t{last.year()} - first.year()) * 12 + last.month() - first.month() + 1;
  }
  return 0;
}

// What to do about too long a span: a longer period if there is one, else the stray dates.
std::string Remedy(Period p) {
  switch (p) {
    case Period::kDay:
      return "use a longer period (week or month), or correct the check-ins dated far from the "
             "others";
    case Period::kWeek:
      return "use a longer period (month), or correct the check-ins dated far from the others";
    case Period::kMonth:
      break;
  }
  return "correct the check-ins dated far from the others";
}

}  // namespace

std::string_view ToString(Period p) {
  switch (p) {
    case Period::kDay:
      return "day";
    case Period::kWeek:
      return "week";
    case Period::kMonth:
      return "month";
  }
  return "";
}

std::optional<Period> ParsePeriod(std::string_view s) {
  for (Period p : {Period::kDay, Period::kWeek, Period::kMonth}) {
    if (ToString(p) == s) return p;
  }
  return std::nullopt;
}

Date PeriodStart(Date d, Period p) {
  switch (p) {
    case Period::kDay:
      return d;
    case Period::kWeek:
      return d - static_cast<int>(d.iso_weekday() - 1);
    case Period::kMonth:
      return *Date::FromCivil(d.year(), d.month(), 1);
  }
  return d;
}

Date NextPeriodStart(Date start, Period p) {
  switch (p) {
    case Period::kDay:
      return start + 1;
    case Period::kWeek:
      return start + 7;
    case Period::kMonth: {
      const int year = start.year();
      const unsigned month = start.month();
      return month == 12 ? *Date::FromCivil(year + 1, 1, 1) : *Date::FromCivil(year, month + 1, 1);
    }
  }
  return start + 1;
}

LagStats PairStats(const std::vector<double>& x, const std::vector<double>& y) {
  LagStats s;
  s.n = static_cast<int>(x.size());
  if (s.n < 3) return NullStats(s, "fewer than 3 pairs");
  // Sums that overflowed to infinity (or stored values from before entry was bounded).
  if (!AllFinite(x) || !AllFinite(y)) return NullStats(s, kTooLarge);
  if (AllEqual(x)) return NullStats(s, "A does not vary");
  if (AllEqual(y)) return NullStats(s, "B does not vary");
  // Two passes (means, then centred sums) over values scaled by powers of two: r does not depend
  // on the scale, so values of 1e200 give the r that values of 1 give instead of an overflow.
  const int ex = ScaleExponent(x);
  const int ey = ScaleExponent(y);
  const double n = static_cast<double>(s.n);
  double mean_x = 0, mean_y = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    mean_x += std::ldexp(x[i], -ex);
    mean_y += std::ldexp(y[i], -ey);
  }
  mean_x /= n;
  mean_y /= n;
  double sxx = 0, syy = 0, sxy = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    const double dx = std::ldexp(x[i], -ex) - mean_x;
    const double dy = std::ldexp(y[i], -ey) - mean_y;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  if (sxx <= 0) return NullStats(s, "A does not vary");
  if (syy <= 0) return NullStats(s, "B does not vary");
  // sxx and syy are at most n here, so their product cannot overflow.
  const double r = sxy / std::sqrt(sxx * syy);
  // The slope in the values' own units: B's scale over A's.
  const double slope = std::ldexp(sxy / sxx, ey - ex);
  if (!std::isfinite(r) || !std::isfinite(slope)) return NullStats(s, kTooLarge);
  if (sxy != 0 && !std::isnormal(slope)) return NullStats(s, kSlopeTooSmall);
  s.r = std::clamp(r, -1.0, 1.0);
  s.slope = slope;
  if (1 - std::fabs(*s.r) <= kEps * kEps) {
    s.p_value = 0.0;  // a perfect line: t is infinite
  } else {
    const double p = TwoSidedP(*s.r, n);
    if (!std::isfinite(p)) return NullStats(s, "the p-value could not be computed");
    s.p_value = p;
  }
  return s;
}

Result<CorrelationResult> Correlate(const Workspace& ws, const std::string& a, const std::string& b,
                                    Period period, int max_lag, Date as_of) {
  const Kpi* kpi_a = nullptr;
  const Kpi* kpi_b = nullptr;
  size_t pos_a = 0, pos_b = 0;
  for (size_t k = 0; k < ws.kpis.size(); ++k) {
    if (ws.kpis[k].id == a) kpi_a = &ws.kpis[pos_a = k];
    if (ws.kpis[k].id == b) kpi_b = &ws.kpis[pos_b = k];
  }
  for (auto [kpi, id, field] : {std::tuple{kpi_a, &a, "a"}, std::tuple{kpi_b, &b, "b"}}) {
    if (kpi == nullptr) {
      return Error::NotFound("kpi '" + *id + "' does not exist; correlate takes two KPI ids", "kpi",
                             *id, field);
    }
  }
  if (max_lag < 0 || max_lag > kMaxCorrelationLag) {
    return Error::Invalid("max lag " + std::to_string(max_lag) + " is not allowed; use 0 to " +
                              std::to_string(kMaxCorrelationLag) + " periods",
                          "", "", "max_lag");
  }

  CorrelationResult out;
  out.period = period;
  // Formulas read their inputs without goal windows, as correlation reads every KPI.
  std::optional<KpiValues> values;
  if (kpi_a->kind == KpiKind::kFormula || kpi_b->kind == KpiKind::kFormula) {
    values.emplace(ws, std::vector<KpiWindow>(ws.kpis.size()));
  }
  const auto pos = [&](const Kpi* k) { return k == kpi_a ? pos_a : pos_b; };
  const auto readings = [&](const Kpi* k, const std::string& id) {
    return k->kind == KpiKind::kFormula ? FormulaReadingsOf(*values, pos(k), as_of)
                                        : ReadingsOf(ws, id, as_of);
  };
  const std::vector<Reading> ra = readings(kpi_a, a);
  const std::vector<Reading> rb = readings(kpi_b, b);
  if (!ra.empty() || !rb.empty()) {
    Date first = ra.empty() ? rb.front().date : ra.front().date;
    Date last = ra.empty() ? rb.back().date : ra.back().date;
    if (!rb.empty()) {
      first = std::min(first, rb.front().date);
      last = std::max(last, rb.back().date);
    }
    const int64_t count = PeriodCount(first, last, period);
    if (count > kMaxCorrelationPeriods) {
      return Error::Invalid(
          "the check-ins of '" + a + "' and '" + b + "' run from " + first.ToString() + " to " +
              last.ToString() + ", " + std::to_string(count) + " " + std::string(ToString(period)) +
              "s; a correlation spans at most " + std::to_string(kMaxCorrelationPeriods) +
              " periods: " + Remedy(period),
          "", "", "period");
    }
    out.periods.reserve(static_cast<size_t>(count));
    for (Date p = PeriodStart(first, period); p <= last; p = NextPeriodStart(p, period)) {
      out.periods.push_back(p);
    }
  }
  out.a = kpi_a->kind == KpiKind::kFormula
              ? FormulaSeries(*values, pos(kpi_a), out.periods, period, as_of)
              : SeriesOf(*kpi_a, ra, out.periods, period);
  out.b = kpi_b->kind == KpiKind::kFormula
              ? FormulaSeries(*values, pos(kpi_b), out.periods, period, as_of)
              : SeriesOf(*kpi_b, rb, out.periods, period);

  for (int lag = 0; lag <= max_lag; ++lag) {
    std::vector<double> x, y;
    for (size_t i = 0; i + static_cast<size_t>(lag) < out.periods.size(); ++i) {
      const auto& va = out.a[i];
      const auto& vb = out.b[i + static_cast<size_t>(lag)];
      if (va && vb) {
        x.push_back(*va);
        y.push_back(*vb);
      }
    }
    LagStats s = PairStats(x, y);
    s.lag = lag;
    out.lags.push_back(s);
  }
  // The largest |r|; a later lag must beat it by more than the tolerance, so ties go to the
  // smaller lag.
  for (size_t i = 0; i < out.lags.size(); ++i) {
    if (!out.lags[i].r) continue;
    if (!out.best || std::fabs(*out.lags[i].r) > std::fabs(*out.lags[*out.best].r) + kEps) {
      out.best = static_cast<int>(i);
    }
  }
  return out;
}

}  // namespace cascade
