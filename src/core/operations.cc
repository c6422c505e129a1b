#include "core/operations.h"

#include <algorithm>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "core/cycles.h"
#include "core/formula.h"
#include "core/incremental_rollup.h"
#include "core/validate.h"

namespace cascade {
namespace {

std::string Q(std::string_view id) { return "'" + std::string(id) + "'"; }

// What AuthorizeChanges reads of the workspace for a change that touches `goals`: every team (the
// lead's sub-teams), those goals and their ancestors (who holds a goal is decided up its chain)
// and `kpis`. The rules' answers on it are those on the whole workspace: they look goals and KPIs
// up only by id, and only these.
Workspace RightsScope(const OperationContext& at, const std::vector<std::string_view>& goals,
                      const std::vector<std::string_view>& kpis) {
  Workspace scope;
  scope.teams = at.ws.teams;
  std::unordered_set<std::string_view> seen;
  for (std::string_view id : goals) {
    for (size_t steps = 0; steps <= at.ws.goals.size() && seen.insert(id).second; ++steps) {
      const int g = at.index.goal(id);
      if (g < 0) break;
      const Goal& goal = at.ws.goals[static_cast<size_t>(g)];
      scope.goals.push_back(goal);
      if (goal.parent.empty()) break;
      id = goal.parent;
    }
  }
  std::unordered_set<std::string_view> seen_kpis;
  for (std::string_view id : kpis) {
    const int k = at.index.kpi(id);
    if (k >= 0 && seen_kpis.insert(id).second) scope.kpis.push_back(at.ws.kpis[static_cast<size_t>(k)]);
  }
  return scope;
}

// `changes` when `at.who` may make them (the command line may make any).
Result<ChangeSet> Authorized(const OperationContext& at, ChangeSet changes,
                             const std::vector<std::string_view>& goals,
                             const std::vector<std::string_view>& kpis) {
  if (auto r = CheckClosedCycles(at.ws, changes); !r) return r.error();
  if (at.who == nullptr || at.who->role == Role::kAdmin) return changes;
  if (auto r = AuthorizeChanges(RightsScope(at, goals, kpis), changes, *at.who); !r) {
    return r.error();
  }
  return changes;
}

// The position of entity `id` in `items` (through `found`, the index's answer), or the refusal
// every removal gives: not there, or (with `expected`) at another version than the caller read.
template <typename T>
Result<size_t> Addressed(const CowVector<T>& items, int found, const std::string& kind,
                         const std::string& id, std::optional<int64_t> expected) {
  if (found < 0) return Error::NotFound(kind + " " + Q(id) + " does not exist", kind, id, "id");
  const T& item = items[static_cast<size_t>(found)];
  if (expected && *expected != item.version) {
    return Error::Conflict(kind + " " + Q(id) + " was changed by someone else (it is at version " +
                               std::to_string(item.version) + "); reload it and try again",
                           kind, id, "version");
  }
  return static_cast<size_t>(found);
}

// The right to delete `item` alone (of goal `goal`, or a KPI, when given), checked before what
// stands in the way of deleting it: who may not delete it is told so, not told to change first
// what they could not change either.
template <typename T>
Result<void> MayDelete(const OperationContext& at, const T& item, std::string_view goal = {},
                       std::string_view kpi = {}) {
  if (at.who == nullptr || at.who->role == Role::kAdmin) return Ok();
  ChangeSet one;
  one.changes.push_back({EntityChange::Op::kDelete, Entity(item), std::nullopt});
  std::vector<std::string_view> goals, kpis;
  if (!goal.empty()) goals.push_back(goal);
  if (!kpi.empty()) kpis.push_back(kpi);
  // The rights alone (not Authorized's closed-cycle check first): "you may not" before "not now".
  return AuthorizeChanges(RightsScope(at, goals, kpis), one, *at.who);
}

// The deletes that take `gone` out of the workspace, in the order DiffWorkspaces gives them
// (children first, actions after those that depend on them): computed by it, on the entities
// removed alone.
ChangeSet Deletes(const Workspace& gone) { return DiffWorkspaces(gone, Workspace{}); }

// The funnel holding KPI `kpi` as a stage, or nullptr.
const Funnel* FunnelWithStage(const Workspace& ws, std::string_view kpi) {
  for (const Funnel& f : ws.funnels) {
    if (std::find(f.stages.begin(), f.stages.end(), kpi) != f.stages.end()) return &f;
  }
  return nullptr;
}

// A KPI outside goal `leaving` ("" = none) that reads KPI `kpi` (at `pos`) in its formula or is a
// benchmark for it, with what it does ("reads it in its formula", "is a benchmark for it"); nullptr
// if none. Removing `kpi` would leave it dangling, as ValidateWorkspace would say. The first such
// KPI in vector order; found in the links when no formula reads it.
std::pair<const Kpi*, const char*> KpiReferring(const OperationContext& at, size_t pos,
                                               std::string_view leaving) {
  const Workspace& ws = at.ws;
  const std::string_view kpi = ws.kpis[pos].id;
  if (at.links != nullptr && !at.links->formula_bound(pos)) {
    for (const int b : at.links->benchmarks(pos)) {
      const Kpi& k = ws.kpis[static_cast<size_t>(b)];
      if (k.id != kpi && (leaving.empty() || k.goal != leaving)) {
        return {&k, "is a benchmark for it"};
      }
    }
    return {nullptr, ""};
  }
  for (const Kpi& k : ws.kpis) {
    if (k.id == kpi || (!leaving.empty() && k.goal == leaving)) continue;
    if (k.benchmark_for == kpi) return {&k, "is a benchmark for it"};
    if (k.kind != KpiKind::kFormula) continue;
    auto f = Formula::Parse(k.formula);
    if (!f) continue;
    const auto& in = f->inputs();
    if (std::find(in.begin(), in.end(), kpi) != in.end()) return {&k, "reads it in its formula"};
  }
  return {nullptr, ""};
}

// How each kind of stored record is corrected: its name in messages, where the workspace and a
// ChangeSet keep it, what is checked of it, and the goals and KPIs whose rights it needs.
template <typename T>
struct RecordKind;
template <>
struct RecordKind<Checkin> {
  static constexpr const char* kLabel = "check-in";
  static constexpr const char* kKind = "checkin";
  static constexpr auto kRecords = &Workspace::checkins;
  static constexpr auto kChanges = &ChangeSet::checkin_changes;
  static void Validate(const OperationContext& at, const Checkin& c, Errors& errors) {
    const int k = at.index.kpi(c.kpi);
    ValidateCheckin(c, k < 0 ? nullptr : &at.ws.kpis[static_cast<size_t>(k)], errors);
    if (errors.empty()) ValidateCheckinText(c, errors);
  }
  static void Keep(const Checkin& before, Checkin& after) { after.kpi = before.kpi; }
  static std::pair<std::string_view, std::string_view> Reaches(const OperationContext& at,
                                                               const Checkin& c) {
    const int k = at.index.kpi(c.kpi);
    return {k < 0 ? std::string_view() : at.ws.kpis[static_cast<size_t>(k)].goal, c.kpi};
  }
};
template <>
struct RecordKind<Comment> {
  static constexpr const char* kLabel = "comment";
  static constexpr const char* kKind = "comment";
  static constexpr auto kRecords = &Workspace::comments;
  static constexpr auto kChanges = &ChangeSet::comment_changes;
  static void Validate(const OperationContext&, const Comment& c, Errors& errors) {
    ValidateCommentDate(c, errors);
    ValidateCommentText(c, errors);
  }
  static void Keep(const Comment& before, Comment& after) {
    after.goal = before.goal;
    after.author = before.author;
  }
  static std::pair<std::string_view, std::string_view> Reaches(const OperationContext&,
                                                               const Comment& c) {
    return {c.goal, {}};
  }
};
template <>
struct RecordKind<Spend> {
  static constexpr const char* kLabel = "spend";
  static constexpr const char* kKind = "spend";
  static constexpr auto kRecords = &Workspace::spend;
  static constexpr auto kChanges = &ChangeSet::spend_changes;
  static std::pair<std::string_view, std::string_view> Reaches(const OperationContext&,
                                                               const Spend& s) {
    return {s.goal, {}};
  }
};

// The stored record `seq` (as given) of `at.ws`, or the refusal naming it.
template <typename T>
Result<const T*> StoredRecord(const OperationContext& at, const std::string& seq) {
  for (const T& r : at.ws.*RecordKind<T>::kRecords) {
    if (std::to_string(r.seq) == seq) return &r;
  }
  return Error::NotFound(std::string(RecordKind<T>::kLabel) + " #" + seq + " does not exist",
                         RecordKind<T>::kKind, seq, "seq");
}

// The ChangeSet correcting or (no `after`) removing `before`, when `at.who` may make it.
template <typename T>
Result<ChangeSet> RecordChangeOf(const OperationContext& at, const T& before,
                                 std::optional<T> after) {
  ChangeSet changes;
  const bool same = after && *after == before;
  (changes.*RecordKind<T>::kChanges)
      .push_back({after ? EntityChange::Op::kUpdate : EntityChange::Op::kDelete, before,
                  std::move(after)});
  const auto [goal, kpi] = RecordKind<T>::Reaches(at, before);
  std::vector<std::string_view> goals, kpis;
  if (!goal.empty()) goals.push_back(goal);
  if (!kpi.empty()) kpis.push_back(kpi);
  auto allowed = Authorized(at, std::move(changes), goals, kpis);
  // A correction to what is stored writes nothing, once it is allowed.
  if (allowed && same) return ChangeSet{};
  return allowed;
}

template <typename T>
Result<ChangeSet> CorrectRecord(const OperationContext& at, const std::string& seq,
                                const std::function<Result<void>(T&)>& change) {
  auto stored = StoredRecord<T>(at, seq);
  if (!stored) return stored.error();
  const T& before = **stored;
  T after = before;
  if (auto r = change(after); !r) return r.error();
  RecordKind<T>::Keep(before, after);
  after.seq = before.seq;
  Errors errors;
  RecordKind<T>::Validate(at, after, errors);
  if (!errors.empty()) return errors.front();
  return RecordChangeOf(at, before, std::optional<T>(std::move(after)));
}

template <typename T>
Result<ChangeSet> RemoveRecord(const OperationContext& at, const std::string& seq) {
  auto stored = StoredRecord<T>(at, seq);
  if (!stored) return stored.error();
  return RecordChangeOf<T>(at, **stored, std::nullopt);
}

}  // namespace

Result<ChangeSet> CorrectCheckin(const OperationContext& at, const std::string& seq,
                                 const std::function<Result<void>(Checkin&)>& change) {
  return CorrectRecord(at, seq, change);
}
Result<ChangeSet> CorrectComment(const OperationContext& at, const std::string& seq,
                                 const std::function<Result<void>(Comment&)>& change) {
  return CorrectRecord(at, seq, change);
}
Result<ChangeSet> RemoveCheckin(const OperationContext& at, const std::string& seq) {
  return RemoveRecord<Checkin>(at, seq);
}
Result<ChangeSet> RemoveComment(const OperationContext& at, const std::string& seq) {
  return RemoveRecord<Comment>(at, seq);
}
Result<ChangeSet> RemoveSpend(const OperationContext& at, const std::string& seq) {
  return RemoveRecord<Spend>(at, seq);
}

Result<ChangeSet> AppendCheckins(const OperationContext& at, std::vector<Checkin> checkins) {
  Errors errors;
  for (Checkin& c : checkins) {
    c.seq = 0;
    const int k = at.index.kpi(c.kpi);
    ValidateCheckin(c, k < 0 ? nullptr : &at.ws.kpis[static_cast<size_t>(k)], errors);
    if (!errors.empty()) return errors.front();
  }
  for (const Checkin& c : checkins) {
    ValidateCheckinText(c, errors);
    if (!errors.empty()) return errors.front();
  }
  std::vector<std::string_view> goals, kpis;
  if (at.who != nullptr && at.who->role != Role::kAdmin) {
    for (const Checkin& c : checkins) {
      kpis.push_back(c.kpi);
      goals.push_back(at.ws.kpis[static_cast<size_t>(at.index.kpi(c.kpi))].goal);
    }
  }
  ChangeSet changes;
  changes.checkins = std::move(checkins);
  return Authorized(at, std::move(changes), goals, kpis);
}

Result<ChangeSet> AppendSpend(const OperationContext& at, std::vector<Spend> spend) {
  Errors errors;
  std::vector<std::string_view> goals;
  for (Spend& s : spend) {
    s.seq = 0;
    ValidateSpend(s, at.index.goal(s.goal) >= 0, errors);
    if (!errors.empty()) return errors.front();
  }
  for (const Spend& s : spend) goals.push_back(s.goal);
  ChangeSet changes;
  changes.spend = std::move(spend);
  return Authorized(at, std::move(changes), goals, {});
}

Result<ChangeSet> AddComment(const OperationContext& at, Comment comment) {
  if (at.index.goal(comment.goal) < 0) {
    return Error::UnknownReference("goal " + Q(comment.goal) + " does not exist", "goal",
                                   comment.goal, "goal");
  }
  if (comment.text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Error::Invalid("the comment is empty; write what you want to say", "comment",
                          comment.goal, "text");
  }
  comment.seq = 0;
  Errors errors;
  ValidateCommentDate(comment, errors);
  ValidateCommentText(comment, errors);
  if (!errors.empty()) return errors.front();
  const std::string goal = comment.goal;
  ChangeSet changes;
  changes.comments.push_back(std::move(comment));
  return Authorized(at, std::move(changes), {goal}, {});
}

Result<ChangeSet> RecordReview(const OperationContext& at, Review review) {
  review.seq = 0;
  Errors errors;
  ValidateReviewDate(review, errors);
  ValidateReviewText(review, errors);
  if (!errors.empty()) return errors.front();
  ChangeSet changes;
  changes.reviews.push_back(std::move(review));
  return Authorized(at, std::move(changes), {}, {});
}

Result<ChangeSet> RemoveGoal(const OperationContext& at, const std::string& id,
                             std::optional<int64_t> expected_version) {
  const Workspace& ws = at.ws;
  auto pos = Addressed(ws.goals, at.index.goal(id), "goal", id, expected_version);
  if (!pos) return pos.error();
  if (auto may = MayDelete(at, ws.goals[*pos], id); !may) return may.error();
  // Its first child and first supporter in goal vector order, and its KPIs in KPI order: from the
  // links when given, else by a scan.
  const Goal* child = nullptr;
  const Goal* supporter = nullptr;
  std::vector<size_t> kpi_at;
  if (at.links != nullptr) {
    if (const auto c = at.links->children(*pos); !c.empty()) child = &ws.goals[static_cast<size_t>(c[0])];
    if (const auto s = at.links->supporters(*pos); !s.empty()) {
      supporter = &ws.goals[static_cast<size_t>(s[0])];
    }
    for (const int k : at.links->kpis(*pos)) kpi_at.push_back(static_cast<size_t>(k));
  } else {
    for (const Goal& g : ws.goals) {
      if (!child && g.parent == id) child = &g;
      if (!supporter && std::find(g.supports.begin(), g.supports.end(), id) != g.supports.end()) {
        supporter = &g;
      }
    }
    for (size_t k = 0; k < ws.kpis.size(); ++k) {
      if (ws.kpis[k].goal == id) kpi_at.push_back(k);
    }
  }
  if (child) {
    return Error::Conflict("goal " + Q(id) + " has child goal " + Q(child->id) +
                               "; remove or move its children first, or cancel it instead",
                           "goal", id, "id");
  }
  // A goal another goal supports would leave that link naming nothing (ValidateWorkspace refuses
  // an unknown goal in supports); the supporting goal may be another team's, so it is not edited.
  if (supporter) {
    return Error::Conflict("goal " + Q(id) + " is supported by goal " + Q(supporter->id) +
                               "; remove it from that goal's supports first, or cancel it instead",
                           "goal", id, "id");
  }
  for (const Funnel& f : ws.funnels) {
    for (const std::string& s : f.stages) {
      const int k = at.index.kpi(s);
      if (k >= 0 && ws.kpis[static_cast<size_t>(k)].goal == id) {
        return Error::Conflict("goal " + Q(id) + ": its kpi " + Q(s) + " is a stage of funnel " +
                                   Q(f.id) + "; change the funnel first, or cancel the goal instead",
                               "goal", id, "id");
      }
    }
  }
  Workspace gone;
  gone.goals.push_back(ws.goals[*pos]);
  for (const size_t k : kpi_at) gone.kpis.push_back(ws.kpis[k]);
  for (const size_t k : kpi_at) {
    if (auto [other, what] = KpiReferring(at, k, id); other) {
      return Error::Conflict("goal " + Q(id) + ": its kpi " + Q(ws.kpis[k].id) + " is read by kpi " +
                                 Q(other->id) + ", which " + what +
                                 "; change that KPI first, or cancel the goal instead",
                             "goal", id, "id");
    }
  }
  std::unordered_set<std::string_view> gone_actions;
  for (const Action& a : ws.actions) {
    if (a.goal == id) {
      gone.actions.push_back(a);
      gone_actions.insert(a.id);
    }
  }
  // An action kept that depends on one removed would be left dangling: refused as
  // ValidateWorkspace refuses a depends_on naming no action.
  if (!gone_actions.empty()) {
    for (const Action& a : ws.actions) {
      if (a.goal == id) continue;
      for (const std::string& dep : a.depends_on) {
        if (gone_actions.contains(dep)) {
          return Error::UnknownReference("action " + Q(a.id) + ": depends_on " + Q(dep) +
                                             " does not exist; list ids of existing actions",
                                         "action", a.id, "depends_on");
        }
      }
    }
  }
  for (const Experiment& e : ws.experiments) {
    if (e.goal == id) gone.experiments.push_back(e);
  }
  std::vector<std::string_view> kpis;
  for (const Kpi& k : gone.kpis) kpis.push_back(k.id);
  return Authorized(at, Deletes(gone), {id}, kpis);
}

Result<ChangeSet> RemoveKpi(const OperationContext& at, const std::string& id,
                            std::optional<int64_t> expected_version) {
  auto pos = Addressed(at.ws.kpis, at.index.kpi(id), "kpi", id, expected_version);
  if (!pos) return pos.error();
  if (auto may = MayDelete(at, at.ws.kpis[*pos], at.ws.kpis[*pos].goal, id); !may) {
    return may.error();
  }
  if (const Funnel* f = FunnelWithStage(at.ws, id)) {
    return Error::Conflict("kpi " + Q(id) + " is a stage of funnel " + Q(f->id) +
                               "; change the funnel first",
                           "kpi", id, "id");
  }
  if (auto [other, what] = KpiReferring(at, *pos, ""); other) {
    return Error::Conflict("kpi " + Q(id) + " is still used: kpi " + Q(other->id) + " " + what +
                               "; change or remove that KPI first",
                           "kpi", id, "id");
  }
  Workspace gone;
  gone.kpis.push_back(at.ws.kpis[*pos]);
  return Authorized(at, Deletes(gone), {gone.kpis.front().goal}, {id});
}

Result<ChangeSet> RemoveAction(const OperationContext& at, const std::string& id,
                               std::optional<int64_t> expected_version) {
  auto pos = Addressed(at.ws.actions, at.index.action(id), "action", id, expected_version);
  if (!pos) return pos.error();
  // The action and those depending on it, in workspace order, as they are and as they will be:
  // DiffWorkspaces on them alone gives the updates and the delete in its order.
  Workspace from, to;
  std::vector<std::string_view> goals;
  for (const Action& a : at.ws.actions) {
    const bool depends = std::find(a.depends_on.begin(), a.depends_on.end(), id) != a.depends_on.end();
    if (a.id != id && !depends) continue;
    from.actions.push_back(a);
    goals.push_back(a.goal);
    if (a.id == id) continue;
    to.actions.push_back(a);
    std::erase(to.actions.back().depends_on, id);
  }
  return Authorized(at, DiffWorkspaces(from, to), goals, {});
}

Result<ChangeSet> MarkActionDone(const OperationContext& at, const std::string& id) {
  auto pos = Addressed(at.ws.actions, at.index.action(id), "action", id, std::nullopt);
  if (!pos) return pos.error();
  const Action& a = at.ws.actions[*pos];
  ChangeSet changes;
  if (!a.done) {
    Action after = a;
    after.done = true;
    changes.changes.push_back({EntityChange::Op::kUpdate, Entity(a), Entity(std::move(after))});
  } else {
    changes.unchanged.push_back(Entity(a));  // the right to change it is needed all the same
  }
  auto authorized = Authorized(at, std::move(changes), {a.goal}, {});
  if (!authorized) return authorized;
  authorized->unchanged.clear();
  // Spec §2: not while an action it depends on is open (checked once the right to mark it is).
  if (!a.done) {
    if (std::string why = OpenDependencies(a, at.ws, at.index); !why.empty()) {
      return Error::Conflict(std::move(why), "action", id, "done");
    }
  }
  return authorized;
}

std::string FirstReferrer(const Workspace& ws, const std::string& id, bool team) {
  for (const Team& t : ws.teams) {
    if (team && t.parent == id) return "team " + Q(t.id) + " (parent)";
  }
  for (const Person& p : ws.people) {
    if (team && p.team == id) return "person " + Q(p.id) + " (team)";
  }
  for (const Goal& g : ws.goals) {
    if (team && g.team == id) return "goal " + Q(g.id) + " (team)";
    if (!team && g.owner == id) return "goal " + Q(g.id) + " (owner)";
    if (!team && std::find(g.contributors.begin(), g.contributors.end(), id) !=
                     g.contributors.end()) {
      return "goal " + Q(g.id) + " (contributors)";
    }
  }
  for (const Action& a : ws.actions) {
    if (!team && a.owner == id) return "action " + Q(a.id) + " (owner)";
  }
  return "";
}

namespace {

template <typename T>
Result<ChangeSet> RemoveUnreferenced(const OperationContext& at, const CowVector<T>& items,
                                     int found, const std::string& kind, const std::string& id,
                                     std::optional<int64_t> expected_version) {
  auto pos = Addressed(items, found, kind, id, expected_version);
  if (!pos) return pos.error();
  if (auto may = MayDelete(at, items[*pos]); !may) return may.error();
  const std::string by = FirstReferrer(at.ws, id, kind == "team");
  if (!by.empty()) {
    return Error::Conflict(kind + " " + Q(id) + " is still used by " + by +
                               "; change or remove that first",
                           kind, id, "id");
  }
  ChangeSet changes;
  changes.changes.push_back({EntityChange::Op::kDelete, Entity(items[*pos]), std::nullopt});
  return Authorized(at, std::move(changes), {}, {});
}

// The delete of item `found` (of `kind`, as Addressed refuses), which nothing else refers to or
// keeps, with the rights on `goal` ("" none) checked.
template <typename T>
Result<ChangeSet> RemoveOnly(const OperationContext& at, const CowVector<T>& items, int found,
                             const std::string& kind, const std::string& id,
                             std::optional<int64_t> expected_version,
                             std::string_view goal = {}) {
  auto pos = Addressed(items, found, kind, id, expected_version);
  if (!pos) return pos.error();
  ChangeSet changes;
  changes.changes.push_back({EntityChange::Op::kDelete, Entity(items[*pos]), std::nullopt});
  std::vector<std::string_view> goals;
  if (!goal.empty()) goals.push_back(goal);
  return Authorized(at, std::move(changes), goals, {});
}

}  // namespace

Result<ChangeSet> RemoveFunnel(const OperationContext& at, const std::string& id,
                               std::optional<int64_t> expected_version) {
  return RemoveOnly(at, at.ws.funnels, at.index.funnel(id), "funnel", id, expected_version);
}

Result<ChangeSet> RemoveExperiment(const OperationContext& at, const std::string& id,
                                   std::optional<int64_t> expected_version) {
  const int found = at.index.experiment(id);
  return RemoveOnly(at, at.ws.experiments, found, "experiment", id, expected_version,
                    found < 0 ? "" : at.ws.experiments[static_cast<size_t>(found)].goal);
}

Result<ChangeSet> RemoveCycle(const OperationContext& at, const std::string& id,
                              std::optional<int64_t> expected_version) {
  const int found = at.index.cycle(id);
  if (found >= 0) {
    const Cycle& cycle = at.ws.cycles[static_cast<size_t>(found)];
    if (auto may = MayDelete(at, cycle); !may) return may.error();
    for (const Goal& g : at.ws.goals) {
      if (g.cycle == id) {
        return Error::Conflict("cycle " + Q(id) + " cannot be deleted: goal " + Q(g.id) +
                                   " is in it; move its goals to another cycle (or none) first",
                               "cycle", id, "id");
      }
    }
  }
  return RemoveOnly(at, at.ws.cycles, found, "cycle", id, expected_version);
}

Result<ChangeSet> RemoveTeam(const OperationContext& at, const std::string& id,
                             std::optional<int64_t> expected_version) {
  return RemoveUnreferenced(at, at.ws.teams, at.index.team(id), "team", id, expected_version);
}

Result<ChangeSet> RemovePerson(const OperationContext& at, const std::string& id,
                               std::optional<int64_t> expected_version) {
  return RemoveUnreferenced(at, at.ws.people, at.index.person(id), "person", id,
                            expected_version);
}

}  // namespace cascade
