// status, lint and history: reading the cascade.
#include <algorithm>
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/goal_filter_options.h"
#include "cli/status_printer.h"
#include "cli/terminal_text.h"
#include "core/lint.h"
#include "core/rollup.h"
#include "io/report_json.h"

namespace cascade {
namespace {

// Loads the workspace and computes the roll-up as of --as-of.
struct Computed {
  Workspace ws;
  Rollup rollup;
};

Result<Computed> LoadAndCompute(Context& ctx, const LoadOptions& load = {}) {
  auto as_of = ctx.AsOf();
  if (!as_of) return as_of.error();
  auto store = ctx.OpenedStore();
  if (!store) return store.error();
  auto ws = (*store)->Load(load);
  if (!ws) return ws.error();
  Computed out{std::move(*ws), {}};
  out.rollup = ComputeRollup(out.ws, *as_of);
  return out;
}

int RunStatus(Context& ctx, const std::string& root, const GoalFilter& filter) {
  auto c = LoadAndCompute(ctx, kLoadForStatus);
  if (!c) return ctx.Fail(c.error());
  if (!root.empty()) {
    bool found = false;
    for (const Goal& g : c->ws.goals) found = found || g.id == root;
    if (!found) return ctx.Fail(Error::NotFound("goal '" + root + "' does not exist", "goal", root));
  }
  if (auto known = CheckGoalFilter(c->ws, filter, "--"); !known) return ctx.Fail(known.error());
  std::vector<char> shown;
  if (!filter.empty()) shown = MatchGoals(c->ws, c->rollup, filter);
  const std::vector<char>* only = filter.empty() ? nullptr : &shown;
  if (ctx.json) {
    WriteStatusJson(std::cout, c->ws, c->rollup, root, only);
    std::cout << "\n";
    return kExitOk;
  }
  PrintOptions opts;
  opts.color = Context::ColorOutput();
  opts.width = Context::TerminalWidth();
  opts.root = root;
  opts.shown = only;
  std::cout << RenderStatusTree(c->ws, c->rollup, opts);
  return kExitOk;
}

int RunLint(Context& ctx) {
  auto c = LoadAndCompute(ctx);
  if (!c) return ctx.Fail(c.error());
  const std::vector<Finding> findings = LintWorkspace(c->ws, c->rollup);
  int errors = 0;
  for (const Finding& f : findings) errors += f.severity == Severity::kError;
  if (ctx.json) {
    std::cout << TerminalJson(FindingsToJson(findings)) << "\n";
  } else {
    for (const Finding& f : findings) {
      std::cout << fmt::format("{:<7} {}  {}\n", ToString(f.severity), f.code,
                               Visible(f.message));
    }
    std::cout << fmt::format("{} error{}, {} warning{}\n", errors, errors == 1 ? "" : "s",
                             findings.size() - static_cast<size_t>(errors),
                             findings.size() - static_cast<size_t>(errors) == 1 ? "" : "s");
  }
  return errors > 0 ? kExitCheckFailed : kExitOk;
}

// True when an entity of any kind has id `id`.
bool HoldsId(const Workspace& ws, const std::string& id) {
  const auto in = [&id](const auto& items) {
    return std::any_of(items.begin(), items.end(), [&id](const auto& e) { return e.id == id; });
  };
  return in(ws.teams) || in(ws.people) || in(ws.goals) || in(ws.kpis) || in(ws.actions) ||
         in(ws.funnels) || in(ws.experiments) || in(ws.cycles);
}

int RunHistory(Context& ctx, const std::string& id) {
  auto store = ctx.OpenedStore();
  if (!store) return ctx.Fail(store.error());
  auto entries = (*store)->History(id);
  if (!entries) return ctx.Fail(entries.error());
  if (entries->empty() && !id.empty()) {
    // Every entity has at least its creation recorded: no entry means a mistyped id.
    auto ws = (*store)->Load(LoadOptions{.checkins = false});
    if (!ws) return ctx.Fail(ws.error());
    if (!HoldsId(*ws, id)) {
      return ctx.Fail(Error::NotFound("nothing was ever recorded about '" + id +
                                          "': no team, person, goal, KPI, action, funnel or "
                                          "experiment has that id; `cascade history` lists "
                                          "every change",
                                      "", id, "id"));
    }
  }
  const nlohmann::json json = HistoryToJson(*entries);
  if (ctx.json) {
    std::cout << TerminalJson(json) << "\n";
    return kExitOk;
  }
  for (const nlohmann::json& e : json["history"]) {
    std::cout << fmt::format("{}  {:<10} {:<6} {} {}\n", e["at"].get<std::string>(),
                             e["actor"].is_null() ? "—" : Visible(e["actor"].get<std::string>()),
                             e["op"].get<std::string>(), e["kind"].get<std::string>(),
                             e["entity"].is_null() ? "" : Visible(e["entity"].get<std::string>()));
    if (e["op"] == "update") {
      for (const auto& [key, value] : e["after"].items()) {
        if (key == "version") continue;
        const nlohmann::json& before = e["before"].contains(key) ? e["before"][key] : nullptr;
        if (before != value) {
          std::cout << fmt::format("    {}: {} → {}\n", Visible(key), TerminalJson(before, -1),
                                   TerminalJson(value, -1));
        }
      }
    }
    if (e["op"] == "close" && e["after"].is_object()) {  // a cycle's close: the numbers recorded
      std::string fields;
      for (const auto& [key, value] : e["after"].items()) {
        fields += (fields.empty() ? "" : "  ") + Visible(key) + " " + TerminalJson(value, -1);
      }
      std::cout << "    " << fields << "\n";
    }
  }
  return kExitOk;
}

}  // namespace

void AddReportCommands(CLI::App& app, CommandEnv env) {
  Context& ctx = env.ctx;
  int& code = env.exit_code;
  auto root = std::make_shared<std::string>();
  auto status_filter = std::make_shared<GoalFilter>();
  CLI::App* status = app.add_subcommand("status", "The cascade with progress, expected and status");
  status->add_option("goal", *root, "Only this goal and its descendants");
  AddGoalFilterOptions(status, *status_filter);
  status->callback(
      [&ctx, &code, root, status_filter] { code = RunStatus(ctx, *root, *status_filter); });

  app.add_subcommand("lint", "SMART and alignment findings (exit 1 on any error)")
      ->callback([&ctx, &code] { code = RunLint(ctx); });

  auto id = std::make_shared<std::string>();
  CLI::App* history = app.add_subcommand("history", "Who changed what, when (before and after)");
  history->add_option("id", *id, "Only changes to this entity");
  history->callback([&ctx, &code, id] { code = RunHistory(ctx, *id); });
}

}  // namespace cascade
