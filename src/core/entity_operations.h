// Named operations that create or change one entity of any kind (goal, KPI, action, team, person,
// funnel, experiment, cycle), for the CLI and the API alike: one rule for an id already taken, one
// that does not exist and a stale version, whoever calls.
//
// Unlike the operations of core/operations.h, these edit a copy of `at.ws` and validate the copy
// whole (ValidateWorkspace, kind changes against recorded values, closed cycles, actions marked
// done), because a change to one goal's dates, level or parent is checked against its subtree and
// ancestors. So `at.ws` must be the part of the workspace the write reads: Store::LoadScope with
// the entity's scope (EntityEditScope, store/mutate.h) for goals, KPIs, teams and people, whose
// cost is then that part's; the whole workspace for the other kinds.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/changeset.h"
#include "core/error.h"
#include "core/model.h"
#include "core/operations.h"

namespace cascade {

// What the operations need to know of each kind: its name in messages, where a workspace keeps
// it and how its index finds it.
template <typename T>
struct EntityTraits;
template <>
struct EntityTraits<Team> {
  static constexpr const char* kName = "team";
  static constexpr auto kItems = &Workspace::teams;
  static constexpr auto kFind = &WorkspaceIndex::team;
};
template <>
struct EntityTraits<Person> {
  static constexpr const char* kName = "person";
  static constexpr auto kItems = &Workspace::people;
  static constexpr auto kFind = &WorkspaceIndex::person;
};
template <>
struct EntityTraits<Goal> {
  static constexpr const char* kName = "goal";
  static constexpr auto kItems = &Workspace::goals;
  static constexpr auto kFind = &WorkspaceIndex::goal;
};
template <>
struct EntityTraits<Kpi> {
  static constexpr const char* kName = "kpi";
  static constexpr auto kItems = &Workspace::kpis;
  static constexpr auto kFind = &WorkspaceIndex::kpi;
};
template <>
struct EntityTraits<Action> {
  static constexpr const char* kName = "action";
  static constexpr auto kItems = &Workspace::actions;
  static constexpr auto kFind = &WorkspaceIndex::action;
};
template <>
struct EntityTraits<Funnel> {
  static constexpr const char* kName = "funnel";
  static constexpr auto kItems = &Workspace::funnels;
  static constexpr auto kFind = &WorkspaceIndex::funnel;
};
template <>
struct EntityTraits<Experiment> {
  static constexpr const char* kName = "experiment";
  static constexpr auto kItems = &Workspace::experiments;
  static constexpr auto kFind = &WorkspaceIndex::experiment;
};
template <>
struct EntityTraits<Cycle> {
  static constexpr const char* kName = "cycle";
  static constexpr auto kItems = &Workspace::cycles;
  static constexpr auto kFind = &WorkspaceIndex::cycle;
};

// "goal 'x' does not exist" (kNotFound, field `id`).
template <typename T>
Error EntityNotFound(const std::string& id) {
  const std::string kind = EntityTraits<T>::kName;
  return Error::NotFound(kind + " '" + id + "' does not exist", kind, id, "id");
}

// Lets `edit` change a copy of `at.ws` and returns the difference, refusing (first error wins):
// what `edit` refuses; a kind change the recorded values forbid; anything ValidateWorkspace
// refuses of the copy; a change to a closed cycle's goals; then, when `at.who` is set, what that
// account may not do (AuthorizeChanges, also for the `addressed` entities the edit left
// unchanged: a write needs the right to make it even when it changes nothing); then an action
// marked done while one it depends on is open. Relative targets follow their baselines.
Result<ChangeSet> EditCopy(const OperationContext& at,
                           const std::function<Result<void>(Workspace&)>& edit,
                           const std::vector<Entity>* addressed = nullptr);

// The same on `current` with the rights checked by `authorize` (called with `current` and the
// change, also when it changes nothing; none when empty): the write path of store/mutate.h.
using Authorize = std::function<Result<void>(const Workspace&, const ChangeSet&)>;
Result<ChangeSet> EditCopy(const Workspace& current,
                           const std::function<Result<void>(Workspace&)>& edit,
                           const std::vector<Entity>* addressed, const Authorize& authorize);

// Creates `item` (its version is set by storage). Refuses an id that is taken ("goal 'x' already
// exists; choose another id", kConflict, field `id`), an account whose role creates nothing
// (members, viewers: kForbidden), then as EditCopy.
template <typename T>
Result<ChangeSet> CreateEntity(const OperationContext& at, T item);

// Lets `change` change entity `id` (it may not change the id or the version). Refuses an id that
// does not exist (EntityNotFound), a stale `expected` version ("… was changed by someone else",
// kConflict, field `version`), an account that may not change the entity as it is (kForbidden),
// what `change` refuses, then as EditCopy with the entity addressed.
template <typename T>
Result<ChangeSet> UpdateEntity(const OperationContext& at, const std::string& id,
                               std::optional<int64_t> expected,
                               const std::function<Result<void>(T&)>& change);

}  // namespace cascade
