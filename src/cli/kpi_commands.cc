// kpi add|set|rm and checkin
#include <iostream>
#include <memory>
#include <optional>

#include "cli/arg_parse.h"
#include "cli/checkin_outcome.h"
#include "cli/change_printer.h"
#include "cli/commands.h"
#include "cli/terminal_text.h"
#include "core/entity_operations.h"
#include "store/mutate.h"

namespace cascade {
namespace {

// The change line and, under it, the KPI's new value and its goal's progress and status (spec
// §5), as of --as-of; --json adds them to the change summary as "kpi" and "goal".
int ReportCheckin(Context& ctx, const Result<ChangeSet>& written, const Context::Parts& parts,
                  const std::string& kpi) {
  if (!written) return ctx.Fail(written.error());
  auto as_of = ctx.AsOf();
  if (!as_of) return ctx.Fail(as_of.error());
  const std::optional<CheckinOutcome> outcome =
      written->checkins.empty()
          ? std::nullopt
          : DescribeCheckin(parts.before, parts.after, kpi, written->checkins.front().date, *as_of);
  if (ctx.json) {
    nlohmann::json out = ChangesToJson(*written);
    if (outcome) out.update(CheckinOutcomeToJson(*outcome));
    std::cout << TerminalJson(out) << "\n";
  } else {
    std::cout << RenderChanges(*written);
    if (outcome) std::cout << RenderCheckinOutcome(*outcome);
  }
  return kExitOk;
}

struct KpiOptions {
  std::string id;
  std::optional<std::string> goal, name, unit, kind, baseline, target, direction, weight,
      cadence_days, source, formula, benchmark_for;
};

ScopeRequest EditScope(const KpiOptions& o) {
  return KpiEditScope(o.id, o.goal.value_or(""), o.benchmark_for.value_or(""),
                      o.formula.value_or(""));
}

void AddKpiFieldOptions(CLI::App* cmd, KpiOptions& o) {
  cmd->add_option("--goal", o.goal, "The goal this KPI measures");
  cmd->add_option("--name", o.name, "What is measured (Followers, Open rate, …)");
  cmd->add_option("--unit", o.unit, "Unit shown after values (%, $, leads, …)");
  cmd->add_option("--kind", o.kind, "level, cumulative, milestone, threshold or formula");
  cmd->add_option("--baseline", o.baseline, "Value at the start (\"\" for none)");
  cmd->add_option("--target", o.target,
                  "Value to reach (threshold: the line to hold), or relative to the baseline: "
                  "+10% (baseline × 1.10), -5%");
  cmd->add_option("--formula", o.formula,
                  "kind formula: its value from other KPIs, \"{customers} / {leads} * 100\"");
  cmd->add_option("--benchmark-for", o.benchmark_for,
                  "A reference series drawn beside that KPI, counted in no progress (\"\" for none)");
  cmd->add_option("--direction", o.direction, "threshold KPIs: above or below");
  cmd->add_option("--weight", o.weight, "Weight in the goal's progress (> 0, default 1)");
  cmd->add_option("--cadence-days", o.cadence_days, "Days between check-ins (default 7)");
  cmd->add_option("--source", o.source, "Where the numbers come from (GA4, CRM, …)");
}

Result<void> ApplyKpiOptions(Kpi& k, const KpiOptions& o) {
  auto fail = [&k](Error e) {
    e.kind = "kpi";
    e.id = k.id;
    e.message = "kpi '" + k.id + "': " + e.message;
    return e;
  };
  if (o.goal) k.goal = *o.goal;
  if (o.name) k.name = *o.name;
  if (o.unit) k.unit = *o.unit;
  if (o.source) k.source = *o.source;
  if (o.formula) k.formula = *o.formula;
  if (o.benchmark_for) k.benchmark_for = *o.benchmark_for;
  if (o.kind) {
    auto v = ParseEnumArg("--kind", *o.kind, &ParseKpiKind,
                          "level, cumulative, milestone, threshold, formula");
    if (!v) return fail(v.error());
    k.kind = *v;
  }
  if (o.direction) {
    auto v = ParseEnumArg("--direction", *o.direction, &ParseDirection, "above, below");
    if (!v) return fail(v.error());
    k.direction = *v;
  }
  if (o.baseline) {
    if (o.baseline->empty()) {
      k.baseline.reset();
    } else {
      auto v = ParseNumberArg("--baseline", *o.baseline);
      if (!v) return fail(v.error());
      k.baseline = *v;
    }
  }
  if (o.target) {
    // A signed percent is relative to the baseline: kept as written, resolved when the edit is
    // validated (store/mutate.cc), and again whenever the baseline changes.
    const std::string& t = *o.target;
    if (!t.empty() && t.back() == '%' && (t.front() == '+' || t.front() == '-')) {
      if (!ParseRelativeTarget(t)) {
        return fail(Error::Invalid("--target '" + t +
                                       "' is not a number or a target relative to the baseline; "
                                       "write a number or a signed percent such as +10% or -5%",
                                   "kpi", k.id, "target"));
      }
      k.target_written = t;
    } else {
      auto v = ParseNumberArg("--target", t);
      if (!v) return fail(v.error());
      k.target = *v;
      k.target_written.clear();
    }
  }
  if (o.weight) {
    auto v = ParseNumberArg("--weight", *o.weight);
    if (!v) return fail(v.error());
    k.weight = *v;
  }
  if (o.cadence_days) {
    auto v = ParseIntArg("--cadence-days", *o.cadence_days);
    if (!v) return fail(v.error());
    k.cadence_days = *v;
  }
  return Ok();
}

struct CheckinOptions {
  std::string kpi, value, date, note, author, confidence;
};

}  // namespace

void AddKpiCommands(CLI::App& app, CommandEnv env) {
  Context& ctx = env.ctx;
  int& code = env.exit_code;
  CLI::App* kpi = app.add_subcommand("kpi", "KPIs (key results): add, set, rm");
  kpi->require_subcommand(1);

  auto add_opts = std::make_shared<KpiOptions>();
  CLI::App* add = kpi->add_subcommand("add", "Add a KPI to a goal");
  add->add_option("id", add_opts->id, "KPI id (a slug)")->required();
  AddKpiFieldOptions(add, *add_opts);
  add->callback([&ctx, &code, add_opts] {
    code = ReportWrite(ctx, ctx.Commit(
                                [&](const OperationContext& at) -> Result<ChangeSet> {
                                  const std::string& id = add_opts->id;
                                  for (auto [given, field] :
                                       {std::pair{add_opts->goal.has_value(), "--goal"},
                                        std::pair{add_opts->name.has_value(), "--name"},
                                        std::pair{add_opts->kind.has_value(), "--kind"}}) {
                                    if (!given) {
                                      return Error::Invalid("kpi '" + id + "': " + field +
                                                                " is required",
                                                            "kpi", id, field + 2);
                                    }
                                  }
                                  Kpi k;
                                  k.id = id;
                                  if (auto r = ApplyKpiOptions(k, *add_opts); !r) return r.error();
                                  if (k.kind == KpiKind::kMilestone && !add_opts->target) {
                                    k.target = 1;
                                  } else if (!add_opts->target) {
                                    return Error::Invalid("kpi '" + id + "': --target is required",
                                                          "kpi", id, "target");
                                  }
                                  return CreateEntity(at, std::move(k));
                                },
                                EditScope(*add_opts)));
  });

  auto set_opts = std::make_shared<KpiOptions>();
  CLI::App* set = kpi->add_subcommand("set", "Change fields of a KPI");
  set->add_option("id", set_opts->id, "KPI id")->required();
  AddKpiFieldOptions(set, *set_opts);
  set->callback([&ctx, &code, set_opts] {
    code = ReportWrite(ctx, ctx.Commit(
                                [&](const OperationContext& at) {
                                  return UpdateEntity<Kpi>(at, set_opts->id, std::nullopt,
                                                           [&](Kpi& k) {
                                                             return ApplyKpiOptions(k, *set_opts);
                                                           });
                                },
                                EditScope(*set_opts)));
  });

  auto rm_id = std::make_shared<std::string>();
  CLI::App* rm = kpi->add_subcommand("rm", "Remove a KPI and its check-ins");
  rm->add_option("id", *rm_id, "KPI id")->required();
  rm->callback([&ctx, &code, rm_id] {
    code = ReportWrite(ctx, ctx.Commit([&](const OperationContext& at) { return RemoveKpi(at, *rm_id); },
                                       ScopeRequest{.kpis = {*rm_id}, .referrers = true}));
  });

  auto ci = std::make_shared<CheckinOptions>();
  CLI::App* checkin = app.add_subcommand("checkin", "Record one KPI value");
  checkin->add_option("kpi", ci->kpi, "KPI id")->required();
  checkin->add_option("value", ci->value, "The value (a reading, or an increment for cumulative)")
      ->required();
  checkin->add_option("--date", ci->date, "Date of the measurement (default: --as-of or today)");
  checkin->add_option("--note", ci->note, "A note");
  checkin->add_option("--author", ci->author, "Who measured it (person id; default: $CASCADE_PERSON, else $CASCADE_ACTOR or $USER if a person)");
  checkin->add_option("--confidence", ci->confidence,
                      "Your judgement of the goal: on_track, at_risk or off_track");
  checkin->callback([&ctx, &code, ci] {
    // Reads only the KPI's goal with its subtree and ancestors and the author: what the check-in
    // is checked against and what the confirmation's progress and status are computed from.
    Context::Parts parts;
    const ScopeRequest scope{.kpis = {ci->kpi},
                             .people = {Context::NamedAuthor(ci->author)},
                             .checkins = true};
    const Result<ChangeSet> written = ctx.Commit([&](const OperationContext& at) -> Result<ChangeSet> {
      // Name the KPI in what is refused, as validation does.
      auto fail = [&](Error e) {
        e.kind = "kpi";
        e.id = ci->kpi;
        e.message = "check-in of kpi '" + ci->kpi + "': " + e.message;
        return e;
      };
      Checkin c;
      c.kpi = ci->kpi;
      auto value = ParseNumberArg("value", ci->value);
      if (!value) return fail(value.error());
      c.value = *value;
      if (ci->date.empty()) {
        auto as_of = ctx.AsOf();
        if (!as_of) return as_of.error();
        c.date = *as_of;
      } else {
        auto d = ParseDateArg("--date", ci->date);
        if (!d) return fail(d.error());
        c.date = *d;
      }
      c.note = ci->note;
      if (!ci->confidence.empty()) {
        auto confidence = ParseConfidence(ci->confidence);
        if (!confidence) {
          return fail(Error::Invalid("--confidence '" + ci->confidence +
                                         "' is not allowed; use on_track, at_risk or off_track",
                                     "kpi", ci->kpi, "confidence"));
        }
        c.confidence = *confidence;
      }
      auto author = Context::Author(at.index, ci->author);
      if (!author) return author.error();
      c.author = std::move(*author);
      return AppendCheckins(at, {std::move(c)});
    }, scope, &parts);
    code = ReportCheckin(ctx, written, parts, ci->kpi);
  });
}

}  // namespace cascade
