#include "store/mutate.h"

#include "core/validate.h"

namespace cascade {

Result<ChangeSet> MutateWorkspace(Store& store, const std::function<Result<void>(Workspace&)>& edit,
                                  const MutateOptions& options) {
  auto current = store.Load(options.load);
  if (!current) return current.error();
  Workspace next = *current;
  if (auto edited = edit(next); !edited) return edited.error();
  if (Errors errors = ValidateWorkspace(next); !errors.empty()) return errors.front();
  ChangeSet changes = DiffWorkspaces(*current, next);
  if (changes.empty()) return changes;
  if (options.authorize) {
    if (auto allowed = options.authorize(*current, changes); !allowed) return allowed.error();
  }
  if (options.dry_run) return changes;
  if (auto applied = store.Apply(changes, options.actor); !applied) return applied.error();
  return changes;
}

}  // namespace cascade
