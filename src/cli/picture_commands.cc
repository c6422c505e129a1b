// chart and report: pictures of the cascade to look at and to share.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "analytics/review.h"
#include "cli/commands.h"
#include "cli/goal_filter_options.h"
#include "cli/terminal_text.h"
#include "core/rollup.h"
#include "io/html_report.h"
#include "io/md_report.h"
#include "io/svg_chart.h"

namespace cascade {
namespace {

struct Computed {
  Workspace ws;
  Rollup rollup;
};

Result<Computed> LoadAndCompute(Context& ctx) {
  auto as_of = ctx.AsOf();
  if (!as_of) return as_of.error();
  auto store = ctx.OpenedStore();
  if (!store) return store.error();
  auto ws = (*store)->Load();
  if (!ws) return ws.error();
  Computed out{std::move(*ws), {}};
  out.rollup = ComputeRollup(out.ws, *as_of);
  return out;
}

// Writes `text` to `path` ("" or "-": stdout). A file is written whole or not at all: the text
// goes to a temporary file beside it, renamed over the target once complete.
Result<void> WriteOutput(const std::string& path, const std::string& text) {
  if (path.empty() || path == "-") {
    std::cout << VisibleLines(text);
    std::cout.flush();
    if (!std::cout) return Error::Storage("cannot write to standard output");
    return Ok();
  }
  const std::string temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) return Error::Storage("cannot write '" + path + "': the folder does not exist or is not writable");
    out << text;
    out.close();
    if (!out) {
      std::remove(temp.c_str());
      return Error::Storage("cannot write '" + path + "': the disk refused the data");
    }
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    std::remove(temp.c_str());
    return Error::Storage("cannot write '" + path + "': it is a folder or not writable");
  }
  return Ok();
}

// Says where the picture went: on stderr, so stdout stays for the picture itself or --json.
void Report(const Context& ctx, const std::string& path, const nlohmann::json& facts,
            const std::string& words) {
  if (path.empty() || path == "-") return;
  if (ctx.json) {
    nlohmann::json out = facts;
    out["file"] = path;
    std::cout << TerminalJson(out, -1) << "\n";
  } else {
    std::cerr << "wrote " << path << " (" << words << ")\n";
  }
}

struct ChartOptionsCli {
  std::string kpi;
  std::string output;
};

int RunChart(Context& ctx, const ChartOptionsCli& o) {
  auto c = LoadAndCompute(ctx);
  if (!c) return ctx.Fail(c.error());
  int k = -1;
  for (size_t i = 0; i < c->ws.kpis.size(); ++i) {
    if (c->ws.kpis[i].id == o.kpi) k = static_cast<int>(i);
  }
  if (k < 0) {
    return ctx.Fail(Error::NotFound(
        "KPI '" + o.kpi + "' does not exist; `cascade status` lists the KPIs under each goal",
        "kpi", o.kpi, "kpi"));
  }
  KpiCharts charts(c->ws, c->rollup);
  const KpiChartSeries series = charts.Series(k);
  if (auto written = WriteOutput(o.output, charts.Render(k)); !written) {
    return ctx.Fail(written.error());
  }
  Report(ctx, o.output,
         {{"kpi", o.kpi}, {"as_of", c->rollup.as_of.ToString()}, {"points", series.checkins.size()}},
         fmt::format("{} check-in point{}", series.checkins.size(),
                     series.checkins.size() == 1 ? "" : "s"));
  return kExitOk;
}

struct ReportOptionsCli {
  std::string format;  // "" = from the file's extension, else html
  std::string output;
  GoalFilter filter;
};

bool EndsWith(const std::string& s, std::string_view end) {
  return s.size() >= end.size() && s.compare(s.size() - end.size(), end.size(), end) == 0;
}

int RunReport(Context& ctx, const ReportOptionsCli& o) {
  std::string format = o.format;
  if (format.empty()) {
    format = EndsWith(o.output, ".md") || EndsWith(o.output, ".markdown") ? "md" : "html";
  }
  if (format != "html" && format != "md") {
    return ctx.Fail(Error::Invalid("--format '" + o.format + "' is not allowed; use html or md",
                                   "", "", "format"));
  }
  auto c = LoadAndCompute(ctx);
  if (!c) return ctx.Fail(c.error());
  if (auto known = CheckGoalFilter(c->ws, o.filter, "--"); !known) return ctx.Fail(known.error());
  ReportOptions options;
  std::vector<char> shown;
  if (!o.filter.empty()) {
    shown = MatchGoals(c->ws, c->rollup, o.filter);
    options.goals = &shown;
  }
  // The agenda of the goals the report shows, compared with the filtered team's last review.
  auto agenda = BuildReviewAgenda(c->ws, c->rollup, o.filter.team, options.goals);
  if (!agenda) return ctx.Fail(agenda.error());
  options.agenda = &*agenda;
  const std::string text = format == "html" ? RenderHtmlReport(c->ws, c->rollup, options)
                                            : RenderMarkdownReport(c->ws, c->rollup, options);
  if (auto written = WriteOutput(o.output, text); !written) return ctx.Fail(written.error());
  const size_t goals = o.filter.empty()
                          ? c->ws.goals.size()
                          : static_cast<size_t>(std::count(shown.begin(), shown.end(), 1));
  size_t kpis = c->ws.kpis.size();
  if (!o.filter.empty()) {  // the KPIs of the goals shown
    const WorkspaceIndex index(c->ws);
    kpis = static_cast<size_t>(std::count_if(c->ws.kpis.begin(), c->ws.kpis.end(), [&](const Kpi& k) {
      const int g = index.goal(k.goal);
      return g >= 0 && shown[static_cast<size_t>(g)];
    }));
  }
  Report(ctx, o.output,
         {{"format", format}, {"as_of", c->rollup.as_of.ToString()}, {"goals", goals}, {"kpis", kpis}},
         fmt::format("{} report of {} goal{} and {} KPI{}", format == "html" ? "HTML" : "Markdown",
                     goals, goals == 1 ? "" : "s", kpis, kpis == 1 ? "" : "s"));
  return kExitOk;
}

}  // namespace

void AddPictureCommands(CLI::App& app, CommandEnv env) {
  Context& ctx = env.ctx;
  int& code = env.exit_code;

  auto c = std::make_shared<ChartOptionsCli>();
  CLI::App* chart = app.add_subcommand(
      "chart", "A KPI's line chart as SVG: check-ins, target, expected and forecast lines");
  chart->add_option("kpi", c->kpi, "The KPI's id")->required();
  chart->add_option("-o,--output", c->output, "SVG file to write (default: stdout)");
  chart->callback([&ctx, &code, c] { code = RunChart(ctx, *c); });

  auto r = std::make_shared<ReportOptionsCli>();
  CLI::App* report = app.add_subcommand(
      "report", "A self-contained report of the cascade (HTML with charts, or Markdown)");
  report->add_option("--format", r->format, "html or md (default: from the file name, else html)");
  report->add_option("-o,--output", r->output, "File to write (default: stdout)");
  AddGoalFilterOptions(report, r->filter);
  report->callback([&ctx, &code, r] { code = RunReport(ctx, *r); });
}

}  // namespace cascade
