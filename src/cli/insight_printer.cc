#include "cli/insight_printer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "cli/terminal_text.h"
#include "io/render_text.h"

namespace cascade {
namespace {

constexpr std::string_view kReset = "\x1b[0m";
constexpr std::string_view kBold = "\x1b[1m";
constexpr std::string_view kDim = "\x1b[2m";
constexpr std::string_view kRed = "\x1b[31m";
constexpr std::string_view kGreen = "\x1b[32m";
constexpr std::string_view kYellow = "\x1b[33m";
constexpr std::string_view kCyan = "\x1b[36m";

class Painter {
 public:
  explicit Painter(bool on) : on_(on) {}
  std::string operator()(std::string_view style, std::string_view text) const {
    if (!on_ || style.empty() || text.empty()) return std::string(text);
    return std::string(style) + std::string(text) + std::string(kReset);
  }

 private:
  bool on_;
};

// Display columns of UTF-8 text, counting one per code point (bars, arrows and the names people
// type are single-width).
int Columns(std::string_view s) {
  int n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}


// `s` cut to `columns`, ending in "…" when something was cut.
std::string Cut(std::string_view s, int columns) {
  if (Columns(s) <= columns) return std::string(s);
  std::string out;
  int n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const bool starts = (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
    if (starts && ++n > columns - 1) break;
    out += s[i];
  }
  return out + "…";
}

std::string PadRight(std::string s, int columns) {
  const int w = Columns(s);
  if (w < columns) s.append(static_cast<size_t>(columns - w), ' ');
  return s;
}

std::string PadLeft(const std::string& s, int columns) {
  const int w = Columns(s);
  return w < columns ? std::string(static_cast<size_t>(columns - w), ' ') + s : s;
}

std::string Repeat(std::string_view unit, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += unit;
  return out;
}

// A fraction as a percentage with `decimals` decimals, truncated toward zero as every view shows
// percentages (2/3 reads "66.66%", never "66.67%"; the tolerance keeps 0.29 at "29.0%" although
// 0.29·1000 is 289.999…); "—" for what is not a finite number, never "inf%".
std::string Percent(double fraction, int decimals = 1) { return PercentText(fraction, decimals); }

std::string PercentOr(const std::optional<double>& fraction, int decimals = 0) {
  return fraction ? Percent(*fraction, decimals) : "—";
}

// "12 pts" for a change of progress, signed.
std::string Points(double change) { return PointsText(change); }

// Volumes a funnel needs: whole units from 10 up (nobody plans 526.41 leads).
std::string Volume(double v) {
  return std::fabs(v) >= 10 ? InsightNumber(std::round(v)) : InsightNumber(v);
}

// The printers trust analytics for finite statistics but never print "nan" or size a bar from
// one: a non-finite value reads as a dash, as InsightNumber's does.
std::string PValue(double p) {
  if (!std::isfinite(p)) return "—";
  return p < 0.001 ? "< 0.001" : fmt::format("{:.3f}", p);
}

std::string Fixed(double v, int decimals) {
  return std::isfinite(v) ? fmt::format("{:.{}f}", v, decimals) : "—";
}

// r as the bars and sentences use it: null unless finite, and inside [−1, 1].
std::optional<double> UsableR(const std::optional<double>& r) {
  if (!r || !std::isfinite(*r)) return std::nullopt;
  return std::clamp(*r, -1.0, 1.0);
}

std::string Plural(long n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::string PeriodWord(Period p, long n) {
  switch (p) {
    case Period::kDay:
      return n == 1 ? "day" : "days";
    case Period::kWeek:
      return n == 1 ? "week" : "weeks";
    case Period::kMonth:
      return n == 1 ? "month" : "months";
  }
  return "periods";
}

const Kpi* FindKpi(const Workspace& ws, const std::string& id) {
  for (const Kpi& k : ws.kpis) {
    if (k.id == id) return &k;
  }
  return nullptr;
}

std::string KpiLabel(const Workspace& ws, const std::string& id) {
  const Kpi* k = FindKpi(ws, id);
  return k != nullptr && !k->name.empty() ? Visible(k->name) : id;
}

std::string StatusWords(std::string_view status) {
  std::string s(status);
  std::replace(s.begin(), s.end(), '_', ' ');
  return s;
}

}  // namespace

std::string InsightNumber(double v) {
  if (!std::isfinite(v)) return "—";
  const double a = std::fabs(v);
  std::string s;
  if (a >= kLargeNumber) {
    return fmt::format("{:.2e}", v);  // as io/render_text.h's FormatNumber: never 300 digits
  } else if (a >= 1000) {
    s = fmt::format("{:.0f}", v);
  } else if (a >= 1 || a == 0) {
    s = fmt::format("{:.2f}", v);
  } else if (a >= 1e-4) {
    s = fmt::format("{:.4f}", v);
  } else {
    return fmt::format("{:.2e}", v);
  }
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return GroupThousands(s);
}

std::string RenderCorrelation(const Workspace& ws, const CorrelationResult& result,
                              const std::string& a, const std::string& b,
                              const InsightPrintOptions& opts) {
  const Painter paint(opts.color);
  const std::string name_a = KpiLabel(ws, a);
  const std::string name_b = KpiLabel(ws, b);
  std::string out = paint(kBold, fmt::format("{} ({}) → {} ({})", name_a, a, name_b, b)) + "\n";
  if (result.periods.empty()) {
    return out + "No check-ins of either KPI yet: nothing to correlate.\n";
  }
  const long count = static_cast<long>(result.periods.size());
  out += fmt::format("{} {} from {} to {}; A leads B by the lag.\n\n", count,
                     PeriodWord(result.period, count), result.periods.front().ToString(),
                     result.periods.back().ToString());
  constexpr int kHalf = 10;  // bar cells each side of the axis: r from −1 to 1
  out += fmt::format("  {:>3}  {:>4}  {:>6}  {:^{}}  {:>7}  {:>10}\n", "lag", "n", "r",
                     "-1 … 0 … +1", 2 * kHalf + 1, "p", "slope");
  for (size_t i = 0; i < result.lags.size(); ++i) {
    const LagStats& l = result.lags[i];
    const bool best = result.best && static_cast<size_t>(*result.best) == i;
    const std::optional<double> r = UsableR(l.r);
    std::string bar;
    if (r) {
      const int cells = static_cast<int>(std::lround(std::fabs(*r) * kHalf));
      const std::string_view color = best ? kGreen : kCyan;
      if (*r < 0) {
        bar = std::string(static_cast<size_t>(kHalf - cells), ' ') +
              paint(color, Repeat("█", cells)) + "│" + std::string(kHalf, ' ');
      } else {
        bar = std::string(kHalf, ' ') + "│" + paint(color, Repeat("█", cells)) +
              std::string(static_cast<size_t>(kHalf - cells), ' ');
      }
    } else {
      bar = std::string(kHalf, ' ') + "│" + std::string(kHalf, ' ');
    }
    std::string row =
        fmt::format("  {:>3}  {:>4}  {:>6}  {}  {:>7}  {:>10}", l.lag, l.n,
                    r ? Fixed(*r, 3) : "—", bar,
                    l.p_value ? PValue(*l.p_value) : "—", l.slope ? InsightNumber(*l.slope) : "—");
    if (best) row += "  " + paint(kBold, "◀ best");
    if (!l.r && !l.reason.empty()) row += "  " + paint(kDim, l.reason);
    out += row + "\n";
  }
  out += "\n";
  if (!result.best || !UsableR(result.lags.at(static_cast<size_t>(*result.best)).r)) {
    std::vector<std::string> reasons;
    for (const LagStats& l : result.lags) {
      if (!l.reason.empty() &&
          std::find(reasons.begin(), reasons.end(), l.reason) == reasons.end()) {
        reasons.push_back(l.reason);
      }
    }
    std::string why;
    for (const std::string& reason : reasons) why += (why.empty() ? " (here: " : "; ") + reason;
    if (!why.empty()) why += ")";
    return out +
           "No lag has enough data: r needs at least 3 periods with values on both sides "
           "that vary" +
           why + ".\n";
  }
  const LagStats& l = result.lags[static_cast<size_t>(*result.best)];
  const double r = *UsableR(l.r);
  const double p = l.p_value.value_or(std::numeric_limits<double>::quiet_NaN());
  const double ar = std::fabs(r);
  const std::string strength = ar >= 0.7 ? "strong" : ar >= 0.4 ? "moderate" : "weak";
  const std::string direction = r >= 0 ? "positive" : "negative";
  std::string sentence;
  if (l.lag == 0) {
    sentence = fmt::format("Best at lag 0: {} and {} move together in the same {}", name_a, name_b,
                           PeriodWord(result.period, 1));
  } else {
    sentence = fmt::format("Best at lag {}: {} leads {} by {} {}", l.lag, name_a, name_b, l.lag,
                           PeriodWord(result.period, l.lag));
  }
  sentence += fmt::format(" — a {} {} correlation (r = {:.3f}, p {}{}, n = {}).", strength,
                          direction, r, p < 0.001 ? "" : "= ", PValue(p), l.n);
  out += sentence + "\n";
  if (l.slope && *l.slope != 0) {
    // The slope per 1, 10, 100 … units of A, whichever first moves B by at least 1.
    double per = 1;
    while (std::fabs(*l.slope) * per < 1 && per < 1e9) per *= 10;
    const std::string when =
        l.lag == 0 ? "in the same " + PeriodWord(result.period, 1)
                   : fmt::format("{} {} later", l.lag, PeriodWord(result.period, l.lag));
    out += fmt::format("Every {} more {} went with {} {} {} {}.\n", InsightNumber(per), name_a,
                       InsightNumber(std::fabs(*l.slope) * per), *l.slope > 0 ? "more" : "fewer",
                       name_b, when);
  }
  if (!(p < 0.05)) {
    out += paint(kYellow, "Not significant at 5%: treat it as a hint, not a finding.") + "\n";
  }
  return out;
}

std::string RenderFunnel(const Workspace& ws, const Funnel& funnel, const FunnelResult& result,
                         const InsightPrintOptions& opts) {
  const Painter paint(opts.color);
  std::string out = paint(kBold, fmt::format("{} ({})", Visible(funnel.name), funnel.id));
  if (result.overall) out += fmt::format(" — overall conversion {}", Percent(*result.overall, 2));
  out += "\n";
  if (result.target && !result.stages.empty()) {
    out +=
        fmt::format("Target: {} {} at the bottom of the funnel; required volumes run up from it.\n",
                    InsightNumber(*result.target), KpiLabel(ws, result.stages.back().kpi));
  }
  out += "\n";
  // Bars on a log scale: a deep funnel (0.1% overall) would otherwise leave its lower stages blank.
  double top = 0;
  for (const FunnelStage& s : result.stages) {
    if (s.value && *s.value > top) top = *s.value;
  }
  const int cells = std::clamp(opts.width / 4, 12, 30);
  const double decades = top > 1 ? std::log10(top) + 1 : 1;
  auto bar_cells = [&](const std::optional<double>& v) {
    if (!v || *v <= 0 || top <= 0) return 0;
    const double scaled = (std::log10(std::max(*v, 1.0)) + 1) / decades;
    return std::clamp(static_cast<int>(std::lround(scaled * cells)), 1, cells);
  };
  int name_columns = 5;
  for (const FunnelStage& s : result.stages) {
    name_columns = std::max(name_columns, std::min(24, Columns(KpiLabel(ws, s.kpi))));
  }
  const bool target = result.target.has_value();
  std::string header = fmt::format("  {}  {}  {:>10}  {:>8}", PadRight("stage", name_columns),
                                   std::string(static_cast<size_t>(cells), ' '), "value", "rate");
  if (target) header += fmt::format("  {:>10}  {:>10}", "required", "gap");
  out += paint(kDim, header) + "\n";
  for (const FunnelStage& s : result.stages) {
    const int n = bar_cells(s.value);
    const int left = (cells - n) / 2;
    const std::string bar = std::string(static_cast<size_t>(left), ' ') +
                            paint(kCyan, Repeat("█", n)) +
                            std::string(static_cast<size_t>(cells - n - left), ' ');
    std::string row = fmt::format(
        "  {}  {}  {:>10}  {:>8}", PadRight(Cut(KpiLabel(ws, s.kpi), name_columns), name_columns),
        bar, s.value ? InsightNumber(*s.value) : "—", s.rate ? Percent(*s.rate, 2) : "");
    if (target) {
      std::string gap = "—";
      if (s.gap) {
        gap = *s.gap > 0 ? paint(kYellow, PadLeft("+" + Volume(*s.gap), 10))
                         : paint(kGreen, PadLeft(Volume(*s.gap), 10));
      }
      row += fmt::format("  {:>10}  {}", s.required ? Volume(*s.required) : "—",
                         s.gap ? gap : PadLeft(gap, 10));
    }
    out += row + "\n";
  }
  if (target) {
    out +=
        "\nRates are each stage's share of the stage above. A + gap is volume still needed; a "
        "negative one is ahead of what the target requires.\n";
  }
  return out;
}

std::string RenderAllocation(const AllocationResult& result, const InsightPrintOptions& opts) {
  const Painter paint(opts.color);
  std::string out =
      paint(kBold,
            fmt::format("Budget {} over {}", InsightNumber(result.budget),
                        Plural(static_cast<long>(result.allocations.size()), "goal", "goals"))) +
      ", by growth potential (maximising Σ g·√x)\n\n";
  int goal_columns = 4;
  double max_share = 0;
  for (const Allocation& a : result.allocations) {
    goal_columns = std::max(goal_columns, std::min(28, Columns(a.goal)));
    if (a.share) max_share = std::max(max_share, *a.share);
  }
  const int cells = std::clamp(opts.width / 6, 10, 20);
  out += paint(kDim, fmt::format("  {}  {:>6}  {:>12}  {:>6}  {}  {:>10}  {:>10}",
                                 PadRight("goal", goal_columns), "g", "amount", "share",
                                 std::string(static_cast<size_t>(cells), ' '), "spent",
                                 "cost/done")) +
         "\n";
  // Largest amount first (the JSON keeps the candidates' order).
  std::vector<Allocation> rows = result.allocations;
  std::stable_sort(rows.begin(), rows.end(),
                   [](const Allocation& x, const Allocation& y) { return x.amount > y.amount; });
  for (const Allocation& a : rows) {
    const int n =
        a.share && max_share > 0 ? static_cast<int>(std::lround(*a.share / max_share * cells)) : 0;
    std::string row = fmt::format(
        "  {}  {:>6}  {:>12}  {:>6}  {}", PadRight(Cut(a.goal, goal_columns), goal_columns),
        InsightNumber(a.growth_potential), InsightNumber(a.amount),
        a.share ? Percent(*a.share) : "—",
        paint(kGreen, Repeat("█", n)) + std::string(static_cast<size_t>(cells - n), ' '));
    row += fmt::format("  {:>10}  {:>10}", InsightNumber(a.spent),
                       a.channel_cost_per_goal_done ? InsightNumber(*a.channel_cost_per_goal_done)
                                                    : "—");
    if (a.bound == BudgetBound::kMin) row += paint(kDim, "  at its minimum");
    if (a.bound == BudgetBound::kMax) row += paint(kDim, "  at its maximum");
    out += row + "\n";
  }
  out += fmt::format("\nTotal uplift Σ g·√x = {}\n", InsightNumber(result.total_uplift));
  out += paint(kDim,
               "spent: each goal's spend so far; cost/done: what one fully achieved goal of its "
               "channel has cost (spent / Σ progress, `cascade breakdown --by channel`)") +
         "\n";
  return out;
}

std::string RenderBreakdown(const Breakdown& breakdown, const InsightPrintOptions& opts) {
  const Painter paint(opts.color);
  int goals = 0;
  int key_columns = std::max(6, Columns(std::string(ToString(breakdown.by))));
  for (const BreakdownGroup& g : breakdown.groups) {
    goals += g.goals;
    key_columns = std::max(key_columns, std::min(24, Columns(g.key ? Visible(*g.key) : "(none)")));
  }
  std::string out = paint(kBold, fmt::format("{} by {}",
                                             Plural(goals, "active goal", "active goals"),
                                             ToString(breakdown.by))) +
                    "\n\n";
  if (breakdown.groups.empty()) return out + "  No active goal.\n";
  const int cells = std::clamp(opts.width / 8, 10, 20);
  out += paint(kDim, fmt::format("  {}  {:>5}  {:>8}  {}  {:>10}  {:>10}  {}",
                                 PadRight(std::string(ToString(breakdown.by)), key_columns),
                                 "goals", "progress", std::string(static_cast<size_t>(cells), ' '),
                                 "spent", "cost/done", "statuses")) +
         "\n";
  for (const BreakdownGroup& g : breakdown.groups) {
    // Truncated like the percentage beside it: a group at 99.7% never shows a full bar.
    const int n = g.progress ? static_cast<int>(std::clamp(*g.progress, 0.0, 1.0) * cells) : 0;
    std::string statuses;
    for (int st = 0; st < kGoalStatusCount; ++st) {
      const int count = g.counts[static_cast<size_t>(st)];
      if (count == 0) continue;
      if (!statuses.empty()) statuses += ", ";
      statuses += fmt::format("{} {}", count, StatusWords(ToString(static_cast<GoalStatus>(st))));
    }
    const std::string key = g.key ? Cut(Visible(*g.key), key_columns) : paint(kDim, "(none)");
    out += fmt::format("  {}  {:>5}  {:>8}  {}  {:>10}  {:>10}  {}\n",
                       PadRight(key, key_columns + (g.key ? 0 : Columns(key) - 6)), g.goals,
                       PercentOr(g.progress), paint(kGreen, Repeat("█", n)) +
                           paint(kDim, Repeat("░", cells - n)),
                       InsightNumber(g.spent),
                       g.cost_per_goal_done ? InsightNumber(*g.cost_per_goal_done) : "—", statuses);
  }
  out += "\n" + paint(kDim, "cost/done: what one fully achieved goal cost there, spent / Σ progress "
                             "(— when nothing has progressed)") +
         "\n";
  return out;
}

std::string RenderExperiment(const Experiment& experiment, const ExperimentResult& result,
                             const InsightPrintOptions& opts) {
  const Painter paint(opts.color);
  std::string out = paint(kBold, fmt::format("{} ({})", Visible(experiment.name), experiment.id));
  if (!experiment.goal.empty()) out += " — goal " + experiment.goal;
  out += "\n";
  const double top = std::max(result.p_control, result.p_variant);
  constexpr int kCells = 20;
  auto arm = [&](const char* label, const Arm& a, double rate) {
    const int n = top > 0 ? static_cast<int>(std::lround(rate / top * kCells)) : 0;
    return fmt::format("  {:<8} {:>9} / {:<9} {:>7}  {}\n", label,
                       InsightNumber(static_cast<double>(a.conversions)),
                       InsightNumber(static_cast<double>(a.visitors)), Percent(rate, 2),
                       paint(kCyan, Repeat("█", n)));
  };
  out += arm("control", experiment.control, result.p_control);
  out += arm("variant", experiment.variant, result.p_variant);
  auto pts = [](double v) { return (v >= 0 ? "+" : "−") + PercentNumber(std::fabs(v), 2); };
  out += fmt::format("  lift     {} points", pts(result.lift));
  if (result.relative_lift) {
    out += fmt::format(" ({}{}% relative)", *result.relative_lift >= 0 ? "+" : "−",
                       PercentNumber(std::fabs(*result.relative_lift), 1));
  }
  out += fmt::format("; 95% interval {} to {} points\n", pts(result.ci95[0]), pts(result.ci95[1]));
  if (!result.z || !result.p_value) {
    out += "  No variance to test: every visitor converted, or none did.\n";
    return out;
  }
  out += fmt::format("  z = {}, p {}{} — ", Fixed(*result.z, 2), *result.p_value < 0.001 ? "" : "= ",
                     PValue(*result.p_value));
  if (result.significant) {
    out += paint(kGreen, result.lift > 0 ? "significant at 5%: the variant converts better"
                                         : "significant at 5%: the variant converts worse");
  } else {
    out += paint(kYellow, "not significant at 5%: keep testing or call it a tie");
  }
  return out + "\n";
}

std::string RenderReviewAgenda(const Workspace& ws, const Rollup& rollup,
                               const ReviewAgenda& agenda, const InsightPrintOptions& opts) {
  const Painter paint(opts.color);
  auto goal = [&](int g) -> const Goal& { return ws.goals[static_cast<size_t>(g)]; };
  auto result = [&](int g) -> const GoalResult& { return rollup.goals[static_cast<size_t>(g)]; };
  const int title_columns = std::max(20, opts.width - 70);
  auto owner = [](const Goal& g) { return g.owner.empty() ? std::string("no owner") : g.owner; };

  std::string team_name = "all teams";
  for (const Team& t : ws.teams) {
    if (t.id == agenda.team) team_name = fmt::format("{} ({})", Visible(t.name), t.id);
  }
  std::string out =
      paint(kBold, fmt::format("Review of {} as of {}", team_name, agenda.as_of.ToString())) + "\n";
  if (agenda.since) {
    const Review& r = ws.reviews[static_cast<size_t>(*agenda.since)];
    out += fmt::format("Since review #{} of {}{}{}\n", r.seq, r.date.ToString(),
                       r.team.empty() ? "" : " (" + r.team + ")",
                       r.notes.empty() ? "" : ": " + Visible(r.notes));
  } else {
    out += "No earlier review recorded: record this one (--record) to track progress from it.\n";
  }
  auto heading = [&](std::string_view color, const std::string& text, size_t n) {
    out += "\n" + paint(color, fmt::format("{} ({})", text, n)) + "\n";
    if (n == 0) out += "  none\n";
  };

  heading(kRed, "Off track", agenda.off_track.size());
  auto gap_rows = [&](const std::vector<GoalGap>& list) {
    for (const GoalGap& gg : list) {
      const Goal& g = goal(gg.goal);
      out += fmt::format("  {:<22} {:>4} of {:>4} expected, {:>3} pts behind  {:<10} {}\n",
                         Cut(g.id, 22), PercentOr(result(gg.goal).progress),
                         PercentOr(result(gg.goal).expected), PercentNumber(gg.gap),
                         Cut(owner(g), 10), Cut(Visible(g.title), title_columns));
    }
  };
  gap_rows(agenda.off_track);
  heading(kYellow, "At risk", agenda.at_risk.size());
  gap_rows(agenda.at_risk);

  heading(kYellow, "Judgement and numbers disagree", agenda.disagreements.size());
  for (const Disagreement& d : agenda.disagreements) {
    out += fmt::format("  {:<22} {}\n", Cut(goal(d.goal).id, 22), Visible(d.text));
  }

  heading(kRed, "Missed", agenda.missed.size());
  for (const int gi : agenda.missed) {
    const Goal& g = goal(gi);
    const GoalResult& r = result(gi);
    out += fmt::format("  {:<22} {:>4} by {}  {:<10} {}\n", Cut(g.id, 22), PercentOr(r.progress),
                       r.due ? r.due->ToString() : "—", Cut(owner(g), 10),
                       Cut(Visible(g.title), title_columns));
  }

  heading(kYellow, "Stale KPIs", agenda.stale.size());
  for (const StaleKpi& s : agenda.stale) {
    const Kpi& k = ws.kpis[static_cast<size_t>(s.kpi)];
    const std::optional<Date>& last = rollup.kpis[static_cast<size_t>(s.kpi)].last_checkin;
    std::string who;
    for (const Goal& g : ws.goals) {
      if (g.id == k.goal) who = owner(g);
    }
    out += fmt::format("  {:<22} goal {}, {}: {} {} ago (every {})\n", Cut(k.id, 22), k.goal, who,
                       last ? "last check-in" : "no check-in since the start,",
                       Plural(s.days_since, "day", "days"), Plural(k.cadence_days, "day", "days"));
  }

  heading(kGreen, "Achieved since the last review", agenda.achieved.size());
  for (const int gi : agenda.achieved) {
    const Goal& g = goal(gi);
    out += fmt::format("  {:<22} {}  {}\n", Cut(g.id, 22), Cut(owner(g), 10),
                       Cut(Visible(g.title), title_columns));
  }

  heading(kRed, "Overdue actions", agenda.overdue_actions.size());
  for (const int ai : agenda.overdue_actions) {
    const Action& a = ws.actions[static_cast<size_t>(ai)];
    out += fmt::format("  {:<22} due {} ({} overdue)  goal {}, {}: {}\n", Cut(a.id, 22),
                       a.due->ToString(), Plural(agenda.as_of - *a.due, "day", "days"), a.goal,
                       a.owner.empty() ? "no owner" : a.owner, Visible(a.title));
  }

  heading(kRed, "Lint errors", agenda.lint_errors.size());
  for (const Finding& f : agenda.lint_errors)
    out += fmt::format("  {}  {}\n", f.code, Visible(f.message));

  out += "\n" + paint(kBold, "Progress since the last review") + "\n";
  if (!agenda.since) {
    out += "  — (no earlier review)\n";
  } else {
    int unchanged = 0;
    for (const ProgressChange& c : agenda.changes) {
      const std::string status(ToString(result(c.goal).status));
      const bool moved = c.change && std::fabs(*c.change) >= 0.0005;
      if (!moved && c.status_before == status) {
        ++unchanged;
        continue;
      }
      std::string change = c.change ? Points(*c.change) : "new";
      if (c.change && *c.change > 0) change = paint(kGreen, change);
      if (c.change && *c.change < 0) change = paint(kRed, change);
      std::string statuses = c.status_before.empty() || c.status_before == status
                                 ? StatusWords(status)
                                 : StatusWords(c.status_before) + " → " + StatusWords(status);
      out += fmt::format("  {:<22} {:>4} → {:<4}  {}  {}\n", Cut(goal(c.goal).id, 22),
                         PercentOr(c.before), PercentOr(c.after), PadRight(change, 10), statuses);
    }
    if (unchanged > 0) out += fmt::format("  ({} unchanged)\n", Plural(unchanged, "goal", "goals"));
  }

  heading(kBold, "Comments", agenda.comments.size());
  for (const int ci : agenda.comments) {
    const Comment& c = ws.comments[static_cast<size_t>(ci)];
    out +=
        fmt::format("  {}  {} on {}: {}\n", c.date.ToString(),
                    c.author.empty() ? "someone" : Visible(c.author), c.goal, Visible(c.text));
  }

  heading(kBold, "Lessons and decisions", agenda.lessons.size());
  for (const int ci : agenda.lessons) {
    const Comment& c = ws.comments[static_cast<size_t>(ci)];
    out += fmt::format("  {}  {} by {} on {}: {}\n", c.date.ToString(), ToString(c.kind),
                       c.author.empty() ? "someone" : Visible(c.author), c.goal, Visible(c.text));
  }
  return out;
}

std::string RenderScorecard(const Scorecard& card, const InsightPrintOptions& opts) {
  const Painter paint(opts.color);
  std::string out = paint(kBold, fmt::format("{} ({})", Visible(card.name), card.id)) + "\n";
  out +=
      fmt::format("  points  {}  ({} from achieved goals, {})\n", InsightNumber(card.points),
                  InsightNumber(card.goal_points), Plural(card.checkins, "check-in", "check-ins"));
  if (card.streak_cadence_days == 0) {
    out += "  streak  — (no live KPI to check in)\n";
  } else {
    const int c = card.streak_cadence_days;
    const std::string periods = c == 7   ? (card.streak == 1 ? "week" : "weeks")
                                : c == 1 ? (card.streak == 1 ? "day" : "days")
                                         : fmt::format("× {}-day periods", c);
    out += fmt::format("  streak  {} {} in a row with a check-in\n", card.streak, periods);
  }
  out += fmt::format("  goals   {} owned: {} achieved, {} missed, mean progress {}\n",
                     card.goals_owned, card.achieved, card.missed, PercentOr(card.mean_progress));
  if (card.kpis > 0) {
    const int fresh = static_cast<int>(std::lround(card.kpis_not_stale.value_or(0) * card.kpis));
    out += fmt::format("  KPIs    {} of {} checked in on time ({})\n", fresh, card.kpis,
                       PercentOr(card.kpis_not_stale));
  } else {
    out += "  KPIs    none owned\n";
  }
  return out;
}

std::string RenderLeaderboard(const std::vector<Scorecard>& board,
                              const InsightPrintOptions& opts) {
  const Painter paint(opts.color);
  if (board.empty()) return "No people yet: add them with `cascade person add`.\n";
  int name_columns = 6;
  double top = 0;
  for (const Scorecard& s : board) {
    name_columns =
        std::max(name_columns, std::min(30, Columns(Visible(s.name)) + Columns(s.id) + 3));
    top = std::max(top, s.points);
  }
  constexpr int kCells = 12;
  std::string out =
      paint(kDim, fmt::format("  {:>3}  {}  {:>7}  {}  {:>8}  {:>6}  {:>8}  {:>10}", "#",
                              PadRight("person", name_columns), "points", std::string(kCells, ' '),
                              "achieved", "streak", "progress", "fresh KPIs")) +
      "\n";
  for (const Scorecard& s : board) {
    const int n = top > 0 ? static_cast<int>(std::lround(s.points / top * kCells)) : 0;
    out += fmt::format(
        "  {:>3}  {}  {:>7}  {}  {:>8}  {:>6}  {:>8}  {:>10}\n", s.rank,
        PadRight(Cut(fmt::format("{} ({})", Visible(s.name), s.id), name_columns), name_columns),
        InsightNumber(s.points),
        paint(s.rank == 1 ? kGreen : kCyan, Repeat("█", n)) +
            std::string(static_cast<size_t>(kCells - n), ' '),
        s.achieved, s.streak, PercentOr(s.mean_progress), PercentOr(s.kpis_not_stale));
  }
  out +=
      "\nPoints: 10 × weight per achieved micro goal, 50 × weight per achieved macro goal, 1 per "
      "check-in authored.\n";
  return out;
}

std::string RenderTodo(const Workspace& ws, const Rollup& rollup, const TodoList& todo,
                       const InsightPrintOptions& opts) {
  const Painter paint(opts.color);
  const int title_columns = std::max(20, opts.width - 60);
  std::string name = todo.person;
  for (const Person& p : ws.people) {
    if (p.id == todo.person) name = fmt::format("{} ({})", Visible(p.name), p.id);
  }
  std::string out =
      paint(kBold, fmt::format("To do for {} as of {}", name, todo.as_of.ToString())) + "\n";
  if (todo.checkins_due.empty() && todo.goals_at_risk.empty() && todo.disagreements.empty() &&
      todo.overdue_actions.empty() &&
      todo.upcoming_actions.empty() && todo.reviews_due.empty()) {
    return out + "Nothing to do: every check-in is up to date, no goal is at risk, no action is due "
                 "within a week.\n";
  }
  auto days = [](int n) { return Plural(n, "day", "days"); };
  auto heading = [&](std::string_view color, const std::string& text, size_t n) {
    if (n > 0) out += "\n" + paint(color, fmt::format("{} ({})", text, n)) + "\n";
  };

  heading(kYellow, "Check-ins due", todo.checkins_due.size());
  for (const CheckinDue& c : todo.checkins_due) {
    const Kpi& k = ws.kpis[static_cast<size_t>(c.kpi)];
    const int late = c.days_since - k.cadence_days;
    const std::string when = late > 0    ? days(late) + " late"
                             : late == 0 ? std::string("due today")
                                         : std::string("due tomorrow");
    out += fmt::format("  {:<22} goal {:<22} {}, {} ago (every {}): {}\n", Cut(k.id, 22),
                       Cut(k.goal, 22), c.last_checkin ? "last check-in" : "none since the start",
                       days(c.days_since), days(k.cadence_days), paint(late > 0 ? kRed : kYellow, when));
  }

  heading(kYellow, "Your judgement and the numbers disagree", todo.disagreements.size());
  for (const GoalDisagreement& d : todo.disagreements) {
    out += fmt::format("  {:<22} you said {}; the numbers say {}\n",
                       Cut(ws.goals[static_cast<size_t>(d.goal)].id, 22),
                       TrackWords(ToString(d.confidence)), TrackWords(ToString(d.status)));
  }

  heading(kRed, "Goals at risk", todo.goals_at_risk.size());
  for (const GoalAtRisk& a : todo.goals_at_risk) {
    const Goal& g = ws.goals[static_cast<size_t>(a.goal)];
    const GoalResult& r = rollup.goals[static_cast<size_t>(a.goal)];
    std::string word(ToString(a.status));
    std::replace(word.begin(), word.end(), '_', ' ');
    out += fmt::format("  {:<22} {:<9} {:>4} of {:>4} expected  {}\n", Cut(g.id, 22),
                       paint(a.status == GoalStatus::kOffTrack ? kRed : kYellow, word),
                       PercentOr(r.progress), PercentOr(r.expected),
                       Cut(Visible(g.title), title_columns));
  }

  auto actions = [&](const std::vector<int>& list, bool overdue) {
    for (const int ai : list) {
      const Action& a = ws.actions[static_cast<size_t>(ai)];
      const int d = todo.as_of - *a.due;
      const std::string when = overdue  ? days(d) + " overdue"
                               : d == 0 ? std::string("due today")
                                        : "in " + days(-d);
      out += fmt::format("  {:<22} due {} ({})  goal {}  {}\n", Cut(a.id, 22), a.due->ToString(),
                         paint(overdue ? kRed : kCyan, when), a.goal,
                         Cut(Visible(a.title), title_columns));
    }
  };
  heading(kRed, "Overdue actions", todo.overdue_actions.size());
  actions(todo.overdue_actions, true);
  heading(kCyan, "Actions due within a week", todo.upcoming_actions.size());
  actions(todo.upcoming_actions, false);

  heading(kYellow, "Reviews due", todo.reviews_due.size());
  for (const ReviewDue& r : todo.reviews_due) {
    out += fmt::format("  {:<22} {}\n", Cut(r.team, 22),
                       r.last_review ? fmt::format("last review {} ({} ago)",
                                                   r.last_review->ToString(),
                                                   days(todo.as_of - *r.last_review))
                                     : std::string("never reviewed: cascade review --team " +
                                                   r.team + " --record"));
  }
  return out;
}

}  // namespace cascade
