// The command groups of the CLI (spec §5), one file each. Each registers its subcommands on the
// app; a subcommand's callback runs the command and stores its exit code in `exit_code`.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/context.h"

namespace cascade {

struct CommandEnv {
  Context& ctx;
  int& exit_code;
};

void AddSetupCommands(CLI::App& app, CommandEnv env);   // init, demo
void AddPlanCommands(CLI::App& app, CommandEnv env);    // apply, export
void AddGoalCommands(CLI::App& app, CommandEnv env);    // goal add|set|cancel|rm|list|show
void AddKpiCommands(CLI::App& app, CommandEnv env);     // kpi add|set|rm, checkin
void AddActionCommands(CLI::App& app, CommandEnv env);  // action add|done|rm
void AddOrgCommands(CLI::App& app, CommandEnv env);     // team …, person …
void AddReportCommands(CLI::App& app, CommandEnv env);  // status, lint, history
void AddImportCommands(CLI::App& app, CommandEnv env);  // import checkins
void AddAccountCommands(CLI::App& app, CommandEnv env);  // user …, token …
void AddServeCommands(CLI::App& app, CommandEnv env);   // serve
// correlate, funnel, allocate, experiment, review, todo, scorecard, comment
void AddInsightCommands(CLI::App& app, CommandEnv env);
void AddPictureCommands(CLI::App& app, CommandEnv env);  // chart, report
void AddRecordCommands(CLI::App& app, CommandEnv env);   // checkins …, comments … (by seq)
// cycle add|list|show|close|reopen, goal copy (after AddGoalCommands)
void AddCycleCommands(CLI::App& app, CommandEnv env);

}  // namespace cascade
