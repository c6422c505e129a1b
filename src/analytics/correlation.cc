#include "analytics/correlation.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include <boost/math/distributions/students_t.hpp>

namespace cascade {
namespace {

constexpr double kEps = 1e-9;

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

// Zero variance, within the spec's tolerance (relative for large values): sums such as
// 0.1 + 0.2 and 0.3 are the same number, not a signal that r could be computed from.
bool AllEqual(const std::vector<double>& v) {
  return std::all_of(v.begin(), v.end(), [&v](double x) {
    return std::fabs(x - v.front()) <= kEps * std::max(1.0, std::fabs(v.front()));
  });
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
  if (s.n < 3 || AllEqual(x) || AllEqual(y)) return s;
  // Two passes (means, then centred sums): exact enough for KPI values in the millions.
  const double n = static_cast<double>(s.n);
  double mean_x = 0, mean_y = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    mean_x += x[i];
    mean_y += y[i];
  }
  mean_x /= n;
  mean_y /= n;
  double sxx = 0, syy = 0, sxy = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    const double dx = x[i] - mean_x;
    const double dy = y[i] - mean_y;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  if (sxx <= 0 || syy <= 0) return s;
  const double r = std::clamp(sxy / std::sqrt(sxx * syy), -1.0, 1.0);
  s.r = r;
  s.slope = sxy / sxx;
  if (1 - std::fabs(r) <= kEps * kEps) {
    s.p_value = 0.0;  // a perfect line: t is infinite
  } else {
    const double df = n - 2;
    const double t = r * std::sqrt(df / (1 - r * r));
    const boost::math::students_t_distribution<double> student(df);
    s.p_value = 2 * boost::math::cdf(boost::math::complement(student, std::fabs(t)));
  }
  return s;
}

Result<CorrelationResult> Correlate(const Workspace& ws, const std::string& a, const std::string& b,
                                    Period period, int max_lag, Date as_of) {
  const Kpi* kpi_a = nullptr;
  const Kpi* kpi_b = nullptr;
  for (const Kpi& k : ws.kpis) {
    if (k.id == a) kpi_a = &k;
    if (k.id == b) kpi_b = &k;
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
  const std::vector<Reading> ra = ReadingsOf(ws, a, as_of);
  const std::vector<Reading> rb = ReadingsOf(ws, b, as_of);
  if (!ra.empty() || !rb.empty()) {
    Date first = ra.empty() ? rb.front().date : ra.front().date;
    Date last = ra.empty() ? rb.back().date : ra.back().date;
    if (!rb.empty()) {
      first = std::min(first, rb.front().date);
      last = std::max(last, rb.back().date);
    }
    for (Date p = PeriodStart(first, period); p <= last; p = NextPeriodStart(p, period)) {
      out.periods.push_back(p);
    }
  }
  out.a = SeriesOf(*kpi_a, ra, out.periods, period);
  out.b = SeriesOf(*kpi_b, rb, out.periods, period);

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
