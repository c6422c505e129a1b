// apply and export: goals as code.
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/change_printer.h"
#include "cli/commands.h"
#include "cli/terminal_text.h"
#include "cli/progress.h"
#include "core/cycles.h"
#include "core/validate.h"
#include "io/checkin_csv.h"
#include "io/plan.h"
#include "io/plan_apply.h"

namespace cascade {
namespace {

struct ApplyOptions {
  std::string file;
  bool dry_run = false;
  bool prune = false;
};

Result<std::string> ReadFile(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Error::Invalid("cannot read '" + path + "': it is a directory; give the plan file in it",
                          "", "", "file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int why = errno;
    return Error::NotFound("cannot read '" + path + "': " + std::strerror(why), "", "", "file");
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    return Error::Invalid("cannot read '" + path + "': " + std::strerror(errno), "", "", "file");
  }
  return text.str();
}

// The check-ins of a plan's `checkins_csv:` file, read by the same reader as `import checkins`.
Result<std::vector<Checkin>> ReadPlanCsv(const std::string& path, const Workspace& ws) {
  auto text = ReadFile(path);
  if (!text) return text.error();
  auto csv = ReadCheckinCsv(*text, CheckinCsvOptions{}, ws);
  if (!csv) {
    Error e = csv.error();
    if (e.file.empty()) e.file = path;
    return e;
  }
  if (csv->problem_count > 0) {
    const CsvProblem& p = csv->problems.front();
    Error e = Error::Invalid((p.column.empty() ? "" : "column " + p.column + ": ") + p.reason +
                                 (csv->problem_count > 1
                                      ? " (and " + std::to_string(csv->problem_count - 1) +
                                            " more problems; `cascade import checkins` lists them)"
                                      : ""),
                             "", "", "checkins_csv");
    e.file = path;
    e.line = p.line;
    return e;
  }
  return std::move(csv->checkins);
}

int RunApply(Context& ctx, const ApplyOptions& o) {
  auto text = ReadFile(o.file);
  if (!text) return ctx.Fail(text.error());
  ProgressBar progress("", text->size());
  progress.Say("reading " + o.file + "…");
  ParsedPlan plan = ParsePlan(*text, o.file);
  progress.Clear();
  if (!plan.errors.empty()) return ctx.Fail(plan.errors);
  ctx.may_create_db = true;  // a plan may start a workspace
  auto store = ctx.OpenedStore();
  if (!store) return ctx.Fail(store.error());
  auto current = (*store)->Load();
  if (!current) return ctx.Fail(current.error());
  Workspace next = MergePlan(*current, plan.workspace, o.prune);
  if (!plan.checkins_csv.empty()) {
    // The CSV's KPIs may be new in this plan, so it is read against the merged workspace; its
    // check-ins then go through the same merge, so applying the plan again adds nothing.
    auto added = ReadPlanCsv(plan.checkins_csv, next);
    if (!added) return ctx.Fail(added.error());
    if (!added->empty()) {
      plan.workspace.checkins.insert(plan.workspace.checkins.end(), added->begin(), added->end());
      next = MergePlan(*current, plan.workspace, o.prune);
    }
  }
  if (Errors refused = CheckPlanApply(plan, o.file, *current, next); !refused.empty()) {
    return ctx.Fail(refused);
  }
  const ChangeSet changes = DiffWorkspaces(*current, next);
  if (auto open = CheckClosedCycles(*current, changes); !open) return ctx.Fail(open.error());
  if (!o.dry_run && !changes.empty()) {
    ProgressBar writing("", text->size());
    writing.Say("writing " + std::to_string(changes.changes.size()) + " changes and " +
                std::to_string(changes.checkins.size()) + " check-ins…");
    if (auto applied = (*store)->Apply(changes, Context::Actor()); !applied) {
      return ctx.Fail(applied.error());
    }
  }
  if (ctx.json) {
    nlohmann::json out = ChangesToJson(changes);
    out["dry_run"] = o.dry_run;
    std::cout << TerminalJson(out) << "\n";
  } else {
    std::cout << RenderChanges(changes);
    if (o.dry_run && !changes.empty()) std::cout << "(dry run: nothing was changed)\n";
  }
  return kExitOk;
}

struct ExportOptions {
  std::string format = "yaml";
  std::string output;
};

int RunExport(Context& ctx, const ExportOptions& o) {
  if (o.format != "yaml" && o.format != "json") {
    return ctx.Fail(Error::Invalid("--format '" + o.format + "' is not allowed; use yaml or json",
                                   "", "", "format"));
  }
  auto store = ctx.OpenedStore();
  if (!store) return ctx.Fail(store.error());
  auto ws = (*store)->Load();
  if (!ws) return ctx.Fail(ws.error());
  const bool json = o.format == "json" || (ctx.json && o.format == "yaml" && o.output.empty());
  const std::string text = json ? WritePlanJson(*ws) : WritePlanYaml(*ws);
  if (o.output.empty()) {
    std::cout << (json ? TerminalJsonText(text) : text);
    return kExitOk;
  }
  std::ofstream out(o.output, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return ctx.Fail(Error::Storage("cannot write '" + o.output + "'"));
  std::cerr << "wrote " << o.output << "\n";
  return kExitOk;
}

}  // namespace

void AddPlanCommands(CLI::App& app, CommandEnv env) {
  Context& ctx = env.ctx;
  int& code = env.exit_code;
  auto a = std::make_shared<ApplyOptions>();
  CLI::App* apply = app.add_subcommand("apply", "Make the workspace match a plan file");
  apply->add_option("file", a->file, "Plan file (YAML or JSON)")->required();
  apply->add_flag("--dry-run", a->dry_run, "Print the changes without making them");
  apply->add_flag("--prune", a->prune, "Remove what the plan no longer holds");
  apply->callback([&ctx, &code, a] { code = RunApply(ctx, *a); });

  auto e = std::make_shared<ExportOptions>();
  CLI::App* exp = app.add_subcommand("export", "Write the workspace as a plan file");
  exp->add_option("--format", e->format, "yaml (default) or json");
  exp->add_option("-o,--output", e->output, "File to write (default: stdout)");
  exp->callback([&ctx, &code, e] { code = RunExport(ctx, *e); });
}

}  // namespace cascade
