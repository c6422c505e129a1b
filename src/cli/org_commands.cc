// team add|list|rm and person add|list|rm: the org chart and the people who own goals.
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "cli/arg_parse.h"
#include "cli/change_printer.h"
#include "cli/commands.h"
#include "cli/terminal_text.h"
#include "core/entity_operations.h"
#include "io/entity_json.h"

namespace cascade {
namespace {

// Lists entities as JSON or as aligned text lines.
template <typename T, typename Line>
int List(Context& ctx, const char* key, CowVector<T> Workspace::*items, Line line) {
  auto store = ctx.OpenedStore();
  if (!store) return ctx.Fail(store.error());
  auto ws = (*store)->Load(LoadOptions{.checkins = false});
  if (!ws) return ctx.Fail(ws.error());
  nlohmann::json list = nlohmann::json::array();
  for (const T& item : (*ws).*items) {
    if (ctx.json) {
      list.push_back(ToJson(item));
    } else {
      std::cout << Visible(line(item)) << "\n";
    }
  }
  if (ctx.json) std::cout << TerminalJson(nlohmann::json{{key, list}}) << "\n";
  return kExitOk;
}

}  // namespace

void AddOrgCommands(CLI::App& app, CommandEnv env) {
  Context& ctx = env.ctx;
  int& code = env.exit_code;

  CLI::App* team = app.add_subcommand("team", "Teams: add, list, rm");
  team->require_subcommand(1);
  struct TeamOptions {
    std::string id, name, parent;
  };
  auto t = std::make_shared<TeamOptions>();
  CLI::App* team_add = team->add_subcommand("add", "Add a team");
  team_add->add_option("id", t->id, "Team id (a slug)")->required();
  team_add->add_option("--name", t->name, "Team name")->required();
  team_add->add_option("--parent", t->parent, "Parent team id");
  team_add->callback([&ctx, &code, t] {
    code = ReportWrite(ctx, ctx.Commit(
                                [&](const OperationContext& at) {
                                  return CreateEntity(
                                      at, Team{.id = t->id, .name = t->name, .parent = t->parent});
                                },
                                ScopeRequest{}));  // the teams only
  });
  team->add_subcommand("list", "List teams")->callback([&ctx, &code] {
    code = List(ctx, "teams", &Workspace::teams, [](const Team& x) {
      return fmt::format("{:<20} {:<28} {}", x.id, x.name, x.parent.empty() ? "" : "in " + x.parent);
    });
  });
  auto team_rm = std::make_shared<std::string>();
  CLI::App* trm = team->add_subcommand("rm", "Remove a team nothing refers to");
  trm->add_option("id", *team_rm, "Team id")->required();
  trm->callback([&ctx, &code, team_rm] {
    // The teams, and the first person, goal and sub-team still in it (FirstReferrer names one).
    code = ReportWrite(
        ctx, ctx.Commit([&](const OperationContext& at) { return RemoveTeam(at, *team_rm); },
                        ScopeRequest{.teams = {*team_rm}, .referrers = true}));
  });

  CLI::App* person = app.add_subcommand("person", "People: add, list, rm");
  person->require_subcommand(1);
  struct PersonOptions {
    std::string id, name, email, team, role = "member";
  };
  auto p = std::make_shared<PersonOptions>();
  CLI::App* person_add = person->add_subcommand("add", "Add a person");
  person_add->add_option("id", p->id, "Person id (a slug)")->required();
  person_add->add_option("--name", p->name, "Full name")->required();
  person_add->add_option("--email", p->email, "Email address");
  person_add->add_option("--team", p->team, "Team id");
  person_add->add_option("--role", p->role, "admin, lead, member (default) or viewer");
  person_add->callback([&ctx, &code, p] {
    code = ReportWrite(ctx, ctx.Commit(
                                [&](const OperationContext& at) -> Result<ChangeSet> {
                                  auto role = ParseEnumArg("--role", p->role, &ParseRole,
                                                           "admin, lead, member, viewer");
                                  if (!role) return role.error();
                                  return CreateEntity(at, Person{.id = p->id, .name = p->name,
                                                                 .email = p->email,
                                                                 .team = p->team, .role = *role});
                                },
                                ScopeRequest{.people = {p->id}}));  // the teams and this id
  });
  person->add_subcommand("list", "List people")->callback([&ctx, &code] {
    code = List(ctx, "people", &Workspace::people, [](const Person& x) {
      return fmt::format("{:<16} {:<24} {:<28} {:<12} {}", x.id, x.name, x.email, x.team,
                         ToString(x.role));
    });
  });
  auto person_rm = std::make_shared<std::string>();
  CLI::App* prm = person->add_subcommand("rm", "Remove a person who owns nothing");
  prm->add_option("id", *person_rm, "Person id")->required();
  prm->callback([&ctx, &code, person_rm] {
    // The person, and the first goal and action still naming them (FirstReferrer names one).
    code = ReportWrite(ctx, ctx.Commit(
                                [&](const OperationContext& at) {
                                  return RemovePerson(at, *person_rm);
                                },
                                ScopeRequest{.people = {*person_rm}, .referrers = true}));
  });
}

}  // namespace cascade
