#include "core/model.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <system_error>
#include <utility>

namespace cascade {
namespace {

template <typename E, size_t N>
std::optional<E> Lookup(const std::array<std::pair<E, std::string_view>, N>& table,
                        std::string_view s) {
  for (const auto& [value, name] : table) {
    if (name == s) return value;
  }
  return std::nullopt;
}

template <typename E, size_t N>
std::string_view Name(const std::array<std::pair<E, std::string_view>, N>& table, E v) {
  for (const auto& [value, name] : table) {
    if (value == v) return name;
  }
  return "";
}

constexpr std::array<std::pair<Level, std::string_view>, 2> kLevels{
    {{Level::kMacro, "macro"}, {Level::kMicro, "micro"}}};
constexpr std::array<std::pair<GoalState, std::string_view>, 3> kStates{
    {{GoalState::kActive, "active"}, {GoalState::kDraft, "draft"},
     {GoalState::kCancelled, "cancelled"}}};
constexpr std::array<std::pair<Priority, std::string_view>, 3> kPriorities{
    {{Priority::kHigh, "high"}, {Priority::kMedium, "medium"}, {Priority::kLow, "low"}}};
constexpr std::array<std::pair<Stage, std::string_view>, 5> kStages{
    {{Stage::kNone, ""},
     {Stage::kAwareness, "awareness"},
     {Stage::kConsideration, "consideration"},
     {Stage::kConversion, "conversion"},
     {Stage::kRetention, "retention"}}};
constexpr std::array<std::pair<KpiKind, std::string_view>, 5> kKinds{
    {{KpiKind::kLevel, "level"},
     {KpiKind::kCumulative, "cumulative"},
     {KpiKind::kMilestone, "milestone"},
     {KpiKind::kThreshold, "threshold"},
     {KpiKind::kFormula, "formula"}}};
constexpr std::array<std::pair<Direction, std::string_view>, 3> kDirections{
    {{Direction::kNone, ""}, {Direction::kAbove, "above"}, {Direction::kBelow, "below"}}};
constexpr std::array<std::pair<Role, std::string_view>, 4> kRoles{
    {{Role::kAdmin, "admin"}, {Role::kLead, "lead"}, {Role::kMember, "member"},
     {Role::kViewer, "viewer"}}};

constexpr std::array<std::pair<Confidence, std::string_view>, 4> kConfidences{
    {{Confidence::kNone, ""},
     {Confidence::kOnTrack, "on_track"},
     {Confidence::kAtRisk, "at_risk"},
     {Confidence::kOffTrack, "off_track"}}};
constexpr std::array<std::pair<CommentKind, std::string_view>, 3> kCommentKinds{
    {{CommentKind::kComment, "comment"},
     {CommentKind::kLesson, "lesson"},
     {CommentKind::kDecision, "decision"}}};

}  // namespace

std::string_view ToString(Level v) { return Name(kLevels, v); }
std::string_view ToString(GoalState v) { return Name(kStates, v); }
std::string_view ToString(Priority v) { return Name(kPriorities, v); }
std::string_view ToString(Stage v) { return Name(kStages, v); }
std::string_view ToString(KpiKind v) { return Name(kKinds, v); }
std::string_view ToString(Direction v) { return Name(kDirections, v); }
std::string_view ToString(Role v) { return Name(kRoles, v); }
std::optional<Level> ParseLevel(std::string_view s) { return Lookup(kLevels, s); }
std::optional<GoalState> ParseGoalState(std::string_view s) { return Lookup(kStates, s); }
std::optional<Priority> ParsePriority(std::string_view s) { return Lookup(kPriorities, s); }
std::optional<Stage> ParseStage(std::string_view s) { return Lookup(kStages, s); }
std::optional<KpiKind> ParseKpiKind(std::string_view s) { return Lookup(kKinds, s); }
std::optional<Direction> ParseDirection(std::string_view s) { return Lookup(kDirections, s); }
std::optional<Role> ParseRole(std::string_view s) { return Lookup(kRoles, s); }
std::string_view ToString(Confidence v) { return Name(kConfidences, v); }
std::string_view ToString(CommentKind v) { return Name(kCommentKinds, v); }
std::optional<Confidence> ParseConfidence(std::string_view s) { return Lookup(kConfidences, s); }
std::string_view ToString(CycleState v) { return v == CycleState::kClosed ? "closed" : "open"; }
std::optional<CycleState> ParseCycleState(std::string_view s) {
  if (s == "open") return CycleState::kOpen;
  if (s == "closed") return CycleState::kClosed;
  return std::nullopt;
}
std::optional<CommentKind> ParseCommentKind(std::string_view s) {
  return Lookup(kCommentKinds, s);
}

bool IsValidId(std::string_view id) {
  if (id.empty() || id.size() > kMaxIdLength) return false;
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!alnum(id[0])) return false;
  for (char c : id.substr(1)) {
    if (!alnum(c) && c != '_' && c != '-') return false;
  }
  return true;
}

namespace {

// The signed percent of a relative target: "+10%" → 10, "-5%" → -5, "+12.5%" → 12.5.
std::optional<double> RelativePercent(std::string_view written) {
  if (written.size() < 3 || written.size() > 24 || (written[0] != '+' && written[0] != '-') ||
      written.back() != '%') {
    return std::nullopt;
  }
  const std::string_view digits = written.substr(1, written.size() - 2);
  if (digits.front() == '.' || digits.back() == '.' ||
      std::count(digits.begin(), digits.end(), '.') > 1 ||
      !std::all_of(digits.begin(), digits.end(),
                   [](char c) { return (c >= '0' && c <= '9') || c == '.'; })) {
    return std::nullopt;
  }
  double percent = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), percent);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return written[0] == '-' ? -percent : percent;
}

}  // namespace

std::optional<double> ParseRelativeTarget(std::string_view written) {
  const auto percent = RelativePercent(written);
  if (!percent) return std::nullopt;
  return 1 + *percent / 100;
}

void ResolveRelativeTarget(Kpi& k) {
  if (k.target_written.empty() || !k.baseline || *k.baseline == 0) return;
  const auto percent = RelativePercent(k.target_written);
  if (!percent) return;
  // b + b·p/100 rather than b·(1 + p/100): 120 at +10% is exactly 132, not 132.00000000000003.
  k.target = *k.baseline + *k.baseline * *percent / 100;
}

namespace {

// Each kind's vector of `ws`, in WorkspaceIndex's order of kinds.
template <typename F>
void ForEachKind(const Workspace& ws, F f) {
  f(0, ws.teams);
  f(1, ws.people);
  f(2, ws.goals);
  f(3, ws.kpis);
  f(4, ws.actions);
  f(5, ws.funnels);
  f(6, ws.experiments);
  f(7, ws.cycles);
}

}  // namespace

WorkspaceIndex::WorkspaceIndex(const Workspace& ws) {
  ForEachKind(ws, [this](size_t kind, const auto& items) {
    Map& m = maps_[kind];
    m.reserve(items.size());
    for (size_t i = 0; i < items.size(); ++i) m.emplace(items[i].id, static_cast<int>(i));
    sizes_[kind] = items.size();
  });
}

WorkspaceIndex::WorkspaceIndex(std::shared_ptr<const WorkspaceIndex> before, const Workspace& ws,
                               const Removed& removed)
    : base_(before->base_ ? before->base_ : before),
      removed_(before->removed_),
      added_(before->added_) {
  ForEachKind(ws, [&](size_t kind, const auto& items) {
    const std::vector<int>& gone = removed[kind];
    if (!gone.empty()) {
      // `before`'s positions: its live base entries first, in base order, then those added.
      const std::vector<int>& was_removed = before->removed_[kind];
      const size_t base_live = base_->sizes_[kind] - was_removed.size();
      OwnMap& added = added_[kind];
      for (const int q : gone) {
        if (static_cast<size_t>(q) < base_live) {
          int b = q;  // the base position of the q-th live base entry
          for (const int r : was_removed) {
            if (r > b) break;
            ++b;
          }
          removed_[kind].push_back(b);
        } else {
          std::erase_if(added, [q](const auto& entry) { return entry.second == q; });
        }
      }
      std::sort(removed_[kind].begin(), removed_[kind].end());
      for (auto& entry : added) {
        entry.second -= static_cast<int>(std::lower_bound(gone.begin(), gone.end(), entry.second) -
                                         gone.begin());
      }
    }
    for (size_t i = before->sizes_[kind] - gone.size(); i < items.size(); ++i) {
      added_[kind].emplace(items[i].id, static_cast<int>(i));
    }
    sizes_[kind] = items.size();
  });
}

size_t WorkspaceIndex::added() const {
  size_t n = 0;
  for (const OwnMap& a : added_) n += a.size();
  for (const std::vector<int>& r : removed_) n += r.size();
  return n;
}

OwnDates GoalOwnDates(const Goal& goal, const Cycle* cycle) {
  OwnDates out{goal.start, goal.due};
  if (cycle) {
    if (!out.start) out.start = cycle->start;
    if (!out.due) out.due = cycle->end;
  }
  return out;
}

}  // namespace cascade
