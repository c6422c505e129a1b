#include "core/cycles.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "core/entity_operations.h"
#include "core/validate.h"

namespace cascade {
namespace {

std::string Q(std::string_view id) { return "'" + std::string(id) + "'"; }

// JSON of a number (shortest form that reads back exactly) or null. The notes hold only numbers,
// slugs, dates and status names: no text that needs escaping.
std::string NumberOrNull(const std::optional<double>& v) {
  if (!v || !std::isfinite(*v)) return "null";
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *v);
  return ec == std::errc() ? std::string(buf, end) : "null";
}
std::string Str(std::string_view s) { return "\"" + std::string(s) + "\""; }

const Cycle* FindCycle(const Workspace& ws, std::string_view id) {
  for (const Cycle& c : ws.cycles) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

Error ClosedRefusal(const std::string& what, const std::string& cycle) {
  return Error::Conflict(what + " is in cycle " + Q(cycle) +
                             ", which is closed; a closed cycle's goals change only after "
                             "`cascade cycle reopen " +
                             cycle + "`",
                         "cycle", cycle, "cycle");
}

// The ChangeSet that sets cycle `id` to `state`, checked for existence, state and rights.
Result<ChangeSet> SetState(const Workspace& ws, const std::string& id, CycleState state,
                           const Principal* who) {
  const Cycle* c = FindCycle(ws, id);
  if (c == nullptr) {
    return Error::NotFound("cycle " + Q(id) + " does not exist (`cascade cycle list` shows them)",
                           "cycle", id, "id");
  }
  if (c->state == state) {
    return Error::Conflict("cycle " + Q(id) + " is already " + std::string(ToString(state)),
                           "cycle", id, "state");
  }
  Cycle after = *c;
  after.state = state;
  ChangeSet out;
  out.changes.push_back({EntityChange::Op::kUpdate, Entity(*c), Entity(after)});
  if (who != nullptr && who->role != Role::kAdmin) {
    if (auto r = AuthorizeChanges(ws, out, *who); !r) return r.error();
  }
  return out;
}

std::string StatusCountsKey(int s) { return std::string(ToString(static_cast<GoalStatus>(s))); }

// `base` made unique among `taken` (then added to it): base, base-2, base-3, … within 64 chars.
// The longest suffix FreeId appends: "-" and ten digits.
constexpr size_t kLongestSuffix = 11;

std::string FreeId(std::string base, std::unordered_set<std::string>& taken) {
  if (base.size() > kMaxIdLength) base.resize(kMaxIdLength);
  std::string id = base;
  for (int n = 2; taken.contains(id); ++n) {
    const std::string suffix = "-" + std::to_string(n);
    id = base.substr(0, std::min(base.size(), kMaxIdLength - suffix.size())) + suffix;
  }
  taken.insert(id);
  return id;
}

}  // namespace

CycleSummary SummarizeCycle(const Workspace& ws, const Rollup& rollup, const std::string& cycle) {
  CycleSummary out;
  std::unordered_map<std::string_view, const Goal*> goals;
  for (const Goal& g : ws.goals) goals.emplace(g.id, &g);
  double w = 0, p = 0;
  for (size_t i = 0; i < ws.goals.size(); ++i) {
    const Goal& g = ws.goals[i];
    if (g.cycle != cycle) continue;
    if (g.state == GoalState::kDraft) ++out.drafts;
    if (g.state != GoalState::kActive) continue;
    const GoalResult& r = rollup.goals[i];
    ++out.goals;
    ++out.counts[static_cast<size_t>(r.status)];
    if (!g.parent.empty()) {
      auto it = goals.find(g.parent);
      if (it != goals.end() && it->second->cycle == cycle) continue;  // counted in its parent
    }
    if (!r.progress) continue;
    w += g.weight;
    p += g.weight * *r.progress;
  }
  if (w > 0) out.score = p / w;
  return out;
}

Result<void> CheckClosedCycles(const Workspace& before, const ChangeSet& changes) {
  // Cycles closed before the set; those it leaves closed are frozen (a cycle the set creates
  // closed or closes is not: a plan rebuilding a workspace writes its goals with it).
  std::unordered_map<std::string, CycleState> state;
  std::unordered_set<std::string> was_closed;
  for (const Cycle& c : before.cycles) {
    state[c.id] = c.state;
    if (c.state == CycleState::kClosed) was_closed.insert(c.id);
  }
  for (const EntityChange& ch : changes.changes) {
    const Cycle* was = ch.before ? std::get_if<Cycle>(&*ch.before) : nullptr;
    const Cycle* now = ch.after ? std::get_if<Cycle>(&*ch.after) : nullptr;
    if (!was && !now) continue;
    if (was && was->state == CycleState::kClosed) {
      if (!now) {
        return Error::Conflict("cycle " + Q(was->id) +
                                   " is closed and keeps its goals' final numbers; reopen it "
                                   "(`cascade cycle reopen " +
                                   was->id + "`) before deleting it",
                               "cycle", was->id, "id");
      }
      Cycle reopened = *was;
      reopened.state = now->state;
      reopened.version = now->version;
      if (!(reopened == *now)) {
        return Error::Conflict("cycle " + Q(was->id) +
                                   " is closed; it changes only after `cascade cycle reopen " +
                                   was->id + "`",
                               "cycle", was->id, "state");
      }
    }
    if (now) {
      state[now->id] = now->state;
    } else {
      state.erase(was->id);
    }
  }
  const auto closed = [&](const std::string& cycle) {
    if (cycle.empty() || !was_closed.contains(cycle)) return false;
    auto it = state.find(cycle);
    return it != state.end() && it->second == CycleState::kClosed;
  };
  if (std::none_of(was_closed.begin(), was_closed.end(), closed)) return Ok();

  // Each goal's cycle, before and as the set leaves it.
  std::unordered_map<std::string_view, std::string_view> cycle_before;
  for (const Goal& g : before.goals) cycle_before.emplace(g.id, g.cycle);
  std::unordered_map<std::string_view, std::string_view> goal_cycle = cycle_before;
  for (const EntityChange& ch : changes.changes) {
    if (const Goal* g = ch.after ? std::get_if<Goal>(&*ch.after) : nullptr) {
      goal_cycle[g->id] = g->cycle;
    }
  }
  // A goal (by id) in a closed cycle: the refusal, else nullopt.
  const auto frozen = [&](std::string_view goal, const std::string& what) -> std::optional<Error> {
    for (const auto* map : {&cycle_before, &goal_cycle}) {
      auto it = map->find(goal);
      if (it != map->end() && closed(std::string(it->second))) {
        return ClosedRefusal(what, std::string(it->second));
      }
    }
    return std::nullopt;
  };
  std::unordered_map<std::string_view, std::string_view> kpi_goal;
  for (const Kpi& k : before.kpis) kpi_goal.emplace(k.id, k.goal);
  for (const EntityChange& ch : changes.changes) {
    for (const std::optional<Entity>* e : {&ch.before, &ch.after}) {
      if (!*e) continue;
      if (const Goal* g = std::get_if<Goal>(&**e)) {
        if (closed(g->cycle)) return ClosedRefusal("goal " + Q(g->id), g->cycle);
      } else if (const Kpi* k = std::get_if<Kpi>(&**e)) {
        kpi_goal.emplace(k->id, k->goal);
        if (auto r = frozen(k->goal, "kpi " + Q(k->id) + " of goal " + Q(k->goal))) return *r;
      } else if (const Action* a = std::get_if<Action>(&**e)) {
        if (auto r = frozen(a->goal, "action " + Q(a->id) + " of goal " + Q(a->goal))) return *r;
      } else if (const Experiment* x = std::get_if<Experiment>(&**e)) {
        if (auto r = frozen(x->goal, "experiment " + Q(x->id) + " of goal " + Q(x->goal))) {
          return *r;
        }
      }
    }
  }
  const auto checkin = [&](const Checkin& c) -> std::optional<Error> {
    auto it = kpi_goal.find(c.kpi);
    if (it == kpi_goal.end()) return std::nullopt;
    return frozen(it->second, "a check-in of kpi " + Q(c.kpi) + ": its goal " + Q(it->second));
  };
  for (const Checkin& c : changes.checkins) {
    if (auto r = checkin(c)) return *r;
  }
  for (const CheckinChange& c : changes.checkin_changes) {
    if (auto r = checkin(c.before)) return *r;
    if (c.after) {
      if (auto r = checkin(*c.after)) return *r;
    }
  }
  // Money spent is part of a closed quarter's numbers (spent, budget_left, cost_per_goal_done).
  // Comments are not frozen: lessons and decisions after a quarter closes are its retrospective.
  const auto spend = [&](const Spend& s) {
    return frozen(s.goal, "spend on goal " + Q(s.goal) + ": the goal");
  };
  for (const Spend& s : changes.spend) {
    if (auto r = spend(s)) return *r;
  }
  for (const SpendChange& s : changes.spend_changes) {
    if (auto r = spend(s.before)) return *r;
    if (s.after) {
      if (auto r = spend(*s.after)) return *r;
    }
  }
  return Ok();
}

Result<ChangeSet> CloseCycle(const Workspace& ws, const std::string& id, const Principal* who) {
  auto out = SetState(ws, id, CycleState::kClosed, who);
  if (!out) return out;
  const Cycle& c = *FindCycle(ws, id);
  const Rollup rollup = ComputeRollup(ws, c.end);
  for (size_t i = 0; i < ws.goals.size(); ++i) {
    const Goal& g = ws.goals[i];
    if (g.cycle != id) continue;
    const GoalResult& r = rollup.goals[i];
    out->notes.push_back({"goal", g.id, "close",
                          "{\"cycle\":" + Str(id) + ",\"as_of\":" + Str(c.end.ToString()) +
                              ",\"progress\":" + NumberOrNull(r.progress) +
                              ",\"status\":" + Str(ToString(r.status)) + ",\"achieved_on\":" +
                              (r.achieved_on ? Str(r.achieved_on->ToString()) : "null") + "}"});
  }
  const CycleSummary summary = SummarizeCycle(ws, rollup, id);
  std::string counts;
  for (int s = 0; s < kGoalStatusCount; ++s) {
    if (summary.counts[static_cast<size_t>(s)] == 0) continue;
    counts += (counts.empty() ? "" : ",") + Str(StatusCountsKey(s)) + ":" +
              std::to_string(summary.counts[static_cast<size_t>(s)]);
  }
  out->notes.push_back({"cycle", id, "close",
                        "{\"as_of\":" + Str(c.end.ToString()) + ",\"score\":" +
                            NumberOrNull(summary.score) + ",\"counts\":{" + counts + "}}"});
  return out;
}

Result<ChangeSet> ReopenCycle(const Workspace& ws, const std::string& id, const Principal* who) {
  return SetState(ws, id, CycleState::kOpen, who);
}

Result<GoalCopy> CopyGoal(Workspace& ws, const Rollup& rollup, const std::string& id,
                          const std::string& next, const std::string& new_id) {
  const WorkspaceIndex index(ws);
  const int top = index.goal(id);
  if (top < 0) return Error::NotFound("goal " + Q(id) + " does not exist", "goal", id, "id");
  if (index.cycle(next) < 0) {
    return Error::UnknownReference("cycle " + Q(next) +
                                       " does not exist (`cascade cycle list` shows them; add it "
                                       "with "
                                       "`cascade cycle add`)",
                                   "cycle", next, "cycle");
  }
  std::unordered_set<std::string> goal_ids, kpi_ids;
  for (const Goal& g : ws.goals) goal_ids.insert(g.id);
  for (const Kpi& k : ws.kpis) kpi_ids.insert(k.id);
  if (!new_id.empty()) {
    if (!IsValidId(new_id)) {
      return Error::Invalid("the copy's id " + Q(new_id) +
                                " is not a valid id; use 1 to 64 lowercase letters, digits, '-' "
                                "or '_', starting with a letter or digit",
                            "goal", new_id, "id");
    }
    if (goal_ids.contains(new_id)) {
      return Error::Conflict("the copy's id " + Q(new_id) +
                                 " is taken by another goal; choose a new id",
                             "goal", new_id, "id");
    }
  }
  // The subtree, parents first (goal vector order within a parent).
  std::unordered_map<std::string_view, std::vector<int>> children;
  for (size_t g = 0; g < ws.goals.size(); ++g) {
    if (!ws.goals[g].parent.empty()) children[ws.goals[g].parent].push_back(static_cast<int>(g));
  }
  std::vector<int> subtree{top};
  std::unordered_set<int> in_subtree{top};
  for (size_t i = 0; i < subtree.size(); ++i) {
    auto it = children.find(ws.goals[static_cast<size_t>(subtree[i])].id);
    if (it == children.end()) continue;
    for (const int c : it->second) {
      if (in_subtree.insert(c).second) subtree.push_back(c);
    }
  }
  GoalCopy out;
  std::unordered_map<std::string, std::string> goal_copy;  // original id → copy id
  std::vector<Goal> new_goals;
  for (const int g : subtree) {
    Goal copy = ws.goals[static_cast<size_t>(g)];
    const std::string from = copy.id;
    copy.id = g == top && !new_id.empty() ? FreeId(new_id, goal_ids)
                                          : FreeId(from + "-" + next, goal_ids);
    if (g != top) copy.parent = goal_copy.at(copy.parent);
    copy.cycle = next;
    copy.state = GoalState::kDraft;
    copy.start.reset();
    copy.due.reset();
    copy.version = 0;
    goal_copy[from] = copy.id;
    out.goals.push_back({from, copy.id});
    new_goals.push_back(std::move(copy));
  }
  std::vector<Kpi> new_kpis;
  std::unordered_map<std::string, std::string> kpi_copy;
  for (size_t k = 0; k < ws.kpis.size(); ++k) {
    const Kpi& kpi = ws.kpis[k];
    auto owner = goal_copy.find(kpi.goal);
    if (owner == goal_copy.end()) continue;
    Kpi copy = kpi;
    copy.id = FreeId(kpi.id + "-" + next, kpi_ids);
    copy.goal = owner->second;
    copy.version = 0;
    const std::optional<double> v = rollup.kpis[k].value;
    if (v && kpi.kind != KpiKind::kMilestone && kpi.benchmark_for.empty()) {
      copy.baseline = *v;
      ResolveRelativeTarget(copy);
      // A level or cumulative KPI needs a target apart from its baseline: one at its target
      // would start there, with nothing left to reach. Say so, and what to do.
      if ((kpi.kind == KpiKind::kLevel || kpi.kind == KpiKind::kCumulative) &&
          copy.target == copy.baseline) {
        return Error::Invalid(
            "KPI " + Q(kpi.id) + " is at its target " + RefusalNumber(copy.target) + " as of " +
                rollup.as_of.ToString() +
                ": its copy would start there (baseline = its value, target kept) with nothing "
                "to reach; raise its target first (`cascade kpi set " +
                kpi.id + " --target …`) or copy as of an earlier date (--as-of)",
            "kpi", kpi.id, "target");
      }
    }
    kpi_copy[kpi.id] = copy.id;
    out.kpis.push_back({kpi.id, copy.id});
    new_kpis.push_back(std::move(copy));
  }
  // References among the copies point at the copies.
  for (Kpi& k : new_kpis) {
    if (auto it = kpi_copy.find(k.benchmark_for); it != kpi_copy.end())
      k.benchmark_for = it->second;
    for (const auto& [from, to] : kpi_copy) {
      const std::string ref = "{" + from + "}";
      for (size_t at = k.formula.find(ref); at != std::string::npos;
           at = k.formula.find(ref, at + to.size() + 2)) {
        k.formula.replace(at, ref.size(), "{" + to + "}");
      }
    }
  }
  for (Goal& g : new_goals) ws.goals.push_back(std::move(g));
  for (Kpi& k : new_kpis) ws.kpis.push_back(std::move(k));
  return out;
}

Result<ChangeSet> CopyGoalWrite(const OperationContext& at, Date as_of, const std::string& id,
                                const std::string& next, const std::string& new_id,
                                GoalCopy* made) {
  const Rollup rollup = ComputeRollup(at.ws, as_of);
  return EditCopy(at, [&](Workspace& ws) -> Result<void> {
    auto copy = CopyGoal(ws, rollup, id, next, new_id);
    if (!copy) return copy.error();
    if (made != nullptr) *made = std::move(*copy);
    return Ok();
  });
}

std::string CopyIdStem(std::string_view id, std::string_view next) {
  std::string stem = std::string(id) + "-" + std::string(next);
  if (stem.size() > kMaxIdLength - kLongestSuffix) stem.resize(kMaxIdLength - kLongestSuffix);
  return stem;
}

}  // namespace cascade
