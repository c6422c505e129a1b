// action add|set|done|rm|list: the strategic plan's steps under a goal.
#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <optional>

#include <nlohmann/json.hpp>

#include "analytics/todo.h"
#include "cli/arg_parse.h"
#include "cli/change_printer.h"
#include "cli/commands.h"
#include "cli/terminal_text.h"
#include "core/entity_operations.h"
#include "io/entity_json.h"
#include "store/mutate.h"

namespace cascade {
namespace {

struct ListOptions {
  std::string goal, owner;
  bool overdue = false;
};

// `action set ID`: the fields to change (nullopt: leave as they are; "" clears owner, due and
// depends_on).
struct SetOptions {
  std::string id;
  std::optional<std::string> title, owner, due, depends_on;
};

// action list (spec §5): every action, or a goal's, a person's, the overdue ones; in the order
// they were made. `overdue` = not done and due before the as-of date (spec §2).
int ListActions(Context& ctx, const ListOptions& o) {
  auto as_of = ctx.AsOf();
  if (!as_of) return ctx.Fail(as_of.error());
  auto store = ctx.OpenedStore();
  if (!store) return ctx.Fail(store.error());
  auto ws = (*store)->Load(LoadOptions{.checkins = false});
  if (!ws) return ctx.Fail(ws.error());
  const WorkspaceIndex index(*ws);
  if (!o.goal.empty() && index.goal(o.goal) < 0) {
    return ctx.Fail(Error::Invalid("--goal '" + o.goal + "' is not a goal of this workspace", "",
                                   "", "goal"));
  }
  if (!o.owner.empty() && index.person(o.owner) < 0) {
    return ctx.Fail(Error::Invalid(
        "--owner '" + o.owner + "' is not a person of this workspace", "", "", "owner"));
  }
  nlohmann::json list = nlohmann::json::array();
  std::string text;
  for (const Action& a : ws->actions) {
    const bool overdue = IsOverdue(a, *as_of);
    if ((!o.goal.empty() && a.goal != o.goal) || (!o.owner.empty() && a.owner != o.owner) ||
        (o.overdue && !overdue)) {
      continue;
    }
    if (ctx.json) {
      nlohmann::json j = ToJson(a);
      j.erase("version");
      j["overdue"] = overdue;
      list.push_back(std::move(j));
      continue;
    }
    std::string deps;
    for (const std::string& d : a.depends_on) deps += (deps.empty() ? "" : ",") + d;
    text += fmt::format("[{}] {:<24} {:<24} {:<12} {:<10}{}  {}{}\n", a.done ? "x" : " ", a.id,
                        a.goal, a.owner.empty() ? "—" : a.owner,
                        a.due ? a.due->ToString() : "—",
                        overdue ? fmt::format("  overdue {} day{}", *as_of - *a.due,
                                              *as_of - *a.due == 1 ? "" : "s")
                                : "",
                        Visible(a.title), deps.empty() ? "" : "  (after " + deps + ")");
  }
  if (ctx.json) {
    std::cout << TerminalJson(nlohmann::json{{"as_of", as_of->ToString()}, {"actions", list}})
              << "\n";
  } else if (text.empty()) {
    std::cout << "No actions match.\n";
  } else {
    std::cout << text;
  }
  return kExitOk;
}

Result<void> ApplySetOptions(Action& a, const SetOptions& o) {
  if (o.title) a.title = *o.title;
  if (o.owner) a.owner = *o.owner;
  if (o.due) {
    if (o.due->empty()) {
      a.due.reset();
    } else {
      auto d = ParseDateArg("--due", *o.due);
      if (!d) return d.error();
      a.due = *d;
    }
  }
  if (o.depends_on) {
    a.depends_on = SplitList(*o.depends_on);
    for (const std::string& dep : a.depends_on) {
      if (dep == a.id) {
        return Error::Invalid("action '" + a.id + "': --depends-on names the action itself",
                              "action", a.id, "depends_on");
      }
    }
  }
  return Ok();
}

}  // namespace

void AddActionCommands(CLI::App& app, CommandEnv env) {
  Context& ctx = env.ctx;
  int& code = env.exit_code;
  CLI::App* action = app.add_subcommand("action", "Actions (plan steps): add, set, done, rm, list");
  action->require_subcommand(1);

  struct AddOptions {
    std::string id, goal, title, owner, due, depends_on;
  };
  auto o = std::make_shared<AddOptions>();
  CLI::App* add = action->add_subcommand("add", "Add an action to a goal");
  add->add_option("id", o->id, "Action id (a slug)")->required();
  add->add_option("--goal", o->goal, "The goal it serves")->required();
  add->add_option("--title", o->title, "What to do")->required();
  add->add_option("--owner", o->owner, "Who does it (person id)");
  add->add_option("--due", o->due, "Due date YYYY-MM-DD");
  add->add_option("--depends-on", o->depends_on, "Actions that must be done first (a,b,…)");
  add->callback([&ctx, &code, o] {
    code = ReportWrite(ctx, ctx.Commit([&](const OperationContext& at) -> Result<ChangeSet> {
      Action a;
      a.id = o->id;
      a.goal = o->goal;
      a.title = o->title;
      a.owner = o->owner;
      if (!o->due.empty()) {
        auto d = ParseDateArg("--due", o->due);
        if (!d) return d.error();
        a.due = *d;
      }
      a.depends_on = SplitList(o->depends_on);
      return CreateEntity(at, std::move(a));
    }, ActionEditScope(o->id, o->goal, SplitList(o->depends_on), o->owner)));
  });

  auto set_opts = std::make_shared<SetOptions>();
  CLI::App* set = action->add_subcommand("set", "Change an action's title, owner, due date or dependencies");
  set->add_option("id", set_opts->id, "Action id")->required();
  set->add_option("--title", set_opts->title, "What to do");
  set->add_option("--owner", set_opts->owner, "Who does it (person id; \"\" for nobody)");
  set->add_option("--due", set_opts->due, "Due date YYYY-MM-DD (\"\" for none)");
  set->add_option("--depends-on", set_opts->depends_on,
                  "Actions that must be done first (a,b,…; \"\" for none)");
  set->callback([&ctx, &code, set_opts] {
    const ScopeRequest scope = ActionEditScope(
        set_opts->id, "", set_opts->depends_on ? SplitList(*set_opts->depends_on) : std::vector<std::string>{},
        set_opts->owner.value_or(""));
    code = ReportWrite(ctx, ctx.Commit([&](const OperationContext& at) {
      return UpdateEntity<Action>(at, set_opts->id, std::nullopt,
                                  [&](Action& a) { return ApplySetOptions(a, *set_opts); });
    }, scope));
  });

  auto list_opts = std::make_shared<ListOptions>();
  CLI::App* list = action->add_subcommand("list", "List actions, with the overdue ones marked");
  list->add_option("--goal", list_opts->goal, "Only this goal's actions");
  list->add_option("--owner", list_opts->owner, "Only the actions this person owns");
  list->add_flag("--overdue", list_opts->overdue, "Only actions not done and due before today");
  list->callback([&ctx, &code, list_opts] { code = ListActions(ctx, *list_opts); });

  auto done_id = std::make_shared<std::string>();
  CLI::App* done = action->add_subcommand("done", "Mark an action done");
  done->add_option("id", *done_id, "Action id")->required();
  done->callback([&ctx, &code, done_id] {
    code = ReportWrite(ctx, ctx.Commit([&](const OperationContext& at) {
      return MarkActionDone(at, *done_id);
    }, ActionEditScope(*done_id, "", {}, "")));
  });

  auto rm_id = std::make_shared<std::string>();
  CLI::App* rm = action->add_subcommand("rm", "Remove an action");
  rm->add_option("id", *rm_id, "Action id")->required();
  rm->callback([&ctx, &code, rm_id] {
    code = ReportWrite(ctx, ctx.Commit([&](const OperationContext& at) { return RemoveAction(at, *rm_id); },
                                       ScopeRequest{.actions = {*rm_id}, .referrers = true}));
  });
}

}  // namespace cascade
