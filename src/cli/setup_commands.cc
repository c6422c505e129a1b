// init and demo
#include <filesystem>
#include <iostream>
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/serve.h"
#include "core/validate.h"
#include "demo/demo_workspace.h"
#include "server/auth.h"

namespace cascade {
namespace {

int RunInit(Context& ctx) {
  ctx.may_create_db = true;
  auto store = ctx.OpenedStore();
  if (!store) return ctx.Fail(store.error());
  auto version = (*store)->SchemaVersion();
  if (!version) return ctx.Fail(version.error());
  if (ctx.json) {
    std::cout << nlohmann::json{{"schema_version", *version}}.dump() << "\n";
  } else {
    std::cout << "database ready (schema version " << *version << ")\n";
  }
  return kExitOk;
}

int RunDemo(Context& ctx) {
  ctx.may_create_db = true;
  auto store = ctx.OpenedStore();
  if (!store) return ctx.Fail(store.error());
  auto current = (*store)->Load(LoadOptions{.checkins = false});
  if (!current) return ctx.Fail(current.error());
  if (!current->goals.empty() || !current->teams.empty() || !current->people.empty()) {
    return ctx.Fail(Error::Conflict(
        "the database already holds a workspace; load the demo into a new one (--db demo.db)"));
  }
  const Workspace demo = BuildDemoWorkspace(ctx.Today());
  if (Errors errors = ValidateWorkspace(demo); !errors.empty()) return ctx.Fail(errors);
  auto changes = DemoChangeSet(*current, ctx.Today());
  if (!changes) return ctx.Fail(changes.error());
  if (auto applied = (*store)->Apply(*changes, Context::Actor()); !applied) {
    return ctx.Fail(applied.error());
  }
  if (ctx.json) {
    std::cout << nlohmann::json{{"goals", demo.goals.size()},
                                {"kpis", demo.kpis.size()},
                                {"checkins", demo.checkins.size()},
                                {"people", demo.people.size()},
                                {"teams", demo.teams.size()}}
                     .dump()
              << "\n";
  } else {
    std::cout << fmt::format(
        "loaded the demo workspace: {} teams, {} people, {} goals, {} KPIs, {} check-ins\n",
        demo.teams.size(), demo.people.size(), demo.goals.size(), demo.kpis.size(),
        demo.checkins.size());
  }
  return kExitOk;
}

// demo --serve: an admin account with a random password, printed once with the URL, then the API.
int ServeDemo(Context& ctx, const std::string& listen) {
  auto store = ctx.OpenedStore();
  if (!store) return ctx.Fail(store.error());
  const std::string name = "admin";
  auto password = CreateAdminWithRandomPassword(**store, name);
  if (!password) return ctx.Fail(password.error());
  ServeSettings settings;
  settings.listen = listen;
  return RunServe(ctx, settings, [&](const std::string& url) {
    std::cout << fmt::format("serving the demo at {}\n  sign in as: {}\n  password:   {}\n", url,
                             name, *password)
              << std::flush;
  });
}

int RunBackup(Context& ctx, const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(path, ec)) {
    return ctx.Fail(Error::Conflict("'" + path + "' already exists; back up to a new file", "",
                                    "", "file"));
  }
  auto store = ctx.OpenedStore();
  if (!store) return ctx.Fail(store.error());
  if (auto r = (*store)->Backup(path); !r) return ctx.Fail(r.error());
  const auto bytes = fs::file_size(path, ec);
  if (ctx.json) {
    std::cout << nlohmann::json{{"backup", path}, {"bytes", bytes}, {"integrity", "ok"}}.dump()
              << "\n";
  } else {
    std::cout << fmt::format("backed up to {} ({} bytes, integrity ok)\n", path, bytes);
  }
  return kExitOk;
}

}  // namespace

void AddSetupCommands(CLI::App& app, CommandEnv env) {
  Context& ctx = env.ctx;
  int& code = env.exit_code;
  app.add_subcommand("init", "Create or migrate the database")->callback([&ctx, &code] {
    code = RunInit(ctx);
  });
  struct DemoOptions {
    bool serve = false;
    std::string listen = "127.0.0.1:8080";
  };
  auto demo_opts = std::make_shared<DemoOptions>();
  CLI::App* demo = app.add_subcommand(
      "demo", "Load the demo workspace (the spec's worked examples, dated around today)");
  demo->add_flag("--serve", demo_opts->serve,
                 "Then create an admin with a random password, print it and serve the API");
  demo->add_option("--listen", demo_opts->listen, "With --serve: ADDR:PORT (default 127.0.0.1:8080)");
  demo->callback([&ctx, &code, demo_opts] {
    code = RunDemo(ctx);
    if (code != kExitOk || !demo_opts->serve) return;
    code = ServeDemo(ctx, demo_opts->listen);
  });
  auto backup_path = std::make_shared<std::string>();
  CLI::App* backup = app.add_subcommand("backup", "Write a consistent copy of the database, even while it is in use");
  backup->add_option("file", *backup_path, "The new file to write")->required();
  backup->callback([&ctx, &code, backup_path] { code = RunBackup(ctx, *backup_path); });
}

}  // namespace cascade
