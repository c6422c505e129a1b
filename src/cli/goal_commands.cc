// goal add|set|cancel|rm|list|show
#include <algorithm>
#include <cmath>
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "cli/arg_parse.h"
#include "cli/change_printer.h"
#include "cli/commands.h"
#include "cli/terminal_text.h"
#include "core/goal_team.h"
#include "core/rollup.h"
#include "io/entity_json.h"
#include "io/render_text.h"
#include "io/report_json.h"

namespace cascade {
namespace {

// Every goal field as option text; unset options leave the field as it is.
struct GoalOptions {
  std::string id;
  std::optional<std::string> title, description, level, parent, owner, team, start, due, weight,
      priority, growth_potential, budget_min, budget_max, channel, stage, state;
  std::vector<std::string> tags;
  bool tags_given = false;
};

void AddGoalFieldOptions(CLI::App* cmd, GoalOptions& o) {
  cmd->add_option("--title", o.title, "What the goal achieves, in words");
  cmd->add_option("--description", o.description, "Longer description");
  cmd->add_option("--level", o.level, "macro or micro");
  cmd->add_option("--parent", o.parent, "Parent goal id (\"\" for none)");
  cmd->add_option("--owner", o.owner, "Owner (person id)");
  cmd->add_option("--team", o.team, "Team id");
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
  if (o.channel) g.channel = *o.channel;
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

int RunList(Context& ctx, const std::string& team, const std::string& owner,
            const std::string& status, const std::string& level) {
  std::optional<GoalStatus> want_status;
  if (!status.empty()) {
    want_status = ParseGoalStatus(status);
    if (!want_status) {
      return ctx.Fail(Error::Invalid(
          "--status '" + status +
          "' is not a status; use on_track, at_risk, off_track, achieved, missed, not_started, "
          "unscheduled, unmeasured, draft or cancelled"));
    }
  }
  if (!level.empty() && !ParseLevel(level)) {
    return ctx.Fail(Error::Invalid("--level '" + level + "' is not allowed; use macro or micro"));
  }
  auto as_of = ctx.AsOf();
  if (!as_of) return ctx.Fail(as_of.error());
  auto store = ctx.OpenedStore();
  if (!store) return ctx.Fail(store.error());
  auto ws = (*store)->Load();
  if (!ws) return ctx.Fail(ws.error());
  if (auto known = CheckTeamAndOwnerFilter(*ws, team, owner); !known) {
    return ctx.Fail(known.error());
  }
  const Rollup rollup = ComputeRollup(*ws, *as_of);
  const std::vector<std::string_view> holding = HoldingTeams(*ws);
  nlohmann::json goals = nlohmann::json::array();
  std::string text;
  for (int g : rollup.order) {
    const Goal& goal = ws->goals[static_cast<size_t>(g)];
    const GoalResult& r = rollup.goals[static_cast<size_t>(g)];
    if ((!team.empty() && holding[static_cast<size_t>(g)] != team) ||
        (!owner.empty() && goal.owner != owner) ||
        (want_status && r.status != *want_status) ||
        (!level.empty() && ToString(goal.level) != level)) {
      continue;
    }
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
  const Goal& goal = ws->goals[*pos];
  const nlohmann::json status = GoalStatusToJson(*ws, rollup, static_cast<int>(*pos));
  nlohmann::json actions = nlohmann::json::array();
  for (const Action& a : ws->actions) {
    if (a.goal == id) actions.push_back(ToJson(a));
  }
  nlohmann::json kpis = nlohmann::json::array();
  for (const Kpi& k : ws->kpis) {
    if (k.goal == id) kpis.push_back(ToJson(k));
  }
  nlohmann::json children = nlohmann::json::array();
  for (const Goal& g : ws->goals) {
    if (g.parent == id) children.push_back(g.id);
  }
  nlohmann::json comments = nlohmann::json::array();
  for (const Comment& c : ws->comments) {
    if (c.goal == id) comments.push_back(ToJson(c));
  }
  nlohmann::json spend = nlohmann::json::array();
  for (const Spend& s : ws->spend) {
    if (s.goal == id) spend.push_back(ToJson(s));
  }
  if (ctx.json) {
    std::cout << TerminalJson(nlohmann::json{{"goal", ToJson(goal)},
                                             {"status", status},
                                             {"kpis", kpis},
                                             {"children", children},
                                             {"actions", actions},
                                             {"comments", comments},
                                             {"spend", spend}})
              << "\n";
    return kExitOk;
  }
  const GoalResult& r = rollup.goals[*pos];
  auto pct = [](const std::optional<double>& v) { return PercentText(v, 1); };
  std::cout << fmt::format("{} ({})\n  {}\n", Visible(goal.title), goal.id, ToString(goal.level));
  std::cout << fmt::format("  owner {}  team {}  {} → {}\n", goal.owner.empty() ? "—" : goal.owner,
                           goal.team.empty() ? "—" : goal.team,
                           r.start ? r.start->ToString() : "—", r.due ? r.due->ToString() : "—");
  std::cout << fmt::format("  status {}  progress {}  expected {}  forecast {}\n",
                           ToString(r.status), pct(r.progress), pct(r.expected), pct(r.forecast));
  if (r.confidence != Confidence::kNone) {
    std::cout << fmt::format("  confidence {}{}\n", ToString(r.confidence),
                             r.disagrees ? fmt::format("  (the numbers say {})", ToString(r.status))
                                         : "");
  }
  if (r.spent != 0 || goal.budget_max) {
    std::cout << fmt::format("  spent {}{}\n", r.spent,
                             r.budget_left ? fmt::format(" of {}, {} left", *goal.budget_max,
                                                         *r.budget_left)
                                           : "");
  }
  if (!goal.description.empty()) std::cout << "  " << Visible(goal.description) << "\n";
  for (size_t k = 0; k < ws->kpis.size(); ++k) {
    const Kpi& kpi = ws->kpis[k];
    if (kpi.goal != id) continue;
    const KpiResult& kr = rollup.kpis[k];
    std::cout << fmt::format("  KPI {} ({}, {}): value {} target {}{}  progress {}{}\n", Visible(kpi.name),
                             kpi.id, ToString(kpi.kind),
                             kr.value ? fmt::format("{:g}", *kr.value) : "—",
                             fmt::format("{:g}", kpi.target),
                             kpi.unit.empty() ? "" : " " + Visible(kpi.unit), pct(kr.progress),
                             kr.stale ? "  stale" : "");
    // The last one recorded, with the seq that `checkins set|rm` take.
    const Checkin* last = nullptr;
    for (const Checkin& c : ws->checkins) {
      if (c.kpi == kpi.id) last = &c;
    }
    if (last != nullptr) {
      std::cout << fmt::format("    last check-in #{} {}: {:g} (all: checkins list --kpi {})\n",
                               last->seq, last->date.ToString(), last->value, kpi.id);
    }
  }
  for (const Goal& g : ws->goals) {
    if (g.parent == id) std::cout << "  child " << g.id << ": " << Visible(g.title) << "\n";
  }
  for (const Action& a : ws->actions) {
    if (a.goal != id) continue;
    std::cout << fmt::format("  [{}] {} ({}){}\n", a.done ? "x" : " ", Visible(a.title), a.id,
                             a.due ? " due " + a.due->ToString() : "");
  }
  for (const Comment& c : ws->comments) {
    if (c.goal == id) {
      std::cout << fmt::format("  #{} {} {}{}: {}\n", c.seq, c.date.ToString(), Visible(c.author),
                               c.kind == CommentKind::kComment ? "" : " (" + std::string(ToString(c.kind)) + ")",
                               Visible(c.text));
    }
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
    code = ReportWrite(ctx, ctx.Mutate(
                               [&](Workspace& ws) -> Result<void> {
                                 for (const Goal& g : ws.goals) {
                                   if (g.id == add_opts->id) {
                                     return Error::Conflict(
                                         "goal '" + g.id + "' already exists; use goal set",
                                         "goal", g.id, "id");
                                   }
                                 }
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
                                 if (auto r = ApplyGoalOptions(g, *add_opts); !r) return r;
                                 ws.goals.push_back(std::move(g));
                                 return Ok();
                               },
                               LoadOptions{.checkins = false}));
  });

  auto set_opts = std::make_shared<GoalOptions>();
  CLI::App* set = goal->add_subcommand("set", "Change fields of a goal");
  set->add_option("id", set_opts->id, "Goal id")->required();
  AddGoalFieldOptions(set, *set_opts);
  set->callback([&ctx, &code, set_opts] {
    code = ReportWrite(ctx, ctx.Mutate(
                               [&](Workspace& ws) -> Result<void> {
                                 auto pos = FindById(ws.goals, "goal", set_opts->id);
                                 if (!pos) return pos.error();
                                 return ApplyGoalOptions(ws.goals[*pos], *set_opts);
                               },
                               LoadOptions{.checkins = false}));
  });

  auto cancel_id = std::make_shared<std::string>();
  CLI::App* cancel = goal->add_subcommand("cancel", "Cancel a goal (kept and shown, not counted)");
  cancel->add_option("id", *cancel_id, "Goal id")->required();
  cancel->callback([&ctx, &code, cancel_id] {
    code = ReportWrite(ctx, ctx.Mutate(
                               [&](Workspace& ws) -> Result<void> {
                                 auto pos = FindById(ws.goals, "goal", *cancel_id);
                                 if (!pos) return pos.error();
                                 ws.goals[*pos].state = GoalState::kCancelled;
                                 return Ok();
                               },
                               LoadOptions{.checkins = false}));
  });

  auto rm_id = std::make_shared<std::string>();
  CLI::App* rm = goal->add_subcommand("rm", "Remove a goal with its KPIs, check-ins and actions");
  rm->add_option("id", *rm_id, "Goal id")->required();
  rm->callback([&ctx, &code, rm_id] {
    code = ReportWrite(
        ctx, ctx.Commit([&](const OperationContext& at) { return RemoveGoal(at, *rm_id); }));
  });

  struct ListOptions {
    std::string team, owner, status, level;
  };
  auto list_opts = std::make_shared<ListOptions>();
  CLI::App* list = goal->add_subcommand("list", "List goals with their computed status");
  list->add_option("--team", list_opts->team,
                   "Only this team's goals (a goal without a team is its parent's)");
  list->add_option("--owner", list_opts->owner, "Only goals this person owns");
  list->add_option("--status", list_opts->status, "Only goals with this status (on_track, …)");
  list->add_option("--level", list_opts->level, "macro or micro");
  list->callback([&ctx, &code, list_opts] {
    code = RunList(ctx, list_opts->team, list_opts->owner, list_opts->status, list_opts->level);
  });

  auto show_id = std::make_shared<std::string>();
  CLI::App* show = goal->add_subcommand("show", "Show one goal: KPIs, children, actions, comments");
  show->add_option("id", *show_id, "Goal id")->required();
  show->callback([&ctx, &code, show_id] { code = RunShow(ctx, *show_id); });
}

}  // namespace cascade
