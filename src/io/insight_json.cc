#include "io/insight_json.h"

#include <unordered_map>

#include "io/entity_json.h"

namespace cascade {
namespace {

using nlohmann::json;

json Num(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }
json Ref(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }
json DateOrNull(const std::optional<Date>& d) { return d ? json(d->ToString()) : json(nullptr); }

json FindingJson(const Finding& f) {
  return {{"code", f.code},    {"severity", ToString(f.severity)}, {"goal", Ref(f.goal)},
          {"kpi", Ref(f.kpi)}, {"action", Ref(f.action)},          {"message", f.message}};
}

}  // namespace

json CorrelationToJson(const CorrelationResult& result, const std::string& a, const std::string& b,
                       Date as_of) {
  json series = json::array();
  for (size_t i = 0; i < result.periods.size(); ++i) {
    series.push_back({{"period", result.periods[i].ToString()},
                      {"a", Num(result.a[i])},
                      {"b", Num(result.b[i])}});
  }
  json lags = json::array();
  for (const LagStats& l : result.lags) {
    lags.push_back({{"lag", l.lag},
                    {"r", Num(l.r)},
                    {"n", l.n},
                    {"p_value", Num(l.p_value)},
                    {"slope", Num(l.slope)},
                    {"reason", l.reason.empty() ? json(nullptr) : json(l.reason)}});
  }
  json best = nullptr;
  if (result.best) {
    const LagStats& l = result.lags[static_cast<size_t>(*result.best)];
    best = {{"lag", l.lag}, {"r", Num(l.r)}};
  }
  return {{"a", a},
          {"b", b},
          {"period", ToString(result.period)},
          {"max_lag", result.lags.empty() ? 0 : result.lags.back().lag},
          {"as_of", as_of.ToString()},
          {"series", std::move(series)},
          {"lags", std::move(lags)},
          {"best", std::move(best)}};
}

json FunnelToJson(const Workspace& ws, const Funnel& funnel, const FunnelResult& result,
                  Date as_of) {
  std::unordered_map<std::string, const Kpi*> kpis;
  for (const Kpi& k : ws.kpis) kpis.emplace(k.id, &k);
  json stages = json::array();
  for (const FunnelStage& s : result.stages) {
    const auto it = kpis.find(s.kpi);
    const Kpi* kpi = it == kpis.end() ? nullptr : it->second;
    stages.push_back({{"kpi", s.kpi},
                      {"name", kpi != nullptr ? kpi->name : s.kpi},
                      {"unit", kpi != nullptr ? kpi->unit : ""},
                      {"value", Num(s.value)},
                      {"rate", Num(s.rate)},
                      {"required", Num(s.required)},
                      {"gap", Num(s.gap)}});
  }
  return {{"funnel", funnel.id},         {"name", funnel.name},
          {"as_of", as_of.ToString()},   {"target", Num(result.target)},
          {"stages", std::move(stages)}, {"overall", Num(result.overall)}};
}

json AllocationToJson(const AllocationResult& result) {
  json allocations = json::array();
  for (const Allocation& a : result.allocations) {
    allocations.push_back(
        {{"goal", a.goal},
         {"growth_potential", a.growth_potential},
         {"amount", a.amount},
         {"share", Num(a.share)},
         {"bound", a.bound == BudgetBound::kNone ? json(nullptr) : json(ToString(a.bound))},
         {"spent", a.spent},
         {"channel_cost_per_goal_done", Num(a.channel_cost_per_goal_done)}});
  }
  return {{"budget", result.budget},
          {"allocations", std::move(allocations)},
          {"total_uplift", result.total_uplift}};
}

json BreakdownToJson(const Breakdown& breakdown, Date as_of) {
  json groups = json::array();
  for (const BreakdownGroup& g : breakdown.groups) {
    json counts = json::object();
    for (int st = 0; st < kGoalStatusCount; ++st) {
      if (g.counts[static_cast<size_t>(st)] > 0) {
        counts[std::string(ToString(static_cast<GoalStatus>(st)))] = g.counts[static_cast<size_t>(st)];
      }
    }
    groups.push_back({{"key", g.key ? json(*g.key) : json(nullptr)},
                      {"goals", g.goals},
                      {"progress", Num(g.progress)},
                      {"counts", std::move(counts)},
                      {"spent", g.spent},
                      {"cost_per_goal_done", Num(g.cost_per_goal_done)}});
  }
  return {{"by", ToString(breakdown.by)}, {"as_of", as_of.ToString()}, {"groups", std::move(groups)}};
}

json ExperimentToJson(const Experiment& experiment, const ExperimentResult& result) {
  json out = ToJson(experiment);
  out["p_control"] = result.p_control;
  out["p_variant"] = result.p_variant;
  out["lift"] = result.lift;
  out["relative_lift"] = Num(result.relative_lift);
  out["z"] = Num(result.z);
  out["p_value"] = Num(result.p_value);
  out["ci95"] = {result.ci95[0], result.ci95[1]};
  out["significant"] = result.significant;
  return out;
}

json ReviewAgendaToJson(const Workspace& ws, const Rollup& rollup, const ReviewAgenda& agenda) {
  auto goal_of = [&](int g) -> const Goal& { return ws.goals[static_cast<size_t>(g)]; };
  auto result_of = [&](int g) -> const GoalResult& { return rollup.goals[static_cast<size_t>(g)]; };
  auto gaps = [&](const std::vector<GoalGap>& list) {
    json out = json::array();
    for (const GoalGap& gg : list) {
      const Goal& g = goal_of(gg.goal);
      const GoalResult& r = result_of(gg.goal);
      out.push_back({{"goal", g.id},
                     {"title", g.title},
                     {"owner", Ref(g.owner)},
                     {"team", Ref(g.team)},
                     {"progress", Num(r.progress)},
                     {"expected", Num(r.expected)},
                     {"gap", gg.gap}});
    }
    return out;
  };
  json missed = json::array();
  for (const int gi : agenda.missed) {
    const Goal& g = goal_of(gi);
    missed.push_back({{"goal", g.id},
                      {"title", g.title},
                      {"owner", Ref(g.owner)},
                      {"team", Ref(g.team)},
                      {"progress", Num(result_of(gi).progress)},
                      {"due", DateOrNull(result_of(gi).due)}});
  }
  std::unordered_map<std::string, int> goal_pos;
  for (size_t g = 0; g < ws.goals.size(); ++g)
    goal_pos.emplace(ws.goals[g].id, static_cast<int>(g));
  json stale = json::array();
  for (const StaleKpi& s : agenda.stale) {
    const Kpi& k = ws.kpis[static_cast<size_t>(s.kpi)];
    const auto it = goal_pos.find(k.goal);
    const std::string owner = it == goal_pos.end() ? "" : goal_of(it->second).owner;
    stale.push_back(
        {{"kpi", k.id},
         {"name", k.name},
         {"goal", k.goal},
         {"owner", Ref(owner)},
         {"last_checkin", DateOrNull(rollup.kpis[static_cast<size_t>(s.kpi)].last_checkin)},
         {"days_since", s.days_since},
         {"cadence_days", k.cadence_days}});
  }
  json achieved = json::array();
  for (const int gi : agenda.achieved) {
    const Goal& g = goal_of(gi);
    achieved.push_back({{"goal", g.id},
                        {"title", g.title},
                        {"owner", Ref(g.owner)},
                        {"team", Ref(g.team)},
                        {"level", ToString(g.level)}});
  }
  json lint = json::array();
  for (const Finding& f : agenda.lint_errors) lint.push_back(FindingJson(f));
  json changes = json::array();
  for (const ProgressChange& c : agenda.changes) {
    const Goal& g = goal_of(c.goal);
    changes.push_back({{"goal", g.id},
                       {"title", g.title},
                       {"before", Num(c.before)},
                       {"after", Num(c.after)},
                       {"change", Num(c.change)},
                       {"status_before", Ref(c.status_before)},
                       {"status", ToString(result_of(c.goal).status)}});
  }
  json comments = json::array();
  for (const int ci : agenda.comments)
    comments.push_back(ToJson(ws.comments[static_cast<size_t>(ci)]));
  json lessons = json::array();
  for (const int ci : agenda.lessons) lessons.push_back(ToJson(ws.comments[static_cast<size_t>(ci)]));
  json disagreements = json::array();
  for (const Disagreement& d : agenda.disagreements) {
    disagreements.push_back({{"goal", goal_of(d.goal).id},
                             {"confidence", ToString(d.confidence)},
                             {"status", ToString(d.status)},
                             {"disagreement", d.disagreement},
                             {"author", Ref(d.author)},
                             {"text", d.text}});
  }
  json overdue = json::array();
  for (const int ai : agenda.overdue_actions) {
    const Action& a = ws.actions[static_cast<size_t>(ai)];
    overdue.push_back({{"action", a.id},
                       {"goal", a.goal},
                       {"title", a.title},
                       {"owner", Ref(a.owner)},
                       {"due", a.due->ToString()},
                       {"days_overdue", agenda.as_of - *a.due}});
  }
  json since = nullptr;
  if (agenda.since) {
    const Review& r = ws.reviews[static_cast<size_t>(*agenda.since)];
    since = {
        {"seq", r.seq}, {"date", r.date.ToString()}, {"team", Ref(r.team)}, {"notes", r.notes}};
  }
  return {{"as_of", agenda.as_of.ToString()}, {"team", Ref(agenda.team)},
          {"since", std::move(since)},        {"off_track", gaps(agenda.off_track)},
          {"at_risk", gaps(agenda.at_risk)},  {"missed", std::move(missed)},
          {"stale", std::move(stale)},        {"achieved", std::move(achieved)},
          {"lint_errors", std::move(lint)},   {"progress_changes", std::move(changes)},
          {"comments", std::move(comments)}, {"lessons", std::move(lessons)},
          {"disagreements", std::move(disagreements)},
          {"overdue_actions", std::move(overdue)}};
}

json ReviewListToJson(const std::vector<Review>& reviews) {
  json list = json::array();
  for (const Review& r : reviews) {
    list.push_back({{"seq", r.seq},
                    {"date", r.date.ToString()},
                    {"team", Ref(r.team)},
                    {"notes", r.notes},
                    {"goals", r.snapshot.size()}});
  }
  return {{"reviews", std::move(list)}};
}

json ScorecardToJson(const Scorecard& card, bool with_rank) {
  json out = {{"id", card.id},
              {"name", card.name},
              {"goals_owned", card.goals_owned},
              {"goals_contributed", card.goals_contributed},
              {"achieved", card.achieved},
              {"missed", card.missed},
              {"mean_progress", Num(card.mean_progress)},
              {"kpis", card.kpis},
              {"kpis_not_stale", Num(card.kpis_not_stale)},
              {"checkins", card.checkins},
              {"goal_points", card.goal_points},
              {"points", card.points},
              {"streak", card.streak},
              {"streak_cadence_days", card.streak_cadence_days}};
  if (with_rank) out["rank"] = card.rank;
  return out;
}

json LeaderboardToJson(const std::vector<Scorecard>& board, Date as_of) {
  json list = json::array();
  for (const Scorecard& s : board) list.push_back(ScorecardToJson(s, true));
  return {{"as_of", as_of.ToString()}, {"leaderboard", std::move(list)}};
}

nlohmann::json TodoToJson(const Workspace& ws, const TodoList& todo) {
  nlohmann::json due = nlohmann::json::array();
  for (const CheckinDue& c : todo.checkins_due) {
    due.push_back({{"kpi", ws.kpis[static_cast<size_t>(c.kpi)].id},
                   {"goal", ws.goals[static_cast<size_t>(c.goal)].id},
                   {"last_checkin", DateOrNull(c.last_checkin)},
                   {"days_since", c.days_since},
                   {"cadence_days", ws.kpis[static_cast<size_t>(c.kpi)].cadence_days}});
  }
  nlohmann::json at_risk = nlohmann::json::array();
  for (const GoalAtRisk& a : todo.goals_at_risk) {
    at_risk.push_back({{"goal", ws.goals[static_cast<size_t>(a.goal)].id},
                       {"status", std::string(ToString(a.status))}});
  }
  auto actions = [&](const std::vector<int>& list) {
    nlohmann::json out = nlohmann::json::array();
    for (const int i : list) {
      const Action& a = ws.actions[static_cast<size_t>(i)];
      out.push_back({{"action", a.id}, {"goal", a.goal}, {"title", a.title},
                     {"due", DateOrNull(a.due)}});
    }
    return out;
  };
  nlohmann::json disagreements = nlohmann::json::array();
  for (const GoalDisagreement& d : todo.disagreements) {
    disagreements.push_back({{"goal", ws.goals[static_cast<size_t>(d.goal)].id},
                             {"confidence", ToString(d.confidence)},
                             {"status", ToString(d.status)}});
  }
  nlohmann::json reviews = nlohmann::json::array();
  for (const ReviewDue& r : todo.reviews_due) {
    reviews.push_back({{"team", r.team}, {"last_review", DateOrNull(r.last_review)}});
  }
  return {{"as_of", todo.as_of.ToString()},
          {"person", todo.person},
          {"checkins_due", std::move(due)},
          {"goals_at_risk", std::move(at_risk)},
          {"disagreements", std::move(disagreements)},
          {"overdue_actions", actions(todo.overdue_actions)},
          {"upcoming_actions", actions(todo.upcoming_actions)},
          {"reviews_due", std::move(reviews)}};
}

}  // namespace cascade
