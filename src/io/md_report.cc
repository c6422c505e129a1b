#include "io/md_report.h"

#include <algorithm>
#include <array>
#include <cmath>

#include <fmt/format.h>

#include "io/render_text.h"
#include "io/report_facts.h"

namespace cascade {
namespace {

std::string M(std::string_view s) { return MarkdownEscape(s); }

class MarkdownReport {
 public:
  MarkdownReport(const Workspace& ws, const Rollup& rollup, const ReportOptions& opts)
      : f_(ws, rollup, opts.goals), ws_(ws), rollup_(rollup), opts_(opts) {}

  std::string Render() {
    out_ += "# " + M(opts_.title) + "\n\n";
    out_ += "As of **" + LongDate(rollup_.as_of) + "** (" + rollup_.as_of.ToString() + ") · " +
            M(f_.WorkspaceSummary()) + "\n";
    Counts();
    Tree();
    Agenda();
    Goals();
    out_ += "\n---\n\nMade by Cascade. Bars: █ progress, │ where progress is expected today. "
            "Charts: `cascade chart KPI -o KPI.svg`, or `cascade report --format html`.\n";
    return std::move(out_);
  }

 private:
  void Counts() {
    out_ += "\n## Status\n\n";
    int total = 0;
    for (const int n : rollup_.summary) total += n;
    if (total == 0) {
      out_ += "No goals yet.\n";
      return;
    }
    out_ += "| status | goals |\n|---|--:|\n";
    for (const GoalStatus s : kStatusDisplayOrder) {
      const int n = rollup_.summary[static_cast<size_t>(s)];
      if (n > 0) out_ += fmt::format("| {} | {} |\n", StatusLabel(s), n);
    }
  }

  void Tree() {
    out_ += "\n## The cascade\n\n";
    if (f_.roots().empty()) {
      out_ += "No goals yet.\n";
      return;
    }
    out_ += "| goal | progress | | status | due | owner |\n|---|---|--:|---|---|---|\n";
    for (const int g : f_.roots()) TreeRow(g, 0);
  }

  void TreeRow(int g, int depth) {
    const Goal& goal = ws_.goals[static_cast<size_t>(g)];
    const GoalResult& r = rollup_.goals[static_cast<size_t>(g)];
    // Table cells lose leading spaces; no-break spaces keep the indentation.
    std::string indent;
    for (int i = 0; i < depth; ++i) indent += "\u00a0\u00a0\u00a0";
    if (depth > 0) indent += "└\u00a0";
    std::string title = M(goal.title);
    if (goal.level == Level::kMacro) title = "**" + title + "**";
    out_ += fmt::format("| {}{} | `{}` | {} | {} | {} | {} |\n", indent, title,
                        TextProgressBar(r.progress, r.expected), PercentText(r.progress),
                        StatusLabel(r.status), r.due ? r.due->ToString() : "—",
                        goal.owner.empty() ? "—" : M(f_.PersonName(goal.owner)));
    for (const int c : f_.children(g)) TreeRow(c, depth + 1);
  }

  std::string GoalName(int g) const { return M(ws_.goals[static_cast<size_t>(g)].title); }
  std::string Owner(int g) const {
    const Goal& goal = ws_.goals[static_cast<size_t>(g)];
    return goal.owner.empty() ? " (no owner)" : " (" + M(f_.PersonName(goal.owner)) + ")";
  }

  void List(std::string_view heading, const std::vector<std::string>& items,
            std::string_view none = "None.") {
    out_ += fmt::format("\n### {} ({})\n\n", heading, items.size());
    if (items.empty()) {
      out_ += std::string(none) + "\n";
      return;
    }
    for (const std::string& item : items) out_ += "- " + item + "\n";
  }

  void Agenda() {
    out_ += "\n## Review agenda\n\n";
    if (opts_.agenda == nullptr) {
      out_ += "No review agenda in this report.\n";
      return;
    }
    const ReviewAgenda& a = *opts_.agenda;
    out_ += M(f_.AgendaSince(a)) + "\n";
    const auto gaps = [&](const std::vector<GoalGap>& list) {
      std::vector<std::string> items;
      for (const GoalGap& gap : list) {
        const GoalResult& r = rollup_.goals[static_cast<size_t>(gap.goal)];
        items.push_back(GoalName(gap.goal) + " — " + ReportFacts::GapText(r, gap.gap) +
                        Owner(gap.goal));
      }
      return items;
    };
    List("Off track", gaps(a.off_track));
    List("At risk", gaps(a.at_risk));
    if (!a.disagreements.empty()) {
      std::vector<std::string> disagreements;
      for (const Disagreement& d : a.disagreements) {
        disagreements.push_back(GoalName(d.goal) + " — " + M(d.text));
      }
      List("Judgement and numbers disagree", disagreements);
    }

    std::vector<std::string> missed;
    for (const int g : a.missed) {
      const GoalResult& r = rollup_.goals[static_cast<size_t>(g)];
      missed.push_back(GoalName(g) + " — reached " + PercentText(r.progress) + " by " +
                       (r.due ? LongDate(*r.due) : "its due date") + Owner(g));
    }
    List("Missed", missed);

    std::vector<std::string> stale;
    for (const StaleKpi& s : a.stale) {
      const Kpi& kpi = ws_.kpis[static_cast<size_t>(s.kpi)];
      const KpiResult& r = rollup_.kpis[static_cast<size_t>(s.kpi)];
      std::string item = "**" + M(kpi.name.empty() ? kpi.id : kpi.name) + "**";
      if (const int g = f_.GoalPosition(kpi.goal); g >= 0) item += " of " + GoalName(g);
      item += " — " + (r.last_checkin ? "last check-in " + std::to_string(s.days_since) +
                                            " days ago (" + LongDate(*r.last_checkin) + ")"
                                      : "no check-in in " + std::to_string(s.days_since) +
                                            " days since the start");
      item += ", every " + std::to_string(kpi.cadence_days) + " days expected";
      stale.push_back(item);
    }
    List("Stale KPIs", stale);

    std::vector<std::string> achieved;
    for (const int g : a.achieved) achieved.push_back(GoalName(g) + Owner(g));
    List(a.since ? "Achieved since the last review" : "Achieved", achieved,
         "Nothing new to celebrate yet.");

    std::vector<std::string> lint;
    for (const Finding& finding : a.lint_errors) {
      lint.push_back("`" + finding.code + "` " + M(finding.message));
    }
    List("Lint errors", lint);

    std::vector<std::string> overdue;
    for (const int i : a.overdue_actions) {
      const Action& action = ws_.actions[static_cast<size_t>(i)];
      const int g = f_.GoalPosition(action.goal);
      const int days = a.as_of - *action.due;
      overdue.push_back("**" + M(action.title) + "** (" + M(action.id) + ")" +
                        (g >= 0 ? " of " + GoalName(g) : "") + " — due " +
                        LongDate(*action.due) + ", " + std::to_string(days) +
                        (days == 1 ? " day" : " days") + " overdue" +
                        (action.owner.empty() ? "" : ", " + M(f_.PersonName(action.owner))));
    }
    List("Overdue actions", overdue);

    if (!a.comments.empty()) {
      std::vector<std::string> comments;
      for (const int c : a.comments) {
        const Comment& comment = ws_.comments[static_cast<size_t>(c)];
        const int g = f_.GoalPosition(comment.goal);
        comments.push_back(LongDate(comment.date) + ", " +
                           M(comment.author.empty() ? "someone" : f_.PersonName(comment.author)) +
                           (g >= 0 ? " on " + GoalName(g) : "") + ": “" + M(comment.text) + "”");
      }
      List("Comments", comments);
    }
    if (!a.lessons.empty()) {
      std::vector<std::string> lessons;
      for (const int c : a.lessons) {
        const Comment& comment = ws_.comments[static_cast<size_t>(c)];
        const int g = f_.GoalPosition(comment.goal);
        lessons.push_back(std::string(comment.kind == CommentKind::kLesson ? "Lesson" : "Decision") +
                          ", " + LongDate(comment.date) + ", " +
                          M(comment.author.empty() ? "someone" : f_.PersonName(comment.author)) +
                          (g >= 0 ? " on " + GoalName(g) : "") + ": “" + M(comment.text) + "”");
      }
      List("Lessons and decisions", lessons);
    }

    out_ += "\n### Progress since the last review\n\n";
    if (!a.since) {
      out_ += "No earlier review to compare with.\n";
      return;
    }
    out_ += "| goal | before | now | change | status |\n|---|--:|--:|--:|---|\n";
    for (const ProgressChange& c : a.changes) {
      const GoalResult& r = rollup_.goals[static_cast<size_t>(c.goal)];
      std::string status(StatusLabel(r.status));
      if (!c.status_before.empty() && c.status_before != ToString(r.status)) {
        const auto before = ParseGoalStatus(c.status_before);
        status = std::string(before ? StatusLabel(*before) : M(c.status_before)) + " → " + status;
      }
      out_ += fmt::format("| {} | {} | {} | {} | {} |\n", GoalName(c.goal), PercentText(c.before),
                          PercentText(c.after), ReportFacts::ChangeText(c.change), status);
    }
  }

  void Goals() {
    out_ += "\n## Goals and KPIs\n";
    if (f_.order().empty()) {
      out_ += rollup_.order.empty() ? "\nNo goals yet.\n" : "\nNo goal matches the filters.\n";
    }
    for (const int g : f_.order()) {
      const Goal& goal = ws_.goals[static_cast<size_t>(g)];
      const GoalResult& r = rollup_.goals[static_cast<size_t>(g)];
      out_ += "\n### " + M(goal.title) + "\n\n";
      out_ += "**" + std::string(StatusLabel(r.status)) + "** · " + M(f_.GoalMeta(g)) + " · " +
              f_.GoalNumbers(g) + "\n";
      if (!goal.description.empty()) out_ += "\n" + M(goal.description) + "\n";
      if (const std::string more = f_.GoalJudgementAndSpend(g); !more.empty()) {
        out_ += "\n" + M(more) + "\n";
      }
      const std::vector<int>& kpis = f_.kpis(g);
      if (kpis.empty()) {
        out_ += std::string("\n") +
                (f_.children(g).empty() ? "No KPI yet." : "Measured through the goals under it.") +
                "\n";
        continue;
      }
      out_ += "\n| KPI | value | progress | forecast | last check-in | trend |\n"
              "|---|---|--:|--:|---|---|\n";
      for (const int k : kpis) {
        const Kpi& kpi = ws_.kpis[static_cast<size_t>(k)];
        const KpiResult& kr = rollup_.kpis[static_cast<size_t>(k)];
        std::vector<double> values;
        for (const ChartPoint& p : f_.charts().Series(k).checkins) values.push_back(p.value);
        std::string last = kr.last_checkin ? kr.last_checkin->ToString() : "none";
        if (kr.stale) last += " (stale)";
        const std::string trend = Sparkline(values);
        out_ += fmt::format("| {} | {} | {} | {} | {} | {} |\n",
                            M(kpi.name.empty() ? kpi.id : kpi.name), M(f_.KpiValue(k)),
                            PercentText(kr.counted ? std::optional<double>(kr.progress)
                                                   : std::nullopt),
                            PercentText(kr.forecast), last,
                            trend.empty() ? "—" : "`" + trend + "`");
      }
    }
  }

  ReportFacts f_;
  const Workspace& ws_;
  const Rollup& rollup_;
  const ReportOptions& opts_;
  std::string out_;
};

}  // namespace

std::string TextProgressBar(std::optional<double> progress, std::optional<double> expected,
                            int cells) {
  if (!progress && !expected) return std::string();
  const auto cell = [cells](double fraction) {
    return std::clamp(static_cast<int>(std::floor(fraction * cells + 1e-9)), 0, cells);
  };
  const int filled = progress ? cell(*progress) : 0;
  const int mark = expected ? std::min(cell(*expected), cells - 1) : -1;
  std::string bar;
  for (int i = 0; i < cells; ++i) {
    bar += i == mark ? "│" : (i < filled ? "█" : "░");
  }
  return bar;
}

std::string Sparkline(const std::vector<double>& values, size_t max_points) {
  static constexpr std::array<std::string_view, 8> kBlocks = {"▁", "▂", "▃", "▄",
                                                              "▅", "▆", "▇", "█"};
  if (values.empty()) return std::string();
  const size_t first = values.size() > max_points ? values.size() - max_points : 0;
  const auto [lo, hi] = std::minmax_element(values.begin() + static_cast<long>(first), values.end());
  std::string line;
  for (size_t i = first; i < values.size(); ++i) {
    const double share = *hi - *lo > 0 ? (values[i] - *lo) / (*hi - *lo) : 0.5;
    line += kBlocks[static_cast<size_t>(std::lround(share * 7))];
  }
  return line;
}

std::string RenderMarkdownReport(const Workspace& ws, const Rollup& rollup,
                                 const ReportOptions& options) {
  return MarkdownReport(ws, rollup, options).Render();
}

}  // namespace cascade
