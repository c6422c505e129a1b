#include "analytics/recognition.h"

#include <algorithm>
#include <unordered_set>

#include "analytics/team_scope.h"

namespace cascade {
namespace {

// The statuses in which check-ins are expected (and a KPI can go stale).
bool ExpectsCheckins(GoalStatus s) {
  return s == GoalStatus::kOnTrack || s == GoalStatus::kAtRisk || s == GoalStatus::kOffTrack ||
         s == GoalStatus::kUnscheduled;
}

// The scorecard of the people in `people` together.
Scorecard ScoreOf(const Workspace& ws, const Rollup& rollup,
                  const std::unordered_set<std::string>& people,
                  const std::optional<ScorePeriod>& period) {
  const auto in_period = [&period](const std::optional<Date>& d) {
    return d && *d >= period->from && *d <= period->to;
  };
  Scorecard s;
  const Date t = rollup.as_of;
  std::unordered_set<std::string> owned_goals;
  double progress_sum = 0;
  int progress_count = 0;
  for (size_t g = 0; g < ws.goals.size(); ++g) {
    const Goal& goal = ws.goals[g];
    // Contributors share the owner's accountability and credit (spec §2 Recognition); a goal
    // counts once for a team however many of its people it credits.
    const bool owns = people.count(goal.owner) > 0;
    const bool credited =
        owns || std::any_of(goal.contributors.begin(), goal.contributors.end(),
                            [&people](const std::string& p) { return people.count(p) > 0; });
    if (goal.state != GoalState::kActive || !credited) continue;
    const GoalResult& r = rollup.goals[g];
    owned_goals.insert(goal.id);
    ++(owns ? s.goals_owned : s.goals_contributed);
    if (period ? in_period(r.achieved_on) : r.status == GoalStatus::kAchieved) {
      ++s.achieved;
      s.goal_points += (goal.level == Level::kMacro ? 50 : 10) * goal.weight;
    }
    if (r.status == GoalStatus::kMissed && (!period || in_period(r.due))) ++s.missed;
    if (r.progress) {
      progress_sum += *r.progress;
      ++progress_count;
    }
  }
  if (progress_count > 0) s.mean_progress = progress_sum / progress_count;

  std::unordered_set<std::string> live_goals;
  for (size_t g = 0; g < ws.goals.size(); ++g) {
    if (owned_goals.count(ws.goals[g].id) > 0 && ExpectsCheckins(rollup.goals[g].status)) {
      live_goals.insert(ws.goals[g].id);
    }
  }
  std::unordered_set<std::string> live_kpis;
  int fresh = 0;
  for (size_t k = 0; k < ws.kpis.size(); ++k) {
    const Kpi& kpi = ws.kpis[k];
    // A benchmark is a reference series, in no staleness (spec §1): not one of the owner's KPIs.
    if (owned_goals.count(kpi.goal) == 0 || !kpi.benchmark_for.empty()) continue;
    ++s.kpis;
    fresh += !rollup.kpis[k].stale;
    if (live_goals.count(kpi.goal) == 0) continue;
    live_kpis.insert(kpi.id);
    s.streak_cadence_days = s.streak_cadence_days == 0
                                ? kpi.cadence_days
                                : std::min(s.streak_cadence_days, kpi.cadence_days);
  }
  if (s.kpis > 0) s.kpis_not_stale = static_cast<double>(fresh) / s.kpis;

  std::vector<Date> dates;
  for (const Checkin& c : ws.checkins) {
    if (c.date > t) continue;
    if (people.count(c.author) > 0 && (!period || in_period(c.date))) ++s.checkins;
    if (live_kpis.count(c.kpi) > 0) dates.push_back(c.date);
  }
  s.points = s.goal_points + s.checkins;
  s.streak = CheckinStreak(dates, s.streak_cadence_days, t);
  return s;
}

// The people of `team` and its sub-teams.
std::unordered_set<std::string> PeopleOf(const Workspace& ws, const std::string& team) {
  const TeamScope scope(ws, team);
  std::unordered_set<std::string> out;
  for (const Person& p : ws.people) {
    if (scope.Contains(p.team)) out.insert(p.id);
  }
  return out;
}

bool TeamExists(const Workspace& ws, const std::string& id) {
  return std::any_of(ws.teams.begin(), ws.teams.end(), [&](const Team& t) { return t.id == id; });
}

}  // namespace

Result<std::optional<ScorePeriod>> MakeScorePeriod(const std::optional<Date>& from,
                                                   const std::optional<Date>& to,
                                                   const std::string& from_name,
                                                   const std::string& to_name) {
  if (!from && !to) return std::optional<ScorePeriod>();
  if (!from || !to) {
    const std::string& missing = from ? to_name : from_name;
    return Error::Invalid("an appraisal period needs both " + from_name + " and " + to_name +
                              "; " + missing + " is missing",
                          "", "", missing);
  }
  if (*from > *to) {
    return Error::Invalid(from_name + " " + from->ToString() + " is after " + to_name + " " +
                              to->ToString() +
                              "; an appraisal period runs from its first day to its last",
                          "", "", from_name);
  }
  return std::optional<ScorePeriod>(ScorePeriod{*from, *to});
}

int CheckinStreak(const std::vector<Date>& dates, int cadence_days, Date as_of) {
  if (cadence_days <= 0) return 0;
  // Period k holds the dates d with k·c ≤ t − d < (k+1)·c.
  std::vector<char> hit;
  for (const Date d : dates) {
    if (d > as_of) continue;
    const auto k = static_cast<size_t>((as_of - d) / cadence_days);
    if (k >= dates.size()) continue;  // a streak is at most as long as the number of check-ins
    if (hit.size() <= k) hit.resize(k + 1, 0);
    hit[k] = 1;
  }
  int streak = 0;
  while (static_cast<size_t>(streak) < hit.size() && hit[static_cast<size_t>(streak)]) ++streak;
  return streak;
}

Result<Scorecard> PersonScorecard(const Workspace& ws, const Rollup& rollup, const std::string& id,
                                  const std::optional<ScorePeriod>& period) {
  const auto it =
      std::find_if(ws.people.begin(), ws.people.end(), [&](const Person& p) { return p.id == id; });
  if (it == ws.people.end()) {
    return Error::NotFound("person '" + id + "' does not exist", "person", id, "person");
  }
  Scorecard s = ScoreOf(ws, rollup, {id}, period);
  s.id = id;
  s.name = it->name;
  return s;
}

Result<Scorecard> TeamScorecard(const Workspace& ws, const Rollup& rollup, const std::string& id,
                                const std::optional<ScorePeriod>& period) {
  const auto it =
      std::find_if(ws.teams.begin(), ws.teams.end(), [&](const Team& t) { return t.id == id; });
  if (it == ws.teams.end()) {
    return Error::NotFound("team '" + id + "' does not exist", "team", id, "team");
  }
  Scorecard s = ScoreOf(ws, rollup, PeopleOf(ws, id), period);
  s.id = id;
  s.name = it->name;
  return s;
}

Result<std::vector<Scorecard>> Leaderboard(const Workspace& ws, const Rollup& rollup,
                                           const std::string& team,
                                           const std::optional<ScorePeriod>& period) {
  if (!team.empty() && !TeamExists(ws, team)) {
    return Error::NotFound("team '" + team + "' does not exist", "team", team, "team");
  }
  const std::unordered_set<std::string> members = PeopleOf(ws, team);
  std::vector<Scorecard> out;
  for (const Person& p : ws.people) {
    if (members.count(p.id) == 0) continue;
    Scorecard s = ScoreOf(ws, rollup, {p.id}, period);
    s.id = p.id;
    s.name = p.name;
    out.push_back(std::move(s));
  }
  std::sort(out.begin(), out.end(), [](const Scorecard& a, const Scorecard& b) {
    if (a.points != b.points) return a.points > b.points;
    if (a.streak != b.streak) return a.streak > b.streak;
    return a.id < b.id;
  });
  for (size_t i = 0; i < out.size(); ++i) {
    out[i].rank =
        i > 0 && out[i].points == out[i - 1].points ? out[i - 1].rank : static_cast<int>(i) + 1;
  }
  return out;
}

}  // namespace cascade
