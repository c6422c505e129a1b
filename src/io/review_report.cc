#include "io/review_report.h"

#include <fmt/format.h>

#include <cmath>
#include <functional>
#include <optional>
#include <unordered_map>
#include <vector>

#include "io/render_text.h"

namespace cascade {
namespace {

std::string Pct(const std::optional<double>& v) { return PercentText(v); }

std::string Pts(double change) { return PointsText(change); }

std::string Words(std::string_view status) {
  std::string s(status);
  for (char& c : s) c = c == '_' ? ' ' : c;
  return s;
}

// The agenda as rows of cells: one table per section, the same for both formats, so Markdown and
// HTML never disagree. Cells are plain text; each format escapes them.
struct Section {
  std::string id;
  std::string title;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::string empty = "None.";
};

struct Document {
  std::string title;
  std::vector<std::string> intro;
  std::vector<Section> sections;
  std::string footer;
};

Document Build(const Workspace& ws, const Rollup& rollup, const ReviewAgenda& a,
               const Review* recorded) {
  auto goal = [&](int g) -> const Goal& { return ws.goals[static_cast<size_t>(g)]; };
  auto result = [&](int g) -> const GoalResult& { return rollup.goals[static_cast<size_t>(g)]; };
  std::unordered_map<std::string, const Goal*> goals;
  for (const Goal& g : ws.goals) goals.emplace(g.id, &g);
  auto owner = [](const Goal& g) { return g.owner.empty() ? std::string("—") : g.owner; };

  Document d;
  std::string team = "all teams";
  for (const Team& t : ws.teams) {
    if (t.id == a.team) team = t.name + " (" + t.id + ")";
  }
  d.title = "Review of " + team + " as of " + a.as_of.ToString();
  if (a.since) {
    const Review& r = ws.reviews[static_cast<size_t>(*a.since)];
    d.intro.push_back(fmt::format("Since review #{} of {}{}{}", r.seq, r.date.ToString(),
                                  r.team.empty() ? "" : " (" + r.team + ")",
                                  r.notes.empty() ? "." : ": " + r.notes));
  } else {
    d.intro.push_back("No earlier review recorded: progress changes start with the next one.");
  }

  auto gaps = [&](const char* id, const char* title, const std::vector<GoalGap>& list) {
    Section s{id, title, {"Goal", "Title", "Owner", "Progress", "Expected", "Gap"}, {}};
    for (const GoalGap& gg : list) {
      const Goal& g = goal(gg.goal);
      s.rows.push_back({g.id, g.title, owner(g), Pct(result(gg.goal).progress),
                        Pct(result(gg.goal).expected), PercentNumber(gg.gap) + " pts"});
    }
    d.sections.push_back(std::move(s));
  };
  gaps("off-track", "Off track", a.off_track);
  gaps("at-risk", "At risk", a.at_risk);

  Section disagree{"disagreements",
                   "Judgement and numbers disagree",
                   {"Goal", "Title", "Owner", "Disagreement"},
                   {}};
  disagree.empty = "Every judgement given agrees with the numbers.";
  for (const Disagreement& x : a.disagreements) {
    const Goal& g = goal(x.goal);
    disagree.rows.push_back({g.id, g.title, owner(g), x.text});
  }
  d.sections.push_back(std::move(disagree));

  Section missed{"missed", "Missed", {"Goal", "Title", "Owner", "Progress", "Due"}, {}};
  for (const int gi : a.missed) {
    const Goal& g = goal(gi);
    missed.rows.push_back({g.id, g.title, owner(g), Pct(result(gi).progress),
                           result(gi).due ? result(gi).due->ToString() : "—"});
  }
  d.sections.push_back(std::move(missed));

  Section stale{"stale",
                "Stale KPIs",
                {"KPI", "Goal", "Owner", "Last check-in", "Days since", "Cadence (days)"},
                {}};
  for (const StaleKpi& s : a.stale) {
    const Kpi& k = ws.kpis[static_cast<size_t>(s.kpi)];
    const auto it = goals.find(k.goal);
    const std::optional<Date>& last = rollup.kpis[static_cast<size_t>(s.kpi)].last_checkin;
    stale.rows.push_back({k.name.empty() ? k.id : k.name + " (" + k.id + ")", k.goal,
                          it == goals.end() ? "—" : owner(*it->second),
                          last ? last->ToString() : "none", std::to_string(s.days_since),
                          std::to_string(k.cadence_days)});
  }
  d.sections.push_back(std::move(stale));

  Section achieved{"achieved", "Achieved since the last review", {"Goal", "Title", "Owner"}, {}};
  achieved.empty = "Nothing new to celebrate yet.";
  for (const int gi : a.achieved) {
    const Goal& g = goal(gi);
    achieved.rows.push_back({g.id, g.title, owner(g)});
  }
  d.sections.push_back(std::move(achieved));

  Section overdue{"overdue-actions",
                  "Overdue actions",
                  {"Action", "Title", "Goal", "Owner", "Due", "Days overdue"},
                  {}};
  overdue.empty = "No action is overdue.";
  for (const int ai : a.overdue_actions) {
    const Action& x = ws.actions[static_cast<size_t>(ai)];
    overdue.rows.push_back({x.id, x.title, x.goal, x.owner.empty() ? "—" : x.owner,
                            x.due->ToString(), std::to_string(a.as_of - *x.due)});
  }
  d.sections.push_back(std::move(overdue));

  Section lint{"lint", "Lint errors", {"Code", "Goal", "Message"}, {}};
  for (const Finding& f : a.lint_errors) lint.rows.push_back({f.code, f.goal, f.message});
  d.sections.push_back(std::move(lint));

  Section changes{"progress",
                  "Progress since the last review",
                  {"Goal", "Before", "Now", "Change", "Status"},
                  {}};
  changes.empty = a.since ? "No goal moved." : "No earlier review to compare with.";
  if (a.since) {
    for (const ProgressChange& c : a.changes) {
      const std::string status(ToString(result(c.goal).status));
      const bool moved = c.change && std::fabs(*c.change) >= 0.0005;
      if (!moved && c.status_before == status) continue;
      changes.rows.push_back({goal(c.goal).id, Pct(c.before), Pct(c.after),
                              c.change ? Pts(*c.change) : "new",
                              c.status_before.empty() || c.status_before == status
                                  ? Words(status)
                                  : Words(c.status_before) + " → " + Words(status)});
    }
  }
  d.sections.push_back(std::move(changes));

  Section comments{"comments", "Comments", {"Date", "Author", "Goal", "Comment"}, {}};
  for (const int ci : a.comments) {
    const Comment& c = ws.comments[static_cast<size_t>(ci)];
    comments.rows.push_back({c.date.ToString(), c.author.empty() ? "—" : c.author, c.goal, c.text});
  }
  d.sections.push_back(std::move(comments));

  Section lessons{
      "lessons", "Lessons and decisions", {"Date", "Kind", "Author", "Goal", "Text"}, {}};
  lessons.empty = "No lesson or decision recorded since the last review.";
  for (const int ci : a.lessons) {
    const Comment& c = ws.comments[static_cast<size_t>(ci)];
    lessons.rows.push_back({c.date.ToString(), std::string(ToString(c.kind)),
                            c.author.empty() ? "—" : c.author, c.goal, c.text});
  }
  d.sections.push_back(std::move(lessons));

  if (recorded != nullptr) {
    d.footer =
        fmt::format("Recorded as review #{} on {}{}.", recorded->seq, recorded->date.ToString(),
                    recorded->notes.empty() ? "" : " with the notes: " + recorded->notes);
  }
  return d;
}

}  // namespace

std::string ReviewAgendaToMarkdown(const Workspace& ws, const Rollup& rollup,
                                   const ReviewAgenda& agenda, const Review* recorded) {
  const Document d = Build(ws, rollup, agenda, recorded);
  std::string out = "# " + MarkdownEscape(d.title) + "\n\n";
  for (const std::string& p : d.intro) out += MarkdownEscape(p) + "\n\n";
  for (const Section& s : d.sections) {
    out += fmt::format("## {} ({})\n\n", MarkdownEscape(s.title), s.rows.size());
    if (s.rows.empty()) {
      out += MarkdownEscape(s.empty) + "\n\n";
      continue;
    }
    std::string header = "|", rule = "|";
    for (const std::string& h : s.header) {
      header += " " + MarkdownEscape(h) + " |";
      rule += " --- |";
    }
    out += header + "\n" + rule + "\n";
    for (const auto& row : s.rows) {
      std::string line = "|";
      for (const std::string& cell : row) line += " " + MarkdownEscape(cell) + " |";
      out += line + "\n";
    }
    out += "\n";
  }
  if (!d.footer.empty()) out += "_" + MarkdownEscape(d.footer) + "_\n";
  return out;
}

std::string ReviewAgendaToHtml(const Workspace& ws, const Rollup& rollup,
                               const ReviewAgenda& agenda, const Review* recorded) {
  const Document d = Build(ws, rollup, agenda, recorded);
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n<title>" +
      XmlEscape(d.title) +
      "</title>\n<style>\n"
      "body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; "
      "padding: 0 1rem; color: #1f2328; line-height: 1.45; }\n"
      "table { border-collapse: collapse; width: 100%; margin: .5rem 0 1.5rem; }\n"
      "th, td { text-align: left; padding: .3rem .6rem; border-bottom: 1px solid #d0d7de; "
      "vertical-align: top; }\n"
      "th { background: #f6f8fa; }\n"
      "h2 { font-size: 1.15rem; margin-top: 1.8rem; }\n"
      "#off-track h2, #missed h2, #lint h2 { color: #b42318; }\n"
      "#at-risk h2, #stale h2 { color: #9a6700; }\n"
      "#achieved h2 { color: #1a7f37; }\n"
      ".empty { color: #656d76; }\n"
      "@media print { body { margin: 0; } }\n"
      "</style>\n</head>\n<body>\n<main>\n<h1>" +
      XmlEscape(d.title) + "</h1>\n";
  for (const std::string& p : d.intro) out += "<p>" + XmlEscape(p) + "</p>\n";
  for (const Section& s : d.sections) {
    out += fmt::format("<section id=\"{}\">\n<h2>{} ({})</h2>\n", s.id, XmlEscape(s.title),
                       s.rows.size());
    if (s.rows.empty()) {
      out += "<p class=\"empty\">" + XmlEscape(s.empty) + "</p>\n</section>\n";
      continue;
    }
    out += "<table>\n<thead><tr>";
    for (const std::string& h : s.header) out += "<th scope=\"col\">" + XmlEscape(h) + "</th>";
    out += "</tr></thead>\n<tbody>\n";
    for (const auto& row : s.rows) {
      out += "<tr>";
      for (const std::string& cell : row) out += "<td>" + XmlEscape(cell) + "</td>";
      out += "</tr>\n";
    }
    out += "</tbody>\n</table>\n</section>\n";
  }
  if (!d.footer.empty()) out += "<footer><p>" + XmlEscape(d.footer) + "</p></footer>\n";
  out += "</main>\n</body>\n</html>\n";
  return out;
}

}  // namespace cascade
