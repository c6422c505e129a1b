#include "core/lint.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "core/percent.h"

namespace cascade {
namespace {

constexpr double kEps = 1e-9;

std::string Q(std::string_view id) { return "'" + std::string(id) + "'"; }

// A fraction as a whole percentage as every view shows it (core/percent.h: "49%" for 0.499).
std::string WholePercent(double fraction) {
  if (!std::isfinite(fraction)) return "an unknown share";
  return PercentNumber(fraction) + "%";
}

int CountWords(std::string_view text) {
  int words = 0;
  bool in_word = false;
  for (const char c : text) {
    const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words;
}

// Positions grouped by an owner position, each group in vector order (a counting sort).
struct Groups {
  std::vector<int> begin;  // size owners + 1
  std::vector<int> items;

  Groups(size_t owners, const std::vector<int>& owner_of) : begin(owners + 1, 0) {
    for (const int o : owner_of) {
      if (o >= 0) ++begin[static_cast<size_t>(o) + 1];
    }
    for (size_t i = 0; i < owners; ++i) begin[i + 1] += begin[i];
    items.resize(static_cast<size_t>(begin[owners]));
    std::vector<int> fill(begin.begin(), begin.end() - 1);
    for (size_t i = 0; i < owner_of.size(); ++i) {
      const int o = owner_of[i];
      if (o >= 0) items[static_cast<size_t>(fill[static_cast<size_t>(o)]++)] = static_cast<int>(i);
    }
  }
  bool empty(int owner) const {
    return begin[static_cast<size_t>(owner)] == begin[static_cast<size_t>(owner) + 1];
  }
  const int* first(int owner) const { return items.data() + begin[static_cast<size_t>(owner)]; }
  const int* last(int owner) const { return items.data() + begin[static_cast<size_t>(owner) + 1]; }
};

// Strongly connected components of the action dependency graph (iterative Tarjan, O(V + E)).
// Returns, per action, its component number; `on_cycle` is set for actions in a component of two
// or more actions or depending on themselves.
void ActionCycles(const Workspace& ws, const WorkspaceIndex& index, std::vector<int>& component,
                  std::vector<char>& on_cycle) {
  const size_t n = ws.actions.size();
  std::vector<std::vector<int>> deps(n);
  for (size_t a = 0; a < n; ++a) {
    for (const std::string& d : ws.actions[a].depends_on) {
      const int to = index.action(d);
      if (to >= 0) deps[a].push_back(to);
    }
  }
  component.assign(n, -1);
  on_cycle.assign(n, 0);
  std::vector<int> order(n, -1), low(n, 0);
  std::vector<char> on_stack(n, 0);
  std::vector<int> stack;
  std::vector<std::pair<int, size_t>> frames;  // (action, next dependency to visit)
  int counter = 0, components = 0;
  for (size_t root = 0; root < n; ++root) {
    if (order[root] >= 0) continue;
    frames.emplace_back(static_cast<int>(root), 0);
    while (!frames.empty()) {
      auto& [v, next] = frames.back();
      const auto vi = static_cast<size_t>(v);
      if (next == 0 && order[vi] < 0) {
        order[vi] = low[vi] = counter++;
        stack.push_back(v);
        on_stack[vi] = 1;
      }
      if (next < deps[vi].size()) {
        const int w = deps[vi][next++];
        const auto wi = static_cast<size_t>(w);
        if (order[wi] < 0) {
          frames.emplace_back(w, 0);
        } else if (on_stack[wi]) {
          low[vi] = std::min(low[vi], order[wi]);
        }
        continue;
      }
      if (low[vi] == order[vi]) {
        std::vector<int> members;
        int w;
        do {
          w = stack.back();
          stack.pop_back();
          on_stack[static_cast<size_t>(w)] = 0;
          component[static_cast<size_t>(w)] = components;
          members.push_back(w);
        } while (w != v);
        ++components;
        const bool self_loop =
            std::find(deps[vi].begin(), deps[vi].end(), v) != deps[vi].end();
        if (members.size() > 1 || self_loop) {
          for (const int m : members) on_cycle[static_cast<size_t>(m)] = 1;
        }
      }
      const int done = v;
      frames.pop_back();
      if (!frames.empty()) {
        const auto parent = static_cast<size_t>(frames.back().first);
        low[parent] = std::min(low[parent], low[static_cast<size_t>(done)]);
      }
    }
  }
}

}  // namespace

std::string_view ToString(Severity s) { return s == Severity::kError ? "error" : "warning"; }

std::vector<Finding> LintWorkspace(const Workspace& ws, const Rollup& rollup) {
  const WorkspaceIndex index(ws);
  const size_t ng = ws.goals.size();
  std::vector<Finding> out;

  std::vector<int> parent(ng, -1);
  for (size_t g = 0; g < ng; ++g) {
    if (!ws.goals[g].parent.empty()) parent[g] = index.goal(ws.goals[g].parent);
  }
  std::vector<int> goal_of_kpi(ws.kpis.size(), -1);
  for (size_t k = 0; k < ws.kpis.size(); ++k) {
    // A benchmark is a reference series: it measures no goal and is never linted (spec §1).
    if (ws.kpis[k].benchmark_for.empty()) goal_of_kpi[k] = index.goal(ws.kpis[k].goal);
  }
  std::vector<int> goal_of_action(ws.actions.size(), -1);
  for (size_t a = 0; a < ws.actions.size(); ++a) {
    goal_of_action[a] = index.goal(ws.actions[a].goal);
  }
  const Groups kpis_of(ng, goal_of_kpi);
  const Groups actions_of(ng, goal_of_action);

  // Tree facts: an active child (M1), a macro ancestor (R1), a live micro descendant (R2).
  std::vector<char> active_child(ng, 0), macro_above(ng, 0), micro_below(ng, 0);
  for (const int g : rollup.order) {
    const int p = parent[static_cast<size_t>(g)];
    if (p < 0) continue;
    macro_above[static_cast<size_t>(g)] =
        ws.goals[static_cast<size_t>(p)].level == Level::kMacro || macro_above[static_cast<size_t>(p)];
  }
  for (auto it = rollup.order.rbegin(); it != rollup.order.rend(); ++it) {
    const auto g = static_cast<size_t>(*it);
    const int p = parent[g];
    if (p < 0) continue;
    const Goal& goal = ws.goals[g];
    if (goal.state == GoalState::kActive) active_child[static_cast<size_t>(p)] = 1;
    // A cancelled goal and what lies under it no longer break the parent down.
    if (goal.state != GoalState::kCancelled && (goal.level == Level::kMicro || micro_below[g])) {
      micro_below[static_cast<size_t>(p)] = 1;
    }
  }

  std::vector<int> component;
  std::vector<char> on_cycle;
  ActionCycles(ws, index, component, on_cycle);
  const int components =
      component.empty() ? 0 : *std::max_element(component.begin(), component.end()) + 1;
  const Groups members(static_cast<size_t>(components), component);

  auto add = [&out](const char* code, Severity severity, const Goal& goal, std::string kpi,
                    std::string action, std::string message) {
    out.push_back(Finding{code, severity, goal.id, std::move(kpi), std::move(action),
                          std::move(message)});
  };

  for (const int gi : rollup.order) {
    const auto g = static_cast<size_t>(gi);
    const Goal& goal = ws.goals[g];
    if (goal.state == GoalState::kCancelled) continue;
    const bool active = goal.state == GoalState::kActive;
    const GoalResult& r = rollup.goals[g];
    const std::string name = "goal " + Q(goal.id);
    const int p = parent[g];
    const Goal* parent_goal = p >= 0 ? &ws.goals[static_cast<size_t>(p)] : nullptr;

    if (goal.owner.empty()) {
      add("S1", Severity::kError, goal, "", "",
          name + " has no owner; assign the person who answers for it");
    }
    if (CountWords(goal.title) < 3) {
      add("S2", Severity::kWarning, goal, "", "",
          name + ": title " + Q(goal.title) +
              " is too short to say what success looks like; write at least 3 words, e.g. "
              "'Reach 10,000 social followers by June'");
    }
    if (active && kpis_of.empty(gi) && !active_child[g]) {
      add("M1", Severity::kError, goal, "", "",
          name + " has no KPI and no active child goal, so its progress cannot be measured; add "
                 "a KPI or break it down into child goals");
    }
    if (active && r.due && rollup.as_of < *r.due) {
      for (const int* k = kpis_of.first(gi); k != kpis_of.last(gi); ++k) {
        const auto& f = rollup.kpis[static_cast<size_t>(*k)].forecast;
        if (!f || !std::isfinite(*f) || *f >= 0.5 - kEps) continue;
        const Kpi& kpi = ws.kpis[static_cast<size_t>(*k)];
        add("A1", Severity::kWarning, goal, kpi.id, "",
            name + ": at the current trend KPI " + Q(kpi.id) + " reaches " + WholePercent(*f) +
                " of its target by " + r.due->ToString() +
                "; step up the actions behind it, move budget to it, or revise the target");
      }
    }
    if (goal.level == Level::kMicro && !macro_above[g]) {
      add("R1", Severity::kError, goal, "", "",
          "micro " + name + " does not serve any macro goal; place it under the macro goal it "
                            "moves");
    }
    if (goal.level == Level::kMacro && !micro_below[g]) {
      add("R2", Severity::kWarning, goal, "", "",
          "macro " + name + " has no micro goal under it; break it down into short-term micro "
                            "goals that each move one KPI");
    }
    // Due dates as the roll-up reads them: the goal's own, else its cycle's end.
    const std::optional<Date>& due = r.due;
    const std::optional<Date> parent_due =
        p >= 0 ? rollup.goals[static_cast<size_t>(p)].due : std::optional<Date>();
    if (active && !due) {
      add("T1", Severity::kError, goal, "", "",
          name + " has no due date; set one so progress can be judged against time");
    }
    if (due && parent_goal && parent_due && *due > *parent_due) {
      add("T2", Severity::kError, goal, "", "",
          name + ": due " + due->ToString() + " is after its parent " + Q(parent_goal->id) +
              "'s due " + parent_due->ToString() + "; bring it forward to " +
              parent_due->ToString() + " or earlier, or move the parent's due date");
    }
    if (r.start && r.due) {
      const int span = *r.due - *r.start;
      if (goal.level == Level::kMicro && span > 183) {
        add("T3", Severity::kWarning, goal, "", "",
            "micro " + name + " spans " + std::to_string(span) + " days (" +
                r.start->ToString() + " to " + r.due->ToString() +
                "); a micro goal is short-term: split it into micro goals of at most 183 days");
      }
      if (goal.level == Level::kMacro && span < 90) {
        add("T4", Severity::kWarning, goal, "", "",
            "macro " + name + " spans only " + std::to_string(span) + " days (" +
                r.start->ToString() + " to " + r.due->ToString() +
                "); a macro goal is long-term: give it at least 90 days or make it a micro goal");
      }
    }
    for (const int* a = actions_of.first(gi); a != actions_of.last(gi); ++a) {
      if (!on_cycle[static_cast<size_t>(*a)]) continue;
      const Action& action = ws.actions[static_cast<size_t>(*a)];
      // Name a few of the other actions on the cycle (a component can be large).
      const int c = component[static_cast<size_t>(*a)];
      std::string others;
      int named = 0;
      for (const int* o = members.first(c); o != members.last(c) && named < 5; ++o) {
        if (*o == *a) continue;
        others += (named++ ? ", " : "") + Q(ws.actions[static_cast<size_t>(*o)].id);
      }
      const auto more = (members.last(c) - members.first(c)) - 1 - named;
      if (more > 0) others += " and " + std::to_string(more) + " more";
      add("P1", Severity::kError, goal, "", action.id,
          name + ": action " + Q(action.id) +
              (others.empty() ? " depends on itself"
                              : " is in a dependency cycle with " + others) +
              ", so it can never start; remove one of the dependencies");
    }
    for (const int* a = actions_of.first(gi); a != actions_of.last(gi); ++a) {
      const Action& action = ws.actions[static_cast<size_t>(*a)];
      if (!action.due || !due || *action.due <= *due) continue;
      add("P2", Severity::kWarning, goal, "", action.id,
          name + ": action " + Q(action.id) + " is due " + action.due->ToString() +
              ", after the goal's due " + due->ToString() +
              "; bring the action forward or move the goal's due date");
    }
    if (goal.budget_max && r.spent > *goal.budget_max + 1e-9) {
      const auto money = [](double v) {
        char buf[40];
        std::snprintf(buf, sizeof buf, "%g", v);
        return std::string(buf);
      };
      add("B1", Severity::kWarning, goal, "", "",
          name + " has spent " + money(r.spent) + ", over its budget_max of " +
              money(*goal.budget_max) + " by " + money(r.spent - *goal.budget_max) +
              "; raise the budget or stop spending on it");
    }
  }
  return out;
}

}  // namespace cascade
