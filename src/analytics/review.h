// The review cadence (spec §2, Review): the agenda of a review meeting as of a date — what needs
// attention, what to celebrate and what moved since the last recorded review — and the record a
// review leaves behind (its date, notes and every goal's progress).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/error.h"
#include "core/lint.h"
#include "core/model.h"
#include "core/rollup.h"

namespace cascade {

struct GoalGap {
  int goal = 0;    // position in Workspace::goals
  double gap = 0;  // expected − progress
};

struct StaleKpi {
  int kpi = 0;         // position in Workspace::kpis
  int days_since = 0;  // t − (last check-in, else the goal's start)
};

struct ProgressChange {
  int goal = 0;
  std::optional<double> before;  // progress in the last recorded review; null without one
  std::optional<double> after;   // progress now
  std::optional<double> change;  // after − before; null when either is null
  std::string status_before;     // "" without a last review or when the goal was not in it
};

// A goal whose owner's judgement and numbers differ (spec §2 "Confidence").
struct Disagreement {
  int goal = 0;
  int disagreement = 0;  // |rank(status) - rank(confidence)|: 1 or 2
  Confidence confidence = Confidence::kNone;
  GoalStatus status = GoalStatus::kOnTrack;
  std::string author;  // the judging check-in's author as people read it: the person's name
  // In words a meeting can use: "Dana Lee says on track; the numbers say off track".
  std::string text;
};

// The agenda. Positions refer to the Workspace it was built from, which must outlive it.
struct ReviewAgenda {
  Date as_of;
  std::string team;                  // "" = the whole workspace
  std::optional<int> since;          // position in Workspace::reviews of the last recorded review
  std::vector<GoalGap> off_track;    // largest gap first (ties: cascade order)
  std::vector<GoalGap> at_risk;      // largest gap first
  std::vector<int> missed;           // cascade order
  std::vector<StaleKpi> stale;       // cascade order of their goals
  std::vector<int> achieved;         // achieved now, not yet in the last review (all without one)
  std::vector<Finding> lint_errors;  // severity error only
  std::vector<ProgressChange> changes;  // every goal in scope, cascade order
  std::vector<int> comments;  // positions in Workspace::comments dated after the last review, ≤ t,
                              // oldest first (the order made for the same day); kind comment
  std::vector<int> lessons;   // the same, of kind lesson or decision
  std::vector<Disagreement> disagreements;  // largest first (ties: cascade order)
  // Actions of the goals in scope overdue as of t (not done, due before t; spec §2), positions in
  // Workspace::actions, oldest due date first (ties: the order made).
  std::vector<int> overdue_actions;
};

// "on track", "at risk", "off track" (spec §2 statuses and confidences in words).
std::string TrackWords(std::string_view status_or_confidence);

// The disagreement of goal position `g` when it has one (rollup.goals[g].disagrees): its words
// name the author of the judging check-in by their person's name (the id when not a person, "A
// check-in" when it has no author, or none was loaded).
std::optional<Disagreement> DisagreementOf(const Workspace& ws, const Rollup& rollup, int g);

// The last recorded review an agenda for `team` compares with: the latest (by date, then the order
// recorded) dated ≤ as_of that covers the team — one of the whole workspace, of the team, or of a
// team above it. Without a team, the latest review of any team. Null when there is none.
std::optional<int> LastReview(const Workspace& ws, const std::string& team, Date as_of);

// The agenda as of rollup.as_of over the goals of `team` and its sub-teams ("" = every goal).
// With `goals` (one entry per goal of `ws`, as MatchGoals gives: `report`'s filters), only the
// goals marked 1 among those, and no workspace-wide lint error. Refuses an unknown team
// (kNotFound).
Result<ReviewAgenda> BuildReviewAgenda(const Workspace& ws, const Rollup& rollup,
                                       const std::string& team,
                                       const std::vector<char>* goals = nullptr);

// The record of a review held as of rollup.as_of: date, team, notes and every goal's progress and
// status (the whole workspace, so any later agenda can compare with it). seq is 0 until stored.
Review SnapshotReview(const Workspace& ws, const Rollup& rollup, const std::string& team,
                      const std::string& notes);

}  // namespace cascade
