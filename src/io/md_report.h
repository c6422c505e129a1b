// The report of a cascade (spec §5 `report --format md`) as Markdown: the same content as the
// HTML report (html_report.h) in text — status counts, the cascade as a table with text progress
// bars and expected-progress marks, each goal's KPIs with a trend sparkline instead of a chart,
// and the review agenda. Reads as plain text too, and pastes into a wiki or a pull request.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/rollup.h"
#include "io/html_report.h"  // ReportOptions

namespace cascade {

// GitHub-flavoured Markdown (tables); `options.charts` is ignored: charts are separate files
// (`cascade chart KPI -o FILE.svg`).
std::string RenderMarkdownReport(const Workspace& ws, const Rollup& rollup,
                                 const ReportOptions& options = {});

// A text progress bar of `cells` cells: █ for progress (floored, as the percentage), ░ for the
// rest and │ in the cell where expected progress stands. "" when both are null.
std::string TextProgressBar(std::optional<double> progress, std::optional<double> expected,
                            int cells = 10);

// A sparkline of the values (▁▂▃▄▅▆▇█), the last `max_points` of them; "" for none.
std::string Sparkline(const std::vector<double>& values, size_t max_points = 24);

}  // namespace cascade
