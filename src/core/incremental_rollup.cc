#include "core/incremental_rollup.h"

#include <algorithm>
#include <unordered_map>

namespace cascade {

GoalLinks::Groups GoalLinks::Group(size_t owners, const std::vector<int>& owner_of) {
  Groups g;
  g.begin.assign(owners + 1, 0);
  for (const int o : owner_of) {
    if (o >= 0) ++g.begin[static_cast<size_t>(o) + 1];
  }
  for (size_t i = 0; i < owners; ++i) g.begin[i + 1] += g.begin[i];
  g.items.resize(static_cast<size_t>(g.begin[owners]));
  std::vector<int> fill(g.begin.begin(), g.begin.end() - 1);
  for (size_t i = 0; i < owner_of.size(); ++i) {
    const int o = owner_of[i];
    if (o >= 0) g.items[static_cast<size_t>(fill[static_cast<size_t>(o)]++)] = static_cast<int>(i);
  }
  return g;
}

GoalLinks::GoalLinks(const Workspace& ws, const WorkspaceIndex& index) {
  parent_.resize(ws.goals.size(), -1);
  for (size_t g = 0; g < ws.goals.size(); ++g) {
    if (!ws.goals[g].parent.empty()) parent_[g] = index.goal(ws.goals[g].parent);
  }
  kpi_goal_.resize(ws.kpis.size(), -1);
  for (size_t k = 0; k < ws.kpis.size(); ++k) kpi_goal_[k] = index.goal(ws.kpis[k].goal);
  kpis_ = Group(ws.goals.size(), kpi_goal_);
  children_ = Group(ws.goals.size(), parent_);
}

std::optional<Affected> AffectedGoals(const Workspace& before, const Workspace& after,
                                      const WorkspaceIndex& after_index,
                                      const GoalLinks& after_links, const ChangeSet& changes) {
  if (before.goals.size() != after.goals.size() || before.kpis.size() != after.kpis.size()) {
    return std::nullopt;
  }
  for (const EntityChange& c : changes.changes) {
    if (c.op == EntityChange::Op::kUpdate) continue;
    const Entity& e = c.after ? *c.after : *c.before;
    if (std::holds_alternative<Goal>(e) || std::holds_alternative<Kpi>(e)) return std::nullopt;
  }
  const size_t ng = after.goals.size();
  const size_t nk = after.kpis.size();
  std::vector<uint8_t> kpi_in(nk, 0);
  std::vector<uint8_t> goal_in(ng, 0);
  Affected out;
  const auto add_kpi = [&](int k) {
    if (k < 0 || kpi_in[static_cast<size_t>(k)]) return;
    kpi_in[static_cast<size_t>(k)] = 1;
    out.kpis.push_back(k);
  };
  const auto add_goal = [&](int g) {
    if (g < 0 || goal_in[static_cast<size_t>(g)]) return;
    goal_in[static_cast<size_t>(g)] = 1;
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
        if (!after.goals[static_cast<size_t>(c)].start) stack.push_back(c);
      }
    }
  };

  for (const Checkin& c : changes.checkins) add_kpi(after_index.kpi(c.kpi));
  for (const CheckinChange& c : changes.checkin_changes) {
    add_kpi(after_index.kpi(c.before.kpi));
    if (c.after) add_kpi(after_index.kpi(c.after->kpi));
  }
  for (const EntityChange& c : changes.changes) {
    // A delete here is of a team, person, action, funnel or experiment: none counts in the roll-up.
    if (!c.after || !c.before) continue;
    if (const Kpi* k = std::get_if<Kpi>(&*c.after)) {
      const Kpi& was = std::get<Kpi>(*c.before);
      add_kpi(after_index.kpi(k->id));
      if (was.goal != k->goal) add_goal(after_index.goal(was.goal));  // lost a KPI
    } else if (const Goal* g = std::get_if<Goal>(&*c.after)) {
      const Goal& was = std::get<Goal>(*c.before);
      const int at = after_index.goal(g->id);
      add_goal(at);
      if (was.parent != g->parent) {
        out.order = true;
        add_goal(after_index.goal(was.parent));  // lost a child; its ancestors come below
      }
      if (was.start != g->start || was.due != g->due || was.parent != g->parent) window_moved(at);
    }
  }
  for (const int k : out.kpis) add_goal(after_links.kpi_goal(static_cast<size_t>(k)));
  // Ancestors, in the tree after the write and, for goals that moved, before it (positions are
  // the same in both).
  const size_t touched = out.goals.size();
  for (size_t i = 0; i < touched; ++i) {
    for (int p = after_links.parent(static_cast<size_t>(out.goals[i])); p >= 0 && !goal_in[p];
         p = after_links.parent(static_cast<size_t>(p))) {
      add_goal(p);
    }
    if (out.order) {
      const Goal* g = &before.goals[static_cast<size_t>(out.goals[i])];
      for (int p = after_index.goal(g->parent); !g->parent.empty() && p >= 0;
           p = after_index.goal(g->parent)) {
        add_goal(p);
        g = &before.goals[static_cast<size_t>(p)];
      }
    }
  }
  // Goals whose KPIs changed need the KPIs' staleness again; goals whose status changed, their
  // KPIs' (UpdateRollup does both from `goals`).
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
// the KPIs that fell back from 100% computed again from their check-ins.
std::optional<Date> AchievedOnOfComplex(
    const Rollup& r, const Workspace& ws, const GoalLinks& links,
    const std::function<std::span<const Checkin>(size_t)>& checkins, size_t g) {
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
            if (kr.full_dips) {
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

}  // namespace

Rollup UpdateRollup(const Rollup& before, const Workspace& after, const GoalLinks& links,
                    const std::function<std::span<const Checkin>(size_t)>& checkins,
                    const Affected& affected) {
  Rollup out = before;
  const Date as_of = out.as_of;
  if (affected.order) OrderGoals(links, after.goals.size(), out.order, out.depth);
  std::vector<int> goals = affected.goals;
  std::sort(goals.begin(), goals.end(), [&](int a, int b) {
    const int da = out.depth[static_cast<size_t>(a)];
    const int db = out.depth[static_cast<size_t>(b)];
    return da != db ? da < db : a < b;
  });
  // Effective starts, parents first (a parent not affected has its start already).
  for (const int g : goals) {
    const auto gi = static_cast<size_t>(g);
    const int p = links.parent(gi);
    GoalResult& r = out.goals[gi];
    r.start = after.goals[gi].start;
    if (!r.start && p >= 0) r.start = out.goals[static_cast<size_t>(p)].start;
    r.due = after.goals[gi].due;
  }
  for (const int k : affected.kpis) {
    const auto ki = static_cast<size_t>(k);
    const int g = links.kpi_goal(ki);
    const GoalResult* gr = g >= 0 ? &out.goals[static_cast<size_t>(g)] : nullptr;
    out.kpis[ki] = RollupKpi(after.kpis[ki], gr ? gr->start : std::nullopt,
                             gr ? gr->due : std::nullopt, checkins(ki), as_of);
  }
  // Goals children first, each summing its KPIs in KPI order and then its active children with a
  // progress in goal order, as ComputeRollup does.
  for (auto it = goals.rbegin(); it != goals.rend(); ++it) {
    const auto gi = static_cast<size_t>(*it);
    GoalResult& r = out.goals[gi];
    --out.summary[static_cast<size_t>(r.status)];
    double w = 0, p = 0, f = 0;
    for (const int k : links.kpis(gi)) {
      const KpiResult& kr = out.kpis[static_cast<size_t>(k)];
      const double weight = after.kpis[static_cast<size_t>(k)].weight;
      w += weight;
      p += weight * kr.progress;
      f += weight * kr.forecast.value_or(kr.progress);
    }
    for (const int c : links.children(gi)) {
      const Goal& child = after.goals[static_cast<size_t>(c)];
      const GoalResult& cr = out.goals[static_cast<size_t>(c)];
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
        achieved.AddKpi(out.kpis[static_cast<size_t>(k)], kpi.kind == KpiKind::kFormula);
      }
    }
    for (const int c : links.children(gi)) {
      if (after.goals[static_cast<size_t>(c)].state == GoalState::kActive) {
        achieved.AddChild(out.goals[static_cast<size_t>(c)]);
      }
    }
    if (achieved.Finish(after.goals[gi].state, as_of, r)) {
      r.achieved_on = AchievedOnOfComplex(out, after, links, checkins, gi);
    }
  }
  for (const int g : goals) {
    const auto gi = static_cast<size_t>(g);
    for (const int k : links.kpis(gi)) {
      KpiResult& kr = out.kpis[static_cast<size_t>(k)];
      kr.stale =
          RollupKpiStale(kr, after.kpis[static_cast<size_t>(k)].cadence_days, out.goals[gi], as_of);
    }
  }
  return out;
}

bool UpdateRollupCovers(const Workspace& ws, bool any_confidence) {
  if (any_confidence || !ws.spend.empty() || !ws.cycles.empty()) return false;
  return std::none_of(ws.kpis.begin(), ws.kpis.end(), [](const Kpi& k) {
    return k.kind == KpiKind::kFormula || !k.benchmark_for.empty();
  });
}

Rollup RollupFromParts(const Workspace& ws, const GoalLinks& links,
                       const std::function<std::span<const Checkin>(size_t)>& checkins,
                       Date as_of) {
  Rollup empty;
  empty.as_of = as_of;
  empty.goals.resize(ws.goals.size());  // each kUnmeasured, as summary says
  empty.kpis.resize(ws.kpis.size());
  empty.summary[static_cast<size_t>(GoalStatus::kUnmeasured)] = static_cast<int>(ws.goals.size());
  Affected all;
  all.order = true;
  for (size_t g = 0; g < ws.goals.size(); ++g) all.goals.push_back(static_cast<int>(g));
  for (size_t k = 0; k < ws.kpis.size(); ++k) all.kpis.push_back(static_cast<int>(k));
  // The depths UpdateRollup sorts by come from the order it computes first.
  return UpdateRollup(empty, ws, links, checkins, all);
}

}  // namespace cascade
