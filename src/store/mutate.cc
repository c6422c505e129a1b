#include "store/mutate.h"

#include <algorithm>

#include "core/cycles.h"
#include "core/formula.h"
#include "core/validate.h"

namespace cascade {

ScopeRequest GoalEditScope(const std::string& id, const std::string& parent,
                           const std::vector<std::string>& supports) {
  ScopeRequest scope;
  scope.goals = {id};
  if (!parent.empty()) scope.goal_refs.push_back(parent);
  for (const std::string& goal : supports) {
    if (!goal.empty()) scope.goal_refs.push_back(goal);
  }
  return scope;
}

ScopeRequest KpiEditScope(const std::string& id, const std::string& goal,
                          const std::string& benchmark_for, const std::string& formula) {
  ScopeRequest scope;
  scope.kpis = {id};
  scope.checkins = true;
  if (!goal.empty()) scope.goal_refs.push_back(goal);
  if (!benchmark_for.empty()) scope.kpi_refs.push_back(benchmark_for);
  // An unparsable formula refers to nothing; validation refuses it by position.
  if (auto parsed = Formula::Parse(formula); parsed && !formula.empty()) {
    for (const std::string& input : parsed->inputs()) scope.kpi_refs.push_back(input);
  }
  return scope;
}

Result<ChangeSet> MutateWorkspace(Store& store, const std::function<Result<void>(Workspace&)>& edit,
                                  const MutateOptions& options) {
  auto current = options.scope != nullptr ? store.LoadScope(*options.scope) : store.Load(options.load);
  if (!current) return current.error();
  Workspace next = *current;
  if (auto edited = edit(next); !edited) return edited.error();
  // A relative target ("+10%") follows its baseline, whichever field the edit changed.
  for (Kpi& k : next.kpis) ResolveRelativeTarget(k);
  if (Errors errors = ValidateKindChanges(*current, next); !errors.empty()) return errors.front();
  if (Errors errors = ValidateWorkspace(next); !errors.empty()) return errors.front();
  ChangeSet changes = DiffWorkspaces(*current, next);
  // A closed cycle's goals change only after it is reopened (spec §2 "Cycles").
  if (auto open = CheckClosedCycles(*current, changes); !open) return open.error();
  if (options.addressed) {
    for (const Entity& e : *options.addressed) {
      const bool changed = std::any_of(
          changes.changes.begin(), changes.changes.end(), [&](const EntityChange& c) {
            const Entity& subject = c.after ? *c.after : *c.before;
            return subject.index() == e.index() && EntityId(subject) == EntityId(e);
          });
      if (!changed) changes.unchanged.push_back(e);
    }
  }
  // Authorized even when nothing changes: a write needs the right to make it.
  if (options.authorize) {
    if (auto allowed = options.authorize(*current, changes); !allowed) return allowed.error();
  }
  changes.unchanged.clear();
  // Spec §2: an action is not marked done while one it depends on is open (checked once the
  // right to make the change is: "you may not" before "not yet").
  if (Errors errors = ValidateActionsDone(*current, next); !errors.empty()) return errors.front();
  if (changes.empty() || options.dry_run) return changes;
  auto applied = store.Apply(changes, options.actor);
  if (!applied) return applied.error();
  StampApplied(changes, *applied);
  return changes;
}

}  // namespace cascade
