#include "cli/checkin_outcome.h"

#include <cmath>

#include "cli/terminal_text.h"
#include "io/render_text.h"

namespace cascade {
namespace {

struct KpiAt {
  const Kpi* kpi = nullptr;
  const Goal* goal = nullptr;
  KpiResult kpi_result;
  GoalResult goal_result;
  int window_checkins = 0;
};

std::optional<KpiAt> Find(const Workspace& ws, const std::string& kpi_id, Date as_of) {
  int k = -1;
  for (size_t i = 0; i < ws.kpis.size(); ++i) {
    if (ws.kpis[i].id == kpi_id) k = static_cast<int>(i);
  }
  if (k < 0) return std::nullopt;
  const Kpi& kpi = ws.kpis[static_cast<size_t>(k)];
  int g = -1;
  for (size_t i = 0; i < ws.goals.size(); ++i) {
    if (ws.goals[i].id == kpi.goal) g = static_cast<int>(i);
  }
  if (g < 0) return std::nullopt;
  const Rollup rollup = ComputeRollup(ws, as_of);
  KpiAt at{&kpi, &ws.goals[static_cast<size_t>(g)], rollup.kpis[static_cast<size_t>(k)],
           rollup.goals[static_cast<size_t>(g)], 0};
  // The check-ins inside the goal's window (spec §2), for a threshold's "held n/m".
  const Date until = at.goal_result.due ? std::min(as_of, *at.goal_result.due) : as_of;
  for (const Checkin& c : ws.checkins) {
    if (c.kpi == kpi_id && c.date <= until &&
        (!at.goal_result.start || c.date >= *at.goal_result.start)) {
      ++at.window_checkins;
    }
  }
  return at;
}

bool Same(const std::optional<double>& a, const std::optional<double>& b) {
  if (!a || !b) return !a && !b;
  return std::fabs(*a - *b) <= 1e-9;
}

nlohmann::json ToJson(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }

}  // namespace

std::optional<CheckinOutcome> DescribeCheckin(const Workspace& before, const Workspace& after,
                                              const std::string& kpi, Date checkin_date,
                                              Date as_of) {
  const std::optional<KpiAt> now = Find(after, kpi, as_of);
  if (!now) return std::nullopt;
  const std::optional<KpiAt> was = Find(before, kpi, as_of);
  CheckinOutcome out;
  out.kpi = kpi;
  out.kpi_name = now->kpi->name;
  out.value_text = KpiValueText(*now->kpi, now->kpi_result, now->window_checkins);
  out.value = now->kpi_result.value;
  out.goal = now->goal->id;
  out.goal_title = now->goal->title;
  out.progress = now->goal_result.progress;
  out.status = now->goal_result.status;
  const GoalResult& g = now->goal_result;
  const bool from_start =
      now->kpi->kind == KpiKind::kCumulative || now->kpi->kind == KpiKind::kThreshold;
  if (checkin_date > as_of) {
    out.not_counted = "dated after the as-of date (" + as_of.ToString() + ")";
  } else if (g.due && checkin_date > *g.due) {
    out.not_counted = "dated after the goal's due date (" + g.due->ToString() + ")";
  } else if (from_start && g.start && checkin_date < *g.start) {
    out.not_counted = "dated before the goal's start (" + g.start->ToString() + ")";
  }
  if (was) {
    out.previous_value = was->kpi_result.value;
    out.previous_progress = was->goal_result.progress;
    out.previous_status = was->goal_result.status;
  } else {
    out.previous_status = out.status;
  }
  return out;
}

std::string RenderCheckinOutcome(const CheckinOutcome& o) {
  std::string out =
      "  " + Visible(o.kpi_name.empty() ? o.kpi : o.kpi_name) + ": " + Visible(o.value_text);
  if (!Same(o.value, o.previous_value)) {
    out += " (was " + (o.previous_value ? FormatNumber(*o.previous_value) : "—") + ")";
  }
  out += "\n  " + Visible(o.goal_title.empty() ? o.goal : o.goal_title) + ": ";
  const auto progress_and_status = [](const std::optional<double>& p, GoalStatus s) {
    return (p ? PercentText(p) + " " : "") + std::string(StatusLabel(s));
  };
  const std::string now = progress_and_status(o.progress, o.status);
  const std::string was = progress_and_status(o.previous_progress, o.previous_status);
  out += now;
  if (now != was) out += " (was " + was + ")";
  out += "\n";
  if (!o.not_counted.empty()) out += "  Not counted: " + o.not_counted + ".\n";
  return out;
}

nlohmann::json CheckinOutcomeToJson(const CheckinOutcome& o) {
  return {{"kpi", {{"id", o.kpi}, {"value", ToJson(o.value)},
                   {"previous_value", ToJson(o.previous_value)},
                   {"counted", o.not_counted.empty()}}},
          {"goal", {{"id", o.goal},
                    {"progress", ToJson(o.progress)},
                    {"status", ToString(o.status)},
                    {"previous_progress", ToJson(o.previous_progress)},
                    {"previous_status", ToString(o.previous_status)}}}};
}

}  // namespace cascade
