#include "io/plan_apply.h"

#include <string_view>
#include <unordered_set>

#include "core/validate.h"

namespace cascade {
namespace {

// Cycles closed in `current` that the plan lists without writing their `state`.
Errors ImplicitReopens(const ParsedPlan& plan, const Workspace& current) {
  Errors errors;
  std::unordered_set<std::string> closed;
  for (const Cycle& c : current.cycles) {
    if (c.state == CycleState::kClosed) closed.insert(c.id);
  }
  if (closed.empty()) return errors;
  for (const Cycle& c : plan.workspace.cycles) {
    if (!closed.contains(c.id) || plan.lines.Has("cycle", c.id, "state")) continue;
    errors.push_back(Error::Conflict(
        "cycle '" + c.id + "' is closed, and the plan leaves out its state (which means open); "
        "write `state: closed` to keep it closed, or `state: open` to reopen it",
        "cycle", c.id, "state"));
  }
  return errors;
}

// The check-ins, spend and comments the plan adds (seq 0 in `next`) are by people of the
// workspace (spec §1: an unknown person is refused), as `checkin --author` and `import checkins`
// hold them; stored ones are left alone, and so is `own_author`, who applies the plan.
Errors UnknownAuthors(const ParsedPlan& plan, const Workspace& next,
                      const std::string& own_author) {
  Errors errors;
  const WorkspaceIndex index(next);
  const auto known = [&](const std::string& author) {
    return author.empty() || author == own_author || index.person(author) >= 0;
  };
  const auto refuse = [&](const std::string& what, const std::string& author,
                          std::string_view lines, const std::string& key, const char* kind,
                          const std::string& id) {
    Error e = Error::Invalid(what + ": author '" + author +
                                 "' is not a person of the workspace; name a person's id (the "
                                 "plan's people or `cascade person list`)",
                             kind, id, "author");
    e.line = plan.lines.Line(lines, key, "");
    errors.push_back(std::move(e));
  };
  for (const Checkin& c : next.checkins) {
    if (c.seq != 0 || known(c.author)) continue;
    refuse("check-in of " + c.date.ToString() + " for KPI '" + c.kpi + "'", c.author,
           kCheckinAuthorLines, CheckinAuthorKey(c), "checkin", c.kpi);
  }
  for (const Spend& s : next.spend) {
    if (s.seq != 0 || known(s.author)) continue;
    refuse("spend of " + s.date.ToString() + " on goal '" + s.goal + "'", s.author,
           kSpendAuthorLines, SpendAuthorKey(s), "spend", s.goal);
  }
  for (const Comment& c : next.comments) {
    if (c.seq != 0 || known(c.author)) continue;
    refuse("comment of " + c.date.ToString() + " on goal '" + c.goal + "'", c.author,
           kCommentAuthorLines, CommentAuthorKey(c), "comment", c.goal);
  }
  return errors;
}

}  // namespace

Errors CheckPlanApply(const ParsedPlan& plan, const std::string& file_name,
                      const Workspace& current, const Workspace& next,
                      const std::string& own_author) {
  Errors errors = ValidateKindChanges(current, next);
  if (errors.empty()) errors = ValidateWorkspace(next);
  if (errors.empty()) errors = ValidateActionsDone(current, next);
  if (errors.empty()) errors = ImplicitReopens(plan, current);
  if (errors.empty()) errors = UnknownAuthors(plan, next, own_author);
  LocateErrors(errors, plan, file_name);
  return errors;
}

}  // namespace cascade
