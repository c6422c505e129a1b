#include "core/entity_operations.h"

#include <algorithm>
#include <utility>

#include "core/cycles.h"
#include "core/permissions.h"
#include "core/validate.h"

namespace cascade {

Result<ChangeSet> EditCopy(const OperationContext& at,
                           const std::function<Result<void>(Workspace&)>& edit,
                           const std::vector<Entity>* addressed) {
  Authorize authorize;
  if (at.who != nullptr) {
    authorize = [who = at.who](const Workspace& before, const ChangeSet& changes) {
      return AuthorizeChanges(before, changes, *who);
    };
  }
  return EditCopy(at.ws, edit, addressed, authorize);
}

Result<ChangeSet> EditCopy(const Workspace& current,
                           const std::function<Result<void>(Workspace&)>& edit,
                           const std::vector<Entity>* addressed, const Authorize& authorize) {
  Workspace next = current;
  if (auto edited = edit(next); !edited) return edited.error();
  // A relative target ("+10%") follows its baseline, whichever field the edit changed.
  // (A KPI is written only where it has one: a write to a CowVector clones the chunk it lands in.)
  for (size_t k = 0; k < next.kpis.size(); ++k) {
    if (!std::as_const(next.kpis)[k].target_written.empty()) ResolveRelativeTarget(next.kpis[k]);
  }
  if (Errors errors = ValidateKindChanges(current, next); !errors.empty()) return errors.front();
  if (Errors errors = ValidateWorkspace(next); !errors.empty()) return errors.front();
  ChangeSet changes = DiffWorkspaces(current, next);
  // A closed cycle's goals change only after it is reopened (spec §2 "Cycles").
  if (auto open = CheckClosedCycles(current, changes); !open) return open.error();
  if (authorize) {
    if (addressed != nullptr) {
      for (const Entity& e : *addressed) {
        const bool changed = std::any_of(
            changes.changes.begin(), changes.changes.end(), [&](const EntityChange& c) {
              const Entity& subject = c.after ? *c.after : *c.before;
              return subject.index() == e.index() && EntityId(subject) == EntityId(e);
            });
        if (!changed) changes.unchanged.push_back(e);
      }
    }
    if (auto allowed = authorize(current, changes); !allowed) return allowed.error();
    changes.unchanged.clear();
  }
  // Spec §2: an action is not marked done while one it depends on is open (checked once the
  // right to make the change is: "you may not" before "not yet").
  if (Errors errors = ValidateActionsDone(current, next); !errors.empty()) return errors.front();
  return changes;
}

template <typename T>
Result<ChangeSet> CreateEntity(const OperationContext& at, T item) {
  using Traits = EntityTraits<T>;
  if ((at.index.*Traits::kFind)(item.id) >= 0) {
    return Error::Conflict(std::string(Traits::kName) + " '" + item.id +
                               "' already exists; choose another id",
                           Traits::kName, item.id, "id");
  }
  item.version = 0;
  // A role that may create no entity at all (members, viewers) is told so before anything about
  // the entity itself. A lead's right depends on where the entity goes, checked once it is valid.
  if (at.who != nullptr && at.who->role != Role::kAdmin && at.who->role != Role::kLead) {
    ChangeSet one;
    one.changes.push_back({EntityChange::Op::kCreate, std::nullopt, Entity(item)});
    // Refused by role alone, so against no workspace: not a pass over every goal of `at.ws`
    // (the whole workspace for actions, funnels, experiments and cycles) to say no.
    if (auto allowed = AuthorizeChanges(Workspace{}, one, *at.who); !allowed) {
      return allowed.error();
    }
  }
  return EditCopy(at, [&item](Workspace& ws) -> Result<void> {
    (ws.*Traits::kItems).push_back(std::move(item));
    return Ok();
  });
}

template <typename T>
Result<ChangeSet> UpdateEntity(const OperationContext& at, const std::string& id,
                               std::optional<int64_t> expected,
                               const std::function<Result<void>(T&)>& change) {
  using Traits = EntityTraits<T>;
  const int found = (at.index.*Traits::kFind)(id);
  if (found < 0) return EntityNotFound<T>(id);
  const int64_t version = (at.ws.*Traits::kItems)[static_cast<size_t>(found)].version;
  if (expected && *expected != version) {
    return Error::Conflict(std::string(Traits::kName) + " '" + id +
                               "' was changed by someone else (it is at version " +
                               std::to_string(version) + ", the request has " +
                               std::to_string(*expected) + "); reload it and try again",
                           Traits::kName, id, "version");
  }
  // Who may not change the entity as it is now is told so before anything about the change.
  if (at.who != nullptr && at.who->role != Role::kAdmin) {
    ChangeSet as_is;
    as_is.unchanged.push_back(Entity((at.ws.*Traits::kItems)[static_cast<size_t>(found)]));
    if (auto allowed = AuthorizeChanges(at.ws, as_is, *at.who); !allowed) return allowed.error();
  }
  std::vector<Entity> addressed;  // the entity as the change leaves it, changed or not
  return EditCopy(
      at,
      [&](Workspace& ws) -> Result<void> {
        T& item = (ws.*Traits::kItems)[static_cast<size_t>(found)];
        if (auto r = change(item); !r) return r;
        item.id = id;
        item.version = version;
        addressed.assign(1, Entity(item));
        return Ok();
      },
      &addressed);
}

#define CASCADE_ENTITY_OPERATIONS(T)                                                      \
  template Result<ChangeSet> CreateEntity<T>(const OperationContext&, T);                 \
  template Result<ChangeSet> UpdateEntity<T>(const OperationContext&, const std::string&, \
                                             std::optional<int64_t>,                      \
                                             const std::function<Result<void>(T&)>&);
CASCADE_ENTITY_OPERATIONS(Team)
CASCADE_ENTITY_OPERATIONS(Person)
CASCADE_ENTITY_OPERATIONS(Goal)
CASCADE_ENTITY_OPERATIONS(Kpi)
CASCADE_ENTITY_OPERATIONS(Action)
CASCADE_ENTITY_OPERATIONS(Funnel)
CASCADE_ENTITY_OPERATIONS(Experiment)
CASCADE_ENTITY_OPERATIONS(Cycle)
#undef CASCADE_ENTITY_OPERATIONS

}  // namespace cascade
