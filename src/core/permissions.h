// Who may change what (spec §6, Accounts): the role rules applied to a ChangeSet before it is
// written. Every account reads everything; writes depend on the role.
#pragma once

#include <string>

#include "core/changeset.h"
#include "core/error.h"
#include "core/model.h"

namespace cascade {

// The account making a request, as the server resolved it.
struct Principal {
  std::string account;  // account name (history records it as the actor)
  Role role = Role::kViewer;
  std::string person;  // the person the account is, "" for accounts that are nobody (e.g. admin)
  std::string team;    // that person's team, "" when none
};

// Who `who`'s check-ins and comments are by when they do not say: the account's person, else (an
// account that is nobody) no author, "" (spec §1: an author is a person of the workspace; the
// history names the account). Only an admin may record under another author.
std::string OwnAuthor(const Principal& who);

// Refuses (kForbidden, naming the entity and the rule) unless `who` may make every change:
// - admin: everything;
// - lead: goals (created, updated or deleted, before and after) whose team is the lead's team or
//   one of its sub-teams, the KPIs, actions and experiments of such goals, check-ins of their KPIs,
//   comments on such goals and reviews of such teams, and, as a member may, check-ins and comments
//   on goals they own; nothing else (teams, people, funnels, experiments without a goal, reviews
//   of the whole company: admin);
// - every account, viewers included: new comments on any goal, as itself;
// - member: check-ins of KPIs, spend and comments on goals they own, contribute to or their team
//   holds (exactly their team: sub-teams are a lead's); a contributor passes every check an owner
//   does; a lead records spend where they may check in;
// - viewer: nothing.
// Beyond the reach of the goal itself, a lead who places a goal under a parent (creating it with
// one, or changing its parent), takes it from under one (moving or deleting it), or changes the
// weight or state (whether it counts) it has in its parent changes what that parent shows: it
// needs the right to change the parent too (a lead of its team or of a team above; admin). The
// error names the goal changed (`kind`, `id`), the field (`parent`, `weight`, `state`) and, in the
// message, the parent out of reach. So does a goal made to support a goal (created with it in
// `supports`, or added there): the supported goal must be within reach (field `supports`).
// New check-ins, spend and comments of a non-admin must be by OwnAuthor(who) (field `author`): only an
// admin records on another person's behalf.
// Corrections and deletions of stored check-ins and comments follow the rules for recording them.
// An update is checked both as it was and as it will be, so nothing moves into or out of reach.
// Role checks apply to every write, including one that changes nothing: each of
// `changes.unchanged` is checked as an update of that entity, and a viewer is refused even an
// empty change set.
// The message names the account, its role, what that role may do and why this is outside it:
// "dana is a member: members may check in, record spend and change comments only on goals they
// own, contribute to or their team holds, and comment on any goal; goal 'x' belongs to team 'y'
// …"; `kind` and `id` name the offending entity.
Result<void> AuthorizeChanges(const Workspace& before, const ChangeSet& changes,
                              const Principal& who);

}  // namespace cascade
