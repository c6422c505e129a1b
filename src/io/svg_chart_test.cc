#include "io/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "io/test_xml.h"

// The fixtures below name only the fields that differ from the model's defaults.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace cascade {
namespace {

using test_xml::Element;
using ::testing::HasSubstr;
using ::testing::Not;

Date D(const char* s) { return *Date::Parse(s); }

// A launch cascade with one KPI of each kind, written out so the numbers below can be worked by
// hand.
Workspace ChartWorkspace() {
  Workspace ws;
  ws.people.push_back({.id = "dana", .name = "Dana Lee"});
  ws.goals.push_back({.id = "market-share",
                      .title = "Achieve 20% market share",
                      .level = Level::kMacro,
                      .owner = "dana",
                      .start = D("2026-01-01"),
                      .due = D("2026-06-30")});
  ws.goals.push_back({.id = "followers",
                      .title = "Generate 10,000 followers in the first month",
                      .parent = "market-share",
                      .owner = "dana",
                      .due = D("2026-01-31")});
  ws.goals.push_back({.id = "leads",
                      .title = "Collect 50 qualified leads this quarter",
                      .parent = "market-share",
                      .owner = "dana",
                      .due = D("2026-03-31")});
  ws.kpis.push_back({.id = "share", .goal = "market-share", .name = "Market share", .unit = "%",
                     .kind = KpiKind::kLevel, .baseline = 0, .target = 20});
  ws.kpis.push_back({.id = "nps", .goal = "market-share", .name = "Net promoter score",
                     .kind = KpiKind::kThreshold, .target = 50, .direction = Direction::kAbove});
  ws.kpis.push_back({.id = "followers-count", .goal = "followers", .name = "Followers",
                     .unit = "followers", .kind = KpiKind::kLevel, .baseline = 0,
                     .target = 10000});
  ws.kpis.push_back({.id = "qualified-leads", .goal = "leads", .name = "Qualified leads",
                     .unit = "leads", .kind = KpiKind::kCumulative, .target = 50});
  ws.kpis.push_back({.id = "support-live", .goal = "leads", .name = "Support desk live",
                     .kind = KpiKind::kMilestone, .baseline = 0, .target = 1});
  int64_t seq = 0;
  const auto add = [&](const char* kpi, const char* date, double value) {
    ws.checkins.push_back({.kpi = kpi, .date = D(date), .value = value, .seq = ++seq});
  };
  add("share", "2026-02-01", 3.5);
  add("share", "2026-03-01", 5);
  add("nps", "2026-01-15", 45);
  add("nps", "2026-02-01", 52);
  add("nps", "2026-02-15", 55);
  add("followers-count", "2026-01-15", 4000);
  add("followers-count", "2026-01-31", 10500);
  add("followers-count", "2026-02-10", 12000);  // after the due date: not counted
  add("qualified-leads", "2025-12-20", 99);     // before the start: not counted
  add("qualified-leads", "2026-01-20", 10);
  add("qualified-leads", "2026-02-10", 12);
  add("qualified-leads", "2026-02-10", 3);  // same date: one point, the running total
  return ws;
}

int KpiIndex(const Workspace& ws, const std::string& id) {
  for (size_t k = 0; k < ws.kpis.size(); ++k) {
    if (ws.kpis[k].id == id) return static_cast<int>(k);
  }
  return -1;
}

double Number(const std::optional<std::string>& s) {
  EXPECT_TRUE(s.has_value());
  return s ? std::stod(*s) : NAN;
}

// The pixel ↔ data mapping read back from the axes: each tick carries its value (or date) in a
// data attribute and sits at its pixel position, so two ticks give the affine map and every other
// tick must agree with it.
struct Axes {
  double y_a = 0, y_b = 0;  // pixel y = y_a + y_b · value
  double x_a = 0, x_b = 0;  // pixel x = x_a + x_b · (days since epoch)
  double Y(double v) const { return y_a + y_b * v; }
  double X(Date d) const { return x_a + x_b * d.days(); }
};

Axes ReadAxes(const Element& svg) {
  Axes axes;
  const auto y_axis = svg.ByClass("axis-y");
  const auto x_axis = svg.ByClass("axis-x");
  EXPECT_EQ(y_axis.size(), 1u);
  EXPECT_EQ(x_axis.size(), 1u);
  if (y_axis.size() != 1 || x_axis.size() != 1) return axes;
  std::vector<std::pair<double, double>> ys, xs;  // (data, pixel)
  for (const Element* t : y_axis[0]->ByClass("tick")) {
    ys.emplace_back(Number(t->Attr("data-value")), Number(t->ByName("line")[0]->Attr("y1")));
  }
  for (const Element* t : x_axis[0]->ByClass("tick")) {
    xs.emplace_back(D(t->Attr("data-date")->c_str()).days(),
                    Number(t->ByName("line")[0]->Attr("x1")));
  }
  EXPECT_GE(ys.size(), 2u);
  EXPECT_GE(xs.size(), 2u);
  if (ys.size() < 2 || xs.size() < 2) return axes;
  axes.y_b = (ys.back().second - ys.front().second) / (ys.back().first - ys.front().first);
  axes.y_a = ys.front().second - axes.y_b * ys.front().first;
  axes.x_b = (xs.back().second - xs.front().second) / (xs.back().first - xs.front().first);
  axes.x_a = xs.front().second - axes.x_b * xs.front().first;
  for (const auto& [v, px] : ys) EXPECT_NEAR(axes.Y(v), px, 0.02) << "y tick " << v;
  for (const auto& [d, px] : xs) EXPECT_NEAR(axes.x_a + axes.x_b * d, px, 0.02) << "x tick";
  EXPECT_LT(axes.y_b, 0) << "larger values are drawn higher";
  EXPECT_GT(axes.x_b, 0) << "later dates are drawn further right";
  return axes;
}

Element Parse(const std::string& svg) {
  const test_xml::ParseResult r = test_xml::ParseXml(svg);
  EXPECT_TRUE(r.root.has_value()) << r.error << "\n" << svg;
  return r.root ? *r.root : Element{};
}

// The check-in points as (date, value), checking each sits where the axes put it.
std::vector<std::pair<std::string, double>> Points(const Element& svg, const Axes& axes) {
  std::vector<std::pair<std::string, double>> out;
  const auto series = svg.ByClass("series-checkins");
  EXPECT_EQ(series.size(), 1u);
  if (series.empty()) return out;
  for (const Element* c : series[0]->ByName("circle")) {
    const std::string date = *c->Attr("data-date");
    const double value = Number(c->Attr("data-value"));
    EXPECT_NEAR(Number(c->Attr("cx")), axes.X(D(date.c_str())), 0.02) << date;
    EXPECT_NEAR(Number(c->Attr("cy")), axes.Y(value), 0.02) << date;
    out.emplace_back(date, value);
  }
  return out;
}

// Checks a line series' end points against its data attributes and the axes; returns
// {y at from, y at to} in data units.
std::pair<double, double> LineSeries(const Element& svg, const Axes& axes, const char* cls,
                                     const char* from, const char* to) {
  const auto series = svg.ByClass(cls);
  EXPECT_EQ(series.size(), 1u) << cls;
  if (series.size() != 1) return {NAN, NAN};
  const Element& g = *series[0];
  EXPECT_EQ(g.Attr("data-from"), std::string(from)) << cls;
  EXPECT_EQ(g.Attr("data-to"), std::string(to)) << cls;
  const double y0 = Number(g.Attr("data-y0"));
  const double y1 = Number(g.Attr("data-y1"));
  const Element& line = *g.ByName("line")[0];
  EXPECT_NEAR(Number(line.Attr("x1")), axes.X(D(from)), 0.02) << cls;
  EXPECT_NEAR(Number(line.Attr("x2")), axes.X(D(to)), 0.02) << cls;
  EXPECT_NEAR(Number(line.Attr("y1")), axes.Y(y0), 0.02) << cls;
  EXPECT_NEAR(Number(line.Attr("y2")), axes.Y(y1), 0.02) << cls;
  return {y0, y1};
}

// Ordinary least squares written out from spec §2: β = (nΣxy − ΣxΣy) / (nΣx² − (Σx)²),
// α = (Σy − βΣx) / n.
std::pair<double, double> Ols(const std::vector<double>& x, const std::vector<double>& y) {
  double n = static_cast<double>(x.size()), sx = 0, sy = 0, sxy = 0, sxx = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    sx += x[i];
    sy += y[i];
    sxy += x[i] * y[i];
    sxx += x[i] * x[i];
  }
  const double beta = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  return {(sy - beta * sx) / n, beta};
}

TEST(SvgChart, LevelKpiSeriesMatchTheValues) {
  const Workspace ws = ChartWorkspace();
  const Rollup rollup = ComputeRollup(ws, D("2026-01-20"));
  const std::string svg = RenderKpiChart(ws, rollup, KpiIndex(ws, "followers-count"));
  const Element root = Parse(svg);
  EXPECT_EQ(root.name, "svg");
  EXPECT_EQ(root.Attr("xmlns"), "http://www.w3.org/2000/svg");
  EXPECT_EQ(root.Attr("viewBox"), "0 0 720 360");
  EXPECT_EQ(root.Attr("role"), "img");
  EXPECT_EQ(root.ByName("title").at(0)->AllText().substr(0, 11), "Followers: ");
  EXPECT_THAT(root.ByName("desc").at(0)->AllText(), HasSubstr("2026-01-15 4,000 followers"));
  const Axes axes = ReadAxes(root);

  // As of Jan 20 only the Jan 15 check-in counts.
  const auto points = Points(root, axes);
  ASSERT_EQ(points.size(), 1u);
  EXPECT_EQ(points[0], std::make_pair(std::string("2026-01-15"), 4000.0));

  const auto target = LineSeries(root, axes, "series-target", "2026-01-01", "2026-01-31");
  EXPECT_EQ(target, std::make_pair(10000.0, 10000.0));
  const auto expected = LineSeries(root, axes, "series-expected", "2026-01-01", "2026-01-31");
  EXPECT_EQ(expected, std::make_pair(0.0, 10000.0));
  // Points (0, 0) and (14, 4000): y = 4000/14 · x, read at x = 30.
  const auto forecast = LineSeries(root, axes, "series-forecast", "2026-01-01", "2026-01-31");
  EXPECT_NEAR(forecast.first, 0, 1e-9);
  EXPECT_NEAR(forecast.second, 4000.0 / 14 * 30, 1e-6);

  const auto as_of = root.ByClass("as-of");
  ASSERT_EQ(as_of.size(), 1u);
  EXPECT_EQ(as_of[0]->Attr("data-date"), "2026-01-20");
  EXPECT_NEAR(Number(as_of[0]->ByName("line")[0]->Attr("x1")), axes.X(D("2026-01-20")), 0.02);

  // Legend and label name every series in words.
  const std::string legend = root.ByClass("legend").at(0)->AllText();
  EXPECT_THAT(legend, HasSubstr("Target"));
  EXPECT_THAT(legend, HasSubstr("Expected"));
  EXPECT_THAT(legend, HasSubstr("Forecast: 8,571 by Jan 31"));
  EXPECT_THAT(svg, HasSubstr(">Target 10,000<"));
  EXPECT_THAT(svg, Not(HasSubstr("href")));  // no external resources
}

TEST(SvgChart, FrozenAtTheDueDateAndForecastIsTheSpecFit) {
  const Workspace ws = ChartWorkspace();
  const Rollup rollup = ComputeRollup(ws, D("2026-03-01"));
  const int k = KpiIndex(ws, "followers-count");
  const Element root = Parse(RenderKpiChart(ws, rollup, k));
  const Axes axes = ReadAxes(root);
  const auto points = Points(root, axes);
  ASSERT_EQ(points.size(), 2u);  // Feb 10 is after the due date
  EXPECT_EQ(points[1], std::make_pair(std::string("2026-01-31"), 10500.0));
  const auto [alpha, beta] = Ols({0, 14, 30}, {0, 4000, 10500});
  const auto forecast = LineSeries(root, axes, "series-forecast", "2026-01-01", "2026-01-31");
  EXPECT_NEAR(forecast.first, alpha, 1e-6);
  EXPECT_NEAR(forecast.second, alpha + beta * 30, 1e-6);
  // The as-of date is a month past a one-month window: no marker rather than a squeezed chart.
  EXPECT_TRUE(root.ByClass("as-of").empty());
  // The polyline joins the points in date order.
  const auto polyline = root.ByClass("series-checkins")[0]->ByName("polyline");
  ASSERT_EQ(polyline.size(), 1u);
  const std::string xy = polyline[0]->Attr("points").value_or("");
  EXPECT_EQ(std::count(xy.begin(), xy.end(), ','), 2) << xy;
}

TEST(SvgChart, CumulativeKpiPlotsTheRunningTotalInsideTheWindow) {
  const Workspace ws = ChartWorkspace();
  const Rollup rollup = ComputeRollup(ws, D("2026-03-01"));
  const int k = KpiIndex(ws, "qualified-leads");
  const Element root = Parse(RenderKpiChart(ws, rollup, k));
  const Axes axes = ReadAxes(root);
  const auto points = Points(root, axes);
  ASSERT_EQ(points.size(), 2u);  // Dec 20 is before the goal's start
  EXPECT_EQ(points[0], std::make_pair(std::string("2026-01-20"), 10.0));
  EXPECT_EQ(points[1], std::make_pair(std::string("2026-02-10"), 25.0));
  // Points (0, 0), (19, 10), (40, 25); due − start = 89 days.
  const auto [alpha, beta] = Ols({0, 19, 40}, {0, 10, 25});
  const auto forecast = LineSeries(root, axes, "series-forecast", "2026-01-01", "2026-03-31");
  EXPECT_NEAR(forecast.second, alpha + beta * 89, 1e-6);
  EXPECT_NEAR(*rollup.kpis[static_cast<size_t>(k)].forecast,
              std::clamp((alpha + beta * 89) / 50, 0.0, 1.0), 1e-9);
  EXPECT_EQ(LineSeries(root, axes, "series-expected", "2026-01-01", "2026-03-31"),
            std::make_pair(0.0, 50.0));
  // The y axis names the unit; the as-of marker sits inside the window.
  EXPECT_EQ(root.ByClass("axis-title").at(0)->AllText(), "Qualified leads (leads)");
  ASSERT_EQ(root.ByClass("as-of").size(), 1u);
}

TEST(SvgChart, ThresholdKpiShowsTheLineAndMarksMisses) {
  const Workspace ws = ChartWorkspace();
  const Rollup rollup = ComputeRollup(ws, D("2026-03-01"));
  const Element root = Parse(RenderKpiChart(ws, rollup, KpiIndex(ws, "nps")));
  const Axes axes = ReadAxes(root);
  const auto points = Points(root, axes);
  ASSERT_EQ(points.size(), 3u);
  EXPECT_EQ(points[0].second, 45);
  const auto misses = root.ByClass("miss");
  ASSERT_EQ(misses.size(), 1u);
  EXPECT_EQ(misses[0]->Attr("data-value"), "45");
  EXPECT_EQ(LineSeries(root, axes, "series-target", "2026-01-01", "2026-06-30"),
            std::make_pair(50.0, 50.0));
  EXPECT_TRUE(root.ByClass("series-expected").empty());
  EXPECT_TRUE(root.ByClass("series-forecast").empty());
  EXPECT_EQ(root.ByClass("target-label").at(0)->AllText(), "Line ≥ 50");
  EXPECT_THAT(root.ByClass("legend").at(0)->AllText(), HasSubstr("Misses the line"));
  EXPECT_THAT(root.ByClass("chart-value").at(0)->AllText(), HasSubstr("held 2/3"));
}

TEST(SvgChart, MilestoneAxisSaysDoneOrNot) {
  const Workspace ws = ChartWorkspace();
  const Rollup rollup = ComputeRollup(ws, D("2026-03-01"));
  const Element root = Parse(RenderKpiChart(ws, rollup, KpiIndex(ws, "support-live")));
  std::vector<std::string> labels;
  for (const Element* t : root.ByClass("axis-y")[0]->ByClass("tick")) {
    labels.push_back(t->ByName("text")[0]->AllText());
  }
  EXPECT_EQ(labels, (std::vector<std::string>{"not done", "done"}));
  EXPECT_EQ(root.ByClass("series-checkins").at(0)->Attr("data-count"), "0");
  EXPECT_THAT(root.AllText(), HasSubstr("No check-ins yet"));
}

TEST(SvgChart, NiceTicks) {
  const Workspace ws = ChartWorkspace();
  const Rollup rollup = ComputeRollup(ws, D("2026-03-01"));
  struct Case {
    const char* kpi;
    const char* first_label;  // of the x axis
    unsigned weekday_or_day;  // every x tick is this ISO weekday (weekly) or day of month
    bool weekly;
  };
  const Case cases[] = {
      {"followers-count", "Jan 5", 1, true},  // a month: Mondays
      {"share", "Jan 2026", 1, false},        // six months: the 1st of each month
  };
  for (const Case& c : cases) {
    const Element root = Parse(RenderKpiChart(ws, rollup, KpiIndex(ws, c.kpi)));
    const auto ticks = root.ByClass("axis-x")[0]->ByClass("tick");
    ASSERT_GE(ticks.size(), 3u) << c.kpi;
    EXPECT_EQ(ticks[0]->ByName("text")[0]->AllText(), c.first_label) << c.kpi;
    for (const Element* t : ticks) {
      const Date d = D(t->Attr("data-date")->c_str());
      EXPECT_EQ(c.weekly ? d.iso_weekday() : d.day(), c.weekday_or_day) << c.kpi;
    }
    // y ticks are 1, 2 or 5 × 10^k apart.
    const auto y = root.ByClass("axis-y")[0]->ByClass("tick");
    ASSERT_GE(y.size(), 3u);
    const double step = Number(y[1]->Attr("data-value")) - Number(y[0]->Attr("data-value"));
    const double mantissa = step / std::pow(10, std::floor(std::log10(step) + 1e-9));
    EXPECT_TRUE(std::fabs(mantissa - 1) < 1e-9 || std::fabs(mantissa - 2) < 1e-9 ||
                std::fabs(mantissa - 5) < 1e-9)
        << c.kpi << " step " << step;
  }
  // Thousands separators and units on the labels.
  const std::string followers = RenderKpiChart(ws, rollup, KpiIndex(ws, "followers-count"));
  EXPECT_THAT(followers, HasSubstr(">10,000</text>"));
  const std::string share = RenderKpiChart(ws, rollup, KpiIndex(ws, "share"));
  EXPECT_THAT(share, HasSubstr(">20%</text>"));
}

TEST(SvgChart, EscapesEveryText) {
  Workspace ws = ChartWorkspace();
  ws.kpis[2].name = "Followers <b>&\"friends\"</b> 'all'";
  ws.goals[1].title = "Grow & <script>alert(1)</script>";
  const Rollup rollup = ComputeRollup(ws, D("2026-01-20"));
  const std::string svg = RenderKpiChart(ws, rollup, 2);
  EXPECT_THAT(svg, Not(HasSubstr("<script")));
  EXPECT_THAT(svg, Not(HasSubstr("<b>")));
  const Element root = Parse(svg);
  EXPECT_THAT(root.ByName("title").at(0)->AllText(),
              HasSubstr("Followers <b>&\"friends\"</b> 'all'"));
  EXPECT_THAT(root.ByName("desc").at(0)->AllText(), HasSubstr("Grow & <script>"));
}

TEST(SvgChart, SeriesWithoutDatesOrCheckins) {
  Workspace ws;
  ws.goals.push_back({.id = "someday", .title = "Some day we grow"});
  ws.kpis.push_back({.id = "visits", .goal = "someday", .name = "Visits", .target = 100});
  const Rollup rollup = ComputeRollup(ws, D("2026-03-01"));
  KpiCharts charts(ws, rollup);
  const KpiChartSeries s = charts.Series(0);
  EXPECT_TRUE(s.checkins.empty());
  EXPECT_FALSE(s.expected);
  EXPECT_FALSE(s.forecast);
  EXPECT_LT(s.first_day, s.last_day);
  EXPECT_LE(s.first_day, D("2026-03-01"));
  EXPECT_GE(s.last_day, D("2026-03-01"));
  const Element root = Parse(charts.Render(0));
  ReadAxes(root);
}

// A forecast fitted on the first two days of a goal that runs to 2199 ends millions of pixels off
// the plot (the y axis fits the check-ins; the line runs on to the due date); Cairo-based renderers
// draw such lines wrong. Every line is clipped to a box a million pixels around the picture,
// keeping its slope, and no coordinate is non-finite.
TEST(SvgChart, FarOffLinesAreClippedAndHugeValuesStayFinite) {
  Workspace ws;
  ws.goals.push_back({.id = "long", .title = "Grow for two centuries",
                      .start = D("2026-01-01"), .due = D("2199-12-31")});
  ws.kpis.push_back({.id = "visits", .goal = "long", .name = "Visits", .baseline = 0,
                     .target = 100});
  ws.checkins.push_back({.kpi = "visits", .date = D("2026-01-02"), .value = 0, .seq = 1});
  ws.checkins.push_back({.kpi = "visits", .date = D("2026-01-03"), .value = 1e6, .seq = 2});
  ws.goals.push_back({.id = "huge", .title = "Reach an absurd number", .start = D("2026-01-01"),
                      .due = D("2026-12-31")});
  ws.kpis.push_back({.id = "absurd", .goal = "huge", .name = "Absurd", .target = 1e300});
  ws.checkins.push_back({.kpi = "absurd", .date = D("2026-01-02"), .value = -1e300, .seq = 3});
  ws.checkins.push_back({.kpi = "absurd", .date = D("2026-01-03"), .value = 1e300, .seq = 4});
  const Rollup rollup = ComputeRollup(ws, D("2026-01-04"));
  KpiCharts charts(ws, rollup);
  ASSERT_TRUE(charts.Series(0).forecast);
  for (int kpi : {0, 1}) {
    const std::string svg = charts.Render(kpi);
    EXPECT_THAT(svg, Not(HasSubstr("nan")));
    const Element root = Parse(svg);
    int lines = 0;
    std::function<void(const Element&)> walk = [&](const Element& e) {
      if (e.name == "line") {
        ++lines;
        for (const char* a : {"x1", "y1", "x2", "y2"}) {
          const std::optional<std::string> text = e.Attr(a);
          ASSERT_TRUE(text) << a;
          const double v = std::stod(*text);
          EXPECT_LE(std::fabs(v), 1e6) << a << " of a line in chart " << kpi;
        }
      }
      for (const Element& c : e.children) walk(c);
    };
    walk(root);
    EXPECT_GT(lines, 0);
  }
}

}  // namespace
}  // namespace cascade
