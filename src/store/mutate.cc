#include "store/mutate.h"

#include <algorithm>

#include "core/entity_operations.h"
#include "core/formula.h"

namespace cascade {

ScopeRequest GoalEditScope(const std::string& id, const std::string& parent,
                           const std::vector<std::string>& supports,
                           const std::vector<std::string>& people) {
  ScopeRequest scope;
  scope.goals = {id};
  if (!parent.empty()) scope.goal_refs.push_back(parent);
  for (const std::string& goal : supports) {
    if (!goal.empty()) scope.goal_refs.push_back(goal);
  }
  for (const std::string& person : people) {
    if (!person.empty()) scope.people.push_back(person);
  }
  return scope;
}

ScopeRequest GoalCopyScope(const std::string& id, const std::string& next,
                           const std::string& new_id) {
  ScopeRequest scope;
  scope.goals = {id};
  if (!new_id.empty()) scope.goal_refs.push_back(new_id);
  scope.copy_into = next;
  scope.checkins = true;
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

ScopeRequest ActionEditScope(const std::string& id, const std::string& goal,
                             const std::vector<std::string>& depends_on, const std::string& owner) {
  ScopeRequest scope;
  scope.actions = {id};
  for (const std::string& dep : depends_on) {
    if (!dep.empty()) scope.actions.push_back(dep);
  }
  if (!goal.empty()) scope.goal_refs.push_back(goal);
  if (!owner.empty()) scope.people.push_back(owner);
  return scope;
}

Result<ChangeSet> MutateWorkspace(Store& store, const std::function<Result<void>(Workspace&)>& edit,
                                  const MutateOptions& options) {
  auto current = options.scope != nullptr ? store.LoadScope(*options.scope) : store.Load(options.load);
  if (!current) return current.error();
  auto changes = EditCopy(*current, edit, options.addressed, options.authorize);
  if (!changes) return changes.error();
  if (changes->empty() || options.dry_run) return changes;
  auto applied = store.Apply(*changes, options.actor);
  if (!applied) return applied.error();
  StampApplied(*changes, *applied);
  return changes;
}

}  // namespace cascade
