#include "core/incremental_rollup.h"

#include <algorithm>
#include <limits>
#include <set>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "core/formula.h"

namespace cascade {

namespace {

// The position of the KPI `k` is a benchmark for, or -1.
int BenchmarkedKpi(const Kpi& k, const WorkspaceIndex& index) {
  return k.benchmark_for.empty() ? -1 : index.kpi(k.benchmark_for);
}

}  // namespace

GoalLinks::GoalLinks(const Workspace& ws, const WorkspaceIndex& index) {
  BigVector<int> parent(ws.goals.size(), -1), kpi_goal(ws.kpis.size(), -1);
  for (size_t g = 0; g < ws.goals.size(); ++g) {
    if (!ws.goals[g].parent.empty()) parent[g] = index.goal(ws.goals[g].parent);
  }
  for (size_t k = 0; k < ws.kpis.size(); ++k) kpi_goal[k] = index.goal(ws.kpis[k].goal);
  kpis_ = LinkGroups::Of(ws.goals.size(), kpi_goal);
  children_ = LinkGroups::Of(ws.goals.size(), parent);
  parent_ = std::move(parent);
  kpi_goal_ = std::move(kpi_goal);
  LinkSupporters(ws, index);
  benchmarks_ = LinkGroups::Build(ws.kpis.size(), [&](const auto& link) {
    for (size_t k = 0; k < ws.kpis.size(); ++k) {
      if (const int t = BenchmarkedKpi(ws.kpis[k], index); t >= 0) {
        link(static_cast<size_t>(t), static_cast<int>(k));
      }
    }
  });
  MarkFormulas(ws, index);
}

GoalLinks::GoalLinks(const GoalLinks& before, const Workspace& ws, const WorkspaceIndex& index)
    : GoalLinks(before) {  // a pointer a chunk
  const size_t goals_from = parent_.size();
  const size_t kpis_from = kpi_goal_.size();
  parent_.Append(ws.goals.size() - goals_from);
  kpi_goal_.Append(ws.kpis.size() - kpis_from);
  kpis_.Grow(ws.goals.size());
  children_.Grow(ws.goals.size());
  supporters_.Grow(ws.goals.size());
  // Each new item is the last of its group: groups keep vector order by appending.
  for (size_t g = goals_from; g < ws.goals.size(); ++g) {
    const Goal& goal = ws.goals[g];
    const int p = goal.parent.empty() ? -1 : index.goal(goal.parent);
    parent_[g] = p;
    if (p >= 0) children_.Append(static_cast<size_t>(p), static_cast<int>(g));
    for (const std::string& s : goal.supports) {
      if (const int t = index.goal(s); t >= 0) {
        supporters_.Append(static_cast<size_t>(t), static_cast<int>(g));
      }
    }
  }
  benchmarks_.Grow(ws.kpis.size());
  bool formulas = false;
  for (size_t k = kpis_from; k < ws.kpis.size(); ++k) {
    const int g = index.goal(ws.kpis[k].goal);
    kpi_goal_[k] = g;
    if (g >= 0) kpis_.Append(static_cast<size_t>(g), static_cast<int>(k));
    if (const int t = BenchmarkedKpi(ws.kpis[k], index); t >= 0) {
      benchmarks_.Append(static_cast<size_t>(t), static_cast<int>(k));
    }
    formulas |= ws.kpis[k].kind == KpiKind::kFormula;
  }
  if (formulas) {
    MarkFormulas(ws, index);
  } else if (!formula_bound_.empty()) {
    formula_bound_.resize(ws.kpis.size(), 0);
  }
}

namespace {

// Where a position goes once those in `removed` (ascending) are taken out: -1 for them (and for
// -1, no position).
class PositionMap {
 public:
  explicit PositionMap(std::span<const int> removed) : removed_(removed) {}
  // Positions below this stay where they are.
  int kept_below() const {
    return removed_.empty() ? std::numeric_limits<int>::max() : removed_.front();
  }
  int operator()(int p) const {
    if (removed_.empty() || p < removed_.front()) return p;
    const auto it = std::lower_bound(removed_.begin(), removed_.end(), p);
    if (it != removed_.end() && *it == p) return -1;
    return p - static_cast<int>(it - removed_.begin());
  }

 private:
  std::span<const int> removed_;
};

// The place of the first `value` in `order`, or order.size(): a chunk at a time (std::find over a
// span is a vectorised scan; element by element it was several times slower at 1,000,000 goals).
size_t FindInOrder(const OrderRope& order, int value) {
  for (size_t c = 0; c < order.chunk_count(); ++c) {
    const std::span<const int> chunk = order.chunk(c);
    if (const auto it = std::find(chunk.begin(), chunk.end(), value); it != chunk.end()) {
      return order.chunk_start(c) + static_cast<size_t>(it - chunk.begin());
    }
  }
  return order.size();
}

}  // namespace

GoalLinks::GoalLinks(const GoalLinks& before, std::span<const int> goals_removed,
                     std::span<const int> kpis_removed)
    : GoalLinks(before) {
  const PositionMap goal(goals_removed), kpi(kpis_removed);
  // What refers to a goal or KPI that moves (one at or after the first removed): the children
  // and KPIs of such goals and the goals owning such KPIs, found in the groups before, not by a
  // scan of every position (at 1,000,000 goals most of a removal's time).
  const size_t goals_before = before.parent_.size(), kpis_before = before.kpi_goal_.size();
  const size_t goal_from = goals_removed.empty() ? goals_before : size_t(goals_removed[0]);
  const size_t kpi_from = kpis_removed.empty() ? kpis_before : size_t(kpis_removed[0]);
  parent_.Erase(goals_removed);
  kpi_goal_.Erase(kpis_removed);
  std::vector<int> parents_touched, goals_touched;  // owners whose children, KPIs may move
  for (size_t q = goal_from; q < goals_before; ++q) {
    const int now = goal(static_cast<int>(q));
    parents_touched.push_back(before.parent_[q]);
    for (const int c : before.children_[q]) {
      if (const int at = goal(c); at >= 0) parent_[static_cast<size_t>(at)] = now;
    }
    for (const int k : before.kpis_[q]) {
      if (const int at = kpi(k); at >= 0) kpi_goal_[static_cast<size_t>(at)] = now;
    }
  }
  for (size_t k = kpi_from; k < kpis_before; ++k) goals_touched.push_back(before.kpi_goal_[k]);
  kpis_.Remove(goals_removed, kpi, &goals_touched);
  children_.Remove(goals_removed, goal, &parents_touched);
  supporters_.Remove(goals_removed, goal);
  benchmarks_.Remove(kpis_removed, kpi);
  // The marks of the KPIs kept. A formula removed leaves its inputs marked: what they touch is
  // then computed whole, as before, which is right if slower.
  if (!formula_bound_.empty()) {
    size_t to = kpi_from, r = 0;
    for (size_t k = kpi_from; k < kpis_before; ++k) {
      if (r < kpis_removed.size() && static_cast<size_t>(kpis_removed[r]) == k) {
        ++r;
      } else {
        formula_bound_[to++] = formula_bound_[k];
      }
    }
    formula_bound_.resize(to);
  }
}

GoalLinks::GoalLinks(const GoalLinks& before, const Workspace& ws, const WorkspaceIndex& index,
                     std::span<const Relinked> relinked,
                     std::span<const RelinkedKpi> relinked_kpis)
    : GoalLinks(before) {
  const auto at = [&index](const std::string& id) { return id.empty() ? -1 : index.goal(id); };
  for (const Relinked& r : relinked) {
    const auto g = static_cast<size_t>(r.goal);
    const Goal& now = ws.goals[g];
    const int was_parent = std::as_const(parent_)[g], now_parent = at(now.parent);
    if (was_parent != now_parent) {
      if (was_parent >= 0) children_.Erase(static_cast<size_t>(was_parent), r.goal);
      if (now_parent >= 0) children_.InsertOrdered(static_cast<size_t>(now_parent), r.goal);
      parent_[g] = now_parent;
    }
    if (r.was->supports == now.supports) continue;
    for (const std::string& id : r.was->supports) {
      if (const int t = at(id); t >= 0) supporters_.Erase(static_cast<size_t>(t), r.goal);
    }
    for (const std::string& id : now.supports) {
      if (const int t = at(id); t >= 0) supporters_.InsertOrdered(static_cast<size_t>(t), r.goal);
    }
  }
  for (const RelinkedKpi& r : relinked_kpis) {
    const auto k = static_cast<size_t>(r.kpi);
    const Kpi& now = ws.kpis[k];
    const int was_goal = std::as_const(kpi_goal_)[k], now_goal = at(now.goal);
    if (was_goal != now_goal) {
      if (was_goal >= 0) kpis_.Erase(static_cast<size_t>(was_goal), r.kpi);
      if (now_goal >= 0) kpis_.InsertOrdered(static_cast<size_t>(now_goal), r.kpi);
      kpi_goal_[k] = now_goal;
    }
    if (r.was->benchmark_for == now.benchmark_for) continue;
    if (const int t = BenchmarkedKpi(*r.was, index); t >= 0) {
      benchmarks_.Erase(static_cast<size_t>(t), r.kpi);
    }
    if (const int t = BenchmarkedKpi(now, index); t >= 0) {
      benchmarks_.InsertOrdered(static_cast<size_t>(t), r.kpi);
    }
  }
}

void GoalLinks::LinkSupporters(const Workspace& ws, const WorkspaceIndex& index) {
  // Supports are many to many: each goal's supporters in goal vector order.
  supporters_ = LinkGroups::Build(ws.goals.size(), [&](const auto& link) {
    for (size_t g = 0; g < ws.goals.size(); ++g) {
      for (const std::string& s : ws.goals[g].supports) {
        if (const int t = index.goal(s); t >= 0) link(static_cast<size_t>(t), static_cast<int>(g));
      }
    }
  });
}

void GoalLinks::MarkFormulas(const Workspace& ws, const WorkspaceIndex& index) {
  formula_bound_.clear();
  for (size_t k = 0; k < ws.kpis.size(); ++k) {
    if (ws.kpis[k].kind != KpiKind::kFormula) continue;
    if (formula_bound_.empty()) formula_bound_.assign(ws.kpis.size(), 0);
    formula_bound_[k] = 1;
    auto f = Formula::Parse(ws.kpis[k].formula);
    if (!f) continue;
    for (const std::string& id : f->inputs()) {
      if (const int i = index.kpi(id); i >= 0) formula_bound_[static_cast<size_t>(i)] = 1;
    }
  }
}

namespace {

// Cycles by id, for the dates a goal takes from its cycle (GoalOwnDates).
class CycleDates {
 public:
  explicit CycleDates(const Workspace& ws) {
    for (const Cycle& c : ws.cycles) by_id_.emplace(c.id, &c);
  }
  OwnDates Of(const Goal& g) const {
    const Cycle* c = nullptr;
    if (!g.cycle.empty()) {
      auto it = by_id_.find(g.cycle);
      if (it != by_id_.end()) c = it->second;
    }
    return GoalOwnDates(g, c);
  }

 private:
  std::unordered_map<std::string_view, const Cycle*> by_id_;
};

}  // namespace

std::optional<Affected> AffectedGoals(const Workspace& before, const Workspace& after,
                                      const WorkspaceIndex& after_index,
                                      const GoalLinks& after_links, const ChangeSet& changes,
                                      const WorkspaceIndex::Removed* removed) {
  // Goals and KPIs created come last (ApplyChanges appends them): every other keeps its place.
  size_t goals_made = 0, kpis_made = 0;
  for (const EntityChange& c : changes.changes) {
    if (c.op == EntityChange::Op::kCreate) {
      goals_made += std::holds_alternative<Goal>(*c.after);
      kpis_made += std::holds_alternative<Kpi>(*c.after);
    }
  }
  const size_t goals_gone = removed ? (*removed)[WorkspaceIndex::kGoals].size() : 0;
  const size_t kpis_gone = removed ? (*removed)[WorkspaceIndex::kKpis].size() : 0;
  if (before.goals.size() + goals_made - goals_gone != after.goals.size() ||
      before.kpis.size() + kpis_made - kpis_gone != after.kpis.size() ||
      ((goals_gone > 0 || kpis_gone > 0) && (goals_made > 0 || kpis_made > 0))) {
    return std::nullopt;
  }
  for (const EntityChange& c : changes.changes) {
    if (c.op == EntityChange::Op::kCreate || c.op == EntityChange::Op::kUpdate) continue;
    const Entity& e = c.after ? *c.after : *c.before;
    if ((std::holds_alternative<Goal>(e) || std::holds_alternative<Kpi>(e)) && !removed) {
      return std::nullopt;
    }
  }
  const CycleDates cycles(after);
  const size_t ng = after.goals.size();
  // Sets, not flags by position: a write touches few goals, and flags cost O(goals) to clear.
  std::unordered_set<int> kpi_in, goal_in;
  Affected out;
  const auto add_kpi = [&](int k) {
    if (k < 0 || !kpi_in.insert(k).second) return;
    out.kpis.push_back(k);
  };
  const auto add_goal = [&](int g) {
    if (g < 0 || !goal_in.insert(g).second) return;
    out.goals.push_back(g);
  };
  // A goal whose window moved: its KPIs, and the goals below it that inherit its start with theirs.
  const auto window_moved = [&](int top) {
    std::vector<int> stack{top};
    while (!stack.empty()) {
      const int g = stack.back();
      stack.pop_back();
      add_goal(g);
      for (const int k : after_links.kpis(static_cast<size_t>(g))) add_kpi(k);
      for (const int c : after_links.children(static_cast<size_t>(g))) {
        if (!cycles.Of(after.goals[static_cast<size_t>(c)]).start) stack.push_back(c);
      }
    }
  };

  // A cycle's new dates move the window of every goal of it (those that set their own keep it:
  // window_moved finds what moves below them).
  std::set<std::string_view> cycles_moved;
  for (const EntityChange& c : changes.changes) {
    const Cycle* was = c.before ? std::get_if<Cycle>(&*c.before) : nullptr;
    const Cycle* now = c.after ? std::get_if<Cycle>(&*c.after) : nullptr;
    if (was && now && (was->start != now->start || was->end != now->end)) {
      cycles_moved.insert(now->id);
    }
  }
  if (!cycles_moved.empty()) {
    for (size_t g = 0; g < ng; ++g) {
      const std::string& cycle = after.goals[g].cycle;
      if (!cycle.empty() && cycles_moved.contains(cycle)) window_moved(static_cast<int>(g));
    }
  }
  for (const Checkin& c : changes.checkins) add_kpi(after_index.kpi(c.kpi));
  for (const CheckinChange& c : changes.checkin_changes) {
    add_kpi(after_index.kpi(c.before.kpi));
    if (c.after) add_kpi(after_index.kpi(c.after->kpi));
  }
  for (const EntityChange& c : changes.changes) {
    if (c.op == EntityChange::Op::kCreate) {
      if (const Kpi* k = std::get_if<Kpi>(&*c.after)) {
        add_kpi(after_index.kpi(k->id));
      } else if (const Goal* g = std::get_if<Goal>(&*c.after)) {
        out.order = true;  // a new place in the tree
        window_moved(after_index.goal(g->id));
      }
      continue;
    }
    if (!c.after) {
      // A goal removed leaves its parent a child less, a KPI its goal a KPI less (-1 when the
      // parent or goal went too). Teams, people, actions, funnels and experiments do not count.
      if (const Goal* g = std::get_if<Goal>(&*c.before); g && !g->parent.empty()) {
        add_goal(after_index.goal(g->parent));
      } else if (const Kpi* k = std::get_if<Kpi>(&*c.before)) {
        add_goal(after_index.goal(k->goal));
      }
      continue;
    }
    if (!c.before) continue;
    if (const Kpi* k = std::get_if<Kpi>(&*c.after)) {
      const Kpi& was = std::get<Kpi>(*c.before);
      add_kpi(after_index.kpi(k->id));
      if (was.goal != k->goal) add_goal(after_index.goal(was.goal));  // lost a KPI
    } else if (const Goal* g = std::get_if<Goal>(&*c.after)) {
      const Goal& was = std::get<Goal>(*c.before);
      const int at = after_index.goal(g->id);
      add_goal(at);
      if (was.parent != g->parent) {
        out.order = out.moved = true;
        out.moved_goals.push_back(at);
        add_goal(after_index.goal(was.parent));  // lost a child; its ancestors come below
      }
      if (was.start != g->start || was.due != g->due || was.parent != g->parent ||
          was.cycle != g->cycle) {
        window_moved(at);
      }
    }
  }
  // Spend counts in its goal's spent only.
  for (const Spend& s : changes.spend) add_goal(after_index.goal(s.goal));
  for (const SpendChange& s : changes.spend_changes) {
    add_goal(after_index.goal(s.before.goal));
    if (s.after) add_goal(after_index.goal(s.after->goal));
  }
  if (after_links.has_formulas()) {
    for (const int k : out.kpis) {
      if (after_links.formula_bound(static_cast<size_t>(k))) return std::nullopt;
    }
  }
  for (const int k : out.kpis) add_goal(after_links.kpi_goal(static_cast<size_t>(k)));
  // Ancestors, in the tree after the write and, for goals that moved, before it. Positions are
  // those after the write: a goal's place before it is that one moved past the goals removed
  // before it (reading `before` at a position after the write walked the wrong goals, and round
  // in a circle when one of them named itself as the next).
  const std::vector<int>* removed_goals =
      removed ? &(*removed)[WorkspaceIndex::kGoals] : nullptr;
  const auto before_at = [removed_goals](int after) {
    size_t at = static_cast<size_t>(after);
    if (removed_goals) {
      for (const int r : *removed_goals) {
        if (static_cast<size_t>(r) > at) break;
        ++at;
      }
    }
    return at;
  };
  const size_t touched = out.goals.size();
  for (size_t i = 0; i < touched; ++i) {
    for (int p = after_links.parent(static_cast<size_t>(out.goals[i])); p >= 0 && !goal_in.contains(p);
         p = after_links.parent(static_cast<size_t>(p))) {
      add_goal(p);
    }
    if (!out.order) continue;
    size_t at = before_at(out.goals[i]);
    // At most one step a goal: a chain before the write that loops (stored data) ends.
    for (size_t steps = 0; at < before.goals.size() && steps < before.goals.size(); ++steps) {
      const Goal& g = before.goals[at];
      const int p = g.parent.empty() ? -1 : after_index.goal(g.parent);
      if (p < 0) break;
      add_goal(p);
      at = before_at(p);
    }
  }
  // Goals whose KPIs changed need the KPIs' staleness again; goals whose status changed, their
  // KPIs' (UpdateRollup does both from `goals`).
  return out;
}

Rollup RemoveFromRollup(const Rollup& before, std::span<const int> goals_removed,
                        std::span<const int> kpis_removed) {
  Rollup out = before;  // shares every chunk; those before the first removed stay shared
  for (const int g : goals_removed) --out.summary[static_cast<size_t>(before.goals[g].status)];
  out.goals.Erase(goals_removed);
  out.depth.Erase(goals_removed);
  out.kpis.Erase(kpis_removed);
  // A subtree taken out of a depth-first order leaves one of what stays. One read of the order
  // finds the removed goals and those that move up (at or after the first removed).
  const PositionMap goal(goals_removed);
  const int below = goal.kept_below();
  std::vector<size_t> gone;
  std::vector<std::pair<size_t, int>> moved;  // (place after the erase, position now)
  for (size_t c = 0; c < before.order.chunk_count(); ++c) {
    // Most chunks hold no position at or after the first removed (a removal of goals made
    // lately): their bound tells, without reading them.
    if (before.order.chunk_bound(c) < below) continue;
    const std::span<const int> chunk = before.order.chunk(c);
    for (size_t j = 0; j < chunk.size(); ++j) {
      if (chunk[j] < below) continue;
      const size_t i = before.order.chunk_start(c) + j;
      if (const int now = goal(chunk[j]); now < 0) {
        gone.push_back(i);
      } else {
        moved.push_back({i - gone.size(), now});
      }
    }
  }
  out.order.Erase(gone);
  for (const auto& [i, now] : moved) out.order.Set(i, now);
  return out;
}

namespace {

// ComputeRollup's order: depth-first from each root in vector order, children in vector order.
void OrderGoals(const GoalLinks& links, size_t ng, BigVector<int>& order, BigVector<int>& depth) {
  order.clear();
  order.reserve(ng);
  depth.assign(ng, -1);
  std::vector<int> stack;
  const auto visit_from = [&](int root) {
    stack.push_back(root);
    depth[static_cast<size_t>(root)] = 0;
    while (!stack.empty()) {
      const int g = stack.back();
      stack.pop_back();
      order.push_back(g);
      const std::span<const int> children = links.children(static_cast<size_t>(g));
      for (auto c = children.rbegin(); c != children.rend(); ++c) {
        if (depth[static_cast<size_t>(*c)] >= 0) continue;
        depth[static_cast<size_t>(*c)] = depth[static_cast<size_t>(g)] + 1;
        stack.push_back(*c);
      }
    }
  };
  for (size_t g = 0; g < ng; ++g) {
    if (links.parent(g) < 0) visit_from(static_cast<int>(g));
  }
  for (size_t g = 0; g < ng; ++g) {
    if (depth[g] < 0) visit_from(static_cast<int>(g));
  }
}

}  // namespace

namespace {

// achieved_on of a kComplex goal of `r` (every goal below it computed): its history's spans,
// the KPIs that fell back from 100% computed again from their check-ins. nullopt in `out` with
// `formula` set when the history reaches a formula KPI (its inputs' check-ins are not at hand).
std::optional<Date> AchievedOnOfComplex(
    const Rollup& r, const Workspace& ws, const GoalLinks& links,
    const std::function<std::span<const Checkin>(size_t)>& checkins, size_t g, bool& formula) {
  if (ws.goals[g].state != GoalState::kActive) return std::nullopt;
  const AchievedInputs in{
      .kpis = [&](size_t goal) { return links.kpis(goal); },
      .children = [&](size_t goal) { return links.children(goal); },
      .kpi_counts = [&](size_t k) { return ws.kpis[k].benchmark_for.empty(); },
      .child_counts = [&](size_t c) { return ws.goals[c].state == GoalState::kActive; },
      .kind = [&](size_t c) { return r.goals[c].achieved_kind; },
      .full_from = [&](size_t c) { return r.goals[c].full_from; },
      .kpi_history =
          [&](size_t k) {
            const KpiResult& kr = r.kpis[k];
            ItemHistory h;
            if (ws.kpis[k].kind == KpiKind::kFormula) {
              formula = true;
            } else if (kr.full_dips) {
              const int goal = links.kpi_goal(k);
              const GoalResult* gr = goal >= 0 ? &r.goals[static_cast<size_t>(goal)] : nullptr;
              RollupKpi(ws.kpis[k], gr ? gr->start : std::nullopt, gr ? gr->due : std::nullopt,
                        checkins(k), r.as_of, &h.full);
            } else if (kr.first_full) {
              h.full.push_back({*kr.first_full, kAfterAnyDate});
            }
            return h;
          },
  };
  std::unordered_map<size_t, ItemHistory> memo;
  return FirstFullDate(GoalHistory(g, in, memo), AchievedUntil(r.goals[g], r.as_of));
}

// A goal's confidence (ComputeConfidence's): the latest judgement among its KPIs' check-ins
// dated <= t', gone through in KPI order, each KPI's in the order recorded.
void JudgeGoal(GoalResult& r, const GoalLinks& links, size_t g,
               const std::function<std::span<const Checkin>(size_t)>& checkins, Date as_of) {
  const Date until = AchievedUntil(r, as_of);
  const Checkin* best = nullptr;
  int best_kpi = -1;
  for (const int k : links.kpis(g)) {
    for (const Checkin& c : checkins(static_cast<size_t>(k))) {
      if (c.confidence == Confidence::kNone || until < c.date) continue;
      if (best && !RollupLaterJudgement(c, *best)) continue;
      best = &c;
      best_kpi = k;
    }
  }
  RollupJudge(r, best, best_kpi);
}

// One goal created (the last one), nothing moved: it is its parent's last child, so it comes
// right after its parent's subtree in the depth-first order (a root: last). Inserted there, the
// order's chunks before it kept shared (CowArray::Insert), rather than walked again from every root.
void InsertIntoOrder(const Rollup& before, const GoalLinks& links, Rollup& out) {
  const size_t g = before.order.size();
  const int p = links.parent(g);
  size_t at = before.order.size();
  int depth = 0;
  if (p >= 0) {
    const size_t i = FindInOrder(before.order, p);
    const int parent_depth = before.depth[static_cast<size_t>(p)];
    depth = parent_depth + 1;
    at = i + 1;
    for (auto it = before.order.At(at); it != before.order.end(); ++it, ++at) {
      if (before.depth[static_cast<size_t>(*it)] <= parent_depth) break;
    }
  }
  out.order.Insert(std::min(at, before.order.size()), static_cast<int>(g));
  out.depth.Append(1);
  out.depth[g] = depth;
}

// One goal moved with its subtree, nothing created or removed: its block of the depth-first order
// (it and the deeper goals right after it) taken out and put where the walk from every root
// visits it now, under its new parent before the first later sibling (goal vector order), or
// among the roots, and the block's depths shifted; the order's chunks outside the range between
// its old and new place kept shared. Reads the order once; the walk again from every root took
// 40 ms at 1,000,000 goals. False when the order is not one of a tree it can place it in (a
// cycle: the caller walks it whole).
bool MoveInOrder(const Rollup& before, const GoalLinks& links, int g, Rollup& out) {
  const OrderRope& order = before.order;
  const CowArray<int>& depth = before.depth;
  const size_t n = order.size();
  const size_t i = FindInOrder(order, g);
  if (i == n) return false;
  const int was_depth = depth[static_cast<size_t>(g)];
  size_t end = i + 1;
  for (auto it = order.At(end); it != order.end(); ++it, ++end) {
    if (depth[static_cast<size_t>(*it)] <= was_depth) break;
  }
  const size_t len = end - i;
  // The block must be g's subtree as the links have it now: not so when the order before was
  // walked through a cycle (a goal reached from no root, as the second loop of OrderGoals does).
  std::vector<int> stack{g};
  size_t subtree = 0;
  while (!stack.empty() && subtree <= len) {
    const int x = stack.back();
    stack.pop_back();
    ++subtree;
    for (const int c : links.children(static_cast<size_t>(x))) stack.push_back(c);
  }
  if (subtree != len) return false;
  // Places in the order without the block: those before it stay, those after it move up by len.
  const auto without = [&](size_t place) { return place < i ? place : place - len; };
  const int p = links.parent(static_cast<size_t>(g));
  size_t at = 0;  // where the block goes in the order without it
  int now_depth = 0;
  if (p >= 0) {
    size_t place = FindInOrder(order, p);
    if (place == n || (place >= i && place < end)) return false;  // under its own subtree: a cycle
    const int parent_depth = depth[static_cast<size_t>(p)];
    now_depth = parent_depth + 1;
    // After the parent, past its subtree's goals that come before g (depth deeper than a child,
    // or a child earlier in goal vector order), the block skipped.
    ++place;
    for (auto it = order.At(place); it != order.end(); ++it, ++place) {
      if (place >= i && place < end) continue;
      const int x = *it;
      const int dx = depth[static_cast<size_t>(x)];
      if (dx <= parent_depth || (dx == now_depth && x > g)) break;
    }
    at = without(place);
  } else {
    size_t place = 0;
    for (auto it = order.begin(); it != order.end(); ++it, ++place) {
      if (place >= i && place < end) continue;
      const int x = *it;
      if (depth[static_cast<size_t>(x)] != 0) continue;
      if (links.parent(static_cast<size_t>(x)) >= 0) return false;  // reached from no root
      if (x > g) break;
    }
    at = without(place);
  }
  // The range between the old place and the new one, rotated.
  const size_t lo = std::min(i, at), hi = at <= i ? end : at + len;
  std::vector<int> range;
  range.reserve(hi - lo);
  {
    auto it = order.At(lo);
    for (size_t k = lo; k < hi; ++k, ++it) range.push_back(*it);
  }
  std::rotate(range.begin(), range.begin() + static_cast<std::ptrdiff_t>(at <= i ? i - lo : len),
              range.end());
  {
    auto it = order.At(lo);
    for (size_t k = 0; k < range.size(); ++k, ++it) {
      if (*it != range[k]) out.order.Set(lo + k, range[k]);
    }
  }
  if (const int shift = now_depth - was_depth; shift != 0) {
    auto it = order.At(i);
    for (size_t k = i; k < end; ++k, ++it) out.depth[static_cast<size_t>(*it)] += shift;
  }
  return true;
}

}  // namespace

std::optional<Rollup> UpdateRollup(const Rollup& before, const Workspace& after,
                                   const GoalLinks& links,
                                   const std::function<std::span<const Checkin>(size_t)>& checkins,
                                   const Affected& affected) {
  Rollup out = before;
  // Goals and KPIs created since: new places at the end, each unmeasured until computed below.
  if (out.goals.size() < after.goals.size()) {
    const size_t made = after.goals.size() - out.goals.size();
    out.goals.Append(made);
    out.summary[static_cast<size_t>(GoalStatus::kUnmeasured)] += static_cast<int>(made);
  }
  if (out.kpis.size() < after.kpis.size()) out.kpis.Append(after.kpis.size() - out.kpis.size());
  // Reads go through `seen`: a write through `out` clones the chunk it lands in (CowArray), and
  // only what is computed again should be (a goal's children can sit in every chunk).
  const Rollup& seen = out;
  const Date as_of = out.as_of;
  if (affected.order && !affected.moved && before.order.size() + 1 == after.goals.size() &&
      before.goals.size() + 1 == after.goals.size()) {
    InsertIntoOrder(before, links, out);
  } else if (affected.order &&
             !(affected.moved_goals.size() == 1 && before.goals.size() == after.goals.size() &&
               before.order.size() == after.goals.size() &&
               MoveInOrder(before, links, affected.moved_goals[0], out))) {
    BigVector<int> order, depth;
    OrderGoals(links, after.goals.size(), order, depth);
    out.order = std::move(order);
    out.depth = std::move(depth);
  }
  std::vector<int> goals = affected.goals;
  std::sort(goals.begin(), goals.end(), [&](int a, int b) {
    const int da = seen.depth[static_cast<size_t>(a)];
    const int db = seen.depth[static_cast<size_t>(b)];
    return da != db ? da < db : a < b;
  });
  // Effective starts, parents first (a parent not affected has its start already).
  const CycleDates cycles(after);
  for (const int g : goals) {
    const auto gi = static_cast<size_t>(g);
    const int p = links.parent(gi);
    GoalResult& r = out.goals[gi];
    const OwnDates own = cycles.Of(after.goals[gi]);
    r.start = own.start;
    if (!r.start && p >= 0) r.start = seen.goals[static_cast<size_t>(p)].start;
    r.due = own.due;
  }
  for (const int k : affected.kpis) {
    const auto ki = static_cast<size_t>(k);
    const Kpi& kpi = after.kpis[ki];
    if (kpi.kind == KpiKind::kFormula) return std::nullopt;  // AffectedGoals leaves these whole
    const int g = links.kpi_goal(ki);
    const GoalResult* gr = g >= 0 ? &seen.goals[static_cast<size_t>(g)] : nullptr;
    KpiResult& kr = out.kpis[ki] = RollupKpi(kpi, gr ? gr->start : std::nullopt,
                                            gr ? gr->due : std::nullopt, checkins(ki), as_of);
    if (!kpi.benchmark_for.empty()) {  // shown with its value and last check-in, counted nowhere
      kr.attainment = kr.progress = 0;
      kr.forecast.reset();
      kr.counted = false;
      kr.first_full.reset();
      kr.full_dips = false;
    }
  }
  // Goals children first, each summing its counted KPIs in KPI order and then its active children
  // with a progress in goal order, as ComputeRollup does.
  bool formula_history = false;
  for (auto it = goals.rbegin(); it != goals.rend(); ++it) {
    const auto gi = static_cast<size_t>(*it);
    GoalResult& r = out.goals[gi];
    --out.summary[static_cast<size_t>(r.status)];
    double w = 0, p = 0, f = 0;
    for (const int k : links.kpis(gi)) {
      const KpiResult& kr = seen.kpis[static_cast<size_t>(k)];
      if (!kr.counted) continue;
      const double weight = after.kpis[static_cast<size_t>(k)].weight;
      w += weight;
      p += weight * kr.progress;
      f += weight * kr.forecast.value_or(kr.progress);
    }
    for (const int c : links.children(gi)) {
      const Goal& child = after.goals[static_cast<size_t>(c)];
      const GoalResult& cr = seen.goals[static_cast<size_t>(c)];
      if (child.state != GoalState::kActive || !cr.progress) continue;
      w += child.weight;
      p += child.weight * *cr.progress;
      f += child.weight * cr.forecast.value_or(*cr.progress);
    }
    r.progress.reset();
    r.forecast.reset();
    if (w != 0) {
      r.progress = p / w;
      r.forecast = f / w;
    }
    RollupFinishGoal(after.goals[gi].state, as_of, r);
    ++out.summary[static_cast<size_t>(r.status)];
    AchievedAccumulator achieved;
    for (const int k : links.kpis(gi)) {
      const Kpi& kpi = after.kpis[static_cast<size_t>(k)];
      if (kpi.benchmark_for.empty()) {
        achieved.AddKpi(seen.kpis[static_cast<size_t>(k)], kpi.kind == KpiKind::kFormula);
      }
    }
    for (const int c : links.children(gi)) {
      if (after.goals[static_cast<size_t>(c)].state == GoalState::kActive) {
        achieved.AddChild(seen.goals[static_cast<size_t>(c)]);
      }
    }
    if (achieved.Finish(after.goals[gi].state, as_of, r)) {
      r.achieved_on = AchievedOnOfComplex(out, after, links, checkins, gi, formula_history);
      if (formula_history) return std::nullopt;
    }
    JudgeGoal(r, links, gi, checkins, as_of);
  }
  for (const int g : goals) {
    const auto gi = static_cast<size_t>(g);
    for (const int k : links.kpis(gi)) {
      const Kpi& kpi = after.kpis[static_cast<size_t>(k)];
      KpiResult& kr = out.kpis[static_cast<size_t>(k)];
      kr.stale = kpi.benchmark_for.empty() &&
                 RollupKpiStale(kr, kpi.cadence_days, out.goals[gi], as_of);
    }
  }
  // Spent and budget left (ComputeSpend's): the affected goals' spend records dated in
  // [start, t'], summed in the order recorded.
  if (!goals.empty()) {
    std::unordered_map<std::string_view, size_t> wanted;
    for (const int g : goals) {
      const auto gi = static_cast<size_t>(g);
      wanted.emplace(after.goals[gi].id, gi);
      out.goals[gi].spent = 0;
    }
    if (!after.spend.empty()) {
      for (const Spend& s : after.spend) {
        auto it = wanted.find(s.goal);
        if (it == wanted.end()) continue;
        GoalResult& r = out.goals[it->second];
        if (AchievedUntil(r, as_of) < s.date || (r.start && s.date < *r.start)) continue;
        r.spent += s.amount;
      }
    }
    for (const int g : goals) {
      const auto gi = static_cast<size_t>(g);
      GoalResult& r = out.goals[gi];
      r.budget_left.reset();
      if (after.goals[gi].budget_max) r.budget_left = *after.goals[gi].budget_max - r.spent;
    }
  }
  return out;
}

bool UpdateRollupCovers(const Workspace& ws) {
  return std::none_of(ws.kpis.begin(), ws.kpis.end(),
                      [](const Kpi& k) { return k.kind == KpiKind::kFormula; });
}

Rollup RollupFromParts(const Workspace& ws, const GoalLinks& links,
                       const std::function<std::span<const Checkin>(size_t)>& checkins,
                       Date as_of) {
  Rollup empty;
  empty.as_of = as_of;
  empty.goals = BigVector<GoalResult>(ws.goals.size());  // each kUnmeasured, as summary says
  empty.kpis = BigVector<KpiResult>(ws.kpis.size());
  empty.summary[static_cast<size_t>(GoalStatus::kUnmeasured)] = static_cast<int>(ws.goals.size());
  Affected all;
  all.order = true;
  for (size_t g = 0; g < ws.goals.size(); ++g) all.goals.push_back(static_cast<int>(g));
  for (size_t k = 0; k < ws.kpis.size(); ++k) all.kpis.push_back(static_cast<int>(k));
  // The depths UpdateRollup sorts by come from the order it computes first. Without formula KPIs
  // (UpdateRollupCovers) it always answers.
  return *UpdateRollup(empty, ws, links, checkins, all);
}

}  // namespace cascade
