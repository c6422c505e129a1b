#include "cli/app.h"

#include <iostream>

#include "cli/commands.h"
#include "cli/terminal_text.h"

namespace cascade {

int RunCli(int argc, char** argv) {
  Context ctx;
  int exit_code = kExitOk;
  CLI::App app{"Cascade: macro goals, SMART micro goals, KPIs and check-ins for marketing teams",
               "cascade"};
  app.require_subcommand(1);
  app.fallthrough();
  app.add_option("--db", ctx.db, "Database: PATH, sqlite:PATH or postgresql://… ($CASCADE_DB)");
  app.add_flag("--json", ctx.json, "Print JSON instead of text");
  app.add_option("--as-of", ctx.as_of_text, "Compute as of this date (YYYY-MM-DD), default today");

  const CommandEnv env{ctx, exit_code};
  AddSetupCommands(app, env);
  AddPlanCommands(app, env);
  AddGoalCommands(app, env);
  AddKpiCommands(app, env);
  AddActionCommands(app, env);
  AddOrgCommands(app, env);
  AddReportCommands(app, env);
  AddImportCommands(app, env);
  AddAccountCommands(app, env);
  AddServeCommands(app, env);
  AddInsightCommands(app, env);
  AddPictureCommands(app, env);
  AddRecordCommands(app, env);
  AddCycleCommands(app, env);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "error: " << Visible(e.what()) << " (see cascade --help)\n";
    return kExitUsage;
  }
  return exit_code;
}

}  // namespace cascade
