#include "core/validate.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/formula.h"

namespace cascade {
namespace {

constexpr double kEps = 1e-9;

std::string Q(std::string_view id) { return "'" + std::string(id) + "'"; }

// "value 1e+307 is not allowed; value must be between -1e15 and 1e15".
std::string NumberRefusal(const std::string& field, double value) {
  return field + " " + RefusalNumber(value) + " is not allowed; " + field + " must be a " +
         (std::isfinite(value) ? "number " : "finite number ") + EntryValueRangeText();
}

// "date 0001-01-01 is outside the dates Cascade accepts; use a date from 1900-01-01 to 2199-12-31".
std::string DateRefusal(const std::string& field, Date date) {
  return field + " " + date.ToString() + " is outside the dates Cascade accepts; use a date from " +
         EntryDateRangeText();
}

// Collects errors about one kind of entity, each message starting with the entity's name.
class Reporter {
 public:
  Reporter(Errors& out, std::string kind, std::string label)
      : out_(out), kind_(std::move(kind)), label_(std::move(label)) {}

  // "goal 'launch'" (or "goal with no id").
  std::string Name(std::string_view id) const {
    return id.empty() ? label_ + " with no id" : label_ + " " + Q(id);
  }
  void Invalid(std::string_view id, std::string field, const std::string& what) {
    out_.push_back(
        Error::Invalid(Name(id) + ": " + what, kind_, std::string(id), std::move(field)));
  }
  void UnknownReference(std::string_view id, std::string field, const std::string& what) {
    out_.push_back(
        Error::UnknownReference(Name(id) + ": " + what, kind_, std::string(id), std::move(field)));
  }
  void Conflict(std::string_view id, std::string field, const std::string& what) {
    out_.push_back(
        Error::Conflict(Name(id) + ": " + what, kind_, std::string(id), std::move(field)));
  }

  // The id is a slug and the first of its kind; `first` is the position the index holds for it.
  void Id(std::string_view id, int position, int first) {
    if (!IsValidId(id)) {
      Invalid(id, "id",
              id.empty() ? "every " + label_ +
                               " needs an id; use 1 to 64 lowercase letters, "
                               "digits, '-' or '_', starting with a letter or digit"
                         : "id " + Q(id) +
                               " is not a valid id; use 1 to 64 lowercase letters, "
                               "digits, '-' or '_', starting with a letter or digit");
    } else if (position != first) {
      Conflict(id, "id",
               "id " + Q(id) + " is used by another " + label_ + "; ids must be unique among " +
                   (label_ == "person" ? std::string("people") : label_ + "s"));
    }
  }

  // `value` is a finite number within ±kLargestValue (true) or an error is reported (false).
  bool Number(std::string_view id, const std::string& field, double value) {
    if (IsEntryValue(value)) return true;
    Invalid(id, field, NumberRefusal(field, value));
    return false;
  }

  // `date`, when set, lies in the entry range (true) or an error is reported (false).
  bool EntryDate(std::string_view id, const std::string& field, std::optional<Date> date) {
    if (!date || IsEntryDate(*date)) return true;
    Invalid(id, field, DateRefusal(field, *date));
    return false;
  }

  // A reference to another entity: `found` says whether it exists; empty refs are allowed
  // unless `required`.
  void Ref(std::string_view id, const std::string& field, std::string_view ref, bool found,
           std::string_view target_label, bool required) {
    if (ref.empty()) {
      if (required) {
        Invalid(
            id, field,
            field + " is missing; every " + label_ + " belongs to a " + std::string(target_label));
      }
      return;
    }
    if (!found) {
      UnknownReference(id, field,
                       field + " " + Q(ref) + " does not exist; " + field +
                           " must be the id of a " + std::string(target_label) +
                           (required ? "" : " or empty"));
    }
  }

 private:
  Errors& out_;
  std::string kind_;
  std::string label_;
};

// Cycles of the forest given by parent positions (-1 = none): each cycle once, as the positions
// met following parent links from the cycle's first member in vector order. O(n).
std::vector<std::vector<int>> FindCycles(const std::vector<int>& parent) {
  const size_t n = parent.size();
  std::vector<char> state(n, 0);  // 0 unseen, 1 on the current walk, 2 done
  std::vector<int> walk;
  std::vector<std::vector<int>> cycles;
  for (size_t s = 0; s < n; ++s) {
    if (state[s]) continue;
    walk.clear();
    int v = static_cast<int>(s);
    while (v >= 0 && state[static_cast<size_t>(v)] == 0) {
      state[static_cast<size_t>(v)] = 1;
      walk.push_back(v);
      v = parent[static_cast<size_t>(v)];
    }
    if (v >= 0 && state[static_cast<size_t>(v)] == 1) {
      std::vector<int> cycle(std::find(walk.begin(), walk.end(), v), walk.end());
      std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
      cycles.push_back(std::move(cycle));
    }
    for (const int w : walk) state[static_cast<size_t>(w)] = 2;
  }
  return cycles;
}

// "a → b → a"
template <typename Items>
std::string CyclePath(const Items& items, const std::vector<int>& cycle) {
  std::string path;
  for (const int i : cycle) path += items[static_cast<size_t>(i)].id + " → ";
  return path + items[static_cast<size_t>(cycle.front())].id;
}

// Parent positions of a tree-shaped entity vector (-1 for none or unknown).
template <typename Items, typename Lookup>
std::vector<int> ParentPositions(const Items& items, Lookup lookup) {
  std::vector<int> parent(items.size(), -1);
  for (size_t i = 0; i < items.size(); ++i) {
    if (!items[i].parent.empty()) parent[i] = lookup(items[i].parent);
  }
  return parent;
}

// For each cycle, its first member's position → the cycle.
std::unordered_map<int, std::vector<int>> CyclesByHead(std::vector<std::vector<int>> cycles) {
  std::unordered_map<int, std::vector<int>> by_head;
  for (auto& c : cycles) by_head.emplace(c.front(), std::move(c));
  return by_head;
}

template <typename E>
bool InRange(E v, E last) {
  return static_cast<int>(v) >= 0 && static_cast<int>(v) <= static_cast<int>(last);
}

void ValidateTeams(const Workspace& ws, const WorkspaceIndex& index, Errors& errors) {
  Reporter r(errors, "team", "team");
  const std::vector<int> parent =
      ParentPositions(ws.teams, [&](std::string_view id) { return index.team(id); });
  const auto cycles = CyclesByHead(FindCycles(parent));
  for (size_t i = 0; i < ws.teams.size(); ++i) {
    const Team& t = ws.teams[i];
    r.Id(t.id, static_cast<int>(i), index.team(t.id));
    r.Ref(t.id, "parent", t.parent, parent[i] >= 0, "team", false);
    if (auto it = cycles.find(static_cast<int>(i)); it != cycles.end()) {
      r.Invalid(t.id, "parent",
                "parent " + Q(t.parent) + " makes a cycle (" + CyclePath(ws.teams, it->second) +
                    "); a team cannot be its own ancestor");
    }
  }
}

void ValidatePeople(const Workspace& ws, const WorkspaceIndex& index, Errors& errors) {
  Reporter r(errors, "person", "person");
  for (size_t i = 0; i < ws.people.size(); ++i) {
    const Person& p = ws.people[i];
    r.Id(p.id, static_cast<int>(i), index.person(p.id));
    if (!p.email.empty() && p.email.find('@') == std::string::npos) {
      r.Invalid(p.id, "email",
                "email " + Q(p.email) +
                    " is not an email address; write it as name@example.com "
                    "or leave it empty");
    }
    r.Ref(p.id, "team", p.team, index.team(p.team) >= 0, "team", false);
    if (!InRange(p.role, Role::kViewer)) {
      r.Invalid(p.id, "role", "role is not valid; role must be admin, lead, member or viewer");
    }
  }
}

// The position of the first repeat in `ids` (a list of ids), or -1.
int FirstRepeat(const std::vector<std::string>& ids) {
  for (size_t i = 1; i < ids.size(); ++i) {
    if (std::find(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(i), ids[i]) !=
        ids.begin() + static_cast<std::ptrdiff_t>(i)) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

// contributors: people of the workspace, each once.
void ValidateContributors(Reporter& r, const Goal& g, const WorkspaceIndex& index) {
  for (const std::string& p : g.contributors) {
    if (index.person(p) < 0) {
      r.UnknownReference(
          g.id, "contributors",
          "contributors " + Q(p) + " does not exist; contributors must be ids of people");
    }
  }
  if (const int i = FirstRepeat(g.contributors); i >= 0) {
    r.Invalid(g.id, "contributors",
              "contributors lists " + Q(g.contributors[static_cast<size_t>(i)]) +
                  " twice; list each person once");
  }
}

// supports (spec §1): existing goals other than the goal itself, its parent, its ancestors and its
// descendants (those are already in its roll-up), each once. `parent` holds every goal's parent
// position; walks are bounded by the number of goals, so a (separately refused) cycle ends them.
void ValidateSupports(Reporter& r, const Workspace& ws, const WorkspaceIndex& index,
                      const std::vector<int>& parent, int self) {
  const Goal& g = ws.goals[static_cast<size_t>(self)];
  const size_t n = ws.goals.size();
  // True when `above` is `below`'s parent or an ancestor of it.
  const auto is_ancestor = [&](int above, int below) {
    int v = parent[static_cast<size_t>(below)];
    for (size_t steps = 0; v >= 0 && steps < n; ++steps) {
      if (v == above) return true;
      v = parent[static_cast<size_t>(v)];
    }
    return false;
  };
  for (const std::string& s : g.supports) {
    const int target = index.goal(s);
    const std::string what = "supports " + Q(s) + " is not allowed; ";
    if (target < 0) {
      r.UnknownReference(g.id, "supports",
                         "supports " + Q(s) + " does not exist; supports must be ids of goals");
    } else if (target == self) {
      r.Invalid(g.id, "supports", what + "a goal cannot support itself");
    } else if (target == parent[static_cast<size_t>(self)]) {
      r.Invalid(g.id, "supports",
                what + "it is the goal's parent, which its progress already counts in");
    } else if (is_ancestor(target, self)) {
      r.Invalid(g.id, "supports",
                what + "it is an ancestor of the goal, which its progress already counts in");
    } else if (is_ancestor(self, target)) {
      r.Invalid(g.id, "supports",
                what + "it is a descendant of the goal, whose progress already counts in it");
    }
  }
  if (const int i = FirstRepeat(g.supports); i >= 0) {
    r.Invalid(
        g.id, "supports",
        "supports lists " + Q(g.supports[static_cast<size_t>(i)]) + " twice; list each goal once");
  }
}

void ValidateGoals(const Workspace& ws, const WorkspaceIndex& index, Errors& errors) {
  Reporter r(errors, "goal", "goal");
  const size_t n = ws.goals.size();
  const std::vector<int> parent =
      ParentPositions(ws.goals, [&](std::string_view id) { return index.goal(id); });
  const auto cycle_list = FindCycles(parent);

  // Effective start: own, else the nearest ancestor's. Goals on a cycle inherit nothing.
  std::vector<std::optional<Date>> start(n);
  std::vector<int> from(n, -1);  // the goal the start is inherited from, -1 for own or none
  std::vector<char> known(n, 0);
  for (const auto& c : cycle_list) {
    for (const int g : c) known[static_cast<size_t>(g)] = 1;
  }
  for (size_t g = 0; g < n; ++g) {
    const int c = ws.goals[g].cycle.empty() ? -1 : index.cycle(ws.goals[g].cycle);
    const std::optional<Date> own =
        GoalOwnDates(ws.goals[g], c >= 0 ? &ws.cycles[static_cast<size_t>(c)] : nullptr).start;
    if (own) known[g] = 1;
    if (known[g]) start[g] = own;
  }
  std::vector<int> walk;
  for (size_t g = 0; g < n; ++g) {
    if (known[g]) continue;
    walk.clear();
    int v = static_cast<int>(g);
    while (v >= 0 && !known[static_cast<size_t>(v)]) {
      walk.push_back(v);
      v = parent[static_cast<size_t>(v)];
    }
    std::optional<Date> base;
    int base_from = -1;
    if (v >= 0) {
      base = start[static_cast<size_t>(v)];
      base_from = from[static_cast<size_t>(v)] >= 0 ? from[static_cast<size_t>(v)] : v;
    }
    for (const int w : walk) {
      start[static_cast<size_t>(w)] = base;
      from[static_cast<size_t>(w)] = base ? base_from : -1;
      known[static_cast<size_t>(w)] = 1;
    }
  }

  const auto cycles = CyclesByHead(cycle_list);
  for (size_t i = 0; i < n; ++i) {
    const Goal& g = ws.goals[i];
    r.Id(g.id, static_cast<int>(i), index.goal(g.id));
    if (!InRange(g.level, Level::kMicro)) {
      r.Invalid(g.id, "level", "level is not valid; level must be macro or micro");
    }
    if (!InRange(g.state, GoalState::kCancelled)) {
      r.Invalid(g.id, "state", "state is not valid; state must be active, draft or cancelled");
    }
    if (!InRange(g.priority, Priority::kLow)) {
      r.Invalid(g.id, "priority", "priority is not valid; priority must be high, medium or low");
    }
    if (!InRange(g.stage, Stage::kRetention)) {
      r.Invalid(g.id, "stage",
                "stage is not valid; stage must be awareness, consideration, conversion, "
                "retention or empty");
    }
    r.Ref(g.id, "parent", g.parent, parent[i] >= 0, "goal", false);
    if (auto it = cycles.find(static_cast<int>(i)); it != cycles.end()) {
      r.Invalid(g.id, "parent",
                "parent " + Q(g.parent) + " makes a cycle (" + CyclePath(ws.goals, it->second) +
                    "); a goal cannot be its own ancestor");
    }
    if (parent[i] >= 0) {
      const Goal& p = ws.goals[static_cast<size_t>(parent[i])];
      if (p.level == Level::kMicro && g.level == Level::kMacro) {
        r.Invalid(g.id, "level",
                  "a macro goal cannot sit under micro goal " + Q(p.id) + "; make " + Q(g.id) +
                      " micro or move it under a macro goal");
      }
    }
    r.Ref(g.id, "owner", g.owner, index.person(g.owner) >= 0, "person", false);
    ValidateContributors(r, g, index);
    ValidateSupports(r, ws, index, parent, static_cast<int>(i));
    r.Ref(g.id, "team", g.team, index.team(g.team) >= 0, "team", false);
    r.Ref(g.id, "cycle", g.cycle, index.cycle(g.cycle) >= 0, "cycle", false);
    if (r.Number(g.id, "weight", g.weight) && g.weight <= 0) {
      r.Invalid(
          g.id, "weight",
          "weight " + RefusalNumber(g.weight) + " is not allowed; weight must be greater than 0");
    }
    if (r.Number(g.id, "growth_potential", g.growth_potential) && g.growth_potential < 0) {
      r.Invalid(g.id, "growth_potential",
                "growth_potential " + RefusalNumber(g.growth_potential) +
                    " is negative; growth_potential must be 0 or more");
    }
    const bool min_ok = r.Number(g.id, "budget_min", g.budget_min);
    if (min_ok && g.budget_min < 0) {
      r.Invalid(g.id, "budget_min",
                "budget_min " + RefusalNumber(g.budget_min) +
                    " is negative; budget_min must be 0 or more");
    }
    if (g.budget_max && r.Number(g.id, "budget_max", *g.budget_max) && min_ok &&
        *g.budget_max < g.budget_min) {
      r.Invalid(g.id, "budget_max",
                "budget_max " + RefusalNumber(*g.budget_max) + " is below budget_min " +
                    RefusalNumber(g.budget_min) + "; budget_max must be at least budget_min");
    }
    const bool start_ok = r.EntryDate(g.id, "start", g.start);
    const bool due_ok = r.EntryDate(g.id, "due", g.due);
    if (const int c = g.cycle.empty() ? -1 : index.cycle(g.cycle); c >= 0) {
      // Its own dates lie inside its cycle (spec §2 "Cycles").
      const Cycle& cy = ws.cycles[static_cast<size_t>(c)];
      for (const auto& [field, date] : {std::pair{"start", g.start}, std::pair{"due", g.due}}) {
        if (!date || (*date >= cy.start && *date <= cy.end)) continue;
        r.Invalid(g.id, field,
                  std::string(field) + " " + date->ToString() + " is outside cycle " + Q(cy.id) +
                      " (" + cy.start.ToString() + " to " + cy.end.ToString() + "); " + field +
                      " must lie inside its cycle, or be left out to take the cycle's");
      }
    }
    if (start_ok && due_ok && g.due && start[i] && *g.due < *start[i]) {
      const std::string inherited =
          from[i] >= 0 ? " (inherited from " + Q(ws.goals[static_cast<size_t>(from[i])].id) + ")"
                       : "";
      r.Invalid(g.id, "due",
                "due " + g.due->ToString() + " is before start " + start[i]->ToString() +
                    inherited + "; due must be on or after start");
    }
  }
}

// A target written relative to the baseline ("+10%") is well formed, on a kind that has a baseline
// to grow from, and has a non-zero baseline to resolve against. False when refused (the target is
// then not the resolved number, so no other rule reads it).
bool ValidateRelativeTarget(const Kpi& k, Reporter& r) {
  if (k.target_written.empty()) return true;
  const std::string written = Q(k.target_written);
  if (!ParseRelativeTarget(k.target_written)) {
    r.Invalid(k.id, "target",
              "target " + written +
                  " is not a number or a target relative to the baseline; write a number or a "
                  "signed percent such as +10% or -5%");
    return false;
  }
  if (k.kind != KpiKind::kLevel && k.kind != KpiKind::kCumulative && k.kind != KpiKind::kFormula) {
    r.Invalid(k.id, "target",
              "target " + written + " is relative, which a " + std::string(ToString(k.kind)) +
                  " KPI cannot take; relative targets are for level, cumulative and formula KPIs");
    return false;
  }
  if (!k.baseline || *k.baseline == 0) {
    r.Invalid(
        k.id, "target",
        "target " + written + " is relative to the baseline, but baseline is " +
            (k.baseline ? "0" : "not set") +
            "; a relative target needs a non-zero baseline (or write the target as a number)");
    return false;
  }
  return true;
}

// A formula KPI has a formula that parses and reads existing KPIs; a benchmark is for an existing
// KPI other than itself that is no benchmark itself.
void ValidateKpiReferences(const Kpi& k, const WorkspaceIndex& index, const Workspace& ws,
                           Reporter& r) {
  if (k.kind == KpiKind::kFormula) {
    if (k.formula.empty()) {
      r.Invalid(k.id, "formula",
                "formula is missing; a formula KPI computes its value from other KPIs, e.g. "
                "formula: \"{customers} / {leads} * 100\"");
    } else if (auto f = Formula::Parse(k.formula); !f) {
      r.Invalid(k.id, "formula", f.error().message);  // "formula, character 7: expected …"
    } else {
      for (const std::string& input : f->inputs()) {
        if (index.kpi(input) < 0) {
          r.UnknownReference(k.id, "formula",
                             "formula reads {" + input + "}, but KPI " + Q(input) +
                                 " does not exist; write {id} with the id of an existing KPI");
        }
      }
    }
  } else if (!k.formula.empty()) {
    r.Invalid(k.id, "formula",
              "formula is set, but kind is " + std::string(ToString(k.kind)) +
                  "; only a KPI of kind formula has a formula");
  }
  if (k.benchmark_for.empty()) return;
  const int of = index.kpi(k.benchmark_for);
  if (k.benchmark_for == k.id) {
    r.Invalid(k.id, "benchmark_for",
              "benchmark_for " + Q(k.benchmark_for) +
                  " is the KPI itself; a benchmark is drawn beside another KPI");
  } else if (of < 0) {
    r.UnknownReference(k.id, "benchmark_for",
                       "benchmark_for " + Q(k.benchmark_for) +
                           " does not exist; benchmark_for must be the id of a KPI");
  } else if (!ws.kpis[static_cast<size_t>(of)].benchmark_for.empty()) {
    r.Invalid(k.id, "benchmark_for",
              "benchmark_for " + Q(k.benchmark_for) + " is itself a benchmark (for " +
                  Q(ws.kpis[static_cast<size_t>(of)].benchmark_for) +
                  "); a benchmark must be for a KPI that is not one");
  }
}

// No formula reads itself, directly or through other formulas.
void ValidateFormulaCycles(const Workspace& ws, Reporter& r) {
  std::unordered_map<std::string, std::vector<std::string>> formulas;
  for (const Kpi& k : ws.kpis) {
    if (k.kind != KpiKind::kFormula || k.formula.empty()) continue;
    auto f = Formula::Parse(k.formula);
    if (f) formulas.emplace(k.id, f->inputs());
  }
  if (formulas.empty()) return;
  const auto cycle = FindFormulaCycle(formulas);
  if (!cycle) return;
  std::string path;
  for (const std::string& id : *cycle) path += (path.empty() ? "" : " → ") + id;
  r.Invalid(cycle->front(), "formula",
            cycle->size() == 2
                ? "formula reads {" + cycle->front() + "}, itself; a formula must read other KPIs"
                : "formula reads itself through other formulas (" + path +
                      "); a formula must not depend on its own value");
}

void ValidateKpis(const Workspace& ws, const WorkspaceIndex& index, Errors& errors) {
  Reporter r(errors, "kpi", "KPI");
  for (size_t i = 0; i < ws.kpis.size(); ++i) {
    const Kpi& k = ws.kpis[i];
    r.Id(k.id, static_cast<int>(i), index.kpi(k.id));
    r.Ref(k.id, "goal", k.goal, index.goal(k.goal) >= 0, "goal", true);
    const bool kind_ok = InRange(k.kind, KpiKind::kFormula);
    if (!kind_ok) {
      r.Invalid(k.id, "kind",
                "kind is not valid; kind must be level, cumulative, milestone, threshold or "
                "formula");
    }
    if (!InRange(k.direction, Direction::kBelow)) {
      r.Invalid(k.id, "direction", "direction is not valid; direction must be above or below");
    }
    const bool baseline_ok = !k.baseline || r.Number(k.id, "baseline", *k.baseline);
    const bool target_ok = r.Number(k.id, "target", k.target);
    if (r.Number(k.id, "weight", k.weight) && k.weight <= 0) {
      r.Invalid(
          k.id, "weight",
          "weight " + RefusalNumber(k.weight) + " is not allowed; weight must be greater than 0");
    }
    if (k.cadence_days < 1) {
      r.Invalid(k.id, "cadence_days",
                "cadence_days " + std::to_string(k.cadence_days) +
                    " is not allowed; cadence_days must be 1 or more");
    }
    if (!kind_ok) continue;
    const std::string kind(ToString(k.kind));
    const bool relative_ok = ValidateRelativeTarget(k, r);
    ValidateKpiReferences(k, index, ws, r);
    switch (k.kind) {
      case KpiKind::kLevel:
      case KpiKind::kCumulative:
      case KpiKind::kFormula: {
        if (!relative_ok) break;
        const double b = k.effective_baseline().value_or(0.0);
        if (baseline_ok && target_ok && std::fabs(k.target - b) <= kEps) {
          r.Invalid(k.id, "target",
                    "target " + RefusalNumber(k.target) + " equals baseline " + RefusalNumber(b) +
                        "; a " + kind + " KPI needs a target different from its baseline");
        }
        break;
      }
      case KpiKind::kThreshold:
        if (k.direction != Direction::kAbove && k.direction != Direction::kBelow) {
          r.Invalid(k.id, "direction",
                    "a threshold KPI needs a direction; direction must be above (hold at or "
                    "above the target) or below (hold at or below it)");
        }
        break;
      case KpiKind::kMilestone:
        if (baseline_ok && k.baseline && *k.baseline != 0) {
          r.Invalid(k.id, "baseline",
                    "baseline " + RefusalNumber(*k.baseline) +
                        " is not allowed; a milestone KPI has baseline 0 (not done)");
        }
        if (target_ok && k.target != 1) {
          r.Invalid(k.id, "target",
                    "target " + RefusalNumber(k.target) +
                        " is not allowed; a milestone KPI has target 1 (done)");
        }
        break;
    }
  }
  ValidateFormulaCycles(ws, r);
}

void ValidateCheckins(const Workspace& ws, const WorkspaceIndex& index, Errors& errors) {
  std::string_view last_id;
  int kpi = -1;
  for (size_t i = 0; i < ws.checkins.size(); ++i) {
    const Checkin& c = ws.checkins[i];
    // Check-ins usually come grouped by KPI; remembering the last lookup skips most hashing.
    if (i == 0 || c.kpi != last_id) {
      last_id = c.kpi;
      kpi = index.kpi(c.kpi);
    }
    ValidateCheckin(c, kpi < 0 ? nullptr : &ws.kpis[static_cast<size_t>(kpi)], errors);
  }
}

void ValidateSpendRecords(const Workspace& ws, const WorkspaceIndex& index, Errors& errors) {
  for (const Spend& s : ws.spend) ValidateSpend(s, index.goal(s.goal) >= 0, errors);
}

// A comment is on a goal of the workspace (spend is checked the same way, by ValidateSpend).
void ValidateCommentGoals(const Workspace& ws, const WorkspaceIndex& index, Errors& errors) {
  for (const Comment& c : ws.comments) {
    if (index.goal(c.goal) >= 0) continue;
    errors.push_back(Error::UnknownReference(
        "comment of " + c.date.ToString() + " on goal " + Q(c.goal) + ": goal " + Q(c.goal) +
            " does not exist; a comment must name an existing goal",
        "comment", c.goal, "goal"));
  }
}

void ValidateActions(const Workspace& ws, const WorkspaceIndex& index, Errors& errors) {
  Reporter r(errors, "action", "action");
  for (size_t i = 0; i < ws.actions.size(); ++i) {
    const Action& a = ws.actions[i];
    r.Id(a.id, static_cast<int>(i), index.action(a.id));
    r.Ref(a.id, "goal", a.goal, index.goal(a.goal) >= 0, "goal", true);
    r.Ref(a.id, "owner", a.owner, index.person(a.owner) >= 0, "person", false);
    r.EntryDate(a.id, "due", a.due);
    for (const std::string& dep : a.depends_on) {
      if (index.action(dep) < 0) {
        r.UnknownReference(
            a.id, "depends_on",
            "depends_on " + Q(dep) + " does not exist; list ids of existing actions");
      }
    }
  }
}

void ValidateCycles(const Workspace& ws, const WorkspaceIndex& index, Errors& errors) {
  Reporter r(errors, "cycle", "cycle");
  for (size_t i = 0; i < ws.cycles.size(); ++i) {
    const Cycle& c = ws.cycles[i];
    r.Id(c.id, static_cast<int>(i), index.cycle(c.id));
    if (!InRange(c.state, CycleState::kClosed)) {
      r.Invalid(c.id, "state", "state is not valid; state must be open or closed");
    }
    const bool start_ok = r.EntryDate(c.id, "start", c.start);
    const bool end_ok = r.EntryDate(c.id, "end", c.end);
    if (start_ok && end_ok && c.end < c.start) {
      r.Invalid(c.id, "end",
                "end " + c.end.ToString() + " is before start " + c.start.ToString() +
                    "; a cycle ends on or after its start");
    }
  }
}

}  // namespace

std::string OpenDependencies(const Action& action, const Workspace& ws,
                             const WorkspaceIndex& index) {
  std::vector<std::string> open;
  for (const std::string& dep : action.depends_on) {
    const int d = index.action(dep);
    if (d >= 0 && !ws.actions[static_cast<size_t>(d)].done) open.push_back(Q(dep));
  }
  if (open.empty()) return "";
  std::string names;
  for (size_t i = 0; i < open.size(); ++i) {
    names += (i == 0 ? "" : i + 1 == open.size() ? " and " : ", ") + open[i];
  }
  return "action " + Q(action.id) + " cannot be marked done while " + names +
         (open.size() == 1 ? ", which it depends on, is open; mark it"
                           : ", which it depends on, are open; mark them") +
         " done first";
}

Errors ValidateKindChanges(const Workspace& before, const Workspace& after) {
  Errors errors;
  std::unordered_map<std::string_view, KpiKind> kind_before;
  for (const Kpi& k : before.kpis) kind_before.emplace(k.id, k.kind);
  std::unordered_map<std::string_view, size_t> checkins;  // of the KPIs made formulas
  for (const Kpi& k : after.kpis) {
    auto it = kind_before.find(k.id);
    if (k.kind == KpiKind::kFormula && it != kind_before.end() && it->second != KpiKind::kFormula) {
      checkins.emplace(k.id, 0);
    }
  }
  if (checkins.empty()) return errors;
  for (const Checkin& c : after.checkins) {
    if (auto it = checkins.find(c.kpi); it != checkins.end()) ++it->second;
  }
  for (const Kpi& k : after.kpis) {
    auto it = checkins.find(k.id);
    if (it == checkins.end() || it->second == 0) continue;
    const std::string n = std::to_string(it->second);
    errors.push_back(Error::Invalid(
        "kpi " + Q(k.id) + ": kind formula is not allowed while it has " + n +
            (it->second == 1 ? " check-in" : " check-ins") +
            "; a formula KPI's value is computed from other KPIs and takes none: keep kind " +
            std::string(ToString(kind_before.at(k.id))) +
            ", or remove its check-ins first (`cascade checkins list --kpi " + k.id + "`)",
        "kpi", k.id, "kind"));
  }
  return errors;
}

Errors ValidateActionsDone(const Workspace& before, const Workspace& after) {
  Errors errors;
  std::unordered_map<std::string_view, bool> was_done;
  for (const Action& a : before.actions) was_done.emplace(a.id, a.done);
  std::optional<WorkspaceIndex> index;  // built only when some action turns done
  for (const Action& a : after.actions) {
    if (!a.done || a.depends_on.empty()) continue;
    auto it = was_done.find(a.id);
    if (it != was_done.end() && it->second) continue;
    if (!index) index.emplace(after);
    std::string why = OpenDependencies(a, after, *index);
    if (!why.empty()) errors.push_back(Error::Conflict(std::move(why), "action", a.id, "done"));
  }
  return errors;
}

namespace {

void ValidateFunnels(const Workspace& ws, const WorkspaceIndex& index, Errors& errors) {
  Reporter r(errors, "funnel", "funnel");
  for (size_t i = 0; i < ws.funnels.size(); ++i) {
    const Funnel& f = ws.funnels[i];
    r.Id(f.id, static_cast<int>(i), index.funnel(f.id));
    if (f.stages.size() < 2) {
      r.Invalid(f.id, "stages",
                "has " + std::to_string(f.stages.size()) +
                    (f.stages.size() == 1 ? " stage" : " stages") +
                    "; a funnel needs at least 2 stages, each a KPI id, top of the funnel first");
    }
    for (const std::string& stage : f.stages) {
      if (index.kpi(stage) < 0) {
        r.UnknownReference(
            f.id, "stages",
            "stage " + Q(stage) + " does not exist; each stage must be the id of a KPI");
      }
    }
  }
}

void ValidateExperiments(const Workspace& ws, const WorkspaceIndex& index, Errors& errors) {
  Reporter r(errors, "experiment", "experiment");
  for (size_t i = 0; i < ws.experiments.size(); ++i) {
    const Experiment& e = ws.experiments[i];
    r.Id(e.id, static_cast<int>(i), index.experiment(e.id));
    r.Ref(e.id, "goal", e.goal, index.goal(e.goal) >= 0, "goal", false);
    for (const auto& [field, arm] : {std::pair<std::string, const Arm&>{"control", e.control},
                                     std::pair<std::string, const Arm&>{"variant", e.variant}}) {
      if (arm.visitors <= 0) {
        r.Invalid(e.id, field,
                  field + " visitors " + std::to_string(arm.visitors) +
                      " is not allowed; visitors must be at least 1");
      }
      if (arm.conversions < 0 || arm.conversions > arm.visitors) {
        r.Invalid(e.id, field,
                  field + " conversions " + std::to_string(arm.conversions) +
                      " is not allowed; conversions must be between 0 and the " +
                      std::to_string(arm.visitors) + " visitors");
      }
    }
  }
}

// True when `s` is well-formed UTF-8 (no overlong forms, surrogates or code points past U+10FFFF).
bool IsUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;  // truncated
    for (size_t k = 1; k <= n; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return false;
    }
    i += n + 1;
  }
  return true;
}

// Characters (code points) in UTF-8 text.
size_t Chars(std::string_view s) {
  return static_cast<size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

// What a text field may be besides bounded: empty, or (a title) never blank.
enum class Blank { kAllowed, kOnlyEmpty, kRefused };

// Text that is not UTF-8 (bytes from a file or a command line in another encoding) can never be
// shown or exported as JSON: refused, naming the entity and the field. Text is also bounded
// (kMaxNameChars, kMaxTextChars), and a title is never empty or only spaces.
void CheckText(Errors& errors, std::string_view text, const char* kind, const std::string& id,
               const std::string& label, const char* field, size_t max = kMaxNameChars,
               Blank blank = Blank::kAllowed) {
  const auto fail = [&](const std::string& what) {
    errors.push_back(Error::Invalid(label + ": " + field + what, kind, id, field));
  };
  const bool blank_text = text.find_first_not_of(" \t\r\n") == std::string_view::npos;
  if (!IsUtf8(text)) {
    fail(" is not UTF-8 text; save the file or type the text as UTF-8");
  } else if (text.size() > max && Chars(text) > max) {
    fail(" is " + std::to_string(Chars(text)) + " characters long; " + field +
         " may hold at most " + std::to_string(max) + " characters");
  } else if (blank_text &&
             (blank == Blank::kRefused || (blank == Blank::kOnlyEmpty && !text.empty()))) {
    fail(blank == Blank::kRefused
             ? " is empty; every " + std::string(kind) + " needs a " + field
             : " is only spaces; write a " + std::string(field) + " or leave it out");
  }
}

void ValidateText(const Workspace& ws, Errors& errors) {
  const auto check = [&errors](auto&&... args) { CheckText(errors, args...); };
  for (const Team& t : ws.teams) {
    check(t.name, "team", t.id, "team " + Q(t.id), "name", kMaxNameChars, Blank::kOnlyEmpty);
  }
  for (const Person& p : ws.people) {
    check(p.name, "person", p.id, "person " + Q(p.id), "name", kMaxNameChars, Blank::kOnlyEmpty);
    check(p.email, "person", p.id, "person " + Q(p.id), "email");
  }
  for (const Goal& g : ws.goals) {
    const std::string label = "goal " + Q(g.id);
    check(g.title, "goal", g.id, label, "title", kMaxNameChars, Blank::kRefused);
    check(g.description, "goal", g.id, label, "description", kMaxTextChars);
    check(g.channel, "goal", g.id, label, "channel");
    check(g.segment, "goal", g.id, label, "segment");
    for (const std::string& tag : g.tags) check(tag, "goal", g.id, label, "tags");
  }
  for (const Kpi& k : ws.kpis) {
    const std::string label = "kpi " + Q(k.id);
    check(k.name, "kpi", k.id, label, "name", kMaxNameChars, Blank::kOnlyEmpty);
    check(k.unit, "kpi", k.id, label, "unit");
    check(k.source, "kpi", k.id, label, "source");
    check(k.target_written, "kpi", k.id, label, "target");
    check(k.formula, "kpi", k.id, label, "formula", kMaxFormulaChars);
  }
  for (const Checkin& c : ws.checkins) ValidateCheckinText(c, errors);
  for (const Action& a : ws.actions) {
    check(a.title, "action", a.id, "action " + Q(a.id), "title", kMaxNameChars, Blank::kRefused);
  }
  for (const Cycle& c : ws.cycles) {
    check(c.name, "cycle", c.id, "cycle " + Q(c.id), "name", kMaxNameChars, Blank::kOnlyEmpty);
  }
  for (const Funnel& f : ws.funnels) {
    check(f.name, "funnel", f.id, "funnel " + Q(f.id), "name", kMaxNameChars, Blank::kOnlyEmpty);
  }
  for (const Experiment& e : ws.experiments) {
    check(e.name, "experiment", e.id, "experiment " + Q(e.id), "name", kMaxNameChars,
          Blank::kOnlyEmpty);
  }
  for (const Comment& c : ws.comments) ValidateCommentText(c, errors);
  for (const Review& r : ws.reviews) ValidateReviewText(r, errors);
}

// Comments and reviews are dated when recorded (today, or a date given at entry).
void ValidateRecordDates(const Workspace& ws, Errors& errors) {
  for (const Comment& c : ws.comments) ValidateCommentDate(c, errors);
  for (const Review& r : ws.reviews) ValidateReviewDate(r, errors);
}

}  // namespace

void ValidateCheckin(const Checkin& c, const Kpi* kpi, Errors& errors) {
  // One check-in has no id: errors carry its KPI's id, and the message names the date.
  const auto name = [&c] { return "check-in of " + c.date.ToString() + " for KPI " + Q(c.kpi); };
  if (kpi == nullptr) {
    errors.push_back(Error::UnknownReference(
        name() + ": KPI " + Q(c.kpi) + " does not exist; a check-in must name an existing KPI",
        "checkin", c.kpi, "kpi"));
    return;
  }
  if (!IsEntryDate(c.date)) {
    errors.push_back(
        Error::Invalid(name() + ": " + DateRefusal("date", c.date), "checkin", c.kpi, "date"));
    return;
  }
  if (!IsEntryValue(c.value)) {
    errors.push_back(
        Error::Invalid(name() + ": " + NumberRefusal("value", c.value), "checkin", c.kpi, "value"));
    return;
  }
  if (kpi->kind == KpiKind::kFormula) {
    errors.push_back(Error::Invalid(name() + ": KPI " + Q(c.kpi) + " is a formula KPI (" +
                                        kpi->formula +
                                        "); its value is computed, so it takes no check-ins; "
                                        "check in the KPIs it reads",
                                    "checkin", c.kpi, "kpi"));
    return;
  }
  if (kpi->kind == KpiKind::kMilestone && c.value != 0 && c.value != 1) {
    errors.push_back(Error::Invalid(name() + ": value " + RefusalNumber(c.value) +
                                        " is not allowed; a milestone takes 0 (not done) or 1 "
                                        "(done)",
                                    "checkin", c.kpi, "value"));
  }
}

void ValidateCheckinText(const Checkin& c, Errors& errors) {
  // The common case, without building labels.
  if (c.note.size() <= kMaxTextChars && c.author.size() <= kMaxNameChars && IsUtf8(c.note) &&
      IsUtf8(c.author)) {
    return;
  }
  const std::string label = "check-in of " + c.date.ToString() + " for KPI " + Q(c.kpi);
  CheckText(errors, c.note, "checkin", c.kpi, label, "note", kMaxTextChars);
  CheckText(errors, c.author, "checkin", c.kpi, label, "author");
}

void ValidateCommentDate(const Comment& c, Errors& errors) {
  if (IsEntryDate(c.date)) return;
  errors.push_back(
      Error::Invalid("comment on goal " + Q(c.goal) + ": " + DateRefusal("date", c.date), "comment",
                     c.goal, "date"));
}

void ValidateCommentText(const Comment& c, Errors& errors) {
  const std::string label = "comment on goal " + Q(c.goal);
  CheckText(errors, c.text, "comment", c.goal, label, "text", kMaxTextChars, Blank::kRefused);
  CheckText(errors, c.author, "comment", c.goal, label, "author");
}

void ValidateReviewDate(const Review& r, Errors& errors) {
  if (IsEntryDate(r.date)) return;
  errors.push_back(
      Error::Invalid("review of team " + Q(r.team) + ": " + DateRefusal("date", r.date), "review",
                     r.team, "date"));
}

void ValidateReviewText(const Review& r, Errors& errors) {
  CheckText(errors, r.notes, "review", r.team, "review of " + r.date.ToString(), "notes",
            kMaxTextChars);
}

void ValidateSpend(const Spend& s, bool goal_exists, Errors& errors) {
  const std::string label = "spend of " + s.date.ToString() + " on goal " + Q(s.goal);
  if (!goal_exists) {
    errors.push_back(Error::UnknownReference(
        label + ": goal " + Q(s.goal) + " does not exist; spend must name an existing goal",
        "spend", s.goal, "goal"));
    return;
  }
  if (!IsEntryDate(s.date)) {
    errors.push_back(
        Error::Invalid(label + ": " + DateRefusal("date", s.date), "spend", s.goal, "date"));
    return;
  }
  if (!IsEntryValue(s.amount)) {
    errors.push_back(Error::Invalid(label + ": " + NumberRefusal("amount", s.amount), "spend",
                                    s.goal, "amount"));
    return;
  }
  if (s.amount == 0) {
    errors.push_back(Error::Invalid(label + ": amount 0 is not allowed; give the amount spent "
                                            "(negative for a refund or a correction)",
                                    "spend", s.goal, "amount"));
    return;
  }
  const size_t before = errors.size();
  CheckText(errors, s.note, "spend", s.goal, label, "note", kMaxTextChars);
  if (errors.size() == before) CheckText(errors, s.author, "spend", s.goal, label, "author");
}

bool IsEntryValue(double v) { return std::isfinite(v) && std::fabs(v) <= kLargestValue; }

std::string EntryValueRangeText() { return "between -1e15 and 1e15"; }

Errors ValidateWorkspace(const Workspace& ws) {
  Errors errors;
  const WorkspaceIndex index(ws);
  ValidateTeams(ws, index, errors);
  ValidatePeople(ws, index, errors);
  ValidateCycles(ws, index, errors);
  ValidateGoals(ws, index, errors);
  ValidateKpis(ws, index, errors);
  ValidateCheckins(ws, index, errors);
  ValidateActions(ws, index, errors);
  ValidateFunnels(ws, index, errors);
  ValidateExperiments(ws, index, errors);
  ValidateSpendRecords(ws, index, errors);
  ValidateCommentGoals(ws, index, errors);
  ValidateRecordDates(ws, errors);
  ValidateText(ws, errors);
  return errors;
}

std::string RefusalNumber(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "infinity" : "-infinity";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

}  // namespace cascade
