// A KPI's line chart as a self-contained SVG (spec §5 `chart`, the report's charts): the KPI's
// value at each check-in, the target line, the expected-progress line from baseline at the goal's
// start to target at its due date, the forecast line (the OLS fit of spec §2) and a mark at the
// as-of date, with dated x and unit-labelled y axes and a legend. Threshold KPIs show the line to
// hold and the values, marking each check-in that misses it.
//
// A formula KPI plots its value on each date its inputs were checked in; a KPI that has a
// benchmark draws the benchmark's values beside its own ("series-benchmark").
//
// Each series is a <g> with a stable class ("series-checkins", "series-target", "series-expected",
// "series-forecast", "series-benchmark", "as-of") and an id "chart-KPI-…", and carries its data in data-* attributes
// (dates, values), so a test or a script can read the numbers back.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/kpi_values.h"
#include "core/model.h"
#include "core/rollup.h"

namespace cascade {

struct ChartPoint {
  Date date;
  double value = 0;
  bool operator==(const ChartPoint&) const = default;
};

struct ChartLine {
  ChartPoint from;
  ChartPoint to;
  bool operator==(const ChartLine&) const = default;
};

// What a KPI's chart shows, in data units: dates and KPI values. The SVG is one drawing of it.
struct KpiChartSeries {
  // V as of each distinct date of the check-ins in the goal's window (spec §2: dated ≤ min(as_of,
  // due), and for cumulative and threshold KPIs on or after the start); cumulative KPIs plot the
  // running total from the baseline.
  std::vector<ChartPoint> checkins;
  int window_checkins = 0;         // check-ins counted (several may share a date)
  std::optional<ChartLine> target;    // horizontal at the target (or the threshold's line)
  std::optional<ChartLine> expected;  // (start, baseline) → (due, target); needs start and due
  std::optional<ChartLine> forecast;  // the OLS line at start and at due, when §2 has a forecast
  Date first_day;                     // the x range drawn: the goal's start to its due date,
  Date last_day;                      // widened to the as-of date when it lies just outside
  // The first KPI benchmarked against this one (benchmark_for), drawn beside it: its id ("" for
  // none) and its points (its own series) within the x range.
  std::string benchmark_kpi;
  std::vector<ChartPoint> benchmark;
};

struct ChartOptions {
  int width = 720;  // the viewBox; the SVG scales to its container
  int height = 360;
};

// Computes series and renders charts for any KPI of one workspace and roll-up; builds its
// check-in index once, so a report with a chart per KPI stays linear in the check-ins. The
// workspace and roll-up must outlive it.
class KpiCharts {
 public:
  KpiCharts(const Workspace& ws, const Rollup& rollup);

  // `kpi` is a position in ws.kpis.
  KpiChartSeries Series(int kpi) const;
  std::string Render(int kpi, const ChartOptions& options = {}) const;

 private:
  const Workspace& ws_;
  const Rollup& rollup_;
  std::vector<int> goal_of_kpi_;
  std::vector<std::vector<int>> checkins_of_kpi_;  // positions in ws.checkins, sorted (date, seq)
  std::vector<int> benchmark_of_;                   // the first KPI benchmarked against each; -1
  std::optional<KpiValues> formula_values_;         // set when the workspace has formula KPIs
};

// The chart of ws.kpis[kpi] as an SVG document (UTF-8, no external resources).
std::string RenderKpiChart(const Workspace& ws, const Rollup& rollup, int kpi,
                           const ChartOptions& options = {});

}  // namespace cascade
