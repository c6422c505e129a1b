// Recognition (spec §2): points, check-in streaks and scorecards, deterministic from the data, so
// a leaderboard is something a team can check by hand.
//
// Points: an owner earns 10 × weight for each achieved micro goal they own, 50 × weight for each
// achieved macro goal, and 1 for each check-in (dated ≤ t) they author. A goal's contributors are
// credited as its owner is: below, "the goals a person owns" are those they own or contribute to
// (achieved, missed, points, mean progress, KPIs and streak alike). Only the counts tell them
// apart: goals_owned are the goals whose owner they are (spec §2 "goals owned"),
// goals_contributed those they contribute to without owning.
//
// Streak: over the live KPIs a person owns — a KPI's owner is its goal's owner, and a KPI is live
// while its goal's status expects check-ins (on track, at risk, off track or unscheduled: the
// statuses in which a KPI can go stale) — with c the shortest cadence_days among them, the
// tightest rhythm they signed up for, period k (k = 0, 1, …) covers the days
// (t − (k+1)·c, t − k·c]. The streak is the number of consecutive periods from k = 0 in which one
// of those KPIs got a check-in (by anyone); 0 for a person without a live KPI. For a team, the
// same over the live KPIs all its people own. Goals that are over (achieved, missed) or not yet
// started expect no check-ins, so their cadence does not set the rhythm.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/model.h"
#include "core/rollup.h"

namespace cascade {

// An appraisal period [from, to] (spec §2 "Recognition", `scorecard --from --to`): achieved counts
// the goals whose achieved_on falls in it, missed those missed as of t and due in it, points their
// achievement points and the check-ins authored in it; the other fields stay as of t.
struct ScorePeriod {
  Date from;
  Date to;
};

struct Scorecard {
  std::string id;  // the person's or the team's id
  std::string name;
  int goals_owned = 0;        // active goals the person (a person of the team) owns
  int goals_contributed = 0;  // active goals they contribute to and none of them owns
  int achieved = 0;
  int missed = 0;
  std::optional<double> mean_progress;   // over owned goals with a progress; null when none
  int kpis = 0;                          // KPIs of the owned goals
  std::optional<double> kpis_not_stale;  // share of those KPIs not stale; null when none
  int checkins = 0;                      // check-ins authored, dated ≤ t
  double goal_points = 0;                // from achieved goals
  double points = 0;                     // goal_points + checkins
  int streak = 0;
  int streak_cadence_days = 0;  // c, the length of a streak period; 0 without a live KPI
  int rank = 0;                 // on a leaderboard: 1 + the number of people with more points
};

// The scorecard of person `id` as of rollup.as_of; kNotFound for an unknown person.
Result<Scorecard> PersonScorecard(const Workspace& ws, const Rollup& rollup, const std::string& id,
                                  const std::optional<ScorePeriod>& period = std::nullopt);

// The scorecard of team `id`: the goals, check-ins and KPIs of the people of the team and its
// sub-teams together. kNotFound for an unknown team.
Result<Scorecard> TeamScorecard(const Workspace& ws, const Rollup& rollup, const std::string& id,
                                const std::optional<ScorePeriod>& period = std::nullopt);

// Every person's scorecard ("" = all people) or those of the people of `team` and its sub-teams,
// by points (most first), then streak (longest first), then id; `rank` shares places on ties of
// points. kNotFound for an unknown team.
Result<std::vector<Scorecard>> Leaderboard(const Workspace& ws, const Rollup& rollup,
                                           const std::string& team = {},
                                           const std::optional<ScorePeriod>& period = std::nullopt);

// The period of `scorecard --from --to` (?from=&to=): nullopt when neither is given. Refuses
// (kInvalid, naming the field as `from_name` or `to_name` spell it) one without the other and
// from after to.
Result<std::optional<ScorePeriod>> MakeScorePeriod(const std::optional<Date>& from,
                                                   const std::optional<Date>& to,
                                                   const std::string& from_name = "from",
                                                   const std::string& to_name = "to");

// The streak over the check-in dates of live KPIs with cadence `cadence_days` as of `as_of`
// (dates after as_of are ignored).
int CheckinStreak(const std::vector<Date>& dates, int cadence_days, Date as_of);

}  // namespace cascade
