// Refusal at entry (spec §2, last paragraph of Lint): the input that can never be right.
// Every command that writes validates the whole workspace it would leave behind, so nothing invalid
// is ever stored.
#pragma once

#include <cstddef>
#include <string>

#include "core/error.h"
#include "core/model.h"

namespace cascade {

// All the problems of `ws`, each an Error with kind, id and field set, in entity order; empty when
// the workspace is valid. Checks: ids are slugs and unique per kind; every reference (team parent,
// person team, goal parent/owner/team, KPI goal, check-in KPI/author, action goal/owner/depends_on,
// funnel stages, experiment goal, goal contributors and supports) exists; no cycles in the goal
// tree or team tree; a micro goal has no macro child; a goal's contributors and supports name
// each id once, and it supports no goal of its own line (itself, its parent, its ancestors or
// descendants); enums are valid; weight > 0; growth_potential ≥ 0; 0 ≤ budget_min ≤ budget_max;
// due ≥ start (effective start); level/cumulative/formula target ≠ baseline; a relative target
// ("+10%") well formed, on a level, cumulative or formula KPI with a non-zero baseline; a formula
// KPI's formula parses, reads existing KPIs and not itself through other formulas, and no other
// kind has one; benchmark_for names another KPI that is no benchmark; no check-in on a formula
// KPI; every spend record and comment on an existing goal; threshold KPIs have a
// direction; milestone KPIs have baseline 0 (or none) and target 1 and values 0 or 1;
// cadence_days ≥ 1; every number finite and within ±kLargestValue; every date within
// kFirstEntryDate … kLastEntryDate (core/date.h); experiment counts 0 ≤ conversions ≤ visitors,
// visitors > 0; every text (names, titles, notes, comments, …) well-formed UTF-8 and within the
// bounds below; goal and action titles and comment texts not empty or only spaces, names not only
// spaces.
Errors ValidateWorkspace(const Workspace& ws);

// The checks ValidateWorkspace makes of one record, for the named operations (core/operations.h)
// that validate only what they add: the one copy of each rule. ValidateWorkspace reports, for all
// check-ins, ValidateCheckin's errors before any of ValidateCheckinText's, and for all comments
// ValidateCommentDate's before ValidateCommentText's; each appends to `errors`.
// A check-in's KPI (`kpi`, nullptr when none has its id), date, value (a milestone's 0 or 1):
void ValidateCheckin(const Checkin& c, const Kpi* kpi, Errors& errors);
// A check-in's note and author: UTF-8 and bounded.
void ValidateCheckinText(const Checkin& c, Errors& errors);
// A comment's date lies in the entry range.
void ValidateCommentDate(const Comment& c, Errors& errors);
// A comment's text (not blank) and author: UTF-8 and bounded.
void ValidateCommentText(const Comment& c, Errors& errors);
// A recorded review's date lies in the entry range (ValidateWorkspace: with the comments' dates).
void ValidateReviewDate(const Review& r, Errors& errors);
// A recorded review's notes: UTF-8 and bounded (with the comments' texts).
void ValidateReviewText(const Review& r, Errors& errors);
// A spend record: its goal exists (`goal_exists`), its date lies in the entry range, its amount is
// a non-zero entry value (negative: a refund or a correction), its note and author UTF-8 and
// bounded. Stops at the first problem.
void ValidateSpend(const Spend& s, bool goal_exists, Errors& errors);

// Spec §2: an action cannot be marked done while one it depends on is open. For each action that
// `after` holds done and `before` does not (new, or open there), an Error (kConflict, kind
// `action`, its id, field `done`) naming the actions it depends on that are open in `after`. A
// transition rule, not a state one: a workspace stored before the rule existed keeps working.
Errors ValidateActionsDone(const Workspace& before, const Workspace& after);
// Spec §1: a formula KPI takes no check-ins. For each KPI `before` holds of another kind that
// `after` makes a formula while `after` holds check-ins of it, one Error (kInvalid, kind `kpi`,
// its id, field `kind`) naming the KPI and how many check-ins it has, instead of one refusal per
// check-in from ValidateWorkspace. Call it first.
Errors ValidateKindChanges(const Workspace& before, const Workspace& after);
// The same for one action about to be marked done in `ws`: the open actions it depends on, as
// the message ValidateActionsDone gives ("" when none is open).
std::string OpenDependencies(const Action& action, const Workspace& ws,
                             const WorkspaceIndex& index);

// The longest text a field holds, in characters (spec §10: sizes are bounded). Names, titles,
// emails, units, channels and tags:
inline constexpr size_t kMaxNameChars = 200;
// Descriptions, check-in notes, comments and review notes:
inline constexpr size_t kMaxTextChars = 10000;

// The largest magnitude an entered number may have (check-in values, baselines, targets, weights,
// budgets, growth potentials): 1e15, a quadrillion, beyond any KPI or budget. It keeps every sum,
// square and product the formulas take finite, so no computation meets an infinity.
inline constexpr double kLargestValue = 1e15;

// True when `v` is finite and within ±kLargestValue.
bool IsEntryValue(double v);

// "between -1e15 and 1e15": the bound, as every refusal of a number outside it states it.
std::string EntryValueRangeText();

// A number in a refusal, as a marketer would write it: 0.5, 1000, 1e+20 (ten significant digits);
// NaN and infinities spelled out. Every refusal that quotes a number writes it so.
std::string RefusalNumber(double v);

}  // namespace cascade
