#include "store/mutate.h"

#include <algorithm>

#include "core/validate.h"

namespace cascade {

Result<ChangeSet> MutateWorkspace(Store& store, const std::function<Result<void>(Workspace&)>& edit,
                                  const MutateOptions& options) {
  auto current = store.Load(options.load);
  if (!current) return current.error();
  Workspace next = *current;
  if (auto edited = edit(next); !edited) return edited.error();
  // A relative target ("+10%") follows its baseline, whichever field the edit changed.
  for (Kpi& k : next.kpis) ResolveRelativeTarget(k);
  if (Errors errors = ValidateWorkspace(next); !errors.empty()) return errors.front();
  ChangeSet changes = DiffWorkspaces(*current, next);
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
