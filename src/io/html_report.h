// The shareable report of a cascade (spec §5 `report`) as one self-contained HTML document: the
// as-of date and a summary of the workspace, goals per status, the cascade as a tree with progress
// bars, expected-progress marks and status labels, each goal's KPIs with a chart per KPI, and the
// review agenda. Inline CSS and inline SVG only: no scripts, no network, prints cleanly and reads
// on a phone. The Markdown variant (md_report.h) carries the same content as text.
#pragma once

#include <string>
#include <vector>

#include "analytics/review.h"
#include "core/model.h"
#include "core/rollup.h"

namespace cascade {

struct ReportOptions {
  std::string title = "Cascade report";
  // The review agenda to include (BuildReviewAgenda over the same workspace and roll-up); the
  // report says there is none when null. Must outlive the call.
  const ReviewAgenda* agenda = nullptr;
  bool charts = true;  // HTML: an inline SVG chart per KPI
  // Only the goals marked (one entry per goal; MatchGoals, core/goal_filter.h), each under its
  // nearest marked ancestor; null = all. Must outlive the call.
  const std::vector<char>* goals = nullptr;
};

// The report as an HTML5 document that is also well-formed XML (void elements self-closed, every
// attribute quoted, all text escaped), UTF-8.
std::string RenderHtmlReport(const Workspace& ws, const Rollup& rollup,
                             const ReportOptions& options = {});

}  // namespace cascade
