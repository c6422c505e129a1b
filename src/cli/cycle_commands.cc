// cycle add|list|show|close|reopen and goal copy (spec §2 "Cycles", §5)
#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "cli/arg_parse.h"
#include "cli/change_printer.h"
#include "cli/commands.h"
#include "cli/terminal_text.h"
#include "core/cycles.h"
#include "core/entity_operations.h"
#include "core/rollup.h"
#include "io/cycle_json.h"
#include "io/render_text.h"
#include "store/mutate.h"

namespace cascade {
namespace {

struct CycleAddOptions {
  std::string id, name, start, end;
};

// The date a cycle's numbers are read as of: the as-of date, but a closed cycle's as of its end
// (the numbers its close recorded).
Date SummaryDate(const Cycle& c, Date as_of) {
  return c.state == CycleState::kClosed ? c.end : as_of;
}

std::string CountsText(const CycleSummary& s) {
  std::string out;
  for (int st = 0; st < kGoalStatusCount; ++st) {
    const int n = s.counts[static_cast<size_t>(st)];
    if (n == 0) continue;
    out +=
        (out.empty() ? "" : ", ") + fmt::format("{} {}", n, ToString(static_cast<GoalStatus>(st)));
  }
  if (out.empty()) out = "no active goals";
  if (s.drafts > 0) out += fmt::format(", {} draft{}", s.drafts, s.drafts == 1 ? "" : "s");
  return out;
}

int RunAdd(Context& ctx, const CycleAddOptions& o) {
  auto start = ParseDateArg("--start", o.start);
  if (!start) return ctx.Fail(start.error());
  auto end = ParseDateArg("--end", o.end);
  if (!end) return ctx.Fail(end.error());
  // The teams and cycles only: a new cycle has no goals yet.
  auto made = ctx.Commit(
      [&](const OperationContext& at) {
        return CreateEntity(at, Cycle{.id = o.id,
                                      .name = o.name.empty() ? o.id : o.name,
                                      .start = *start,
                                      .end = *end});
      },
      ScopeRequest{});
  return ReportWrite(ctx, made);
}

int RunList(Context& ctx) {
  auto as_of = ctx.AsOf();
  if (!as_of) return ctx.Fail(as_of.error());
  auto store = ctx.OpenedStore();
  if (!store) return ctx.Fail(store.error());
  auto ws = (*store)->Load();
  if (!ws) return ctx.Fail(ws.error());
  nlohmann::json list = nlohmann::json::array();
  std::string text;
  std::optional<Rollup> now;
  for (const Cycle& c : ws->cycles) {
    const Date at = SummaryDate(c, *as_of);
    std::optional<Rollup> closed;
    if (at == *as_of && !now) now = ComputeRollup(*ws, *as_of);
    if (at != *as_of) closed = ComputeRollup(*ws, at);
    const CycleSummary s = SummarizeCycle(*ws, at == *as_of ? *now : *closed, c.id);
    list.push_back(CycleSummaryToJson(c, s));
    text += fmt::format("{:<16} {:<6} {} to {}  score {:>5}  {}  {}\n", c.id, ToString(c.state),
                        c.start.ToString(), c.end.ToString(), PercentText(s.score), CountsText(s),
                        Visible(c.name));
  }
  if (ctx.json) {
    std::cout << TerminalJson(nlohmann::json{{"as_of", as_of->ToString()}, {"cycles", list}})
              << "\n";
  } else {
    std::cout << (text.empty() ? "no cycles (add one with `cascade cycle add`)\n" : text);
  }
  return kExitOk;
}

int RunShow(Context& ctx, const std::string& id) {
  auto as_of = ctx.AsOf();
  if (!as_of) return ctx.Fail(as_of.error());
  auto store = ctx.OpenedStore();
  if (!store) return ctx.Fail(store.error());
  auto ws = (*store)->Load();
  if (!ws) return ctx.Fail(ws.error());
  auto pos = FindById(ws->cycles, "cycle", id);
  if (!pos) return ctx.Fail(pos.error());
  const Cycle& c = ws->cycles[*pos];
  const Date at = SummaryDate(c, *as_of);
  const Rollup rollup = ComputeRollup(*ws, at);
  const CycleSummary s = SummarizeCycle(*ws, rollup, id);
  if (ctx.json) {
    nlohmann::json out = CycleSummaryToJson(c, s);
    out["as_of"] = at.ToString();
    std::cout << TerminalJson(out) << "\n";
    return kExitOk;
  }
  std::cout << fmt::format("{} ({})  {}  {} to {}\n", Visible(c.name), c.id, ToString(c.state),
                           c.start.ToString(), c.end.ToString());
  std::cout << fmt::format("  score {} as of {}  ({})\n", PercentText(s.score), at.ToString(),
                           CountsText(s));
  for (int g : rollup.order) {
    const Goal& goal = ws->goals[static_cast<size_t>(g)];
    if (goal.cycle != id) continue;
    const GoalResult& r = rollup.goals[static_cast<size_t>(g)];
    std::cout << fmt::format("  {:<24} {:>5} {:<11} {}\n", goal.id, PercentText(r.progress),
                             ToString(r.status), Visible(goal.title));
  }
  return kExitOk;
}

int RunSetState(Context& ctx, const std::string& id, bool close) {
  auto store = ctx.OpenedStore();
  if (!store) return ctx.Fail(store.error());
  auto ws = (*store)->Load();  // with check-ins: closing records the goals' numbers
  if (!ws) return ctx.Fail(ws.error());
  auto changes = close ? CloseCycle(*ws, id, nullptr) : ReopenCycle(*ws, id, nullptr);
  if (!changes) return ctx.Fail(changes.error());
  auto applied = (*store)->Apply(*changes, Context::Actor());
  if (!applied) return ctx.Fail(applied.error());
  const Cycle& c = ws->cycles[*FindById(ws->cycles, "cycle", id)];
  if (ctx.json) {
    nlohmann::json out = ChangesToJson(*changes);
    if (close) {
      const CycleSummary s = SummarizeCycle(*ws, ComputeRollup(*ws, c.end), id);
      out["cycle"] = CycleSummaryToJson(c, s);
      out["cycle"]["state"] = "closed";
      out["goals_recorded"] = changes->notes.size() - 1;
    }
    std::cout << TerminalJson(out) << "\n";
    return kExitOk;
  }
  if (!close) {
    std::cout << fmt::format("reopened cycle {}: its goals may change again\n", id);
    return kExitOk;
  }
  const CycleSummary s = SummarizeCycle(*ws, ComputeRollup(*ws, c.end), id);
  std::cout << fmt::format(
      "closed cycle {} ({} to {}): score {} ({}); recorded the progress, status and date achieved "
      "of {} goals "
      "as of {} in the history; its goals now change only after `cascade cycle reopen {}`\n",
      id, c.start.ToString(), c.end.ToString(), PercentText(s.score), CountsText(s),
      changes->notes.size() - 1, c.end.ToString(), id);
  return kExitOk;
}

struct CopyOptions {
  std::string id, cycle, new_id;
};

int RunCopy(Context& ctx, const CopyOptions& o) {
  auto as_of = ctx.AsOf();
  if (!as_of) return ctx.Fail(as_of.error());
  GoalCopy made;
  auto changes = ctx.Commit(
      [&](const OperationContext& at) {
        return CopyGoalWrite(at, *as_of, o.id, o.cycle, o.new_id, &made);
      },
      GoalCopyScope(o.id, o.cycle, o.new_id));
  if (!changes) return ctx.Fail(changes.error());
  if (ctx.json) {
    nlohmann::json goals = nlohmann::json::array(), kpis = nlohmann::json::array();
    for (const auto& m : made.goals) goals.push_back({{"from", m.from}, {"id", m.id}});
    for (const auto& m : made.kpis) kpis.push_back({{"from", m.from}, {"id", m.id}});
    std::cout << TerminalJson(nlohmann::json{{"cycle", o.cycle},
                                             {"as_of", as_of->ToString()},
                                             {"goals", goals},
                                             {"kpis", kpis}})
              << "\n";
    return kExitOk;
  }
  std::cout << fmt::format("copied goal {} into cycle {} as drafts (KPI baselines as of {}):\n",
                           o.id, o.cycle, as_of->ToString());
  for (const auto& m : made.goals)
    std::cout << fmt::format("  + goal {} (from {})\n", m.id, m.from);
  for (const EntityChange& c : changes->changes) {
    const Kpi* k = c.after ? std::get_if<Kpi>(&*c.after) : nullptr;
    if (k == nullptr) continue;
    std::cout << fmt::format(
        "  + kpi {} of {}: baseline {} target {}{}\n", k->id, k->goal,
        k->baseline ? ExactNumber(*k->baseline) : "—", ExactNumber(k->target),
        k->target_written.empty() ? "" : " (" + Visible(k->target_written) + ")");
  }
  return kExitOk;
}

}  // namespace

void AddCycleCommands(CLI::App& app, CommandEnv env) {
  Context& ctx = env.ctx;
  int& code = env.exit_code;
  CLI::App* cycle = app.add_subcommand(
      "cycle", "Planning periods: add, list, show, close, reopen (goal copy carries a goal over)");
  cycle->require_subcommand(1);

  auto add = std::make_shared<CycleAddOptions>();
  CLI::App* add_cmd = cycle->add_subcommand("add", "Add a cycle (a quarter, a half)");
  add_cmd->add_option("id", add->id, "Cycle id (a slug: 2026-q2)")->required();
  add_cmd->add_option("--name", add->name, "Its name (default: the id)");
  add_cmd->add_option("--start", add->start, "First day YYYY-MM-DD")->required();
  add_cmd->add_option("--end", add->end, "Last day YYYY-MM-DD (on or after --start)")->required();
  add_cmd->callback([&ctx, &code, add] { code = RunAdd(ctx, *add); });

  CLI::App* list = cycle->add_subcommand("list", "Cycles with their score and goals by status");
  list->callback([&ctx, &code] { code = RunList(ctx); });

  auto show_id = std::make_shared<std::string>();
  CLI::App* show = cycle->add_subcommand(
      "show", "One cycle: its score (weighted mean progress of its top goals), counts, goals");
  show->add_option("id", *show_id, "Cycle id")->required();
  show->callback([&ctx, &code, show_id] { code = RunShow(ctx, *show_id); });

  auto close_id = std::make_shared<std::string>();
  CLI::App* close = cycle->add_subcommand(
      "close",
      "Close a cycle: record each goal's progress and status as of its end in the history; its "
      "goals then change only after reopening it");
  close->add_option("id", *close_id, "Cycle id")->required();
  close->callback([&ctx, &code, close_id] { code = RunSetState(ctx, *close_id, true); });

  auto reopen_id = std::make_shared<std::string>();
  CLI::App* reopen = cycle->add_subcommand("reopen", "Reopen a closed cycle");
  reopen->add_option("id", *reopen_id, "Cycle id")->required();
  reopen->callback([&ctx, &code, reopen_id] { code = RunSetState(ctx, *reopen_id, false); });

  // goal copy: registered under `goal` (AddGoalCommands runs first).
  CLI::App* goal = app.get_subcommand("goal");
  auto copy = std::make_shared<CopyOptions>();
  CLI::App* copy_cmd = goal->add_subcommand(
      "copy",
      "Carry a goal over into another cycle: a draft copy of it, its KPIs (baseline = value as of "
      "--as-of, target kept, relative targets re-resolved) and its children; ids: --id for the "
      "copied goal, else <id>-<cycle>, with -2, -3, … if taken");
  copy_cmd->add_option("goal", copy->id, "Id of the goal to copy")->required();
  copy_cmd->add_option("--cycle", copy->cycle, "The cycle to copy into")->required();
  copy_cmd->add_option("--id", copy->new_id, "Id of the copied goal (default <id>-<cycle>)");
  copy_cmd->callback([&ctx, &code, copy] { code = RunCopy(ctx, *copy); });
}

}  // namespace cascade
