// The goal tree's compact JSON: see tree_json.h.
#include "server/tree_json.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <iterator>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

namespace cascade {
namespace {

// The columns, in the order every goal's array holds them.
constexpr std::string_view kColumns[] = {
    "id",       "title", "parent", "level", "owner",    "team",    "status", "progress", "expected",
    "forecast", "start", "due",    "kpis",  "priority", "channel", "stage",  "tags",
    "segment",  "contributors", "cycle"};

class Writer {
 public:
  std::string& text() { return out_; }
  void Raw(std::string_view s) { out_.append(s); }
  void Null() { out_.append("null"); }
  void Int(long long v) {
    char buf[24];
    out_.append(buf, static_cast<size_t>(std::to_chars(buf, buf + sizeof buf, v).ptr - buf));
  }
  void Double(const std::optional<double>& v) {
    if (!v || !std::isfinite(*v)) return Null();
    char buf[40];
    out_.append(buf, static_cast<size_t>(std::to_chars(buf, buf + sizeof buf, *v).ptr - buf));
  }
  void String(std::string_view s) {
    // Most texts are printable ASCII and go as they are; anything else takes nlohmann's escaping
    // (control characters, quotes, and bytes that are not UTF-8, replaced).
    bool plain = true;
    for (const char c : s) {
      const auto u = static_cast<unsigned char>(c);
      if (u < 0x20 || u >= 0x7F || c == '"' || c == '\\') {
        plain = false;
        break;
      }
    }
    if (plain) {
      out_ += '"';
      out_.append(s);
      out_ += '"';
    } else {
      out_.append(nlohmann::json(std::string(s))
                      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    }
  }
  void StringOrNull(std::string_view s) { s.empty() ? Null() : String(s); }
  void Date(const std::optional<cascade::Date>& d) {
    if (!d) return Null();
    out_ += '"';
    out_.append(d->ToString());
    out_ += '"';
  }

 private:
  std::string out_;
};

}  // namespace

std::string TreeJsonText(const Workspace& ws, const Rollup& rollup) {
  const size_t n = ws.goals.size();
  // Each goal's row and its KPI count; the parent's row by its id.
  std::vector<int> row(n, -1);
  int place = 0;
  for (const int g : rollup.order) row[static_cast<size_t>(g)] = place++;
  std::unordered_map<std::string_view, int> goal_of;
  goal_of.reserve(n);
  for (size_t g = 0; g < n; ++g) goal_of.emplace(ws.goals[g].id, static_cast<int>(g));
  std::vector<int> kpi_count(n, 0);
  for (const Kpi& k : ws.kpis) {
    const auto it = goal_of.find(k.goal);
    if (it != goal_of.end()) ++kpi_count[static_cast<size_t>(it->second)];
  }

  Writer out;
  out.text().reserve(n * 170 + 512);
  out.Raw("{\"as_of\":");
  out.String(rollup.as_of.ToString());
  out.Raw(",\"columns\":[");
  for (size_t c = 0; c < std::size(kColumns); ++c) {
    if (c > 0) out.Raw(",");
    out.String(kColumns[c]);
  }
  out.Raw("],\"goals\":[");
  std::array<int, kGoalStatusCount> counts{};
  bool first = true;
  for (const int in_order : rollup.order) {
    const auto g = static_cast<size_t>(in_order);
    const Goal& goal = ws.goals[g];
    const GoalResult& r = rollup.goals[g];
    ++counts[static_cast<size_t>(r.status)];
    out.Raw(first ? "[" : ",[");
    first = false;
    out.String(goal.id);
    out.Raw(",");
    out.String(goal.title);
    out.Raw(",");
    const auto parent = goal.parent.empty() ? goal_of.end() : goal_of.find(goal.parent);
    if (parent == goal_of.end() || row[static_cast<size_t>(parent->second)] < 0) {
      out.Null();
    } else {
      out.Int(row[static_cast<size_t>(parent->second)]);
    }
    out.Raw(",");
    out.String(ToString(goal.level));
    out.Raw(",");
    out.StringOrNull(goal.owner);
    out.Raw(",");
    out.StringOrNull(goal.team);
    out.Raw(",");
    out.String(ToString(r.status));
    out.Raw(",");
    out.Double(r.progress);
    out.Raw(",");
    out.Double(r.expected);
    out.Raw(",");
    out.Double(r.forecast);
    out.Raw(",");
    out.Date(r.start);
    out.Raw(",");
    out.Date(r.due);
    out.Raw(",");
    out.Int(kpi_count[g]);
    out.Raw(",");
    out.String(ToString(goal.priority));
    out.Raw(",");
    out.StringOrNull(goal.channel);
    out.Raw(",");
    out.StringOrNull(ToString(goal.stage));
    out.Raw(",[");
    for (size_t t = 0; t < goal.tags.size(); ++t) {
      if (t > 0) out.Raw(",");
      out.String(goal.tags[t]);
    }
    out.Raw("],");
    out.StringOrNull(goal.segment);
    out.Raw(",[");
    for (size_t p = 0; p < goal.contributors.size(); ++p) {
      if (p > 0) out.Raw(",");
      out.String(goal.contributors[p]);
    }
    out.Raw("],");
    out.StringOrNull(goal.cycle);
    out.Raw("]");
  }
  out.Raw("],\"summary\":{");
  // Statuses by name, as status --json orders its summary.
  std::vector<std::string_view> names;
  for (int s = 0; s < kGoalStatusCount; ++s) {
    if (counts[static_cast<size_t>(s)] > 0) names.push_back(ToString(static_cast<GoalStatus>(s)));
  }
  std::sort(names.begin(), names.end());
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out.Raw(",");
    out.String(names[i]);
    out.Raw(":");
    for (int s = 0; s < kGoalStatusCount; ++s) {
      if (ToString(static_cast<GoalStatus>(s)) == names[i]) out.Int(counts[static_cast<size_t>(s)]);
    }
  }
  out.Raw("}}");
  return std::move(out.text());
}

}  // namespace cascade
