// What the HTML and the Markdown reports both print, worked out once: the tree (roots, children,
// KPIs per goal, in the terminal tree's order), names of owners and teams, the workspace summary
// and the phrases for goals, KPIs and agenda items. The two reports differ only in markup.
#pragma once

#include <string>
#include <vector>

#include "analytics/review.h"
#include "core/model.h"
#include "core/rollup.h"
#include "io/svg_chart.h"

namespace cascade {

class ReportFacts {
 public:
  // The workspace and roll-up (and `shown`, when given) must outlive it. With `shown` (one entry
  // per goal), the tree holds only the goals it marks, each under its nearest marked ancestor.
  ReportFacts(const Workspace& ws, const Rollup& rollup,
              const std::vector<char>* shown = nullptr);

  const Workspace& ws() const { return ws_; }
  const Rollup& rollup() const { return rollup_; }
  const KpiCharts& charts() const { return charts_; }
  const std::vector<int>& roots() const { return roots_; }
  // The goals shown (all without `shown`), parents first as the cascade lists them.
  const std::vector<int>& order() const { return order_; }
  const std::vector<int>& children(int goal) const { return children_[static_cast<size_t>(goal)]; }
  const std::vector<int>& kpis(int goal) const { return kpis_[static_cast<size_t>(goal)]; }
  // Check-ins inside a KPI's window (for "held 4/5").
  int window_checkins(int kpi) const { return window_checkins_[static_cast<size_t>(kpi)]; }

  // Position of a goal in ws.goals, or -1.
  int GoalPosition(const std::string& id) const { return index_.goal(id); }
  // A person's or a team's name, else the id as stored ("" for "").
  std::string PersonName(const std::string& id) const;
  std::string TeamName(const std::string& id) const;

  // "28 goals (8 macro, 20 micro) · 31 KPIs · 412 check-ins · 6 teams · 9 people"
  std::string WorkspaceSummary() const;
  // "Macro goal · owner Dana Lee · Marketing · Jan 1 – Jun 30, 2026 · high priority · social"
  std::string GoalMeta(int goal) const;
  // "progress 62%, expected 70%, forecast 80%" (the parts that are not null)
  std::string GoalNumbers(int goal) const;
  // "Dana Lee says at risk; the numbers say off track · spent 1200 of 5000, 3800 left": the
  // owner's latest judgement and the money spent (spec §2), the parts that apply; "" when none.
  std::string GoalJudgementAndSpend(int goal) const;
  // The KPI's value against its target, as the terminal tree prints it.
  std::string KpiValue(int kpi) const;
  // "stale: last check-in 12 days ago", "stale: no check-in yet", or "" when not stale.
  std::string StaleText(int kpi) const;
  // "at 40%, expected 70%: 30 points behind"
  static std::string GapText(const GoalResult& r, double gap);
  // "+12 points", "−3 points", "no change", "—"
  static std::string ChangeText(const std::optional<double>& change);
  // "Since the review of Feb 1, 2026 (marketing)" / "No review recorded yet …"
  std::string AgendaSince(const ReviewAgenda& agenda) const;

 private:
  const Workspace& ws_;
  const Rollup& rollup_;
  WorkspaceIndex index_;
  KpiCharts charts_;
  std::vector<int> roots_;
  std::vector<int> order_;
  std::vector<std::vector<int>> children_;
  std::vector<std::vector<int>> kpis_;
  std::vector<int> window_checkins_;
};

}  // namespace cascade
