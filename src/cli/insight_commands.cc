// correlate, funnel, allocate, experiment, review, scorecard and comment: the analytics of §2 on
// the command line. Each command parses, calls the analytics layer and prints its result as a
// terminal picture (insight_printer.h), JSON (insight_json.h) or, for reviews, Markdown or HTML.
#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>
#include <iostream>
#include <memory>

#include "analytics/allocation.h"
#include "analytics/breakdown.h"
#include "analytics/correlation.h"
#include "analytics/experiment.h"
#include "analytics/funnel.h"
#include "analytics/recognition.h"
#include "analytics/review.h"
#include "analytics/todo.h"
#include "cli/arg_parse.h"
#include "cli/change_printer.h"
#include "cli/commands.h"
#include "cli/insight_printer.h"
#include "cli/terminal_text.h"
#include "core/entity_operations.h"
#include "core/rollup.h"
#include "io/entity_json.h"
#include "io/insight_json.h"
#include "io/render_text.h"
#include "io/review_report.h"

namespace cascade {
namespace {

// The workspace and its roll-up as of --as-of.
struct Loaded {
  Workspace ws;
  Rollup rollup;
  Date as_of;
};

Result<Loaded> LoadComputed(Context& ctx, const LoadOptions& options = {}) {
  auto as_of = ctx.AsOf();
  if (!as_of) return as_of.error();
  auto store = ctx.OpenedStore();
  if (!store) return store.error();
  auto ws = (*store)->Load(options);
  if (!ws) return ws.error();
  Loaded out{std::move(*ws), {}, *as_of};
  out.rollup = ComputeRollup(out.ws, out.as_of);
  return out;
}

InsightPrintOptions PrintOptions() {
  return InsightPrintOptions{Context::ColorOutput(), Context::TerminalWidth()};
}

void PrintJson(const nlohmann::json& j) { std::cout << TerminalJson(j) << "\n"; }

// A whole number of visitors or conversions (64-bit).
Result<int64_t> ParseCountArg(const std::string& option, const std::string& text) {
  errno = 0;
  char* end = nullptr;
  const long long v = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || end != text.c_str() + text.size() || errno == ERANGE) {
    return Error::Invalid(option + " '" + text + "' is not a whole number", "", "", option);
  }
  return static_cast<int64_t>(v);
}

// ---- correlate --------------------------------------------------------------------------------

struct CorrelateOptions {
  std::string a, b, period = "week", max_lag = "4";
};

int RunCorrelate(Context& ctx, const CorrelateOptions& o) {
  auto period = ParseEnumArg("--period", o.period, &ParsePeriod, "day, week, month");
  if (!period) return ctx.Fail(period.error());
  auto max_lag = ParseIntArg("--max-lag", o.max_lag);
  if (!max_lag) return ctx.Fail(max_lag.error());
  if (*max_lag < 0) {
    return ctx.Fail(Error::Invalid("--max-lag " + o.max_lag +
                                       " is not allowed; use a number of periods from 0 to " +
                                       std::to_string(kMaxCorrelationLag),
                                   "", "", "--max-lag"));
  }
  auto loaded = LoadComputed(ctx);
  if (!loaded) return ctx.Fail(loaded.error());
  auto result = Correlate(loaded->ws, o.a, o.b, *period, *max_lag, loaded->as_of);
  if (!result) return ctx.Fail(result.error());
  if (ctx.json) {
    PrintJson(CorrelationToJson(*result, o.a, o.b, loaded->as_of));
  } else {
    std::cout << RenderCorrelation(loaded->ws, *result, o.a, o.b, PrintOptions());
  }
  return kExitOk;
}

// ---- funnel -----------------------------------------------------------------------------------

int RunFunnelList(Context& ctx) {
  auto store = ctx.OpenedStore();
  if (!store) return ctx.Fail(store.error());
  auto ws = (*store)->Load(LoadOptions{.checkins = false});
  if (!ws) return ctx.Fail(ws.error());
  if (ctx.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const Funnel& f : ws->funnels) list.push_back(ToJson(f));
    PrintJson({{"funnels", list}});
    return kExitOk;
  }
  if (ws->funnels.empty()) {
    std::cout << "No funnels yet: add one with `cascade funnel add ID --stages a,b,c`.\n";
  }
  for (const Funnel& f : ws->funnels) {
    std::string stages;
    for (const std::string& s : f.stages) stages += (stages.empty() ? "" : " → ") + s;
    std::cout << fmt::format("{:<20} {}: {}\n", f.id, Visible(f.name), stages);
  }
  return kExitOk;
}

int RunFunnelShow(Context& ctx, const std::string& id, const std::string& target_text) {
  std::optional<double> target;
  if (!target_text.empty()) {
    auto t = ParseNumberArg("--target", target_text);
    if (!t) return ctx.Fail(t.error());
    target = *t;
  }
  auto loaded = LoadComputed(ctx);
  if (!loaded) return ctx.Fail(loaded.error());
  auto result = AnalyzeFunnel(loaded->ws, loaded->rollup, id, target);
  if (!result) return ctx.Fail(result.error());
  const Funnel* funnel = nullptr;
  for (const Funnel& f : loaded->ws.funnels) {
    if (f.id == id) funnel = &f;
  }
  if (ctx.json) {
    PrintJson(FunnelToJson(loaded->ws, *funnel, *result, loaded->as_of));
  } else {
    std::cout << RenderFunnel(loaded->ws, *funnel, *result, PrintOptions());
  }
  return kExitOk;
}

struct FunnelAddOptions {
  std::string id, name, stages;
};

// The funnel `funnel add` describes; refuses fewer than 2 stages.
Result<Funnel> FunnelFrom(const FunnelAddOptions& o) {
  Funnel f;
  f.id = o.id;
  f.name = o.name.empty() ? o.id : o.name;
  f.stages = SplitList(o.stages);
  if (f.stages.size() < 2) {
    return Error::Invalid("funnel '" + o.id +
                              "': --stages needs at least 2 KPI ids, top of the funnel first "
                              "(--stages visits,leads,customers)",
                          "funnel", o.id, "stages");
  }
  return f;
}

// ---- allocate ---------------------------------------------------------------------------------

struct AllocateOptions {
  std::string budget;
  std::vector<std::string> goals;
};

int RunAllocate(Context& ctx, const AllocateOptions& o) {
  auto budget = ParseNumberArg("--budget", o.budget);
  if (!budget) return ctx.Fail(budget.error());
  // Candidates by status as of t (achieved and missed goals are over), spend beside each.
  auto loaded = LoadComputed(ctx, kLoadForStatus);
  if (!loaded) return ctx.Fail(loaded.error());
  auto result = AllocateWorkspaceBudget(loaded->ws, loaded->rollup, *budget, o.goals);
  if (!result) return ctx.Fail(result.error());
  if (ctx.json) {
    PrintJson(AllocationToJson(*result));
  } else {
    std::cout << RenderAllocation(*result, PrintOptions());
  }
  return kExitOk;
}

// ---- breakdown --------------------------------------------------------------------------------

int RunBreakdown(Context& ctx, const std::string& by) {
  const auto field = ParseBreakdownField(by);
  if (!field) {
    return ctx.Fail(Error::Invalid("--by '" + by + "' is not a field a breakdown groups by; use " +
                                       BreakdownFieldsText(),
                                   "", "", "--by"));
  }
  auto loaded = LoadComputed(ctx, kLoadForStatus);
  if (!loaded) return ctx.Fail(loaded.error());
  const Breakdown breakdown = ComputeBreakdown(loaded->ws, loaded->rollup, *field);
  if (ctx.json) {
    PrintJson(BreakdownToJson(breakdown, loaded->as_of));
  } else {
    std::cout << RenderBreakdown(breakdown, PrintOptions());
  }
  return kExitOk;
}

// ---- experiment -------------------------------------------------------------------------------

struct ExperimentAddOptions {
  std::string id, goal, name, control_visitors, control_conversions, variant_visitors,
      variant_conversions;
};

Result<Experiment> ExperimentFrom(const ExperimentAddOptions& o) {
  Experiment e;
  e.id = o.id;
  e.goal = o.goal;
  e.name = o.name.empty() ? o.id : o.name;
  for (auto [option, text, field] :
       {std::tuple{"--control-visitors", &o.control_visitors, &e.control.visitors},
        std::tuple{"--control-conversions", &o.control_conversions, &e.control.conversions},
        std::tuple{"--variant-visitors", &o.variant_visitors, &e.variant.visitors},
        std::tuple{"--variant-conversions", &o.variant_conversions, &e.variant.conversions}}) {
    auto v = ParseCountArg(option, *text);
    if (!v) return v.error();
    *field = *v;
  }
  // The analysis refuses impossible counts with the arm and field named.
  if (auto r = AnalyzeExperiment(e.control, e.variant); !r) {
    Error err = r.error();
    err.id = e.id;
    err.message = "experiment '" + e.id + "': " + err.message;
    return err;
  }
  return e;
}

int RunExperimentShow(Context& ctx, const std::string& id) {
  auto store = ctx.OpenedStore();
  if (!store) return ctx.Fail(store.error());
  auto ws = (*store)->Load(LoadOptions{.checkins = false});
  if (!ws) return ctx.Fail(ws.error());
  auto pos = FindById(ws->experiments, "experiment", id);
  if (!pos) return ctx.Fail(pos.error());
  const Experiment& e = ws->experiments[*pos];
  auto result = AnalyzeExperiment(e.control, e.variant);
  if (!result) return ctx.Fail(result.error());
  if (ctx.json) {
    PrintJson(ExperimentToJson(e, *result));
  } else {
    std::cout << RenderExperiment(e, *result, PrintOptions());
  }
  return kExitOk;
}

int RunExperimentList(Context& ctx) {
  auto store = ctx.OpenedStore();
  if (!store) return ctx.Fail(store.error());
  auto ws = (*store)->Load(LoadOptions{.checkins = false});
  if (!ws) return ctx.Fail(ws.error());
  nlohmann::json list = nlohmann::json::array();
  std::string text;
  for (const Experiment& e : ws->experiments) {
    auto r = AnalyzeExperiment(e.control, e.variant);
    if (!r) return ctx.Fail(r.error());
    list.push_back(ExperimentToJson(e, *r));
    const std::string lift = (r->lift < 0 ? "-" : "+") + PercentNumber(std::fabs(r->lift), 2);
    text += fmt::format("{:<20} {:<20} {:>7} pts  p {:<8} {}  {}\n", e.id, e.goal, lift,
                        r->p_value ? fmt::format("{:.4f}", *r->p_value) : "—",
                        r->significant ? "significant    " : "not significant", Visible(e.name));
  }
  if (ctx.json) {
    PrintJson({{"experiments", list}});
  } else {
    std::cout << (ws->experiments.empty() ? "No experiments yet: add one with `cascade experiment "
                                            "add`.\n"
                                          : text);
  }
  return kExitOk;
}

// ---- review -----------------------------------------------------------------------------------

struct ReviewOptions {
  std::string team, format, notes;
  bool record = false;
  bool notes_given = false;
};

int RunReview(Context& ctx, const ReviewOptions& o) {
  std::string format = o.format;
  if (format.empty()) format = ctx.json ? "json" : "text";
  if (format != "text" && format != "md" && format != "html" && format != "json") {
    return ctx.Fail(
        Error::Invalid("--format '" + o.format +
                           "' is not allowed; use md, html or json (or none for the terminal)",
                       "", "", "--format"));
  }
  if (o.notes_given && !o.record) {
    return ctx.Fail(Error::Invalid("--notes are stored with a recorded review; add --record", "",
                                   "", "--notes"));
  }
  auto loaded = LoadComputed(ctx);
  if (!loaded) return ctx.Fail(loaded.error());
  auto agenda = BuildReviewAgenda(loaded->ws, loaded->rollup, o.team);
  if (!agenda) return ctx.Fail(agenda.error());

  std::optional<Review> recorded;
  if (o.record) {
    const Review snapshot = SnapshotReview(loaded->ws, loaded->rollup, o.team, o.notes);
    // The teams only: the command line may record any review. The store numbers it.
    auto changes = ctx.Commit(
        [&snapshot](const OperationContext& at) { return RecordReview(at, snapshot); },
        ScopeRequest{});
    if (!changes) return ctx.Fail(changes.error());
    recorded = changes->reviews.at(0);
  }

  const Review* rec = recorded ? &*recorded : nullptr;
  if (format == "json") {
    nlohmann::json j = ReviewAgendaToJson(loaded->ws, loaded->rollup, *agenda);
    if (rec != nullptr) {
      j["recorded"] = {
          {"seq", rec->seq},
          {"date", rec->date.ToString()},
          {"team", rec->team.empty() ? nlohmann::json(nullptr) : nlohmann::json(rec->team)},
          {"notes", rec->notes}};
    }
    PrintJson(j);
  } else if (format == "md") {
    std::cout << VisibleLines(ReviewAgendaToMarkdown(loaded->ws, loaded->rollup, *agenda, rec));
  } else if (format == "html") {
    std::cout << VisibleLines(ReviewAgendaToHtml(loaded->ws, loaded->rollup, *agenda, rec));
  } else {
    std::cout << RenderReviewAgenda(loaded->ws, loaded->rollup, *agenda, PrintOptions());
    if (rec != nullptr) {
      std::cout << fmt::format("\nRecorded as review #{} on {}.\n", rec->seq, rec->date.ToString());
    }
  }
  return kExitOk;
}

int RunReviewList(Context& ctx, const std::string& team) {
  auto store = ctx.OpenedStore();
  if (!store) return ctx.Fail(store.error());
  auto ws = (*store)->Load(LoadOptions{.checkins = false});
  if (!ws) return ctx.Fail(ws.error());
  std::vector<Review> reviews;
  for (const Review& r : ws->reviews) {
    if (team.empty() || r.team == team) reviews.push_back(r);
  }
  if (ctx.json) {
    PrintJson(ReviewListToJson(reviews));
    return kExitOk;
  }
  if (reviews.empty()) {
    std::cout << "No reviews recorded yet: `cascade review --record --notes \"…\"` records one.\n";
    return kExitOk;
  }
  std::cout << fmt::format("{:>4}  {:<10}  {:<14} {:>5}  {}\n", "#", "date", "team", "goals",
                           "notes");
  for (const Review& r : reviews) {
    std::cout << fmt::format("{:>4}  {}  {:<14} {:>5}  {}\n", r.seq, r.date.ToString(),
                             r.team.empty() ? "everyone" : r.team, r.snapshot.size(),
                             Visible(r.notes));
  }
  return kExitOk;
}

int RunReviewShow(Context& ctx, const std::string& number) {
  auto seq = ParseCountArg("review number", number);
  if (!seq) return ctx.Fail(seq.error());
  auto store = ctx.OpenedStore();
  if (!store) return ctx.Fail(store.error());
  auto ws = (*store)->Load(LoadOptions{.checkins = false});
  if (!ws) return ctx.Fail(ws.error());
  const Review* review = nullptr;
  for (const Review& r : ws->reviews) {
    if (r.seq == *seq) review = &r;
  }
  if (review == nullptr) {
    return ctx.Fail(Error::NotFound(
        "review #" + number + " does not exist; `cascade review list` shows the recorded ones",
        "review", number, "seq"));
  }
  if (ctx.json) {
    PrintJson(ToJson(*review));
    return kExitOk;
  }
  std::cout << fmt::format("Review #{} of {}{}\n", review->seq, review->date.ToString(),
                           review->team.empty() ? "" : " (" + review->team + ")");
  if (!review->notes.empty()) std::cout << "Notes: " << Visible(review->notes) << "\n";
  std::cout << fmt::format("\n  {:<28} {:>8}  {}\n", "goal", "progress", "status");
  for (const ReviewEntry& e : review->snapshot) {
    std::string status = Visible(e.status);
    for (char& c : status) c = c == '_' ? ' ' : c;
    std::cout << fmt::format("  {:<28} {:>8}  {}\n", Visible(e.goal), PercentText(e.progress, 1),
                             status);
  }
  return kExitOk;
}

// ---- scorecard --------------------------------------------------------------------------------

struct ScorecardOptions {
  std::string person, team, from, to;
};

// --from/--to: the appraisal period, or nullopt.
Result<std::optional<ScorePeriod>> PeriodOf(const ScorecardOptions& o) {
  std::optional<Date> from, to;
  for (auto [option, text, date] : {std::tuple{"--from", &o.from, &from},
                                    std::tuple{"--to", &o.to, &to}}) {
    if (text->empty()) continue;
    auto d = ParseDateArg(option, *text);
    if (!d) return d.error();
    *date = *d;
  }
  return MakeScorePeriod(from, to, "--from", "--to");
}

int RunScorecard(Context& ctx, const ScorecardOptions& o) {
  if (!o.person.empty() && !o.team.empty()) {
    return ctx.Fail(Error::Invalid(
        "give --person or --team, not both (without either: the leaderboard)", "", "", "--person"));
  }
  auto period = PeriodOf(o);
  if (!period) return ctx.Fail(period.error());
  auto loaded = LoadComputed(ctx);
  if (!loaded) return ctx.Fail(loaded.error());
  const InsightPrintOptions print = PrintOptions();
  if (!o.person.empty()) {
    auto card = PersonScorecard(loaded->ws, loaded->rollup, o.person, *period);
    if (!card) return ctx.Fail(card.error());
    if (ctx.json) {
      PrintJson({{"as_of", loaded->as_of.ToString()}, {"person", ScorecardToJson(*card)}});
    } else {
      std::cout << RenderScorecard(*card, print);
    }
    return kExitOk;
  }
  if (!o.team.empty()) {
    auto card = TeamScorecard(loaded->ws, loaded->rollup, o.team, *period);
    if (!card) return ctx.Fail(card.error());
    auto members = Leaderboard(loaded->ws, loaded->rollup, o.team, *period);
    if (!members) return ctx.Fail(members.error());
    if (ctx.json) {
      nlohmann::json board = LeaderboardToJson(*members, loaded->as_of);
      PrintJson({{"as_of", loaded->as_of.ToString()},
                 {"team", ScorecardToJson(*card)},
                 {"leaderboard", board["leaderboard"]}});
    } else {
      std::cout << RenderScorecard(*card, print) << "\n" << RenderLeaderboard(*members, print);
    }
    return kExitOk;
  }
  auto board = Leaderboard(loaded->ws, loaded->rollup, "", *period);
  if (!board) return ctx.Fail(board.error());
  if (ctx.json) {
    PrintJson(LeaderboardToJson(*board, loaded->as_of));
  } else {
    std::cout << RenderLeaderboard(*board, print);
  }
  return kExitOk;
}

// ---- todo -------------------------------------------------------------------------------------

int RunTodo(Context& ctx, std::string person) {
  if (person.empty()) {
    const char* env = std::getenv("CASCADE_PERSON");
    if (env != nullptr) person = env;
  }
  if (person.empty()) {
    return ctx.Fail(Error::Invalid(
        "whose to-do list? give --person ID or set CASCADE_PERSON to your person id", "", "",
        "--person"));
  }
  // The list reads no check-in's note or author: the loading status uses (spec §8).
  auto loaded = LoadComputed(ctx, kLoadForStatus);
  if (!loaded) return ctx.Fail(loaded.error());
  auto todo = BuildTodoList(loaded->ws, loaded->rollup, person);
  if (!todo) return ctx.Fail(todo.error());
  if (ctx.json) {
    PrintJson(TodoToJson(loaded->ws, *todo));
  } else {
    std::cout << RenderTodo(loaded->ws, loaded->rollup, *todo, PrintOptions());
  }
  return kExitOk;
}

// ---- comment ----------------------------------------------------------------------------------

struct CommentOptions {
  std::string goal, text, author, date, kind;
};

}  // namespace

void AddInsightCommands(CLI::App& app, CommandEnv env) {
  Context& ctx = env.ctx;
  int& code = env.exit_code;

  auto corr = std::make_shared<CorrelateOptions>();
  CLI::App* correlate =
      app.add_subcommand("correlate", "Lagged correlation of two KPIs: does A lead B?");
  correlate->add_option("a", corr->a, "The leading KPI (a micro goal's, say)")->required();
  correlate->add_option("b", corr->b, "The KPI it may move (a macro goal's, say)")->required();
  correlate->add_option("--period", corr->period, "day, week (ISO, from Monday) or month")
      ->capture_default_str();
  correlate->add_option("--max-lag", corr->max_lag, "Largest lag, in periods")
      ->capture_default_str();
  correlate->callback([&ctx, &code, corr] { code = RunCorrelate(ctx, *corr); });

  // funnel [ID] [--target N] · funnel add|show|list
  struct FunnelOptions {
    std::string id, target, show_id, show_target;
    FunnelAddOptions add;
  };
  auto fo = std::make_shared<FunnelOptions>();
  CLI::App* funnel = app.add_subcommand(
      "funnel", "Funnel rates and, with --target, the volumes each stage must deliver");
  funnel->add_option("id", fo->id, "Funnel id (none: list the funnels)");
  funnel->add_option("--target", fo->target, "Volume wanted at the bottom of the funnel");
  CLI::App* funnel_add = funnel->add_subcommand("add", "Add a funnel");
  funnel_add->add_option("id", fo->add.id, "Funnel id (a slug)")->required();
  funnel_add->add_option("--stages", fo->add.stages, "KPI ids, top of the funnel first: a,b,c")
      ->required();
  funnel_add->add_option("--name", fo->add.name, "Name shown (default: the id)");
  funnel_add->callback([&ctx, &code, fo] {
    // The stages' KPIs with their goals (an id already taken is refused by the store).
    code = ReportWrite(ctx, ctx.Commit(
                                [&](const OperationContext& at) -> Result<ChangeSet> {
                                  auto f = FunnelFrom(fo->add);
                                  if (!f) return f.error();
                                  return CreateEntity(at, std::move(*f));
                                },
                                ScopeRequest{.kpi_refs = SplitList(fo->add.stages)}));
  });
  CLI::App* funnel_show = funnel->add_subcommand("show", "Show a funnel (same as `funnel ID`)");
  funnel_show->add_option("id", fo->show_id, "Funnel id")->required();
  funnel_show->add_option("--target", fo->show_target, "Volume wanted at the bottom");
  funnel_show->callback(
      [&ctx, &code, fo] { code = RunFunnelShow(ctx, fo->show_id, fo->show_target); });
  CLI::App* funnel_list = funnel->add_subcommand("list", "List the funnels");
  funnel_list->callback([&ctx, &code] { code = RunFunnelList(ctx); });
  funnel->callback([&ctx, &code, fo, funnel_add, funnel_show, funnel_list] {
    if (funnel_add->parsed() || funnel_show->parsed() || funnel_list->parsed()) return;
    if (fo->id.empty()) {
      if (!fo->target.empty()) {
        code = ctx.Fail(Error::Invalid("--target needs a funnel id: cascade funnel ID --target N",
                                       "", "", "--target"));
        return;
      }
      code = RunFunnelList(ctx);
      return;
    }
    code = RunFunnelShow(ctx, fo->id, fo->target);
  });

  auto al = std::make_shared<AllocateOptions>();
  CLI::App* allocate =
      app.add_subcommand("allocate", "Split a budget over goals by growth potential");
  allocate->add_option("--budget", al->budget, "The budget to split")->required();
  allocate->add_option("--goal", al->goals,
                       "A candidate goal (repeat; default: every active micro goal with a growth "
                       "potential)");
  allocate->callback([&ctx, &code, al] { code = RunAllocate(ctx, *al); });

  auto by = std::make_shared<std::string>();
  CLI::App* breakdown = app.add_subcommand(
      "breakdown", "Active goals grouped by a field: progress, status counts, spent, cost a goal done");
  breakdown->add_option("--by", *by, "channel, segment, team, stage or cycle")->required();
  breakdown->callback([&ctx, &code, by] { code = RunBreakdown(ctx, *by); });

  CLI::App* experiment = app.add_subcommand("experiment", "Pilot tests: add, show, list");
  experiment->require_subcommand(1);
  auto ex = std::make_shared<ExperimentAddOptions>();
  CLI::App* ex_add = experiment->add_subcommand("add", "Add an A/B pilot to a goal");
  ex_add->add_option("id", ex->id, "Experiment id (a slug)")->required();
  ex_add->add_option("--goal", ex->goal, "The goal it serves")->required();
  ex_add->add_option("--name", ex->name, "What is tested (default: the id)");
  ex_add->add_option("--control-visitors", ex->control_visitors, "Visitors in the control arm")
      ->required();
  ex_add->add_option("--control-conversions", ex->control_conversions, "Conversions in control")
      ->required();
  ex_add->add_option("--variant-visitors", ex->variant_visitors, "Visitors in the variant arm")
      ->required();
  ex_add->add_option("--variant-conversions", ex->variant_conversions, "Conversions in variant")
      ->required();
  ex_add->callback([&ctx, &code, ex] {
    auto e = ExperimentFrom(*ex);
    if (!e) {
      code = ctx.Fail(e.error());
      return;
    }
    // The experiment's goal with its ancestors (an id already taken is refused by the store).
    code = ReportWrite(
        ctx, ctx.Commit([&](const OperationContext& at) { return CreateEntity(at, *e); },
                        ScopeRequest{.goal_refs = {e->goal}}));
  });
  auto ex_show_id = std::make_shared<std::string>();
  CLI::App* ex_show =
      experiment->add_subcommand("show", "The two-proportion test: lift, interval, z, p");
  ex_show->add_option("id", *ex_show_id, "Experiment id")->required();
  ex_show->callback([&ctx, &code, ex_show_id] { code = RunExperimentShow(ctx, *ex_show_id); });
  experiment->add_subcommand("list", "Every experiment with its verdict")->callback([&ctx, &code] {
    code = RunExperimentList(ctx);
  });

  // review [--team T] [--format md|html|json] [--record --notes TEXT] · review list · review show N
  struct ReviewCli {
    ReviewOptions agenda;
    std::string list_team, show_number;
  };
  auto rv = std::make_shared<ReviewCli>();
  CLI::App* review = app.add_subcommand(
      "review", "The review agenda; --record stores the review (list and show recorded ones)");
  review->add_option("--team", rv->agenda.team, "Only this team's goals (and its sub-teams')");
  review->add_option("--format", rv->agenda.format, "md, html or json (default: the terminal)");
  review->add_flag("--record", rv->agenda.record, "Store this review: date, notes, progress");
  review->add_option("--notes", rv->agenda.notes, "Notes of the meeting (with --record)")
      ->each([rv](const std::string&) { rv->agenda.notes_given = true; });
  CLI::App* review_list = review->add_subcommand("list", "The recorded reviews");
  review_list->add_option("--team", rv->list_team, "Only this team's reviews");
  review_list->callback([&ctx, &code, rv] { code = RunReviewList(ctx, rv->list_team); });
  CLI::App* review_show = review->add_subcommand("show", "One recorded review with its snapshot");
  review_show->add_option("number", rv->show_number, "Review number (see review list)")->required();
  review_show->callback([&ctx, &code, rv] { code = RunReviewShow(ctx, rv->show_number); });
  review->callback([&ctx, &code, rv, review_list, review_show] {
    if (review_list->parsed() || review_show->parsed()) return;
    code = RunReview(ctx, rv->agenda);
  });

  auto sc = std::make_shared<ScorecardOptions>();
  auto todo_person = std::make_shared<std::string>();
  CLI::App* todo = app.add_subcommand(
      "todo", "What one person must do now: check-ins due, goals at risk, actions, reviews");
  todo->add_option("--person", *todo_person,
                   "Whose list (default: $CASCADE_PERSON, the person you are)");
  todo->callback([&ctx, &code, todo_person] { code = RunTodo(ctx, *todo_person); });

  CLI::App* scorecard = app.add_subcommand(
      "scorecard",
      "Recognition: a person's or a team's scorecard; without either, the leaderboard");
  scorecard->add_option("--person", sc->person, "This person's scorecard");
  scorecard->add_option("--team", sc->team, "This team's scorecard and its people");
  scorecard->add_option("--from", sc->from,
                        "An appraisal period's first day: goals achieved, missed goals due and "
                        "check-ins made from it to --to");
  scorecard->add_option("--to", sc->to, "The appraisal period's last day");
  scorecard->callback([&ctx, &code, sc] { code = RunScorecard(ctx, *sc); });

  auto co = std::make_shared<CommentOptions>();
  CLI::App* comment = app.add_subcommand("comment", "Add a stakeholder comment to a goal");
  comment->add_option("goal", co->goal, "Goal id")->required();
  comment->add_option("text", co->text, "The comment")->required();
  comment->add_option("--author", co->author, "Who says it (person id; default: $CASCADE_PERSON, else $CASCADE_ACTOR or $USER if a person)");
  comment->add_option("--date", co->date, "Date (default: --as-of or today)");
  comment->add_option("--kind", co->kind,
                      "comment (default), lesson (a lesson learned) or decision");
  comment->callback([&ctx, &code, co] {
    code = ReportWrite(ctx, ctx.Commit([&](const OperationContext& at) -> Result<ChangeSet> {
      Comment c;
      c.goal = co->goal;
      c.text = co->text;
      if (auto kind = ParseCommentKind(co->kind.empty() ? "comment" : co->kind)) {
        c.kind = *kind;
      } else {
        return Error::Invalid("comment on goal '" + co->goal + "': --kind '" + co->kind +
                                  "' is not allowed; use comment, lesson or decision",
                              "comment", co->goal, "kind");
      }
      auto author = Context::Author(at.index, co->author);
      if (!author) return author.error();
      c.author = std::move(*author);
      if (co->date.empty()) {
        auto as_of = ctx.AsOf();
        if (!as_of) return as_of.error();
        c.date = *as_of;
      } else {
        auto d = ParseDateArg("--date", co->date);
        if (!d) return d.error();
        c.date = *d;
      }
      return AddComment(at, std::move(c));
    }, Context::RecordScope(co->goal, co->author)));
  });
}

}  // namespace cascade
