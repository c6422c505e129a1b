#include "io/html_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string_view>

#include <fmt/format.h>

#include "analytics/breakdown.h"
#include "io/render_text.h"
#include "io/report_facts.h"

namespace cascade {
namespace {

// The stylesheet. It holds no '<' or '&', so the document stays well-formed XML.
constexpr std::string_view kCss = R"css(
:root {
  color-scheme: light;
  --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa;
  --on-track: #1a7f37; --on-track-bg: #dafbe1;
  --at-risk: #9a6700; --at-risk-bg: #fff8c5;
  --off-track: #cf222e; --off-track-bg: #ffebe9;
  --achieved: #0550ae; --achieved-bg: #ddf4ff;
  --missed: #82071e; --missed-bg: #ffcecb;
  --quiet: #59636e; --quiet-bg: #eaeef2;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0 auto; max-width: 64rem; padding: 1.5rem 1rem 3rem;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--ink); background: #fff;
}
h1 { font-size: 1.75rem; margin: 0 0 .25rem; }
h2 { font-size: 1.3rem; margin: 2.25rem 0 .75rem; padding-bottom: .3rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.05rem; margin: 1.5rem 0 .4rem; }
a { color: #0969da; }
.meta, .note, figcaption, .goal-meta { color: var(--muted); }
.report-header .meta { margin: 0 0 .5rem; }
nav ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: .25rem 1rem; }
.counts { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: .5rem; }
.count { border-radius: .5rem; padding: .4rem .75rem; min-width: 6.5rem; }
.count .n { display: block; font-size: 1.5rem; font-weight: 700; line-height: 1.2; }
.status-on_track { --fg: var(--on-track); --bg: var(--on-track-bg); }
.status-at_risk { --fg: var(--at-risk); --bg: var(--at-risk-bg); }
.status-off_track { --fg: var(--off-track); --bg: var(--off-track-bg); }
.status-achieved { --fg: var(--achieved); --bg: var(--achieved-bg); }
.status-missed { --fg: var(--missed); --bg: var(--missed-bg); }
.status-not_started, .status-unscheduled, .status-unmeasured, .status-draft, .status-cancelled {
  --fg: var(--quiet); --bg: var(--quiet-bg);
}
.count, .pill { color: var(--fg); background: var(--bg); }
.pill {
  display: inline-block; border-radius: 999px; padding: 0 .6rem; font-size: .8rem;
  font-weight: 600; white-space: nowrap; line-height: 1.6;
}
.tree, .tree ul { list-style: none; margin: 0; padding: 0; }
.tree ul { margin-left: .55rem; padding-left: .9rem; border-left: 1px solid var(--line); }
.goal-row {
  display: grid; grid-template-columns: minmax(0, 1fr) 10rem 3rem 7rem;
  gap: .2rem .75rem; align-items: center; padding: .3rem 0;
}
.goal-row .title { overflow-wrap: anywhere; }
.goal-row .title a { color: var(--ink); text-decoration: none; }
.goal-row .title a:hover { text-decoration: underline; }
.level-macro .title { font-weight: 650; }
.level { font-size: .75rem; color: var(--muted); font-weight: 400; margin-left: .35rem; }
.dimmed .title a { color: var(--muted); }
.pct { text-align: right; font-variant-numeric: tabular-nums; }
.bar {
  position: relative; display: block; height: .8rem; border-radius: .2rem;
  background: var(--soft); border: 1px solid var(--line); overflow: visible;
}
.bar .fill { position: absolute; left: 0; top: 0; bottom: 0; border-radius: .15rem; background: var(--fg); }
.bar .expected {
  position: absolute; top: -.25rem; bottom: -.25rem; width: 0;
  border-left: 2px solid var(--ink); margin-left: -1px;
}
.kpi-lines { list-style: none; margin: 0 0 .3rem; padding: 0 0 0 .2rem; font-size: .85rem; color: var(--muted); }
.kpi-lines .value { color: var(--ink); font-variant-numeric: tabular-nums; }
.stale { color: var(--at-risk); font-weight: 600; }
.key { font-size: .85rem; color: var(--muted); display: flex; align-items: center; gap: .5rem; flex-wrap: wrap; }
.key .bar { width: 6rem; display: inline-block; --fg: #8c959f; }
.goal { border-top: 1px solid var(--line); padding-top: .25rem; }
h2 + .goal { border-top: 0; }
.goal h3 { display: flex; gap: .5rem; align-items: baseline; flex-wrap: wrap; }
.goal-meta { margin: 0 0 .5rem; font-size: .9rem; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; margin: .25rem 0 .75rem; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
figure.chart { margin: .5rem 0 1.25rem; }
figure.chart svg { display: block; width: 100%; max-width: 720px; height: auto; border: 1px solid var(--line); border-radius: .35rem; }
figcaption { font-size: .85rem; margin-top: .25rem; }
.breakdown .bar { display: inline-block; width: 6rem; vertical-align: middle; }
.agenda ul { padding-left: 1.25rem; }
.agenda li { margin: .2rem 0; }
.empty { color: var(--muted); font-style: italic; }
footer { margin-top: 3rem; font-size: .8rem; color: var(--muted); border-top: 1px solid var(--line); padding-top: .5rem; }
@media (max-width: 40rem) {
  body { padding: 1rem .75rem 2rem; font-size: 14px; }
  .goal-row { grid-template-columns: minmax(0, 1fr) 2.75rem auto; }
  .goal-row .title { grid-column: 1 / -1; }
  .tree ul { margin-left: .3rem; padding-left: .6rem; }
  .count { min-width: 5.5rem; }
}
@media print {
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { max-width: none; padding: 0; font-size: 10pt; }
  nav { display: none; }
  a { color: inherit; text-decoration: none; }
  h2 { break-after: avoid; }
  .goal, figure.chart, .goal-row, tr { break-inside: avoid; }
}
)css";

std::string E(std::string_view s) { return XmlEscape(s); }

// A share as a CSS percentage: "62.5", clamped to [0, 100] and truncated as the text beside it
// (a bar at 99.99% is not drawn full).
std::string CssPercent(double fraction) {
  if (!std::isfinite(fraction)) fraction = 0;
  std::string s = PercentNumber(std::clamp(fraction, 0.0, 1.0), 1);
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  return s;
}

std::string StatusClass(GoalStatus s) { return "status-" + std::string(ToString(s)); }

bool Dimmed(GoalStatus s) {
  return s == GoalStatus::kDraft || s == GoalStatus::kCancelled || s == GoalStatus::kNotStarted;
}

class HtmlReport {
 public:
  HtmlReport(const Workspace& ws, const Rollup& rollup, const ReportOptions& opts)
      : f_(ws, rollup, opts.goals), ws_(ws), rollup_(rollup), opts_(opts) {}

  std::string Render() {
    Head();
    out_ += "<body>\n";
    Header();
    out_ += "<main>\n";
    Counts();
    Tree();
    Agenda();
    Money();
    Goals();
    out_ += "</main>\n";
    out_ += fmt::format(
        "<footer><p>Made by Cascade as of {}. Progress is how far each KPI has moved from "
        "baseline to target; expected progress is the share of the goal's time that has passed; "
        "the forecast reads a straight-line fit of the check-ins at the due date.</p></footer>\n",
        rollup_.as_of.ToString());
    out_ += "</body>\n</html>\n";
    return std::move(out_);
  }

 private:
  void Head() {
    out_ += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n";
    out_ += "<meta charset=\"utf-8\"/>\n";
    out_ += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n";
    out_ += "<meta name=\"generator\" content=\"Cascade\"/>\n";
    out_ += fmt::format("<title>{} — as of {}</title>\n", E(opts_.title), LongDate(rollup_.as_of));
    out_ += "<style>" + std::string(kCss) + "</style>\n</head>\n";
  }

  void Header() {
    out_ += "<header class=\"report-header\">\n";
    out_ += fmt::format("<h1>{}</h1>\n", E(opts_.title));
    out_ += fmt::format(
        "<p class=\"meta\">As of <time datetime=\"{}\">{}</time> · {}</p>\n",
        rollup_.as_of.ToString(), LongDate(rollup_.as_of), E(f_.WorkspaceSummary()));
    out_ +=
        "<nav aria-label=\"Sections\"><ul><li><a href=\"#status\">Status</a></li>"
        "<li><a href=\"#cascade\">The cascade</a></li><li><a href=\"#review\">Review "
        "agenda</a></li><li><a href=\"#money\">Where money works</a></li><li><a "
        "href=\"#goals\">Goals and KPIs</a></li></ul></nav>\n";
    out_ += "</header>\n";
  }

  void Counts() {
    out_ += "<section id=\"status\">\n<h2>Status</h2>\n";
    int total = 0;
    for (const int n : rollup_.summary) total += n;
    if (total == 0) {
      out_ += "<p class=\"empty\">No goals yet.</p>\n</section>\n";
      return;
    }
    out_ += "<ul class=\"counts\">\n";
    for (const GoalStatus s : kStatusDisplayOrder) {
      const int n = rollup_.summary[static_cast<size_t>(s)];
      if (n == 0) continue;
      out_ += fmt::format(
          "<li class=\"count {}\" data-status=\"{}\" data-count=\"{}\"><span class=\"n\">{}</span> "
          "<span class=\"label\">{}</span></li>\n",
          StatusClass(s), ToString(s), n, n, StatusLabel(s));
    }
    out_ += "</ul>\n</section>\n";
  }

  // The progress bar with a mark where expected progress stands; its label says both in words.
  std::string Bar(const GoalResult& r) const {
    std::string label = r.progress ? "progress " + PercentText(r.progress) : "not measured";
    if (r.expected) label += ", expected " + PercentText(r.expected);
    std::string bar = fmt::format("<span class=\"bar\" role=\"img\" aria-label=\"{}\">", E(label));
    if (r.progress) {
      bar += fmt::format("<span class=\"fill\" style=\"width:{}%\"></span>", CssPercent(*r.progress));
    }
    if (r.expected) {
      bar += fmt::format("<span class=\"expected\" style=\"left:{}%\"></span>",
                         CssPercent(*r.expected));
    }
    return bar + "</span>";
  }

  void Tree() {
    out_ += "<section id=\"cascade\">\n<h2>The cascade</h2>\n";
    if (f_.roots().empty()) {
      out_ += "<p class=\"empty\">No goals yet.</p>\n</section>\n";
      return;
    }
    out_ +=
        "<p class=\"key\"><span class=\"bar\" aria-hidden=\"true\"><span class=\"fill\" "
        "style=\"width:55%\"></span><span class=\"expected\" style=\"left:70%\"></span></span>"
        "<span>the bar fills with progress; the upright mark is where progress is expected to "
        "be today.</span></p>\n";
    out_ += "<ul class=\"tree\">\n";
    for (const int g : f_.roots()) TreeNode(g);
    out_ += "</ul>\n</section>\n";
  }

  void TreeNode(int g) {
    const Goal& goal = ws_.goals[static_cast<size_t>(g)];
    const GoalResult& r = rollup_.goals[static_cast<size_t>(g)];
    out_ += fmt::format("<li class=\"goal-node\" data-goal=\"{}\">\n", E(goal.id));
    out_ += fmt::format(
        "<div class=\"goal-row {} level-{}{}\"><span class=\"title\"><a href=\"#goal-{}\">{}</a>"
        "<span class=\"level\">{}</span></span>{}<span class=\"pct\">{}</span>"
        "<span class=\"status\"><span class=\"pill\">{}</span></span></div>\n",
        StatusClass(r.status), ToString(goal.level), Dimmed(r.status) ? " dimmed" : "", E(goal.id),
        E(goal.title), ToString(goal.level), Bar(r), PercentText(r.progress),
        StatusLabel(r.status));
    if (!f_.kpis(g).empty()) {
      out_ += "<ul class=\"kpi-lines\">";
      for (const int k : f_.kpis(g)) {
        const Kpi& kpi = ws_.kpis[static_cast<size_t>(k)];
        const std::string stale = f_.StaleText(k);
        out_ += fmt::format("<li>{} <span class=\"value\">{}</span>{}</li>",
                            E(kpi.name.empty() ? kpi.id : kpi.name), E(f_.KpiValue(k)),
                            stale.empty() ? "" : " <span class=\"stale\">" + E(stale) + "</span>");
      }
      out_ += "</ul>\n";
    }
    if (!f_.children(g).empty()) {
      out_ += "<ul>\n";
      for (const int c : f_.children(g)) TreeNode(c);
      out_ += "</ul>\n";
    }
    out_ += "</li>\n";
  }

  std::string GoalLink(int g) const {
    const Goal& goal = ws_.goals[static_cast<size_t>(g)];
    return fmt::format("<a href=\"#goal-{}\">{}</a>", E(goal.id), E(goal.title));
  }

  // One agenda list: a heading with its count, then the items or "None."
  void AgendaList(std::string_view id, std::string_view heading, const std::vector<std::string>& items,
                  std::string_view none = "None.") {
    out_ += fmt::format("<h3 id=\"review-{}\">{} ({})</h3>\n", id, heading, items.size());
    if (items.empty()) {
      out_ += fmt::format("<p class=\"empty\">{}</p>\n", none);
      return;
    }
    out_ += fmt::format("<ul class=\"agenda-{}\">\n", id);
    for (const std::string& item : items) out_ += "<li>" + item + "</li>\n";
    out_ += "</ul>\n";
  }

  void Agenda() {
    out_ += "<section id=\"review\" class=\"agenda\">\n<h2>Review agenda</h2>\n";
    if (opts_.agenda == nullptr) {
      out_ += "<p class=\"empty\">No review agenda in this report.</p>\n</section>\n";
      return;
    }
    const ReviewAgenda& a = *opts_.agenda;
    out_ += fmt::format("<p class=\"note\">{}</p>\n", E(f_.AgendaSince(a)));

    const auto gaps = [&](const std::vector<GoalGap>& list) {
      std::vector<std::string> items;
      for (const GoalGap& gap : list) {
        const GoalResult& r = rollup_.goals[static_cast<size_t>(gap.goal)];
        items.push_back(GoalLink(gap.goal) + " — " + E(ReportFacts::GapText(r, gap.gap)) +
                        Owner(gap.goal));
      }
      return items;
    };
    AgendaList("off-track", "Off track", gaps(a.off_track));
    AgendaList("at-risk", "At risk", gaps(a.at_risk));
    if (!a.disagreements.empty()) {
      std::vector<std::string> disagreements;
      for (const Disagreement& d : a.disagreements) {
        disagreements.push_back(GoalLink(d.goal) + " — " + E(d.text));
      }
      AgendaList("disagreements", "Judgement and numbers disagree", disagreements);
    }

    std::vector<std::string> missed;
    for (const int g : a.missed) {
      const GoalResult& r = rollup_.goals[static_cast<size_t>(g)];
      missed.push_back(GoalLink(g) + " — reached " + PercentText(r.progress) + " by " +
                       (r.due ? E(LongDate(*r.due)) : "its due date") + Owner(g));
    }
    AgendaList("missed", "Missed", missed);

    std::vector<std::string> stale;
    for (const StaleKpi& s : a.stale) {
      const Kpi& kpi = ws_.kpis[static_cast<size_t>(s.kpi)];
      const KpiResult& r = rollup_.kpis[static_cast<size_t>(s.kpi)];
      const int g = GoalOf(s.kpi);
      std::string item = "<strong>" + E(kpi.name.empty() ? kpi.id : kpi.name) + "</strong>";
      if (g >= 0) item += " of " + GoalLink(g);
      item += " — " + E(r.last_checkin ? "last check-in " + std::to_string(s.days_since) +
                                             " days ago (" + LongDate(*r.last_checkin) + ")"
                                       : "no check-in in " + std::to_string(s.days_since) +
                                             " days since the start");
      item += ", every " + std::to_string(kpi.cadence_days) + " days expected";
      stale.push_back(item);
    }
    AgendaList("stale", "Stale KPIs", stale);

    std::vector<std::string> achieved;
    for (const int g : a.achieved) achieved.push_back(GoalLink(g) + Owner(g));
    AgendaList("achieved", a.since ? "Achieved since the last review" : "Achieved", achieved,
               "Nothing new to celebrate yet.");

    std::vector<std::string> lint;
    for (const Finding& finding : a.lint_errors) {
      lint.push_back("<code>" + E(finding.code) + "</code> " + E(finding.message));
    }
    AgendaList("lint", "Lint errors", lint);

    std::vector<std::string> overdue;
    for (const int i : a.overdue_actions) {
      const Action& action = ws_.actions[static_cast<size_t>(i)];
      const int g = f_.GoalPosition(action.goal);
      const int days = a.as_of - *action.due;
      overdue.push_back("<strong>" + E(action.title) + "</strong> (" + E(action.id) + ")" +
                        (g >= 0 ? " of " + GoalLink(g) : "") + " — due " +
                        E(LongDate(*action.due)) + ", " + std::to_string(days) +
                        (days == 1 ? " day" : " days") + " overdue" +
                        (action.owner.empty() ? "" : ", " + E(f_.PersonName(action.owner))));
    }
    AgendaList("overdue-actions", "Overdue actions", overdue);

    if (!a.comments.empty()) {
      std::vector<std::string> comments;
      for (const int c : a.comments) {
        const Comment& comment = ws_.comments[static_cast<size_t>(c)];
        const int g = f_.GoalPosition(comment.goal);
        comments.push_back(E(LongDate(comment.date)) + ", " +
                           E(comment.author.empty() ? "someone" : f_.PersonName(comment.author)) +
                           (g >= 0 ? " on " + GoalLink(g) : "") + ": “" + E(comment.text) + "”");
      }
      AgendaList("comments", "Comments", comments);
    }
    if (!a.lessons.empty()) {
      std::vector<std::string> lessons;
      for (const int c : a.lessons) {
        const Comment& comment = ws_.comments[static_cast<size_t>(c)];
        const int g = f_.GoalPosition(comment.goal);
        lessons.push_back(std::string(comment.kind == CommentKind::kLesson ? "Lesson" : "Decision") +
                          ", " + E(LongDate(comment.date)) + ", " +
                          E(comment.author.empty() ? "someone" : f_.PersonName(comment.author)) +
                          (g >= 0 ? " on " + GoalLink(g) : "") + ": “" + E(comment.text) + "”");
      }
      AgendaList("lessons", "Lessons and decisions", lessons);
    }
    Changes(a);
    out_ += "</section>\n";
  }

  void Changes(const ReviewAgenda& a) {
    out_ += "<h3 id=\"review-changes\">Progress since the last review</h3>\n";
    if (!a.since) {
      out_ += "<p class=\"empty\">No earlier review to compare with.</p>\n";
      return;
    }
    out_ +=
        "<div class=\"table-wrap\"><table class=\"changes\"><thead><tr><th scope=\"col\">Goal</th>"
        "<th scope=\"col\" class=\"num\">Before</th><th scope=\"col\" class=\"num\">Now</th>"
        "<th scope=\"col\" class=\"num\">Change</th><th scope=\"col\">Status</th></tr></thead>"
        "<tbody>\n";
    for (const ProgressChange& c : a.changes) {
      const GoalResult& r = rollup_.goals[static_cast<size_t>(c.goal)];
      std::string status(StatusLabel(r.status));
      if (!c.status_before.empty() && c.status_before != ToString(r.status)) {
        const auto before = ParseGoalStatus(c.status_before);
        status = std::string(before ? StatusLabel(*before) : c.status_before) + " → " + status;
      }
      out_ += fmt::format(
          "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td "
          "class=\"num\">{}</td><td>{}</td></tr>\n",
          GoalLink(c.goal), PercentText(c.before), PercentText(c.after),
          E(ReportFacts::ChangeText(c.change)), E(status));
    }
    out_ += "</tbody></table></div>\n";
  }

  std::string Owner(int g) const {
    const Goal& goal = ws_.goals[static_cast<size_t>(g)];
    return goal.owner.empty() ? " (no owner)" : " (" + E(f_.PersonName(goal.owner)) + ")";
  }

  int GoalOf(int k) const { return f_.GoalPosition(ws_.kpis[static_cast<size_t>(k)].goal); }

  // The breakdown by channel (spec §2 "Spend and breakdowns") of every active goal.
  void Money() {
    out_ += "<section id=\"money\">\n<h2>Where money works</h2>\n";
    const Breakdown b = ComputeBreakdown(ws_, rollup_, BreakdownField::kChannel);
    if (b.groups.empty()) {
      out_ += "<p class=\"empty\">No active goals yet.</p>\n</section>\n";
      return;
    }
    out_ +=
        "<p class=\"note\">The active goals by channel: their progress (weighted), money spent, "
        "and what one fully achieved goal has cost there (spent ÷ the sum of their progress).</p>\n"
        "<div class=\"table-wrap\"><table class=\"breakdown\">\n<thead><tr><th "
        "scope=\"col\">Channel</th><th scope=\"col\" class=\"num\">Goals</th><th "
        "scope=\"col\">Progress</th><th scope=\"col\" class=\"num\">Spent</th><th scope=\"col\" "
        "class=\"num\">Cost a goal done</th><th scope=\"col\">Statuses</th></tr></thead>\n<tbody>\n";
    for (const BreakdownGroup& g : b.groups) {
      std::string statuses;
      for (const GoalStatus st : kStatusDisplayOrder) {
        const int n = g.counts[static_cast<size_t>(st)];
        if (n == 0) continue;
        statuses += fmt::format("{}<span class=\"pill {}\">{} {}</span>",
                                statuses.empty() ? "" : " ", StatusClass(st), n, StatusLabel(st));
      }
      std::string progress = "—";
      if (g.progress) {
        progress = fmt::format(
            "<span class=\"bar status-on_track\" role=\"img\" aria-label=\"progress {}\"><span "
            "class=\"fill\" style=\"width:{}%\"></span></span> {}",
            PercentText(g.progress), CssPercent(*g.progress), PercentText(g.progress));
      }
      out_ += fmt::format(
          "<tr><th scope=\"row\">{}</th><td class=\"num\">{}</td><td>{}</td><td "
          "class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>\n",
          g.key ? E(*g.key) : "<span class=\"empty\">no channel</span>", g.goals, progress,
          FormatNumber(g.spent),
          g.cost_per_goal_done ? FormatNumber(*g.cost_per_goal_done) : "—", statuses);
    }
    out_ += "</tbody></table></div>\n</section>\n";
  }

  void Goals() {
    out_ += "<section id=\"goals\">\n<h2>Goals and KPIs</h2>\n";
    if (f_.order().empty()) {
      out_ += rollup_.order.empty() ? "<p class=\"empty\">No goals yet.</p>\n"
                                    : "<p class=\"empty\">No goal matches the filters.</p>\n";
    }
    for (const int g : f_.order()) GoalArticle(g);
    out_ += "</section>\n";
  }

  void GoalArticle(int g) {
    const Goal& goal = ws_.goals[static_cast<size_t>(g)];
    const GoalResult& r = rollup_.goals[static_cast<size_t>(g)];
    out_ += fmt::format("<article class=\"goal {}\" id=\"goal-{}\">\n", StatusClass(r.status),
                        E(goal.id));
    out_ += fmt::format("<h3><span class=\"pill\">{}</span> <span>{}</span></h3>\n",
                        StatusLabel(r.status), E(goal.title));
    out_ += fmt::format("<p class=\"goal-meta\">{} · {}</p>\n", E(f_.GoalMeta(g)),
                        E(f_.GoalNumbers(g)));
    if (!goal.description.empty()) out_ += "<p>" + E(goal.description) + "</p>\n";
    if (const std::string more = f_.GoalJudgementAndSpend(g); !more.empty()) {
      out_ += "<p class=\"goal-meta\">" + E(more) + "</p>\n";
    }
    const std::vector<int>& kpis = f_.kpis(g);
    if (kpis.empty()) {
      out_ += fmt::format("<p class=\"note\">{}</p>\n",
                          f_.children(g).empty() ? "No KPI yet."
                                                 : "Measured through the goals under it.");
    } else {
      KpiTable(kpis);
      if (opts_.charts) {
        for (const int k : kpis) Chart(k);
      }
    }
    out_ += "</article>\n";
  }

  void KpiTable(const std::vector<int>& kpis) {
    out_ +=
        "<div class=\"table-wrap\"><table class=\"kpis\"><thead><tr><th scope=\"col\">KPI</th>"
        "<th scope=\"col\">Value</th><th scope=\"col\" class=\"num\">Progress</th>"
        "<th scope=\"col\" class=\"num\">Forecast</th><th scope=\"col\">Last check-in</th>"
        "</tr></thead><tbody>\n";
    for (const int k : kpis) {
      const Kpi& kpi = ws_.kpis[static_cast<size_t>(k)];
      const KpiResult& r = rollup_.kpis[static_cast<size_t>(k)];
      std::string last = r.last_checkin ? LongDate(*r.last_checkin) : "none";
      const std::string stale = f_.StaleText(k);
      out_ += fmt::format(
          "<tr data-kpi=\"{}\"><td>{} <span class=\"level\">{}</span></td><td>{}</td>"
          "<td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}{}</td></tr>\n",
          E(kpi.id), E(kpi.name.empty() ? kpi.id : kpi.name), ToString(kpi.kind),
          E(f_.KpiValue(k)), PercentText(r.counted ? std::optional<double>(r.progress) : std::nullopt),
          PercentText(r.forecast), E(last),
          stale.empty() ? "" : " <span class=\"stale\">(stale)</span>");
    }
    out_ += "</tbody></table></div>\n";
  }

  void Chart(int k) {
    const Kpi& kpi = ws_.kpis[static_cast<size_t>(k)];
    out_ += fmt::format("<figure class=\"chart\" data-kpi=\"{}\">\n", E(kpi.id));
    out_ += f_.charts().Render(k);
    const char* shows = kpi.kind == KpiKind::kThreshold
                            ? "each check-in against the line to hold"
                            : "check-ins, target, expected progress and forecast";
    out_ += fmt::format(
        "<figcaption>{}: {} (<code>cascade chart {}</code>).</figcaption>\n</figure>\n",
        E(kpi.name.empty() ? kpi.id : kpi.name), shows, E(kpi.id));
  }

  ReportFacts f_;
  const Workspace& ws_;
  const Rollup& rollup_;
  const ReportOptions& opts_;
  std::string out_;
};

}  // namespace

std::string RenderHtmlReport(const Workspace& ws, const Rollup& rollup,
                             const ReportOptions& options) {
  return HtmlReport(ws, rollup, options).Render();
}

}  // namespace cascade
