#include "io/report_facts.h"

#include <cmath>

#include <fmt/format.h>

#include "io/render_text.h"

namespace cascade {
namespace {

std::string Plural(size_t n, const char* one, const char* many) {
  return FormatNumber(static_cast<double>(n)) + " " + (n == 1 ? one : many);
}

}  // namespace

ReportFacts::ReportFacts(const Workspace& ws, const Rollup& rollup,
                         const std::vector<char>* shown)
    : ws_(ws), rollup_(rollup), index_(ws), charts_(ws, rollup) {
  children_.resize(ws.goals.size());
  kpis_.resize(ws.goals.size());
  const auto is_shown = [shown](int g) {
    return shown == nullptr || (*shown)[static_cast<size_t>(g)];
  };
  std::vector<int> up(ws.goals.size(), -1);  // the nearest shown ancestor (parents come first)
  for (const int g : rollup.order) {
    const int parent = index_.goal(ws.goals[static_cast<size_t>(g)].parent);
    up[static_cast<size_t>(g)] =
        parent < 0 || is_shown(parent) ? parent : up[static_cast<size_t>(parent)];
    if (!is_shown(g)) continue;
    order_.push_back(g);
    const int at = up[static_cast<size_t>(g)];
    (at < 0 ? roots_ : children_[static_cast<size_t>(at)]).push_back(g);
  }
  for (size_t k = 0; k < ws.kpis.size(); ++k) {
    const int g = index_.goal(ws.kpis[k].goal);
    if (g >= 0) kpis_[static_cast<size_t>(g)].push_back(static_cast<int>(k));
  }
  // The terminal tree's count: check-ins from the goal's start to min(as_of, due).
  window_checkins_.assign(ws.kpis.size(), 0);
  for (const Checkin& c : ws.checkins) {
    const int k = index_.kpi(c.kpi);
    if (k < 0) continue;
    const int g = index_.goal(ws.kpis[static_cast<size_t>(k)].goal);
    if (g < 0) continue;
    const GoalResult& goal = rollup.goals[static_cast<size_t>(g)];
    const Date end = goal.due ? std::min(rollup.as_of, *goal.due) : rollup.as_of;
    if (c.date > end || (goal.start && c.date < *goal.start)) continue;
    ++window_checkins_[static_cast<size_t>(k)];
  }
}

std::string ReportFacts::PersonName(const std::string& id) const {
  const int p = index_.person(id);
  if (p < 0 || ws_.people[static_cast<size_t>(p)].name.empty()) return id;
  return ws_.people[static_cast<size_t>(p)].name;
}

std::string ReportFacts::TeamName(const std::string& id) const {
  const int t = index_.team(id);
  if (t < 0 || ws_.teams[static_cast<size_t>(t)].name.empty()) return id;
  return ws_.teams[static_cast<size_t>(t)].name;
}

std::string ReportFacts::WorkspaceSummary() const {
  size_t macro = 0;
  for (const Goal& g : ws_.goals) macro += g.level == Level::kMacro;
  std::string s = Plural(ws_.goals.size(), "goal", "goals");
  if (!ws_.goals.empty()) {
    s += " (" + FormatNumber(static_cast<double>(macro)) + " macro, " +
         FormatNumber(static_cast<double>(ws_.goals.size() - macro)) + " micro)";
  }
  s += " · " + Plural(ws_.kpis.size(), "KPI", "KPIs");
  s += " · " + Plural(ws_.checkins.size(), "check-in", "check-ins");
  s += " · " + Plural(ws_.teams.size(), "team", "teams");
  s += " · " + Plural(ws_.people.size(), "person", "people");
  return s;
}

std::string ReportFacts::GoalMeta(int g) const {
  const Goal& goal = ws_.goals[static_cast<size_t>(g)];
  const GoalResult& r = rollup_.goals[static_cast<size_t>(g)];
  std::string s = goal.level == Level::kMacro ? "Macro goal" : "Micro goal";
  s += goal.owner.empty() ? " · no owner" : " · owner " + PersonName(goal.owner);
  if (!goal.team.empty()) s += " · " + TeamName(goal.team);
  if (r.start && r.due) {
    s += " · " + DateRange(*r.start, *r.due);
  } else if (r.due) {
    s += " · due " + LongDate(*r.due);
  } else if (r.start) {
    s += " · from " + LongDate(*r.start) + ", no due date";
  } else {
    s += " · no dates";
  }
  if (goal.priority != Priority::kMedium) s += " · " + std::string(ToString(goal.priority)) + " priority";
  if (!goal.channel.empty()) s += " · " + goal.channel;
  if (goal.stage != Stage::kNone) s += " · " + std::string(ToString(goal.stage));
  return s;
}

std::string ReportFacts::GoalNumbers(int g) const {
  const GoalResult& r = rollup_.goals[static_cast<size_t>(g)];
  if (!r.progress) return "not measured yet";
  std::string s = "progress " + PercentText(r.progress);
  if (r.expected) s += ", expected " + PercentText(r.expected);
  if (r.forecast) s += ", forecast " + PercentText(r.forecast);
  return s;
}

std::string ReportFacts::GoalJudgementAndSpend(int g) const {
  const GoalResult& r = rollup_.goals[static_cast<size_t>(g)];
  const Goal& goal = ws_.goals[static_cast<size_t>(g)];
  std::string s;
  if (auto d = DisagreementOf(ws_, rollup_, g)) {
    s = d->text;
  } else if (r.confidence != Confidence::kNone) {
    s = "judged " + TrackWords(ToString(r.confidence));
  }
  if (r.spent != 0 || goal.budget_max) {
    if (!s.empty()) s += " · ";
    s += fmt::format("spent {}", r.spent);
    if (r.budget_left) s += fmt::format(" of {}, {} left", *goal.budget_max, *r.budget_left);
  }
  return s;
}

std::string ReportFacts::KpiValue(int k) const {
  return KpiValueText(ws_.kpis[static_cast<size_t>(k)], rollup_.kpis[static_cast<size_t>(k)],
                      window_checkins(k));
}

std::string ReportFacts::StaleText(int k) const {
  const KpiResult& r = rollup_.kpis[static_cast<size_t>(k)];
  if (!r.stale) return "";
  if (!r.last_checkin) return "stale: no check-in yet";
  const int days = rollup_.as_of - *r.last_checkin;
  return "stale: last check-in " + std::to_string(days) + (days == 1 ? " day ago" : " days ago");
}

std::string ReportFacts::GapText(const GoalResult& r, double gap) {
  const std::string points = PercentNumber(gap);
  return "at " + PercentText(r.progress) + ", expected " + PercentText(r.expected) + ": " + points +
         (points == "1" ? " point" : " points") + " behind";
}

std::string ReportFacts::ChangeText(const std::optional<double>& change) {
  if (!change) return "—";
  if (!std::isfinite(*change)) return "—";
  const std::string points = PercentNumber(std::fabs(*change));
  if (points == "0") return "no change";
  return (*change > 0 ? "+" : "−") + points + (points == "1" ? " point" : " points");
}

std::string ReportFacts::AgendaSince(const ReviewAgenda& agenda) const {
  std::string scope = agenda.team.empty() ? "" : " for " + TeamName(agenda.team);
  if (!agenda.since) {
    return "No review recorded yet" + scope +
           ": everything achieved counts as new, and there is no earlier progress to compare with.";
  }
  const Review& r = ws_.reviews[static_cast<size_t>(*agenda.since)];
  std::string s = "Compared with the review of " + LongDate(r.date);
  if (!r.team.empty()) s += " (" + TeamName(r.team) + ")";
  return s + scope + ".";
}

}  // namespace cascade
