// action add|done|rm: the strategic plan's steps under a goal.
#include <memory>

#include "cli/arg_parse.h"
#include "cli/change_printer.h"
#include "cli/commands.h"

namespace cascade {

void AddActionCommands(CLI::App& app, CommandEnv env) {
  Context& ctx = env.ctx;
  int& code = env.exit_code;
  CLI::App* action = app.add_subcommand("action", "Actions (plan steps): add, done, rm");
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
    code = ReportWrite(ctx, ctx.Mutate(
                                [&](Workspace& ws) -> Result<void> {
                                  for (const Action& a : ws.actions) {
                                    if (a.id == o->id) {
                                      return Error::Conflict(
                                          "action '" + o->id + "' already exists", "action",
                                          o->id, "id");
                                    }
                                  }
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
                                  ws.actions.push_back(std::move(a));
                                  return Ok();
                                },
                                LoadOptions{.checkins = false}));
  });

  auto done_id = std::make_shared<std::string>();
  CLI::App* done = action->add_subcommand("done", "Mark an action done");
  done->add_option("id", *done_id, "Action id")->required();
  done->callback([&ctx, &code, done_id] {
    code = ReportWrite(ctx, ctx.Commit([&](const OperationContext& at) {
      return MarkActionDone(at, *done_id);
    }));
  });

  auto rm_id = std::make_shared<std::string>();
  CLI::App* rm = action->add_subcommand("rm", "Remove an action");
  rm->add_option("id", *rm_id, "Action id")->required();
  rm->callback([&ctx, &code, rm_id] {
    code = ReportWrite(
        ctx, ctx.Commit([&](const OperationContext& at) { return RemoveAction(at, *rm_id); }));
  });
}

}  // namespace cascade
