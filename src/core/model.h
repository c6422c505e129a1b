// The entities of a Cascade workspace (spec §1) as plain values. A Workspace is everything the
// computations need; storage loads one, the plan reader builds one, the core only reads them.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/cow_vector.h"
#include "core/date.h"

namespace cascade {

enum class Level { kMacro, kMicro };
enum class GoalState { kActive, kDraft, kCancelled };
enum class Priority { kHigh, kMedium, kLow };
enum class Stage { kNone, kAwareness, kConsideration, kConversion, kRetention };
enum class KpiKind { kLevel, kCumulative, kMilestone, kThreshold, kFormula };
enum class Direction { kNone, kAbove, kBelow };  // only threshold KPIs hold a line
enum class Role { kAdmin, kLead, kMember, kViewer };
// A check-in author's judgement of the goal (spec §2 "Confidence"); kNone = none given.
enum class Confidence { kNone, kOnTrack, kAtRisk, kOffTrack };
enum class CommentKind { kComment, kLesson, kDecision };
enum class CycleState { kOpen, kClosed };

// Spellings used in plan files, JSON and the database. Parse returns nullopt on anything else.
std::string_view ToString(Level v);
std::string_view ToString(GoalState v);
std::string_view ToString(Priority v);
std::string_view ToString(Stage v);  // "" for kNone
std::string_view ToString(KpiKind v);
std::string_view ToString(Direction v);  // "" for kNone
std::string_view ToString(Role v);
std::string_view ToString(Confidence v);  // "" for kNone
std::string_view ToString(CommentKind v);
std::string_view ToString(CycleState v);
std::optional<Level> ParseLevel(std::string_view s);
std::optional<GoalState> ParseGoalState(std::string_view s);
std::optional<Priority> ParsePriority(std::string_view s);
std::optional<Stage> ParseStage(std::string_view s);  // "" parses to kNone
std::optional<KpiKind> ParseKpiKind(std::string_view s);
std::optional<Direction> ParseDirection(std::string_view s);  // "" parses to kNone
std::optional<Role> ParseRole(std::string_view s);
std::optional<Confidence> ParseConfidence(std::string_view s);  // "" parses to kNone
std::optional<CommentKind> ParseCommentKind(std::string_view s);
std::optional<CycleState> ParseCycleState(std::string_view s);

// The longest id.
constexpr size_t kMaxIdLength = 64;
// `[a-z0-9][a-z0-9_-]{0,63}`
bool IsValidId(std::string_view id);

// A target written relative to the baseline, "+10%" or "-5%" (a sign, a number, '%'): the factor
// it multiplies the baseline by (1.10, 0.95); nullopt for any other text.
std::optional<double> ParseRelativeTarget(std::string_view written);

// `version` counts updates (optimistic concurrency); 0 for an entity not yet stored.
struct Team {
  std::string id;
  std::string name;
  std::string parent;  // "" = top of the org chart
  int64_t version = 0;
  bool operator==(const Team&) const = default;
};

struct Person {
  std::string id;
  std::string name;
  std::string email;
  std::string team;
  Role role = Role::kMember;
  int64_t version = 0;
  bool operator==(const Person&) const = default;
};

struct Goal {
  std::string id;
  std::string title;
  std::string description;
  Level level = Level::kMicro;
  std::string parent;  // "" = a root of the cascade
  std::string owner;   // "" = no owner (lint S1)
  std::vector<std::string> contributors;  // people who share the owner's accountability
  std::string team;
  std::string cycle;          // the planning period it belongs to ("" = none); not inherited
  std::optional<Date> start;  // as entered; the effective start inherits from the parent
  std::optional<Date> due;
  double weight = 1;
  Priority priority = Priority::kMedium;
  double growth_potential = 0;
  double budget_min = 0;
  std::optional<double> budget_max;  // nullopt = unbounded
  std::string channel;
  std::string segment;  // the audience, a free tag like channel ("" = none)
  Stage stage = Stage::kNone;
  GoalState state = GoalState::kActive;
  std::vector<std::string> tags;
  std::vector<std::string> supports;  // other goals it also serves beyond its parent; never rolled up
  int64_t version = 0;
  bool operator==(const Goal&) const = default;
};

struct Kpi {
  std::string id;
  std::string goal;
  std::string name;
  std::string unit;
  KpiKind kind = KpiKind::kLevel;
  std::optional<double> baseline;  // as entered; 0 is assumed for level/cumulative/milestone
  double target = 0;  // the number, a relative target resolved (see ResolveRelativeTarget)
  // The target as written when it is relative to the baseline ("+10%", "-5%"); "" when `target`
  // was given as a number. Kept so plans export it as written and a new baseline re-resolves it.
  std::string target_written;
  Direction direction = Direction::kNone;
  double weight = 1;
  int cadence_days = 7;
  std::string source;
  std::string formula;        // kind formula: "{customers} / {leads} * 100" as written; else ""
  std::string benchmark_for;  // a reference series for that KPI's id; "" = a KPI that counts
  int64_t version = 0;
  bool operator==(const Kpi&) const = default;

  // The baseline the formulas use: as entered, else 0 (null only for a threshold KPI without one).
  std::optional<double> effective_baseline() const {
    if (baseline || kind == KpiKind::kThreshold) return baseline;
    return 0.0;
  }
};

// Sets `k.target` to the baseline times the factor of `k.target_written` when that is a relative
// target and the baseline is given and not 0; otherwise leaves `k` as it is (validation refuses a
// relative target it cannot resolve). Every edit that may change a baseline calls it.
void ResolveRelativeTarget(Kpi& k);

struct Checkin {
  std::string kpi;
  Date date;
  double value = 0;
  std::string note;
  std::string author;
  int64_t seq = 0;  // order recorded (the database's row id); 0 before it is stored
  Confidence confidence = Confidence::kNone;
  bool operator==(const Checkin&) const = default;
};

struct Action {
  std::string id;
  std::string goal;
  std::string title;
  std::string owner;
  std::optional<Date> due;
  bool done = false;
  std::vector<std::string> depends_on;
  int64_t version = 0;
  bool operator==(const Action&) const = default;
};

struct Funnel {
  std::string id;
  std::string name;
  std::vector<std::string> stages;  // KPI ids, top of the funnel first
  int64_t version = 0;
  bool operator==(const Funnel&) const = default;
};

struct Arm {
  int64_t visitors = 0;
  int64_t conversions = 0;
  bool operator==(const Arm&) const = default;
};

struct Experiment {
  std::string id;
  std::string goal;
  std::string name;
  Arm control;
  Arm variant;
  int64_t version = 0;
  bool operator==(const Experiment&) const = default;
};

struct Comment {
  int64_t seq = 0;
  std::string goal;
  std::string author;
  Date date;
  std::string text;
  CommentKind kind = CommentKind::kComment;
  bool operator==(const Comment&) const = default;
};

// Money spent on a goal (spec §1); a negative amount is a refund or correction. Addressed by seq,
// as check-ins are.
struct Spend {
  int64_t seq = 0;
  std::string goal;
  Date date;
  double amount = 0;
  std::string note;
  std::string author;
  bool operator==(const Spend&) const = default;
};

struct ReviewEntry {
  std::string goal;
  std::optional<double> progress;
  std::string status;
  bool operator==(const ReviewEntry&) const = default;
};

struct Review {
  int64_t seq = 0;
  Date date;
  std::string team;
  std::string notes;
  std::vector<ReviewEntry> snapshot;
  bool operator==(const Review&) const = default;
};

// A planning period (spec §1, §2 "Cycles"): its goals take its dates unless they set their own;
// a closed cycle's goals change only after it is reopened.
struct Cycle {
  std::string id;
  std::string name;
  Date start;
  Date end;
  CycleState state = CycleState::kOpen;
  int64_t version = 0;
  bool operator==(const Cycle&) const = default;
};

// A goal's own dates as the roll-up starts from them (spec §2 "Details"): its start, else its
// cycle's start (the parent's effective start comes after, in the roll-up); its due, else its
// cycle's end. `cycle` is the goal's cycle or nullptr. The one place this rule lives.
struct OwnDates {
  std::optional<Date> start;
  std::optional<Date> due;
};
OwnDates GoalOwnDates(const Goal& goal, const Cycle* cycle);

// Everything in one workspace. Vectors keep creation order (the order `status` lists siblings in);
// check-ins are in the order they were recorded. A copy shares the entities' chunks (CowVector):
// the server's snapshots copy a workspace after each write.
struct Workspace {
  CowVector<Team> teams;
  CowVector<Person> people;
  CowVector<Goal> goals;
  CowVector<Kpi> kpis;
  std::vector<Checkin> checkins;  // a snapshot of the server keeps them per KPI instead
  CowVector<Action> actions;
  CowVector<Funnel> funnels;
  CowVector<Experiment> experiments;
  CowVector<Comment> comments;
  CowVector<Review> reviews;
  CowVector<Spend> spend;  // in the order recorded
  CowVector<Cycle> cycles;
};

// Id → position lookups over a Workspace, built once per computation. The Workspace must outlive it
// and must not change while it is in use.
class WorkspaceIndex {
 public:
  explicit WorkspaceIndex(const Workspace& ws);
  // The index of `ws`, a workspace that holds every entity `before` was built on at its place and
  // more after them (created since): shares `before`'s tables (whose keys are views of the ids of
  // the workspace `before` was built on, which must outlive this index too) and holds the ids
  // added since as strings of its own. Time in the entities added since that base was built.
  //
  // With `removed`: `ws` holds `before`'s entities but those at the positions `removed` lists (per
  // kind, in kind order, each ascending), the others in their order, then those created. Lookups
  // then also skip the removed and count the removed before them: O(log removed).
  enum Kind { kTeams, kPeople, kGoals, kKpis, kActions, kFunnels, kExperiments, kCycles, kKinds };
  using Removed = std::array<std::vector<int>, kKinds>;
  WorkspaceIndex(std::shared_ptr<const WorkspaceIndex> before, const Workspace& ws,
                 const Removed& removed = {});
  // Position in the matching vector, or -1.
  int team(std::string_view id) const { return Find(kTeams, id); }
  int person(std::string_view id) const { return Find(kPeople, id); }
  int goal(std::string_view id) const { return Find(kGoals, id); }
  int kpi(std::string_view id) const { return Find(kKpis, id); }
  int action(std::string_view id) const { return Find(kActions, id); }
  int funnel(std::string_view id) const { return Find(kFunnels, id); }
  int experiment(std::string_view id) const { return Find(kExperiments, id); }
  int cycle(std::string_view id) const { return Find(kCycles, id); }
  // Ids added or removed on top of a shared base (0 for an index built whole).
  size_t added() const;

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using Map = std::unordered_map<std::string_view, int>;
  using OwnMap = std::unordered_map<std::string, int, Hash, std::equal_to<>>;
  int Find(Kind kind, std::string_view id) const {
    // Added first: an id removed and created again is there, and among the base's removed.
    if (const OwnMap& a = added_[kind]; !a.empty()) {
      if (auto it = a.find(id); it != a.end()) return it->second;
    }
    const Map& m = (base_ ? *base_ : *this).maps_[kind];
    auto it = m.find(id);
    if (it == m.end()) return -1;
    const std::vector<int>& r = removed_[kind];
    if (r.empty()) return it->second;
    auto at = std::lower_bound(r.begin(), r.end(), it->second);
    if (at != r.end() && *at == it->second) return -1;
    return it->second - static_cast<int>(at - r.begin());
  }
  std::array<Map, kKinds> maps_;         // built whole (empty when on a base)
  std::shared_ptr<const WorkspaceIndex> base_;  // built whole
  Removed removed_;                      // the base's positions removed since, ascending
  std::array<OwnMap, kKinds> added_;     // ids past the base's, at their positions now
  std::array<size_t, kKinds> sizes_{};   // of the workspace indexed
};

}  // namespace cascade
