#include "io/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string_view>

#include <fmt/format.h>

#include "io/render_text.h"

namespace cascade {
namespace {

constexpr std::string_view kFontStack =
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
constexpr std::string_view kInk = "#1f2328";
constexpr std::string_view kMuted = "#59636e";
constexpr std::string_view kGrid = "#e6e8eb";
constexpr std::string_view kAxis = "#8c959f";
constexpr std::string_view kCheckinColor = "#1f5fbf";
constexpr std::string_view kBenchmarkColor = "#8a8f98";
constexpr std::string_view kTargetColor = "#1a7f37";
constexpr std::string_view kExpectedColor = "#6e7781";
constexpr std::string_view kForecastColor = "#c2410c";
constexpr std::string_view kMissColor = "#c62828";
constexpr std::string_view kAsOfColor = "#8c959f";
constexpr std::string_view kExpectedDash = "1 5";
constexpr std::string_view kForecastDash = "7 5";
constexpr std::string_view kAsOfDash = "3 3";
constexpr int kMaxDescribedCheckins = 40;

// How far outside the picture a coordinate may lie. Renderers that draw SVG through Cairo
// (librsvg, converters to PNG and PDF) hold coordinates in 24.8 fixed point and draw wrong lines
// beyond ±8,388,608; a forecast line whose start lies centuries of pixels off the plot gets there.
constexpr double kFarPx = 1e6;

// A pixel coordinate: two decimals at most, no trailing zeros, never "-0"; clamped to ±kFarPx (a
// non-finite one draws at 0). Lines are clipped to that box first (ClipToFarBox), so the clamp
// changes only what no one sees.
std::string Px(double v) {
  v = std::isfinite(v) ? std::clamp(v, -kFarPx, kFarPx) : 0.0;
  std::string s = fmt::format("{:.2f}", v);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  return s;
}

// Clips the segment (x1, y1)–(x2, y2) to the square ±kFarPx (Liang–Barsky), keeping its slope:
// what lies inside the picture is drawn exactly as the whole line would be.
void ClipToFarBox(double& x1, double& y1, double& x2, double& y2) {
  double t0 = 0;
  double t1 = 1;
  const double dx = x2 - x1;
  const double dy = y2 - y1;
  const auto edge = [&](double p, double q) {  // the part where p·t ≤ q
    if (p == 0) return q >= 0;
    const double t = q / p;
    if (p < 0) {
      t0 = std::max(t0, t);
    } else {
      t1 = std::min(t1, t);
    }
    return t0 <= t1;
  };
  if (!std::isfinite(dx) || !std::isfinite(dy)) return;
  if (edge(-dx, x1 + kFarPx) && edge(dx, kFarPx - x1) && edge(-dy, y1 + kFarPx) &&
      edge(dy, kFarPx - y1)) {
    const double ox = x1;
    const double oy = y1;
    x1 = ox + t0 * dx;
    y1 = oy + t0 * dy;
    x2 = ox + t1 * dx;
    y2 = oy + t1 * dy;
  }
}

// A data value for data-* attributes: the shortest text that reads back as the same double.
std::string Raw(double v) { return fmt::format("{}", v); }

// Code points in UTF-8 text (the width estimates below count characters, not bytes).
size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// Rough width of text in the system sans-serif: 0.56 em per character is close enough to keep
// labels apart and titles inside the picture.
double TextWidth(std::string_view s, double font_size) {
  return static_cast<double>(CodePoints(s)) * font_size * 0.56;
}

// `s` cut (at a character boundary) to fit `width` pixels, ending in "…" when cut.
std::string Fit(std::string_view s, double width, double font_size) {
  if (TextWidth(s, font_size) <= width) return std::string(s);
  const auto keep = static_cast<size_t>(std::max(0.0, width / (font_size * 0.56) - 1));
  size_t pos = 0;
  for (size_t n = 0; pos < s.size() && n < keep; ++n) {
    ++pos;
    while (pos < s.size() && (static_cast<unsigned char>(s[pos]) & 0xC0) == 0x80) ++pos;
  }
  std::string out(s.substr(0, pos));
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out + "…";
}

// ---- Scales -------------------------------------------------------------------------------------

// The y axis: tick values (1, 2 or 5 × 10^k apart) with their labels and the domain they span.
struct ValueAxis {
  double lo = 0;
  double hi = 1;
  std::vector<double> ticks;
  std::vector<std::string> labels;
};

ValueAxis NiceValueAxis(double lo, double hi, std::string_view unit) {
  if (!(hi - lo > 1e-12 * std::max(1.0, std::fabs(hi)))) {
    const double pad = lo == 0 ? 1 : std::fabs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  // The finest step of 1, 2 or 5 × 10^k that needs at most 8 intervals.
  constexpr int kMaxIntervals = 8;
  double step = 0;
  long long first = 0, last = 0;
  for (int e = static_cast<int>(std::floor(std::log10((hi - lo) / 10))); step == 0; ++e) {
    for (const double f : {1.0, 2.0, 5.0}) {
      const double candidate = f * std::pow(10, e);
      first = std::llround(std::floor(lo / candidate + 1e-9));
      last = std::llround(std::ceil(hi / candidate - 1e-9));
      if (last - first <= kMaxIntervals) {
        step = candidate;
        break;
      }
    }
  }
  const int decimals = std::max(0, static_cast<int>(-std::floor(std::log10(step) + 1e-9)));
  ValueAxis axis;
  axis.lo = static_cast<double>(first) * step;
  axis.hi = static_cast<double>(last) * step;
  for (long long i = first; i <= last; ++i) {
    const double v = static_cast<double>(i) * step;
    axis.ticks.push_back(v);
    axis.labels.push_back(FormatQuantity(v, unit, false, decimals));
  }
  return axis;
}

// A milestone is done or not: two ticks, with room above and below so the points stay clear of
// the frame.
ValueAxis MilestoneAxis() {
  return ValueAxis{-0.15, 1.15, {0, 1}, {"not done", "done"}};
}

struct DateTick {
  Date date;
  std::string label;
};

enum class Period { kDay, kWeek, kMonth, kYear };

Date AddMonths(Date d, int months) {
  const int index = d.year() * 12 + static_cast<int>(d.month()) - 1 + months;
  return *Date::FromCivil(index / 12, static_cast<unsigned>(index % 12) + 1, 1);
}

// Ticks every `n` periods within [from, to]: days from `from`, weeks on Mondays, months on the
// first, years on January 1st.
std::vector<DateTick> DateTicksEvery(Period period, int n, Date from, Date to) {
  std::vector<DateTick> ticks;
  Date d = from;
  switch (period) {
    case Period::kDay:
      break;
    case Period::kWeek:
      d = from + static_cast<int>((8 - from.iso_weekday()) % 7);
      break;
    case Period::kMonth: {
      d = *Date::FromCivil(from.year(), from.month(), 1);
      if (d < from) d = AddMonths(d, 1);
      while ((static_cast<int>(d.month()) - 1) % n != 0) d = AddMonths(d, 1);
      break;
    }
    case Period::kYear: {
      int year = from.year() + (from > *Date::FromCivil(from.year(), 1, 1) ? 1 : 0);
      while (year % n != 0) ++year;
      d = *Date::FromCivil(year, 1, 1);
      break;
    }
  }
  for (int guard = 0; d <= to && guard < 1000; ++guard) {
    std::string label;
    if (period == Period::kYear) {
      label = std::to_string(d.year());
    } else if (period == Period::kMonth) {
      label = std::string(MonthAbbrev(d.month()));
      if (ticks.empty() || d.month() == 1) label += " " + std::to_string(d.year());
    } else {
      label = ShortDate(d);
    }
    ticks.push_back({d, std::move(label)});
    switch (period) {
      case Period::kDay:
        d = d + n;
        break;
      case Period::kWeek:
        d = d + 7 * n;
        break;
      case Period::kMonth:
        d = AddMonths(d, n);
        break;
      case Period::kYear:
        d = *Date::FromCivil(d.year() + n, 1, 1);
        break;
    }
  }
  return ticks;
}

// The finest of daily, weekly, monthly … ticks that fits `max_ticks` labels.
std::vector<DateTick> NiceDateTicks(Date from, Date to, int max_ticks) {
  struct Step {
    Period period;
    int n;
  };
  static constexpr Step kSteps[] = {
      {Period::kDay, 1},   {Period::kDay, 2},   {Period::kWeek, 1},  {Period::kWeek, 2},
      {Period::kMonth, 1}, {Period::kMonth, 2}, {Period::kMonth, 3}, {Period::kMonth, 6},
      {Period::kYear, 1},  {Period::kYear, 2},  {Period::kYear, 5},  {Period::kYear, 10},
      {Period::kYear, 25}, {Period::kYear, 100}};
  std::vector<DateTick> ticks;
  for (const Step& s : kSteps) {
    ticks = DateTicksEvery(s.period, s.n, from, to);
    if (static_cast<int>(ticks.size()) <= max_ticks) break;
  }
  return ticks;
}

// ---- Least squares (spec §2, Forecast) ----------------------------------------------------------

// The OLS line through the points, as (α, β) of y = α + β·x; null with < 2 points or one x.
std::optional<std::pair<double, double>> FitLine(const std::vector<std::pair<double, double>>& pts) {
  if (pts.size() < 2) return std::nullopt;
  double mx = 0, my = 0;
  for (const auto& [x, y] : pts) {
    mx += x;
    my += y;
  }
  mx /= static_cast<double>(pts.size());
  my /= static_cast<double>(pts.size());
  double sxx = 0, sxy = 0;
  for (const auto& [x, y] : pts) {
    sxx += (x - mx) * (x - mx);
    sxy += (x - mx) * (y - my);
  }
  if (sxx <= 0) return std::nullopt;
  const double beta = sxy / sxx;
  return std::make_pair(my - beta * mx, beta);
}

// ---- Drawing ------------------------------------------------------------------------------------

class ChartWriter {
 public:
  ChartWriter(const Workspace& ws, const Rollup& rollup, int k, int goal,
              const KpiChartSeries& series, const ChartOptions& opts)
      : kpi_(ws.kpis[static_cast<size_t>(k)]),
        result_(rollup.kpis[static_cast<size_t>(k)]),
        goal_(goal >= 0 ? &ws.goals[static_cast<size_t>(goal)] : nullptr),
        status_(goal >= 0 ? rollup.goals[static_cast<size_t>(goal)].status
                          : GoalStatus::kUnmeasured),
        as_of_(rollup.as_of),
        s_(series),
        width_(std::max(opts.width, 320)),
        height_(std::max(opts.height, 200)),
        id_("chart-" + kpi_.id) {}

  std::string Write() {
    Layout();
    Open();
    Header();
    Axes();
    // Lines stop at the frame (a forecast may run past it); the check-ins always lie inside.
    out_ += fmt::format("<g clip-path=\"url(#{}-plot)\">\n", id_);
    if (s_.expected) Expected();
    if (s_.forecast) Forecast();
    if (s_.target) Target();
    out_ += "</g>\n";
    if (!s_.benchmark_kpi.empty()) Benchmark();
    Checkins();
    if (s_.target) TargetLabel();
    AsOf();
    Legend();
    out_ += "</svg>\n";
    return std::move(out_);
  }

 private:
  bool threshold() const { return kpi_.kind == KpiKind::kThreshold; }
  bool holds(double v) const {
    return kpi_.direction == Direction::kBelow ? v <= kpi_.target + 1e-9
                                               : v >= kpi_.target - 1e-9;
  }

  double X(Date d) const {
    const double span = std::max(1, s_.last_day - s_.first_day);
    return left_ + (right_ - left_) * static_cast<double>(d - s_.first_day) / span;
  }
  double Y(double v) const { return bottom_ - (bottom_ - top_) * (v - axis_.lo) / (axis_.hi - axis_.lo); }

  // A value as the reader says it: "4,000 followers", "24.6%", "done".
  std::string Quantity(double v) const {
    if (kpi_.kind == KpiKind::kMilestone) return v >= 1 - 1e-9 ? "done" : "not done";
    return FormatQuantity(v, kpi_.unit, true);
  }

  // The y domain holds every value drawn; a forecast far outside the rest is clipped rather than
  // allowed to flatten the check-ins into a line.
  void Layout() {
    std::vector<double> values;
    for (const ChartPoint& p : s_.checkins) values.push_back(p.value);
    for (const ChartPoint& p : s_.benchmark) values.push_back(p.value);
    if (s_.target) values.push_back(s_.target->from.value);
    if (s_.expected) {
      values.push_back(s_.expected->from.value);
      values.push_back(s_.expected->to.value);
    }
    if (kpi_.kind == KpiKind::kMilestone) {
      axis_ = MilestoneAxis();
    } else {
      double lo = *std::min_element(values.begin(), values.end());
      double hi = *std::max_element(values.begin(), values.end());
      // Room for where the forecast ends, within reason; its start may be clipped.
      if (s_.forecast) {
        const double room = std::max(hi - lo, std::fabs(hi) * 0.1) / 2;
        double y = std::clamp(s_.forecast->to.value, lo - room, hi + room);
        if (lo >= 0) y = std::max(y, 0.0);
        lo = std::min(lo, y);
        hi = std::max(hi, y);
      }
      // A little air so no point sits on the frame; zero stays the edge it naturally is.
      const double pad = (hi - lo) * 0.04;
      if (lo != 0) lo = lo > 0 ? std::max(lo - pad, 0.0) : lo - pad;
      if (hi != 0) hi = hi < 0 ? std::min(hi + pad, 0.0) : hi + pad;
      axis_ = NiceValueAxis(lo, hi, IsCurrencyUnit(kpi_.unit) || kpi_.unit == "%" ? kpi_.unit : "");
    }
    double label_width = 0;
    for (const std::string& l : axis_.labels) label_width = std::max(label_width, TextWidth(l, 12));
    left_ = 30 + label_width + 8;
    right_ = width_ - 20;
    top_ = 66;
    bottom_ = height_ - 58;
  }

  void Open() {
    out_ += fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"kpi-chart\" id=\"{0}\" "
        "data-kpi=\"{1}\" viewBox=\"0 0 {2} {3}\" width=\"{2}\" height=\"{3}\" role=\"img\" "
        "aria-labelledby=\"{0}-title {0}-desc\" font-family=\"{4}\" font-size=\"12\" "
        "fill=\"{5}\">\n",
        id_, XmlEscape(kpi_.id), width_, height_, kFontStack, kInk);
    out_ += fmt::format("<title id=\"{}-title\">{}</title>\n", id_, XmlEscape(TitleText()));
    out_ += fmt::format("<desc id=\"{}-desc\">{}</desc>\n", id_, XmlEscape(DescText()));
    out_ += fmt::format(
        "<defs><clipPath id=\"{}-plot\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>"
        "</clipPath></defs>\n",
        id_, Px(left_), Px(top_), Px(right_ - left_), Px(bottom_ - top_));
    out_ += fmt::format("<rect width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>\n", width_, height_);
  }

  std::string ValueSummary() const {
    std::string text = KpiValueText(kpi_, result_, s_.window_checkins);
    if (kpi_.kind == KpiKind::kLevel || kpi_.kind == KpiKind::kCumulative) {
      text += " · " + PercentText(result_.progress);
    }
    return text;
  }

  std::string TitleText() const {
    std::string t = kpi_.name.empty() ? kpi_.id : kpi_.name;
    t += ": " + ValueSummary();
    if (goal_) t += " — " + goal_->title;
    return t;
  }

  std::string DescText() const {
    std::string d = "Line chart of " + (kpi_.name.empty() ? kpi_.id : kpi_.name);
    if (goal_) d += " for the goal “" + goal_->title + "” (" + std::string(StatusLabel(status_)) + ")";
    d += ", as of " + as_of_.ToString() + ", from " + s_.first_day.ToString() + " to " +
         s_.last_day.ToString() + ". ";
    const auto q = [this](double v) { return Quantity(v); };
    if (s_.checkins.empty()) {
      d += "No check-ins yet. ";
    } else {
      d += "Check-ins: ";
      const size_t skip = s_.checkins.size() > kMaxDescribedCheckins
                              ? s_.checkins.size() - kMaxDescribedCheckins
                              : 0;
      if (skip > 0) d += std::to_string(skip) + " earlier, then ";
      for (size_t i = skip; i < s_.checkins.size(); ++i) {
        if (i > skip) d += "; ";
        d += s_.checkins[i].date.ToString() + " " + q(s_.checkins[i].value);
      }
      d += ". ";
    }
    if (threshold()) {
      d += std::string("Line to hold: ") + (kpi_.direction == Direction::kBelow ? "at most " : "at least ") +
           q(kpi_.target) + ". ";
    } else {
      d += "Target " + q(kpi_.target) + ". ";
    }
    if (s_.expected) {
      d += "Expected progress runs from " + q(s_.expected->from.value) + " on " +
           s_.expected->from.date.ToString() + " to " + q(s_.expected->to.value) + " on " +
           s_.expected->to.date.ToString() + ". ";
    }
    if (s_.forecast) {
      d += "At the current trend it reaches " + q(s_.forecast->to.value) + " by " +
           s_.forecast->to.date.ToString() + " (forecast " + PercentText(result_.forecast) + ").";
    }
    while (!d.empty() && d.back() == ' ') d.pop_back();
    return d;
  }

  void Header() {
    const std::string summary = ValueSummary();
    const double summary_width = TextWidth(summary, 13);
    const std::string name =
        Fit(kpi_.name.empty() ? kpi_.id : kpi_.name, width_ - 40 - summary_width - 16, 15);
    out_ += fmt::format(
        "<text class=\"chart-title\" x=\"16\" y=\"26\" font-size=\"15\" font-weight=\"600\">{}"
        "</text>\n",
        XmlEscape(name));
    out_ += fmt::format(
        "<text class=\"chart-value\" x=\"{}\" y=\"26\" font-size=\"13\" text-anchor=\"end\">{}"
        "</text>\n",
        width_ - 20, XmlEscape(summary));
    std::string sub;
    if (goal_) sub = goal_->title + " · ";
    sub += DateRange(s_.first_day, s_.last_day);
    if (goal_) sub += " · " + std::string(StatusLabel(status_));
    std::string tail = " · as of " + LongDate(as_of_);
    // The goal's title gives way first: the dates, status and as-of date always show.
    const double room = width_ - 36 - TextWidth(tail, 12);
    out_ += fmt::format(
        "<text class=\"chart-subtitle\" x=\"16\" y=\"45\" font-size=\"12\" fill=\"{}\">{}</text>\n",
        kMuted, XmlEscape(FitSubtitle(sub, room) + tail));
  }

  static std::string FitSubtitle(const std::string& sub, double room) {
    if (TextWidth(sub, 12) <= room) return sub;
    const size_t sep = sub.find(" · ");
    if (sep == std::string::npos) return Fit(sub, room, 12);
    const std::string rest = sub.substr(sep);
    return Fit(sub.substr(0, sep), room - TextWidth(rest, 12), 12) + rest;
  }

  void Axes() {
    out_ += "<g class=\"axis axis-y\">\n";
    for (size_t i = 0; i < axis_.ticks.size(); ++i) {
      const double y = Y(axis_.ticks[i]);
      out_ += fmt::format(
          "<g class=\"tick\" data-value=\"{}\"><line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" "
          "stroke=\"{}\"/><text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"{}\">{}</text></g>\n",
          Raw(axis_.ticks[i]), Px(left_), Px(y), Px(right_), Px(y), kGrid, Px(left_ - 8),
          Px(y + 4), kMuted, XmlEscape(axis_.labels[i]));
    }
    std::string title = kpi_.name.empty() ? kpi_.id : kpi_.name;
    if (!kpi_.unit.empty()) title += " (" + kpi_.unit + ")";
    title = Fit(title, bottom_ - top_, 12);
    const double mid = (top_ + bottom_) / 2;
    out_ += fmt::format(
        "<text class=\"axis-title\" x=\"18\" y=\"{0}\" transform=\"rotate(-90 18 {0})\" "
        "text-anchor=\"middle\" fill=\"{1}\">{2}</text>\n</g>\n",
        Px(mid), kMuted, XmlEscape(title));

    out_ += "<g class=\"axis axis-x\">\n";
    out_ += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\"/>\n",
                        Px(left_), Px(bottom_), Px(right_), Px(bottom_), kAxis);
    const int max_ticks = std::max(2, static_cast<int>((right_ - left_) / 72));
    for (const DateTick& t : NiceDateTicks(s_.first_day, s_.last_day, max_ticks)) {
      const double x = X(t.date);
      // A label at the right edge ends there rather than running out of the picture.
      const double half = TextWidth(t.label, 12) / 2;
      const bool at_edge = x + half > width_ - 4;
      out_ += fmt::format(
          "<g class=\"tick\" data-date=\"{}\"><line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" "
          "stroke=\"{}\"/><text x=\"{}\" y=\"{}\" text-anchor=\"{}\" fill=\"{}\">{}</text>"
          "</g>\n",
          t.date.ToString(), Px(x), Px(bottom_), Px(x), Px(bottom_ + 5), kAxis,
          Px(at_edge ? width_ - 4 : x), Px(bottom_ + 19), at_edge ? "end" : "middle", kMuted,
          XmlEscape(t.label));
    }
    out_ += "</g>\n";
  }

  void LineSeries(std::string_view name, const ChartLine& l, std::string_view color,
                  std::string_view width, std::string_view dash) {
    double x1 = X(l.from.date);
    double y1 = Y(l.from.value);
    double x2 = X(l.to.date);
    double y2 = Y(l.to.value);
    ClipToFarBox(x1, y1, x2, y2);
    out_ += fmt::format(
        "<g class=\"series series-{0}\" id=\"{1}-{0}\" data-from=\"{2}\" data-to=\"{3}\" "
        "data-y0=\"{4}\" data-y1=\"{5}\"><line x1=\"{6}\" y1=\"{7}\" x2=\"{8}\" y2=\"{9}\" "
        "stroke=\"{10}\" stroke-width=\"{11}\"",
        name, id_, l.from.date.ToString(), l.to.date.ToString(), Raw(l.from.value),
        Raw(l.to.value), Px(x1), Px(y1), Px(x2), Px(y2), color, width);
    if (!dash.empty()) {
      out_ += fmt::format(" stroke-dasharray=\"{}\" stroke-linecap=\"round\"", dash);
    }
    out_ += "/></g>\n";
  }

  void Expected() { LineSeries("expected", *s_.expected, kExpectedColor, "2", kExpectedDash); }
  void Forecast() { LineSeries("forecast", *s_.forecast, kForecastColor, "2", kForecastDash); }
  void Target() { LineSeries("target", *s_.target, kTargetColor, "1.5", ""); }

  std::string TargetText() const {
    if (threshold()) {
      return std::string(kpi_.direction == Direction::kBelow ? "Line ≤ " : "Line ≥ ") +
             FormatQuantity(kpi_.target, kpi_.unit, false);
    }
    if (kpi_.kind == KpiKind::kMilestone) return "Done";
    return "Target " + FormatQuantity(kpi_.target, kpi_.unit, false);
  }

  // Pixel paths of what is drawn in the plot (check-ins, expected, forecast), to keep labels
  // clear of them.
  std::vector<std::vector<std::pair<double, double>>> Paths() const {
    std::vector<std::vector<std::pair<double, double>>> paths;
    std::vector<std::pair<double, double>> checkins;
    for (const ChartPoint& p : s_.checkins) checkins.emplace_back(X(p.date), Y(p.value));
    paths.push_back(std::move(checkins));
    for (const auto& line : {s_.expected, s_.forecast}) {
      if (line) {
        paths.push_back({{X(line->from.date), Y(line->from.value)},
                         {X(line->to.date), Y(line->to.value)}});
      }
    }
    return paths;
  }

  // How far (in pixels) the box stays from every path and from the as-of mark; 1e9 when nothing
  // comes near.
  double Clearance(double x0, double x1, double top, double bottom) const {
    double clear = 1e9;
    const auto at = [&](double y) {
      clear = std::min(clear, y < top ? top - y : (y > bottom ? y - bottom : 0.0));
    };
    for (const auto& path : Paths()) {
      for (size_t i = 0; i < path.size(); ++i) {
        const auto [xa, ya] = path[i];
        if (xa >= x0 - 5 && xa <= x1 + 5) at(ya);  // a point and its marker
        if (i + 1 == path.size()) continue;
        const auto [xb, yb] = path[i + 1];
        for (double x = std::max(x0, xa); x <= std::min(x1, xb); x += 2) {
          at(xb > xa ? ya + (yb - ya) * (x - xa) / (xb - xa) : ya);
        }
      }
    }
    if (as_of_ >= s_.first_day && as_of_ <= s_.last_day) {
      const double x = X(as_of_);
      if (x >= x0 - 2 && x <= x1 + 2) clear = std::min(clear, 3.0);
    }
    return clear;
  }

  // Above or below the target line, at its right or left end: the first spot clear of the lines
  // drawn, else the clearest one.
  void TargetLabel() {
    const std::string text = TargetText();
    const double w = TextWidth(text, 12) * 1.08;
    const double y = Y(s_.target->from.value);
    struct Spot {
      bool right;
      double baseline;
    };
    const Spot spots[] = {{true, y - 6}, {true, y + 15}, {false, y - 6}, {false, y + 15}};
    const Spot* best = nullptr;
    double best_clear = -1;
    for (const Spot& spot : spots) {
      const double top = spot.baseline - 11, bottom = spot.baseline + 3;
      if (top < top_ - 4 || bottom > bottom_ - 2) continue;
      const double x0 = spot.right ? right_ - 4 - w : left_ + 4;
      const double clear = Clearance(x0, x0 + w, top, bottom);
      if (clear > best_clear + 0.5) {
        best = &spot;
        best_clear = clear;
      }
      if (clear >= 6) break;
    }
    if (best == nullptr) best = &spots[0];
    out_ += fmt::format(
        "<text class=\"series-label target-label\" x=\"{}\" y=\"{}\" text-anchor=\"{}\" "
        "fill=\"{}\" font-weight=\"600\" stroke=\"#ffffff\" stroke-width=\"3\" "
        "paint-order=\"stroke\">{}</text>\n",
        Px(best->right ? right_ - 4 : left_ + 4), Px(best->baseline),
        best->right ? "end" : "start", kTargetColor, XmlEscape(text));
  }

  void Checkins() {
    out_ += fmt::format("<g class=\"series series-checkins\" id=\"{}-checkins\" data-count=\"{}\">\n",
                        id_, s_.checkins.size());
    if (s_.checkins.empty()) {
      out_ += fmt::format(
          "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{}\">No check-ins yet</text>\n",
          Px((left_ + right_) / 2), Px((top_ + bottom_) / 2), kMuted);
    }
    if (s_.checkins.size() > 1) {
      std::string points;
      for (const ChartPoint& p : s_.checkins) {
        if (!points.empty()) points += ' ';
        points += Px(X(p.date)) + "," + Px(Y(p.value));
      }
      out_ += fmt::format(
          "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2.5\" "
          "stroke-linejoin=\"round\" stroke-linecap=\"round\"/>\n",
          points, kCheckinColor);
    }
    const double r = s_.checkins.size() > 60 ? 2 : 3.5;
    for (const ChartPoint& p : s_.checkins) {
      const bool miss = threshold() && !holds(p.value);
      std::string tip = LongDate(p.date) + ": " + Quantity(p.value);
      if (threshold()) tip += miss ? " (misses the line)" : " (holds the line)";
      out_ += fmt::format(
          "<circle class=\"point{}\" cx=\"{}\" cy=\"{}\" r=\"{}\" data-date=\"{}\" "
          "data-value=\"{}\" fill=\"{}\" stroke=\"{}\" stroke-width=\"{}\"><title>{}</title>"
          "</circle>\n",
          miss ? " miss" : "", Px(X(p.date)), Px(Y(p.value)), Px(miss ? r + 0.5 : r),
          p.date.ToString(), Raw(p.value), miss ? "#ffffff" : kCheckinColor,
          miss ? kMissColor : "#ffffff", miss ? "2" : "1.5", XmlEscape(tip));
    }
    out_ += "</g>\n";
  }

  // The benchmark's values, a grey line behind the KPI's own.
  void Benchmark() {
    out_ += fmt::format(
        "<g class=\"series series-benchmark\" id=\"{}-benchmark\" data-kpi=\"{}\" "
        "data-count=\"{}\">\n",
        id_, XmlEscape(s_.benchmark_kpi), s_.benchmark.size());
    if (s_.benchmark.size() > 1) {
      std::string points;
      for (const ChartPoint& p : s_.benchmark) {
        if (!points.empty()) points += ' ';
        points += Px(X(p.date)) + "," + Px(Y(p.value));
      }
      out_ += fmt::format(
          "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\" "
          "stroke-linejoin=\"round\"/>\n",
          points, kBenchmarkColor);
    }
    for (const ChartPoint& p : s_.benchmark) {
      out_ += fmt::format(
          "<circle cx=\"{}\" cy=\"{}\" r=\"2.5\" data-date=\"{}\" data-value=\"{}\" "
          "fill=\"{}\"><title>{}</title></circle>\n",
          Px(X(p.date)), Px(Y(p.value)), p.date.ToString(), Raw(p.value), kBenchmarkColor,
          XmlEscape(LongDate(p.date) + ": " + s_.benchmark_kpi + " " + Quantity(p.value)));
    }
    out_ += "</g>\n";
  }

  void AsOf() {
    if (as_of_ < s_.first_day || as_of_ > s_.last_day) return;
    const double x = X(as_of_);
    const std::string label = "as of " + ShortDate(as_of_);
    const double w = TextWidth(label, 11);
    std::string_view anchor = "middle";
    if (x - w / 2 < left_) anchor = "start";
    if (x + w / 2 > right_) anchor = "end";
    out_ += fmt::format(
        "<g class=\"as-of\" id=\"{}-as-of\" data-date=\"{}\"><line x1=\"{}\" y1=\"{}\" x2=\"{}\" "
        "y2=\"{}\" stroke=\"{}\" stroke-dasharray=\"{}\"/><text x=\"{}\" y=\"{}\" "
        "text-anchor=\"{}\" font-size=\"11\" fill=\"{}\">{}</text></g>\n",
        id_, as_of_.ToString(), Px(x), Px(top_ - 2), Px(x), Px(bottom_), kAsOfColor, kAsOfDash,
        Px(x), Px(top_ - 7), anchor, kMuted, XmlEscape(label));
  }

  void Legend() {
    struct Item {
      std::string label;
      std::string_view color;
      std::string_view dash;
      bool dot = false;
      bool hollow = false;
    };
    std::vector<Item> items;
    items.push_back({threshold() ? "Check-ins" : "Value at each check-in", kCheckinColor, "", true});
    if (threshold()) {
      bool any_miss = false;
      for (const ChartPoint& p : s_.checkins) any_miss = any_miss || !holds(p.value);
      if (any_miss) items.push_back({"Misses the line", kMissColor, "", true, true});
    }
    if (!s_.benchmark_kpi.empty()) {
      items.push_back({"Benchmark " + s_.benchmark_kpi, kBenchmarkColor, ""});
    }
    if (s_.target) items.push_back({threshold() ? "Line to hold" : "Target", kTargetColor, ""});
    if (s_.expected) items.push_back({"Expected", kExpectedColor, kExpectedDash});
    if (s_.forecast) {
      items.push_back({"Forecast: " + FormatQuantity(s_.forecast->to.value, kpi_.unit, false) +
                           " by " + ShortDate(s_.forecast->to.date),
                       kForecastColor, kForecastDash});
    }
    const double y = height_ - 14;
    double x = left_;
    out_ += "<g class=\"legend\">\n";
    for (const Item& item : items) {
      out_ += "<g class=\"legend-item\">";
      if (item.dot) {
        out_ += fmt::format(
            "<circle cx=\"{}\" cy=\"{}\" r=\"4\" fill=\"{}\" stroke=\"{}\" stroke-width=\"2\"/>",
            Px(x + 10), Px(y - 4), item.hollow ? "#ffffff" : item.color,
            item.hollow ? item.color : "#ffffff");
        if (!item.hollow) {
          out_ += fmt::format(
              "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"2.5\"/>",
              Px(x), Px(y - 4), Px(x + 20), Px(y - 4), item.color);
          out_ += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"3.5\" fill=\"{}\" stroke=\"#ffffff\" "
                              "stroke-width=\"1.5\"/>",
                              Px(x + 10), Px(y - 4), item.color);
        }
      } else {
        out_ += fmt::format(
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"2\"{}/>",
            Px(x), Px(y - 4), Px(x + 22), Px(y - 4), item.color,
            item.dash.empty()
                ? std::string()
                : fmt::format(" stroke-dasharray=\"{}\" stroke-linecap=\"round\"", item.dash));
      }
      out_ += fmt::format("<text x=\"{}\" y=\"{}\" fill=\"{}\">{}</text></g>\n", Px(x + 28),
                          Px(y), kInk, XmlEscape(item.label));
      x += 28 + TextWidth(item.label, 12) + 18;
    }
    out_ += "</g>\n";
  }

  const Kpi& kpi_;
  const KpiResult& result_;
  const Goal* goal_;
  GoalStatus status_;
  Date as_of_;
  const KpiChartSeries& s_;
  int width_;
  int height_;
  std::string id_;
  ValueAxis axis_;
  double left_ = 0, right_ = 0, top_ = 0, bottom_ = 0;
  std::string out_;
};

}  // namespace

KpiCharts::KpiCharts(const Workspace& ws, const Rollup& rollup) : ws_(ws), rollup_(rollup) {
  const WorkspaceIndex index(ws);
  goal_of_kpi_.resize(ws.kpis.size());
  for (size_t k = 0; k < ws.kpis.size(); ++k) goal_of_kpi_[k] = index.goal(ws.kpis[k].goal);
  checkins_of_kpi_.resize(ws.kpis.size());
  for (size_t i = 0; i < ws.checkins.size(); ++i) {
    const int k = index.kpi(ws.checkins[i].kpi);
    if (k >= 0) checkins_of_kpi_[static_cast<size_t>(k)].push_back(static_cast<int>(i));
  }
  benchmark_of_.assign(ws.kpis.size(), -1);
  bool formulas = false;
  for (size_t k = 0; k < ws.kpis.size(); ++k) {
    formulas = formulas || ws.kpis[k].kind == KpiKind::kFormula;
    const int of = ws.kpis[k].benchmark_for.empty() ? -1 : index.kpi(ws.kpis[k].benchmark_for);
    if (of >= 0 && benchmark_of_[static_cast<size_t>(of)] < 0) {
      benchmark_of_[static_cast<size_t>(of)] = static_cast<int>(k);
    }
  }
  if (formulas) formula_values_.emplace(KpiValues::ForAllKpis(ws, rollup));
  // Date, then the order recorded (seq), then workspace position: the order §2 reads them in.
  for (std::vector<int>& list : checkins_of_kpi_) {
    std::stable_sort(list.begin(), list.end(), [&ws](int a, int b) {
      const Checkin& ca = ws.checkins[static_cast<size_t>(a)];
      const Checkin& cb = ws.checkins[static_cast<size_t>(b)];
      if (ca.date != cb.date) return ca.date < cb.date;
      return ca.seq < cb.seq;
    });
  }
}

KpiChartSeries KpiCharts::Series(int k) const {
  const Kpi& kpi = ws_.kpis[static_cast<size_t>(k)];
  const KpiResult& kr = rollup_.kpis[static_cast<size_t>(k)];
  const int g = goal_of_kpi_[static_cast<size_t>(k)];
  const GoalResult goal = g >= 0 ? rollup_.goals[static_cast<size_t>(g)] : GoalResult{};
  const Date as_of = rollup_.as_of;
  const Date until = goal.due && *goal.due < as_of ? *goal.due : as_of;
  const bool cumulative = kpi.kind == KpiKind::kCumulative;
  const bool bounded_below = (cumulative || kpi.kind == KpiKind::kThreshold) && goal.start;
  const double baseline = kpi.effective_baseline().value_or(0.0);

  KpiChartSeries s;
  std::vector<std::pair<double, double>> fit_points;
  bool on_start = false;
  double v = baseline;
  const std::vector<int>& list = checkins_of_kpi_[static_cast<size_t>(k)];
  if (kpi.kind == KpiKind::kFormula && formula_values_ && goal.start) {
    // V on each date its inputs were checked in, in [start, t′], where it has a value (spec §2:
    // the forecast's points).
    for (const Date d : formula_values_->InputDates(static_cast<size_t>(k))) {
      if (d < *goal.start || d > until) continue;
      const std::optional<double> fv = formula_values_->AsOf(static_cast<size_t>(k), d).value;
      if (!fv) continue;
      ++s.window_checkins;
      s.checkins.push_back({d, *fv});
      on_start = on_start || d == *goal.start;
      fit_points.emplace_back(static_cast<double>(d - *goal.start), *fv);
    }
  }
  for (size_t i = 0; i < list.size() && kpi.kind != KpiKind::kFormula;) {
    const Date d = ws_.checkins[static_cast<size_t>(list[i])].date;
    size_t j = i;
    for (; j < list.size() && ws_.checkins[static_cast<size_t>(list[j])].date == d; ++j) {}
    const bool counted = d <= until && !(bounded_below && d < *goal.start);
    if (counted) {
      for (size_t n = i; n < j; ++n) {
        const double value = ws_.checkins[static_cast<size_t>(list[n])].value;
        v = cumulative ? v + value : value;
        ++s.window_checkins;
      }
      // A level KPI counts a reading from before the start; the chart draws the window only.
      if (!goal.start || d >= *goal.start) s.checkins.push_back({d, v});
      if (goal.start) {
        on_start = on_start || d == *goal.start;
        fit_points.emplace_back(static_cast<double>(d - *goal.start), v);
      }
    }
    i = j;
  }

  // The x range: the goal's window, else what the check-ins and the as-of date span.
  if (goal.start) {
    s.first_day = *goal.start;
  } else if (!s.checkins.empty()) {
    s.first_day = s.checkins.front().date;
  } else {
    s.first_day = std::min(as_of, goal.due.value_or(as_of)) - 28;
  }
  if (goal.due) {
    s.last_day = *goal.due;
  } else {
    s.last_day = std::max(as_of, s.checkins.empty() ? as_of : s.checkins.back().date);
  }
  if (s.last_day <= s.first_day) s.last_day = s.first_day + 1;
  const int span = s.last_day - s.first_day;
  if (as_of > s.last_day && (as_of - s.last_day) * 4 <= span) s.last_day = as_of;
  if (as_of < s.first_day && (s.first_day - as_of) * 4 <= span) s.first_day = as_of;

  // The benchmark beside it: its own series, within the days drawn.
  if (const int b = benchmark_of_[static_cast<size_t>(k)]; b >= 0 && b != k) {
    s.benchmark_kpi = ws_.kpis[static_cast<size_t>(b)].id;
    for (const ChartPoint& p : Series(b).checkins) {
      if (p.date >= s.first_day && p.date <= s.last_day) s.benchmark.push_back(p);
    }
  }

  s.target = ChartLine{{s.first_day, kpi.target}, {s.last_day, kpi.target}};
  if (kpi.kind != KpiKind::kThreshold && goal.start && goal.due) {
    s.expected = ChartLine{{*goal.start, baseline}, {*goal.due, kpi.target}};
    if (kr.forecast) {
      if (!on_start) fit_points.emplace_back(0.0, baseline);
      if (const auto line = FitLine(fit_points)) {
        const auto [alpha, beta] = *line;
        s.forecast = ChartLine{{*goal.start, alpha},
                               {*goal.due, alpha + beta * static_cast<double>(*goal.due - *goal.start)}};
      }
    }
  }
  return s;
}

std::string KpiCharts::Render(int kpi, const ChartOptions& options) const {
  const KpiChartSeries series = Series(kpi);
  return ChartWriter(ws_, rollup_, kpi, goal_of_kpi_[static_cast<size_t>(kpi)], series, options)
      .Write();
}

std::string RenderKpiChart(const Workspace& ws, const Rollup& rollup, int kpi,
                           const ChartOptions& options) {
  return KpiCharts(ws, rollup).Render(kpi, options);
}

}  // namespace cascade
