#include "cli/status_printer.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string_view>
#include <vector>

#include "analytics/todo.h"
#include "cli/terminal_text.h"
#include "io/render_text.h"

namespace cascade {
namespace {

// ---- Display width of UTF-8 text ----------------------------------------------------------

// Decodes the code point at `pos` and advances `pos`; a malformed byte decodes as itself.
char32_t NextCodePoint(std::string_view s, size_t& pos) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char lead = byte(pos);
  int extra = -1;
  if (lead < 0x80) {
    extra = 0;
  } else if ((lead & 0xE0) == 0xC0) {
    extra = 1;
  } else if ((lead & 0xF0) == 0xE0) {
    extra = 2;
  } else if ((lead & 0xF8) == 0xF0) {
    extra = 3;
  }
  if (extra <= 0 || pos + extra >= s.size()) {
    ++pos;
    return lead;
  }
  char32_t cp = lead & (0x3F >> extra);
  for (int i = 1; i <= extra; ++i) {
    if ((byte(pos + i) & 0xC0) != 0x80) {
      ++pos;
      return lead;
    }
    cp = (cp << 6) | (byte(pos + i) & 0x3F);
  }
  pos += extra + 1;
  return cp;
}

// Terminal columns of one code point: 0 for combining marks, 2 for East Asian wide and emoji,
// 1 otherwise (box drawing and block elements included).
int CodePointWidth(char32_t c) {
  struct Range {
    char32_t lo, hi;
  };
  static constexpr Range kZero[] = {
      {0x0300, 0x036F}, {0x200B, 0x200F}, {0x20D0, 0x20FF}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}};
  static constexpr Range kWide[] = {
      {0x1100, 0x115F},   {0x2E80, 0x303E},   {0x3041, 0x33FF},   {0x3400, 0x4DBF},
      {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},   {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},
      {0xFE30, 0xFE4F},   {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x1F300, 0x1F64F},
      {0x1F900, 0x1F9FF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
  };
  const auto in = [c](const auto& ranges) {
    return std::any_of(std::begin(ranges), std::end(ranges),
                       [c](const Range& r) { return c >= r.lo && c <= r.hi; });
  };
  if (in(kZero)) return 0;
  return in(kWide) ? 2 : 1;
}

int DisplayWidth(std::string_view s) {
  int width = 0;
  for (size_t pos = 0; pos < s.size();) width += CodePointWidth(NextCodePoint(s, pos));
  return width;
}

// `s` cut to at most `columns` display columns, ending in "…" when something was cut.
std::string Truncate(std::string_view s, int columns) {
  if (DisplayWidth(s) <= columns) return std::string(s);
  if (columns <= 0) return "";
  int width = 0;
  size_t pos = 0;
  while (pos < s.size()) {
    size_t next = pos;
    const int w = CodePointWidth(NextCodePoint(s, next));
    if (width + w > columns - 1) break;  // keep one column for the ellipsis
    width += w;
    pos = next;
  }
  while (pos > 0 && s[pos - 1] == ' ') --pos;
  return std::string(s.substr(0, pos)) + "…";
}

std::string PadRight(std::string s, int columns) {
  const int width = DisplayWidth(s);
  if (width < columns) s.append(static_cast<size_t>(columns - width), ' ');
  return s;
}

std::string PadLeft(const std::string& s, int columns) {
  const int width = DisplayWidth(s);
  return width < columns ? std::string(static_cast<size_t>(columns - width), ' ') + s : s;
}

// ---- Colours ----------------------------------------------------------------------------------

constexpr std::string_view kReset = "\x1b[0m";
constexpr std::string_view kBold = "\x1b[1m";
constexpr std::string_view kDim = "\x1b[2m";
constexpr std::string_view kRed = "\x1b[31m";
constexpr std::string_view kGreen = "\x1b[32m";
constexpr std::string_view kYellow = "\x1b[33m";

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

// ---- Statuses ---------------------------------------------------------------------------------

struct StatusStyle {
  GoalStatus status;
  std::string_view label;
  std::string_view color;
};
// Also the order of the summary line: the live statuses first, then the finished, then the rest.
constexpr std::array<StatusStyle, kGoalStatusCount> kStatusStyles = {{
    {GoalStatus::kOnTrack, "on track", kGreen},
    {GoalStatus::kAtRisk, "at risk", kYellow},
    {GoalStatus::kOffTrack, "off track", kRed},
    {GoalStatus::kAchieved, "achieved", kGreen},
    {GoalStatus::kMissed, "missed", kRed},
    {GoalStatus::kNotStarted, "not started", kDim},
    {GoalStatus::kUnscheduled, "unscheduled", ""},
    {GoalStatus::kUnmeasured, "unmeasured", ""},
    {GoalStatus::kDraft, "draft", kDim},
    {GoalStatus::kCancelled, "cancelled", kDim},
}};

const StatusStyle& StyleOf(GoalStatus s) {
  for (const StatusStyle& style : kStatusStyles) {
    if (style.status == s) return style;
  }
  return kStatusStyles.back();
}

bool IsDimmed(GoalStatus s) {
  return s == GoalStatus::kDraft || s == GoalStatus::kCancelled || s == GoalStatus::kNotStarted;
}

// ---- The tree ---------------------------------------------------------------------------------

constexpr int kPercentColumns = 4;  // "100%"
constexpr int kStatusColumns = 11;  // "not started", "unscheduled"
constexpr int kMinTitleColumns = 12;

class TreePrinter {
 public:
  TreePrinter(const Workspace& ws, const Rollup& rollup, const PrintOptions& opts)
      : ws_(ws), rollup_(rollup), opts_(opts), paint_(opts.color), index_(ws) {
    bar_cells_ = std::clamp(opts.width / 5, 8, 20);
    // The title column holds the tree guides, the title and at least one space before the bar.
    const int right = bar_cells_ + 1 + kPercentColumns + 2 + kStatusColumns;
    title_columns_ = std::max(opts.width - right, kMinTitleColumns);

    children_.resize(ws.goals.size());
    // With a filter, a goal hangs under its nearest shown ancestor (rollup.order puts parents
    // first, so that ancestor is known when the goal comes); one without any is a root.
    up_.assign(ws.goals.size(), -1);
    for (int g : rollup.order) {
      const int parent = index_.goal(ws.goals[g].parent);
      up_[g] = parent < 0 || Shown(parent) ? parent : up_[parent];
      if (!Shown(g)) continue;
      (up_[g] < 0 ? roots_ : children_[up_[g]]).push_back(g);
    }
    kpis_.resize(ws.goals.size());
    for (size_t k = 0; k < ws.kpis.size(); ++k) {
      const int g = index_.goal(ws.kpis[k].goal);
      if (g >= 0) kpis_[g].push_back(static_cast<int>(k));
    }
    CountWindowCheckins();
    overdue_.assign(ws.goals.size(), 0);
    for (const Action& a : ws.actions) {
      const int g = index_.goal(a.goal);
      if (g >= 0 && IsOverdue(a, rollup.as_of)) ++overdue_[g];
    }
  }

  std::string Render() {
    std::vector<int> tops = roots_;
    if (!opts_.root.empty()) {
      const int g = index_.goal(opts_.root);
      tops = g < 0 ? std::vector<int>{} : std::vector<int>{g};
      if (g >= 0 && !Shown(g)) {
        // The shown goals of the root's subtree that hang under no shown goal inside it.
        std::vector<char> inside(ws_.goals.size(), 0);
        tops.clear();
        for (int o : rollup_.order) {
          const int parent = index_.goal(ws_.goals[o].parent);
          inside[o] = o == g || (parent >= 0 && inside[parent]);
          if (inside[o] && Shown(o) && (up_[o] < 0 || !inside[up_[o]])) tops.push_back(o);
        }
      }
    }
    for (size_t i = 0; i < tops.size(); ++i) {
      if (i > 0) out_ += '\n';
      RenderGoal(tops[i], "", "");
    }
    if (!tops.empty()) out_ += '\n';
    out_ += SummaryLine() + '\n';
    return std::move(out_);
  }

 private:
  // Check-ins inside each KPI's window (the goal's start to min(as_of, due)), for "held 3/4".
  void CountWindowCheckins() {
    window_checkins_.assign(ws_.kpis.size(), 0);
    for (const Checkin& c : ws_.checkins) {
      const int k = index_.kpi(c.kpi);
      if (k < 0) continue;
      const int g = index_.goal(ws_.kpis[k].goal);
      if (g < 0 || static_cast<size_t>(g) >= rollup_.goals.size()) continue;
      const GoalResult& goal = rollup_.goals[g];
      const Date end = goal.due ? std::min(rollup_.as_of, *goal.due) : rollup_.as_of;
      if (c.date > end || (goal.start && c.date < *goal.start)) continue;
      ++window_checkins_[k];
    }
  }

  void RenderGoal(int g, const std::string& line_prefix, const std::string& body_prefix) {
    const GoalResult& result = rollup_.goals[g];
    ++counts_[static_cast<size_t>(result.status)];
    out_ += GoalLine(g, line_prefix) + '\n';

    const std::vector<int>& kids = children_[g];
    const std::string kpi_prefix = body_prefix + (kids.empty() ? "   " : "│  ");
    int name_columns = 0;
    for (int k : kpis_[g]) {
      name_columns = std::max(name_columns, DisplayWidth(Visible(ws_.kpis[k].name)));
    }
    for (int k : kpis_[g]) out_ += KpiLine(k, kpi_prefix, name_columns) + '\n';

    for (size_t i = 0; i < kids.size(); ++i) {
      const bool last = i + 1 == kids.size();
      RenderGoal(kids[i], body_prefix + (last ? "└─ " : "├─ "),
                 body_prefix + (last ? "   " : "│  "));
    }
  }

  std::string GoalLine(int g, const std::string& prefix) const {
    const Goal& goal = ws_.goals[g];
    const GoalResult& result = rollup_.goals[g];
    const StatusStyle& style = StyleOf(result.status);

    // A goal with overdue actions says how many after its status; the title makes room for it.
    const int n = overdue_[g];
    const std::string overdue =
        n == 0 ? "" : std::to_string(n) + (n == 1 ? " overdue action" : " overdue actions");
    const int columns = title_columns_ - (overdue.empty() ? 0 : 2 + DisplayWidth(overdue));
    const int room = columns - DisplayWidth(prefix) - 1;  // one space before the bar
    const std::string title = Truncate(Visible(goal.title), std::max(room, 1));
    const int pad = std::max(columns - DisplayWidth(prefix) - DisplayWidth(title), 1);

    std::string_view title_style;
    if (IsDimmed(result.status)) {
      title_style = kDim;
    } else if (goal.level == Level::kMacro) {
      title_style = kBold;
    }
    std::string line = prefix + paint_(title_style, title) + std::string(pad, ' ');
    line += Bar(result, style.color) + ' ';
    line += PadLeft(Percent(result.progress), kPercentColumns) + "  ";
    line += paint_(style.color, style.label);
    if (!overdue.empty()) {
      line += std::string(std::max(kStatusColumns - DisplayWidth(style.label), 0) + 2, ' ') +
              paint_(kRed, overdue);
    }
    return line;
  }

  // Filled cells (█) for progress, empty ones (░), and a mark (│) in the cell where expected
  // progress stands. Cells are floored, as the percentage is: a goal shows full only once it is.
  std::string Bar(const GoalResult& result, std::string_view color) const {
    const auto cell = [this](double fraction) {
      return std::clamp(static_cast<int>(std::floor(fraction * bar_cells_ + 1e-9)), 0, bar_cells_);
    };
    const int filled = result.progress ? cell(*result.progress) : 0;
    const int mark = result.expected ? std::min(cell(*result.expected), bar_cells_ - 1) : -1;
    std::string bar;
    std::string run;  // consecutive filled cells share one colour escape
    for (int i = 0; i < bar_cells_; ++i) {
      if (i == mark) {
        bar += paint_(color, run);
        run.clear();
        bar += paint_(kBold, "│");
        continue;
      }
      if (i < filled) {
        run += "█";
      } else {
        bar += paint_(color, run);
        run.clear();
        bar += "░";
      }
    }
    return bar + paint_(color, run);
  }

  static std::string Percent(const std::optional<double>& p) { return PercentText(p); }

  // The KPI's name (padded to its siblings' longest), value and target, then a stale marker that
  // gets shorter before the value is cut.
  std::string KpiLine(int k, const std::string& prefix, int name_columns) const {
    const Kpi& kpi = ws_.kpis[k];
    const KpiResult& result = rollup_.kpis[k];
    const std::string text = PadRight(Visible(kpi.name), name_columns) + "  " + KpiValue(k);
    const int room = opts_.width - DisplayWidth(prefix);
    if (!result.stale) return prefix + Truncate(text, room);

    std::string stale = result.last_checkin
                            ? "stale: last check-in " +
                                  std::to_string(rollup_.as_of - *result.last_checkin) + " days ago"
                            : "stale: no check-in yet";
    if (DisplayWidth(text) + 2 + DisplayWidth(stale) > room) stale = "stale";
    const int text_room = std::max(room - 2 - DisplayWidth(stale), 1);
    return prefix + Truncate(text, text_room) + "  " + paint_(kYellow, stale);
  }

  // "6,200 / 10,000 followers", "$42,900 / $46,000", "57 (line ≥ 50, held 4/5)", "done": the
  // reports' KpiValueText, with a unit the terminal shows as it is stored.
  std::string KpiValue(int k) const {
    const Kpi& kpi = ws_.kpis[k];
    if (Visible(kpi.unit) == kpi.unit) {
      return KpiValueText(kpi, rollup_.kpis[k], window_checkins_[k]);
    }
    Kpi shown = kpi;
    shown.unit = Visible(kpi.unit);
    return KpiValueText(shown, rollup_.kpis[k], window_checkins_[k]);
  }

  // "12 goals: 5 on track, 2 at risk, 1 off track, …" over the goals printed, wrapped to the width.
  std::string SummaryLine() const {
    int total = 0;
    for (int n : counts_) total += n;
    std::string text = std::to_string(total) + (total == 1 ? " goal" : " goals");
    std::string lines;
    int columns = DisplayWidth(text);
    const char* sep = ":";
    for (const StatusStyle& style : kStatusStyles) {
      const int n = counts_[static_cast<size_t>(style.status)];
      if (n == 0) continue;
      const std::string item = std::to_string(n) + " " + std::string(style.label);
      text += sep;
      if (columns + 2 + DisplayWidth(item) > opts_.width) {
        lines += text + '\n';
        text = "  ";
        columns = 2;
      } else {
        text += ' ';
        columns += 2;
      }
      text += paint_(style.color, item);
      columns += DisplayWidth(item);
      sep = ",";
    }
    return lines + text;
  }

  const Workspace& ws_;
  const Rollup& rollup_;
  const PrintOptions& opts_;
  Painter paint_;
  WorkspaceIndex index_;
  int bar_cells_ = 20;
  int title_columns_ = 0;
  std::vector<int> overdue_;  // overdue actions per goal (analytics/todo.h IsOverdue)
  bool Shown(int g) const { return opts_.shown == nullptr || (*opts_.shown)[g]; }

  std::vector<int> roots_;
  std::vector<int> up_;                     // per goal, its nearest shown ancestor or -1
  std::vector<std::vector<int>> children_;  // per goal, in Rollup::order
  std::vector<std::vector<int>> kpis_;      // per goal, in creation order
  std::vector<int> window_checkins_;        // per KPI
  std::array<int, kGoalStatusCount> counts_{};
  std::string out_;
};

}  // namespace

std::string RenderStatusTree(const Workspace& ws, const Rollup& rollup, const PrintOptions& opts) {
  return TreePrinter(ws, rollup, opts).Render();
}

}  // namespace cascade
