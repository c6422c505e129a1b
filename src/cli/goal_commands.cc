// goal add|set|cancel|rm|list|show
#include <algorithm>
#include <cmath>
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "analytics/todo.h"
#include "cli/arg_parse.h"
#include "cli/change_printer.h"
#include "cli/commands.h"
#include "cli/goal_filter_options.h"
#include "cli/terminal_text.h"
#include "core/entity_operations.h"
#include "core/goal_detail.h"
#include "core/goal_filter.h"
#include "core/incremental_rollup.h"
#include "core/rollup.h"
#include "io/entity_json.h"
#include "io/render_text.h"
#include "io/report_json.h"
#include "store/mutate.h"

namespace cascade {
namespace {

// Every goal field as option text; unset options leave the field as it is.
struct GoalOptions {
  std::string id;
  std::optional<std::string> title, description, level, parent, owner, team, start, due, weight,
      priority, growth_potential, budget_min, budget_max, channel, segment, stage, state, cycle;
  std::vector<std::string> tags;
  bool tags_given = false;
  std::vector<std::string> contributors, supports;  // as --tag: given, they replace the list
  bool contributors_given = false, supports_given = false;
};

ScopeRequest EditScope(const GoalOptions& o) {
  std::vector<std::string> people = o.contributors;
  if (o.owner) people.push_back(*o.owner);
  return GoalEditScope(o.id, o.parent.value_or(""), o.supports, people);
}

void AddGoalFieldOptions(CLI::App* cmd, GoalOptions& o) {
  cmd->add_option("--title", o.title, "What the goal achieves, in words");
  cmd->add_option("--description", o.description, "Longer description");
  cmd->add_option("--level", o.level, "macro or micro");
  cmd->add_option("--parent", o.parent, "Parent goal id (\"\" for none)");
  cmd->add_option("--owner", o.owner, "Owner (person id)");
  cmd->add_option("--team", o.team, "Team id");
  cmd->add_option("--cycle", o.cycle,
                  "Cycle id: the goal takes its start and due unless it sets its own, inside it "
                  "(\"\" for none)");
  cmd->add_option("--start", o.start, "Start date YYYY-MM-DD (default: the parent's)");
  cmd->add_option("--due", o.due, "Due date YYYY-MM-DD");
  cmd->add_option("--weight", o.weight, "Weight in the parent's progress (> 0, default 1)");
  cmd->add_option("--priority", o.priority, "high, medium or low");
  cmd->add_option("--growth-potential", o.growth_potential, "Growth potential (≥ 0)");
  cmd->add_option("--budget-min", o.budget_min, "Minimum budget (≥ 0)");
  cmd->add_option("--budget-max", o.budget_max, "Maximum budget (\"\" for unbounded)");
  cmd->add_option("--channel", o.channel, "Channel: social, content, email, seo, pr, paid, …");
  cmd->add_option("--stage", o.stage, "awareness, consideration, conversion or retention");
  cmd->add_option("--state", o.state, "active, draft or cancelled");
  cmd->add_option("--tag", o.tags, "A tag (repeat for several; replaces the tags)")
      ->each([&o](const std::string&) { o.tags_given = true; });
  cmd->add_option("--segment", o.segment, "Audience: gen-z, smb, enterprise, … (\"\" for none)");
  cmd->add_option("--contributor", o.contributors,
                  "A person who shares the owner's accountability (repeat for several; replaces "
                  "the contributors; \"\" for none)")
      ->each([&o](const std::string&) { o.contributors_given = true; });
  cmd->add_option("--supports", o.supports,
                  "A goal this goal also serves beyond its parent (repeat for several; replaces "
                  "the list; \"\" for none)")
      ->each([&o](const std::string&) { o.supports_given = true; });
}

// A repeatable list option as given: "" items dropped, so `--contributor ""` empties the list.
std::vector<std::string> ListOption(const std::vector<std::string>& given) {
  std::vector<std::string> out;
  for (const std::string& item : given) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

Result<std::optional<Date>> OptionalDate(const std::string& option, const std::string& text) {
  if (text.empty()) return std::optional<Date>();
  auto d = ParseDateArg(option, text);
  if (!d) return d.error();
  return std::optional<Date>(*d);
}

Result<void> ApplyGoalOptions(Goal& g, const GoalOptions& o) {
  auto fail = [&g](Error e) {
    e.kind = "goal";
    e.id = g.id;
    e.message = "goal '" + g.id + "': " + e.message;
    return e;
  };
  if (o.title) g.title = *o.title;
  if (o.description) g.description = *o.description;
  if (o.parent) g.parent = *o.parent;
  if (o.owner) g.owner = *o.owner;
  if (o.team) g.team = *o.team;
  if (o.cycle) g.cycle = *o.cycle;
  if (o.channel) g.channel = *o.channel;
  if (o.segment) g.segment = *o.segment;
  if (o.contributors_given) g.contributors = ListOption(o.contributors);
  if (o.supports_given) g.supports = ListOption(o.supports);
  if (o.level) {
    auto v = ParseEnumArg("--level", *o.level, &ParseLevel, "macro, micro");
    if (!v) return fail(v.error());
    g.level = *v;
  }
  if (o.priority) {
    auto v = ParseEnumArg("--priority", *o.priority, &ParsePriority, "high, medium, low");
    if (!v) return fail(v.error());
    g.priority = *v;
  }
  if (o.stage) {
    auto v = ParseEnumArg("--stage", *o.stage, &ParseStage,
                          "awareness, consideration, conversion, retention (or \"\")");
    if (!v) return fail(v.error());
    g.stage = *v;
  }
  if (o.state) {
    auto v = ParseEnumArg("--state", *o.state, &ParseGoalState, "active, draft, cancelled");
    if (!v) return fail(v.error());
    g.state = *v;
  }
  for (auto [option, text, field] :
       {std::tuple{"--start", &o.start, &g.start}, std::tuple{"--due", &o.due, &g.due}}) {
    if (!*text) continue;
    auto d = OptionalDate(option, **text);
    if (!d) return fail(d.error());
    *field = *d;
  }
  for (auto [option, text, field] :
       {std::tuple{"--weight", &o.weight, &g.weight},
        std::tuple{"--growth-potential", &o.growth_potential, &g.growth_potential},
        std::tuple{"--budget-min", &o.budget_min, &g.budget_min}}) {
    if (!*text) continue;
    auto v = ParseNumberArg(option, **text);
    if (!v) return fail(v.error());
    *field = *v;
  }
  if (o.budget_max) {
    if (o.budget_max->empty()) {
      g.budget_max.reset();
    } else {
      auto v = ParseNumberArg("--budget-max", *o.budget_max);
      if (!v) return fail(v.error());
      g.budget_max = *v;
    }
  }
  if (o.tags_given) g.tags = o.tags;
  return Ok();
}

int RunList(Context& ctx, const GoalFilter& filter) {
  auto as_of = ctx.AsOf();
  if (!as_of) return ctx.Fail(as_of.error());
  auto store = ctx.OpenedStore();
  if (!store) return ctx.Fail(store.error());
  auto ws = (*store)->Load();
  if (!ws) return ctx.Fail(ws.error());
  if (auto known = CheckGoalFilter(*ws, filter, "--"); !known) return ctx.Fail(known.error());
  const Rollup rollup = ComputeRollup(*ws, *as_of);
  const std::vector<char> shown = MatchGoals(*ws, rollup, filter);
  nlohmann::json goals = nlohmann::json::array();
  std::string text;
  for (int g : rollup.order) {
    const Goal& goal = ws->goals[static_cast<size_t>(g)];
    const GoalResult& r = rollup.goals[static_cast<size_t>(g)];
    if (!shown[static_cast<size_t>(g)]) continue;
    if (ctx.json) {
      goals.push_back(GoalStatusToJson(*ws, rollup, g));
    } else {
      text += fmt::format("{:<24} {:<5} {:>5} {:<11} {:<10} {}\n", goal.id, ToString(goal.level),
                          PercentText(r.progress), ToString(r.status),
                          r.due ? r.due->ToString() : "—", Visible(goal.title));
    }
  }
  if (ctx.json) {
    std::cout << TerminalJson(nlohmann::json{{"as_of", as_of->ToString()}, {"goals", goals}}) << "\n";
  } else {
    std::cout << text;
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
  auto pos = FindById(ws->goals, "goal", id);
  if (!pos) return ctx.Fail(pos.error());
  const Rollup rollup = ComputeRollup(*ws, *as_of);
  const WorkspaceIndex index(*ws);
  const GoalLinks links(*ws, index);
  // The detail the API's GET /api/v1/goals/{id} returns; the terminal also shows each KPI's
  // last check-in, with the seq `checkins set|rm` take.
  const GoalDetail detail =
      GatherGoalDetail(*ws, links, static_cast<int>(*pos), /*last_checkins=*/!ctx.json);
  if (ctx.json) {
    std::cout << TerminalJson(GoalDetailJson(*ws, index, links, rollup, detail, *as_of)) << "\n";
    return kExitOk;
  }
  const Goal& goal = ws->goals[*pos];
  const GoalResult& r = rollup.goals[*pos];
  auto pct = [](const std::optional<double>& v) { return PercentText(v, 1); };
  std::cout << fmt::format("{} ({})\n  {}\n", Visible(goal.title), goal.id, ToString(goal.level));
  std::cout << fmt::format("  owner {}  team {}  {} → {}\n", goal.owner.empty() ? "—" : goal.owner,
                           goal.team.empty() ? "—" : goal.team,
                           r.start ? r.start->ToString() : "—", r.due ? r.due->ToString() : "—");
  std::cout << fmt::format("  status {}  progress {}  expected {}  forecast {}\n",
                           ToString(r.status), pct(r.progress), pct(r.expected), pct(r.forecast));
  if (r.achieved_on) std::cout << fmt::format("  achieved on {}\n", r.achieved_on->ToString());
  if (r.confidence != Confidence::kNone) {
    std::cout << fmt::format("  confidence {}{}\n", ToString(r.confidence),
                             r.disagrees ? fmt::format("  (the numbers say {})", ToString(r.status))
                                         : "");
  }
  if (r.spent != 0 || goal.budget_max) {
    // Money to the cent where it has cents (1,500.50), so the detail adds up to what was entered.
    const auto money = [](double v) {
      return FormatNumber(v, std::fabs(v - std::round(v)) < 0.005 ? 0 : 2);
    };
    std::cout << fmt::format("  spent {}{}\n", money(r.spent),
                             r.budget_left ? fmt::format(" of {}, {} left", money(*goal.budget_max),
                                                         money(*r.budget_left))
                                           : "");
  }
  if (!goal.description.empty()) std::cout << "  " << Visible(goal.description) << "\n";
  // Every field of the goal as entered, "—" where it has none.
  const auto or_dash = [](const std::string& text) { return text.empty() ? "—" : Visible(text); };
  const auto list = [](const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& item : items) out += (out.empty() ? "" : ", ") + Visible(item);
    return out.empty() ? std::string("—") : out;
  };
  std::cout << fmt::format("  priority {}  channel {}  segment {}  stage {}  state {}\n",
                           ToString(goal.priority), or_dash(goal.channel), or_dash(goal.segment),
                           or_dash(std::string(ToString(goal.stage))), ToString(goal.state));
  std::cout << fmt::format("  cycle {}\n", or_dash(goal.cycle));
  std::cout << fmt::format("  weight {}  growth potential {}  budget {} to {}\n",
                           ExactNumber(goal.weight), ExactNumber(goal.growth_potential),
                           ExactNumber(goal.budget_min),
                           goal.budget_max ? ExactNumber(*goal.budget_max) : "unbounded");
  std::cout << fmt::format("  tags {}\n", list(goal.tags));
  std::cout << fmt::format("  contributors {}\n", list(goal.contributors));
  std::cout << fmt::format("  supports {}\n", list(goal.supports));
  std::vector<std::string> supported_by;
  for (const int s : detail.supported_by) supported_by.push_back(ws->goals[static_cast<size_t>(s)].id);
  std::cout << fmt::format("  supported by {}\n", list(supported_by));
  for (size_t i = 0; i < detail.kpis.size(); ++i) {
    const auto k = static_cast<size_t>(detail.kpis[i]);
    const Kpi& kpi = ws->kpis[k];
    const KpiResult& kr = rollup.kpis[k];
    // A benchmark or a formula without a value counts in no progress: shown as —.
    const std::optional<double> progress =
        kr.counted ? std::optional<double>(kr.progress) : std::nullopt;
    std::cout << fmt::format("  KPI {} ({}, {}{}): value {} target {}{}{}  progress {}{}\n",
                             Visible(kpi.name), kpi.id, ToString(kpi.kind),
                             kpi.benchmark_for.empty() ? "" : ", benchmark for " + kpi.benchmark_for,
                             kr.value ? FormatNumber(*kr.value) : "—", ExactNumber(kpi.target),
                             kpi.target_written.empty() ? "" : " (" + Visible(kpi.target_written) + ")",
                             kpi.unit.empty() ? "" : " " + Visible(kpi.unit), pct(progress),
                             kr.stale ? "  stale" : "");
    if (kpi.kind == KpiKind::kFormula) std::cout << "    = " << Visible(kpi.formula) << "\n";
    // Its benchmarks, beside it: the reference series it is read against.
    for (const int b : detail.benchmarks[i]) {
      const Kpi& bench = ws->kpis[static_cast<size_t>(b)];
      const KpiResult& br = rollup.kpis[static_cast<size_t>(b)];
      std::cout << fmt::format("    benchmark {} ({}): value {}{}{}\n", Visible(bench.name),
                               bench.id, br.value ? FormatNumber(*br.value) : "—",
                               bench.unit.empty() ? "" : " " + Visible(bench.unit),
                               br.last_checkin ? " (" + br.last_checkin->ToString() + ")" : "");
    }
    if (detail.last_checkins[i] >= 0) {
      const Checkin& last = ws->checkins[static_cast<size_t>(detail.last_checkins[i])];
      std::cout << fmt::format("    last check-in #{} {}: {} (all: checkins list --kpi {})\n",
                               last.seq, last.date.ToString(), ExactNumber(last.value), kpi.id);
    }
  }
  // Each child with what it adds to this goal's progress (its status and progress).
  for (const int c : detail.children) {
    const Goal& child = ws->goals[static_cast<size_t>(c)];
    const GoalResult& cr = rollup.goals[static_cast<size_t>(c)];
    std::cout << fmt::format("  child {}: {}  status {}  progress {}\n", child.id,
                             Visible(child.title), ToString(cr.status), pct(cr.progress));
  }
  for (const int i : detail.actions) {
    const Action& a = ws->actions[static_cast<size_t>(i)];
    std::cout << fmt::format("  [{}] {} ({}){}{}\n", a.done ? "x" : " ", Visible(a.title), a.id,
                             a.due ? " due " + a.due->ToString() : "",
                             IsOverdue(a, *as_of)
                                 ? fmt::format("  overdue {} day{}", *as_of - *a.due,
                                               *as_of - *a.due == 1 ? "" : "s")
                                 : "");
  }
  for (const int i : detail.experiments) {
    const Experiment& e = ws->experiments[static_cast<size_t>(i)];
    std::cout << fmt::format("  experiment {} ({}): control {}/{}  variant {}/{} conversions/visitors\n",
                             Visible(e.name), e.id, e.control.conversions, e.control.visitors,
                             e.variant.conversions, e.variant.visitors);
  }
  for (const int i : detail.comments) {
    const Comment& c = ws->comments[static_cast<size_t>(i)];
    std::cout << fmt::format("  #{} {} {}{}: {}\n", c.seq, c.date.ToString(),
                             c.author.empty() ? "—" : Visible(c.author),
                             c.kind == CommentKind::kComment ? "" : " (" + std::string(ToString(c.kind)) + ")",
                             Visible(c.text));
  }
  return kExitOk;
}

}  // namespace

void AddGoalCommands(CLI::App& app, CommandEnv env) {
  CLI::App* goal = app.add_subcommand("goal", "Goals: add, set, cancel, rm, list, show");
  goal->require_subcommand(1);
  Context& ctx = env.ctx;
  int& code = env.exit_code;

  auto add_opts = std::make_shared<GoalOptions>();
  CLI::App* add = goal->add_subcommand("add", "Add a goal");
  add->add_option("id", add_opts->id, "Goal id (a slug)")->required();
  AddGoalFieldOptions(add, *add_opts);
  add->callback([&ctx, &code, add_opts] {
    code = ReportWrite(ctx, ctx.Commit(
                               [&](const OperationContext& at) -> Result<ChangeSet> {
                                 if (!add_opts->title) {
                                   return Error::Invalid("goal '" + add_opts->id +
                                                             "': --title is required",
                                                         "goal", add_opts->id, "title");
                                 }
                                 if (!add_opts->level) {
                                   return Error::Invalid("goal '" + add_opts->id +
                                                             "': --level is required (macro or micro)",
                                                         "goal", add_opts->id, "level");
                                 }
                                 Goal g;
                                 g.id = add_opts->id;
                                 if (auto r = ApplyGoalOptions(g, *add_opts); !r) return r.error();
                                 return CreateEntity(at, std::move(g));
                               },
                               EditScope(*add_opts)));
  });

  auto set_opts = std::make_shared<GoalOptions>();
  CLI::App* set = goal->add_subcommand("set", "Change fields of a goal");
  set->add_option("id", set_opts->id, "Goal id")->required();
  AddGoalFieldOptions(set, *set_opts);
  set->callback([&ctx, &code, set_opts] {
    code = ReportWrite(ctx, ctx.Commit(
                               [&](const OperationContext& at) {
                                 return UpdateEntity<Goal>(at, set_opts->id, std::nullopt,
                                                           [&](Goal& g) {
                                                             return ApplyGoalOptions(g, *set_opts);
                                                           });
                               },
                               EditScope(*set_opts)));
  });

  auto cancel_id = std::make_shared<std::string>();
  CLI::App* cancel = goal->add_subcommand("cancel", "Cancel a goal (kept and shown, not counted)");
  cancel->add_option("id", *cancel_id, "Goal id")->required();
  cancel->callback([&ctx, &code, cancel_id] {
    code = ReportWrite(ctx, ctx.Commit(
                               [&](const OperationContext& at) {
                                 return UpdateEntity<Goal>(at, *cancel_id, std::nullopt,
                                                           [](Goal& g) -> Result<void> {
                                                             g.state = GoalState::kCancelled;
                                                             return Ok();
                                                           });
                               },
                               GoalEditScope(*cancel_id, "", {})));
  });

  auto rm_id = std::make_shared<std::string>();
  CLI::App* rm = goal->add_subcommand("rm", "Remove a goal with its KPIs, check-ins and actions");
  rm->add_option("id", *rm_id, "Goal id")->required();
  rm->callback([&ctx, &code, rm_id] {
    // The goal with its subtree, KPIs, actions and experiments, and what refers to them.
    code = ReportWrite(ctx, ctx.Commit([&](const OperationContext& at) { return RemoveGoal(at, *rm_id); },
                                       ScopeRequest{.goals = {*rm_id}, .referrers = true}));
  });

  auto list_filter = std::make_shared<GoalFilter>();
  CLI::App* list = goal->add_subcommand("list", "List goals with their computed status");
  AddGoalFilterOptions(list, *list_filter);
  list->callback([&ctx, &code, list_filter] { code = RunList(ctx, *list_filter); });

  auto show_id = std::make_shared<std::string>();
  CLI::App* show = goal->add_subcommand("show", "Show one goal: KPIs, children, actions, comments");
  show->add_option("id", *show_id, "Goal id")->required();
  show->callback([&ctx, &code, show_id] { code = RunShow(ctx, *show_id); });
}

}  // namespace cascade
