#include "io/report_json.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <ostream>
#include <string_view>
#include <unordered_map>

#include "analytics/todo.h"
#include "io/entity_json.h"
#include "core/goal_detail.h"
#include "core/id_table.h"
#include "core/incremental_rollup.h"

namespace cascade {
namespace {

using nlohmann::json;

template <typename T>
json OrNull(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

json DateOrNull(const std::optional<Date>& d) { return d ? json(d->ToString()) : json(nullptr); }

json StringOrNull(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

// KPI positions of each goal, in KPI creation order, built once for the whole output.
std::vector<std::vector<int>> KpisByGoal(const Workspace& ws, const WorkspaceIndex& index) {
  std::vector<std::vector<int>> by_goal(ws.goals.size());
  for (size_t k = 0; k < ws.kpis.size(); ++k) {
    const int g = index.goal(ws.kpis[k].goal);
    if (g >= 0) by_goal[static_cast<size_t>(g)].push_back(static_cast<int>(k));
  }
  return by_goal;
}

// The ids of the goals that list `id` in their supports, in goal order.
std::vector<std::string> SupportedBy(const Workspace& ws, const std::string& id) {
  std::vector<std::string> out;
  for (const Goal& g : ws.goals) {
    if (std::find(g.supports.begin(), g.supports.end(), id) != g.supports.end()) {
      out.push_back(g.id);
    }
  }
  return out;
}

json GoalJson(const Workspace& ws, const Rollup& rollup, int g, const std::vector<int>& kpis,
              const std::vector<std::string>& supported_by) {
  const Goal& goal = ws.goals[static_cast<size_t>(g)];
  const GoalResult& r = rollup.goals[static_cast<size_t>(g)];
  json out = {
      {"id", goal.id},
      {"title", goal.title},
      {"level", ToString(goal.level)},
      {"parent", StringOrNull(goal.parent)},
      {"owner", StringOrNull(goal.owner)},
      {"contributors", goal.contributors},
      {"segment", StringOrNull(goal.segment)},
      {"supports", goal.supports},
      {"supported_by", supported_by},
      {"team", StringOrNull(goal.team)},
      {"cycle", StringOrNull(goal.cycle)},
      {"start", DateOrNull(r.start)},
      {"due", DateOrNull(r.due)},
      {"state", ToString(goal.state)},
      {"progress", OrNull(r.progress)},
      {"expected", OrNull(r.expected)},
      {"forecast", OrNull(r.forecast)},
      {"status", ToString(r.status)},
      {"confidence", r.confidence == Confidence::kNone ? json(nullptr)
                                                       : json(ToString(r.confidence))},
      {"disagrees", r.disagrees},
      {"disagreement", OrNull(r.disagreement)},
      {"achieved_on", DateOrNull(r.achieved_on)},
      {"spent", r.spent},
      {"budget_left", OrNull(r.budget_left)},
  };
  json list = json::array();
  for (int k : kpis) {
    const KpiResult& kr = rollup.kpis[static_cast<size_t>(k)];
    const Kpi& kpi = ws.kpis[static_cast<size_t>(k)];
    // A KPI left out of its goal's items (a benchmark, a formula without a value) has no
    // attainment or progress.
    const auto counted = [&kr](double v) { return kr.counted ? json(v) : json(nullptr); };
    list.push_back({
        {"id", kpi.id},
        {"kind", ToString(kpi.kind)},
        {"target", kpi.target},
        {"benchmark_for", StringOrNull(kpi.benchmark_for)},
        {"value", OrNull(kr.value)},
        {"attainment", counted(kr.attainment)},
        {"progress", counted(kr.progress)},
        {"forecast", OrNull(kr.forecast)},
        {"last_checkin", DateOrNull(kr.last_checkin)},
        {"stale", kr.stale},
    });
  }
  out["kpis"] = std::move(list);
  return out;
}

}  // namespace

json GoalsStatusToJson(const Workspace& ws, const Rollup& rollup, const std::vector<int>& goals,
                       const GoalLinks* links) {
  std::unordered_map<std::string_view, size_t> slot;  // goal id → its place in `goals`
  for (size_t i = 0; i < goals.size(); ++i) {
    slot.emplace(ws.goals[static_cast<size_t>(goals[i])].id, i);
  }
  std::vector<std::vector<int>> kpis(goals.size());
  if (links != nullptr) {
    for (size_t i = 0; i < goals.size(); ++i) {
      const std::span<const int> of = links->kpis(static_cast<size_t>(goals[i]));
      kpis[i].assign(of.begin(), of.end());
    }
  } else {
    for (size_t k = 0; k < ws.kpis.size(); ++k) {
      if (auto it = slot.find(ws.kpis[k].goal); it != slot.end()) {
        kpis[it->second].push_back(static_cast<int>(k));
      }
    }
  }
  std::vector<std::vector<std::string>> supported_by(goals.size());
  if (links != nullptr) {
    for (size_t i = 0; i < goals.size(); ++i) {
      for (const int s : links->supporters(static_cast<size_t>(goals[i]))) {
        supported_by[i].push_back(ws.goals[static_cast<size_t>(s)].id);
      }
    }
  } else {
    for (const Goal& g : ws.goals) {
      for (const std::string& target : g.supports) {
        if (auto it = slot.find(target); it != slot.end()) supported_by[it->second].push_back(g.id);
      }
    }
  }
  json out = json::array();
  for (size_t i = 0; i < goals.size(); ++i) {
    out.push_back(GoalJson(ws, rollup, goals[i], kpis[i], supported_by[i]));
  }
  return out;
}

json GoalStatusToJson(const Workspace& ws, const Rollup& rollup, int goal) {
  std::vector<int> kpis;
  const std::string& id = ws.goals[static_cast<size_t>(goal)].id;
  for (size_t k = 0; k < ws.kpis.size(); ++k) {
    if (ws.kpis[k].goal == id) kpis.push_back(static_cast<int>(k));
  }
  return GoalJson(ws, rollup, goal, kpis, SupportedBy(ws, id));
}

json GoalDetailJson(const Workspace& ws, const WorkspaceIndex& index, const GoalLinks& links,
                    const Rollup& rollup, const GoalDetail& detail, Date as_of) {
  const Goal& g = ws.goals[static_cast<size_t>(detail.goal)];
  json status = std::move(GoalsStatusToJson(ws, rollup, {detail.goal}, &links)[0]);
  json kpis = json::array(), children = json::array(), child_goals = json::array(),
       titles = json::object();
  for (const int k : detail.kpis) kpis.push_back(ToJson(ws.kpis[static_cast<size_t>(k)]));
  auto title_of = [&](const std::string& other) {
    if (const int i = index.goal(other); i >= 0) {
      titles[other] = ws.goals[static_cast<size_t>(i)].title;
    }
  };
  if (!g.parent.empty()) title_of(g.parent);
  for (const int c : detail.children) {
    const Goal& child = ws.goals[static_cast<size_t>(c)];
    const GoalResult& r = rollup.goals[static_cast<size_t>(c)];
    children.push_back(child.id);
    title_of(child.id);
    // What each child adds to this goal's progress: an active child with a progress counts,
    // with its weight, beside the goal's own KPIs (spec §2 "Goal progress P").
    child_goals.push_back({{"id", child.id},
                           {"state", ToString(child.state)},
                           {"weight", child.weight},
                           {"progress", OrNull(r.progress)},
                           {"status", ToString(r.status)}});
  }
  for (const std::string& other : g.supports) title_of(other);
  for (const int s : detail.supported_by) title_of(ws.goals[static_cast<size_t>(s)].id);
  json actions = json::array(), experiments = json::array(), comments = json::array(),
       spend = json::array();
  for (const int a : detail.actions) {
    const Action& action = ws.actions[static_cast<size_t>(a)];
    json item = ToJson(action);
    item["overdue"] = IsOverdue(action, as_of);
    actions.push_back(std::move(item));
  }
  for (const int e : detail.experiments) experiments.push_back(ToJson(ws.experiments[static_cast<size_t>(e)]));
  for (const int c : detail.comments) comments.push_back(ToJson(ws.comments[static_cast<size_t>(c)]));
  for (const int s : detail.spend) spend.push_back(ToJson(ws.spend[static_cast<size_t>(s)]));
  return json{{"goal", ToJson(g)},
              {"status", std::move(status)},
              {"kpis", std::move(kpis)},
              {"children", std::move(children)},
              {"child_goals", std::move(child_goals)},
              {"titles", std::move(titles)},
              {"actions", std::move(actions)},
              {"experiments", std::move(experiments)},
              {"comments", std::move(comments)},
              {"spend", std::move(spend)}};
}

namespace {

// The goals of the status, in output order: all of them parents first, or the subtree of
// `root`. Rollup::order is depth-first, so a subtree is the root followed by the deeper goals
// after it.
std::vector<int> SubtreeGoals(const Workspace& ws, const Rollup& rollup, const std::string& root) {
  if (root.empty()) return std::vector<int>(rollup.order.begin(), rollup.order.end());
  std::vector<int> out;
  bool inside = false;
  int root_depth = 0;
  for (int g : rollup.order) {
    const auto gi = static_cast<size_t>(g);
    if (ws.goals[gi].id == root) {
      inside = true;
      root_depth = rollup.depth[gi];
    } else if (inside && rollup.depth[gi] <= root_depth) {
      break;
    }
    if (inside) out.push_back(g);
  }
  return out;
}

// SubtreeGoals, only those `shown` marks (all when null).
std::vector<int> ShownGoals(const Workspace& ws, const Rollup& rollup, const std::string& root,
                            const std::vector<char>* shown) {
  std::vector<int> out = SubtreeGoals(ws, rollup, root);
  if (shown != nullptr) {
    std::erase_if(out, [shown](int g) { return !(*shown)[static_cast<size_t>(g)]; });
  }
  return out;
}

// ---- The status JSON written directly ----
//
// The same bytes nlohmann::json::dump() gives for StatusToJson's tree (keys in sorted order, no
// spaces, doubles in its layout), without the tree: for 100,000 goals the tree alone took most of
// a second and hundreds of megabytes.

// Text collected in a buffer and handed to `sink` (when there is one) every 64 KiB, so a large
// output is never held whole.
class JsonText {
 public:
  explicit JsonText(std::ostream* sink) : sink_(sink) {}
  ~JsonText() { Flush(); }

  std::string& text() { return buf_; }

  void Raw(std::string_view s) {
    buf_ += s;
    MaybeFlush();
  }
  void Null() { Raw("null"); }
  void Bool(bool b) { Raw(b ? "true" : "false"); }
  void Int(int64_t v) {
    char tmp[24];
    const auto r = std::to_chars(tmp, tmp + sizeof tmp, v);
    Raw(std::string_view(tmp, static_cast<size_t>(r.ptr - tmp)));
  }
  void Double(double v);
  void Double(const std::optional<double>& v) {
    if (v) {
      Double(*v);
    } else {
      Null();
    }
  }
  // Dates repeat (a workspace spans a few hundred days): each is formatted once and remembered.
  void Date(const std::optional<cascade::Date>& d) {
    if (!d) return Null();
    DateText& cached = dates_[static_cast<size_t>(d->days()) % dates_.size()];
    if (cached.text.empty() || cached.days != d->days()) {
      cached.days = d->days();
      cached.text = '"' + d->ToString() + '"';
    }
    Raw(cached.text);
  }
  void String(std::string_view s);
  void StringOrNull(std::string_view s) {
    if (s.empty()) {
      Null();
    } else {
      String(s);
    }
  }

  void Flush() {
    if (sink_ != nullptr && !buf_.empty()) {
      sink_->write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
      buf_.clear();
    }
  }

 private:
  static constexpr size_t kChunk = 64 * 1024;
  void MaybeFlush() {
    if (sink_ != nullptr && buf_.size() >= kChunk) Flush();
  }

  struct DateText {
    int32_t days = 0;
    std::string text;  // quoted; empty until used
  };
  std::ostream* sink_;
  std::string buf_;
  std::array<DateText, 512> dates_;
};

// The shortest digits that read back as `v` (std::to_chars), laid out as nlohmann's dtoa does:
// fixed notation with at least one decimal ("48.0", "0.0625") for decimal exponents from -4 to
// 15, otherwise "1.5e+20" / "1e-05". Non-finite numbers are null, as nlohmann prints them.
void JsonText::Double(double v) {
  if (!std::isfinite(v)) return Null();
  if (v == 0) return Raw(std::signbit(v) ? "-0.0" : "0.0");
  char sci[40];
  const auto r = std::to_chars(sci, sci + sizeof sci, v, std::chars_format::scientific);
  const std::string_view text(sci, static_cast<size_t>(r.ptr - sci));  // [-]d[.ddd]e±XX
  char digits[32];
  int k = 0;
  size_t i = 0;
  const bool negative = text[0] == '-';
  if (negative) ++i;
  for (; i < text.size() && text[i] != 'e'; ++i) {
    if (text[i] != '.') digits[k++] = text[i];
  }
  int exp10 = 0;
  std::from_chars(text.data() + i + (text[i + 1] == '+' ? 2 : 1), text.data() + text.size(), exp10);
  const int n = exp10 + 1;  // position of the decimal point relative to the first digit
  constexpr int kMinExp = -4, kMaxExp = 15;

  char out[48];
  int o = 0;
  if (negative) out[o++] = '-';
  if (k <= n && n <= kMaxExp) {  // digits[000].0
    for (int j = 0; j < k; ++j) out[o++] = digits[j];
    for (int j = k; j < n; ++j) out[o++] = '0';
    out[o++] = '.';
    out[o++] = '0';
  } else if (0 < n && n <= kMaxExp) {  // dig.its
    for (int j = 0; j < n; ++j) out[o++] = digits[j];
    out[o++] = '.';
    for (int j = n; j < k; ++j) out[o++] = digits[j];
  } else if (kMinExp < n && n <= 0) {  // 0.[000]digits
    out[o++] = '0';
    out[o++] = '.';
    for (int j = 0; j < -n; ++j) out[o++] = '0';
    for (int j = 0; j < k; ++j) out[o++] = digits[j];
  } else {  // d.igitse±XX
    out[o++] = digits[0];
    if (k > 1) {
      out[o++] = '.';
      for (int j = 1; j < k; ++j) out[o++] = digits[j];
    }
    out[o++] = 'e';
    int e = n - 1;
    out[o++] = e < 0 ? '-' : '+';
    e = e < 0 ? -e : e;
    if (e >= 100) out[o++] = static_cast<char>('0' + e / 100);
    out[o++] = static_cast<char>('0' + e / 10 % 10);
    out[o++] = static_cast<char>('0' + e % 10);
  }
  Raw(std::string_view(out, static_cast<size_t>(o)));
}

// Length of the valid UTF-8 sequence at the start of `s` (1–4), or 0 when it is not one.
size_t Utf8Length(std::string_view s) {
  const auto b = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const auto cont = [&](size_t i) { return i < s.size() && (b(i) & 0xC0) == 0x80; };
  const unsigned char c = b(0);
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if (c == 0xE0 && b(1) < 0xA0) return 0;   // overlong
    if (c == 0xED && b(1) >= 0xA0) return 0;  // surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (c == 0xF0 && b(1) < 0x90) return 0;   // overlong
    if (c == 0xF4 && b(1) >= 0x90) return 0;  // beyond U+10FFFF
    return 4;
  }
  return 0;
}

// Whether the 8 bytes at `p` are all printable ASCII other than '"', '\\' and DEL (bit tricks: a
// byte below 0x20, equal to one of those, or with its top bit set shows as a set top bit).
bool IsPlain8(const char* p) {
  uint64_t x;
  std::memcpy(&x, p, 8);
  constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  const auto zero_byte = [](uint64_t v) { return (v - kOnes) & ~v & kHigh; };
  const uint64_t control = (x - kOnes * 0x20) & ~x & kHigh;  // some byte < 0x20 (or ≥ 0x80)
  return ((x & kHigh) | control | zero_byte(x ^ (kOnes * '"')) | zero_byte(x ^ (kOnes * '\\')) |
          zero_byte(x ^ (kOnes * 0x7F))) == 0;
}

// Escapes as nlohmann does (\" \\ \b \f \n \r \t, other control characters as \u00xx, UTF-8
// as is), and DEL and the C1 controls U+0080–U+009F as \u007f–\u009f too. Where nlohmann would throw on
// invalid UTF-8, each bad byte becomes U+FFFD.
void JsonText::String(std::string_view s) {
  buf_ += '"';
  size_t plain = 0;  // start of the run of bytes copied as they are
  for (size_t i = 0; i < s.size();) {
    // Eight plain bytes at a time (printable ASCII other than '"' and '\\'): most text is.
    while (i + 8 <= s.size() && IsPlain8(s.data() + i)) i += 8;
    if (i == s.size()) break;
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\' && c < 0x7F) {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      const size_t len = Utf8Length(s.substr(i));
      // U+0080–U+009F (C2 80–C2 9F) are control characters too: a terminal reads U+009B as CSI.
      if (len > 0 && !(c == 0xC2 && static_cast<unsigned char>(s[i + 1]) <= 0x9F)) {
        i += len;
        continue;
      }
      if (len == 2) {
        constexpr char kHex[] = "0123456789abcdef";
        buf_.append(s.data() + plain, i - plain);
        buf_ += "\\u00";
        buf_ += kHex[static_cast<unsigned char>(s[i + 1]) >> 4];
        buf_ += kHex[s[i + 1] & 0xF];
        plain = i += 2;
        continue;
      }
    }
    buf_.append(s.data() + plain, i - plain);
    switch (c) {
      case '"':
        buf_ += "\\\"";
        break;
      case '\\':
        buf_ += "\\\\";
        break;
      case '\b':
        buf_ += "\\b";
        break;
      case '\f':
        buf_ += "\\f";
        break;
      case '\n':
        buf_ += "\\n";
        break;
      case '\r':
        buf_ += "\\r";
        break;
      case '\t':
        buf_ += "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7F) {
          constexpr char kHex[] = "0123456789abcdef";
          buf_ += "\\u00";
          buf_ += kHex[c >> 4];
          buf_ += kHex[c & 0xF];
        } else {
          buf_ += "\xEF\xBF\xBD";  // U+FFFD for a byte that starts no valid UTF-8 sequence
        }
    }
    plain = ++i;
  }
  buf_.append(s.data() + plain, s.size() - plain);
  buf_ += '"';
  MaybeFlush();
}

// For each goal, the ids of the goals that support it, in goal order (most lists empty). The id
// lookup is built only when some goal supports another: most workspaces have no such link.
std::vector<std::vector<std::string>> SupportedByAll(const Workspace& ws) {
  std::vector<std::vector<std::string>> out(ws.goals.size());
  if (std::none_of(ws.goals.begin(), ws.goals.end(),
                   [](const Goal& g) { return !g.supports.empty(); })) {
    return out;
  }
  std::unordered_map<std::string_view, size_t> position;
  position.reserve(ws.goals.size());
  for (size_t i = 0; i < ws.goals.size(); ++i) position.try_emplace(ws.goals[i].id, i);
  for (const Goal& g : ws.goals) {
    for (const std::string& s : g.supports) {
      if (auto it = position.find(s); it != position.end()) out[it->second].push_back(g.id);
    }
  }
  return out;
}

// An array of strings.
void WriteStrings(JsonText& out, const std::vector<std::string>& items) {
  out.Raw("[");
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out.Raw(",");
    out.String(items[i]);
  }
  out.Raw("]");
}

// KPI positions of each goal, in KPI creation order, as one compressed list.
struct KpiLists {
  std::vector<int> begin;  // size goals + 1
  std::vector<int> items;
};

KpiLists KpisOfGoals(const Workspace& ws) {
  const IdTable goal_ids(ws.goals);
  std::vector<int> goal_of(ws.kpis.size());
  KpiLists out;
  out.begin.assign(ws.goals.size() + 1, 0);
  LookupAll(
      ws.kpis.size(), [&ws](size_t k) { return std::string_view(ws.kpis[k].goal); }, goal_ids,
      ws.goals,
      [&](size_t k, int g) {
        goal_of[k] = g;
        if (g >= 0) ++out.begin[static_cast<size_t>(g) + 1];
      });
  for (size_t g = 0; g < ws.goals.size(); ++g) out.begin[g + 1] += out.begin[g];
  out.items.resize(static_cast<size_t>(out.begin.back()));
  std::vector<int> fill(out.begin.begin(), out.begin.end() - 1);
  for (size_t k = 0; k < ws.kpis.size(); ++k) {
    if (goal_of[k] >= 0) {
      out.items[static_cast<size_t>(fill[static_cast<size_t>(goal_of[k])]++)] = static_cast<int>(k);
    }
  }
  return out;
}

// One goal's object with its KPIs, keys in sorted order as nlohmann's objects keep them.
void WriteGoal(JsonText& out, const Workspace& ws, const Rollup& rollup, const KpiLists& kpis,
               const std::vector<std::vector<std::string>>& supported_by, size_t g) {
  const Goal& goal = ws.goals[g];
  const GoalResult& r = rollup.goals[g];
  out.Raw("{\"achieved_on\":");
  out.Date(r.achieved_on);
  out.Raw(",\"budget_left\":");
  out.Double(r.budget_left);
  out.Raw(",\"confidence\":");
  out.StringOrNull(ToString(r.confidence));
  out.Raw(",\"contributors\":");
  WriteStrings(out, goal.contributors);
  out.Raw(",\"cycle\":");
  out.StringOrNull(goal.cycle);
  out.Raw(",\"disagreement\":");
  if (r.disagreement) {
    out.Int(*r.disagreement);
  } else {
    out.Null();
  }
  out.Raw(",\"disagrees\":");
  out.Bool(r.disagrees);
  out.Raw(",\"due\":");
  out.Date(r.due);
  out.Raw(",\"expected\":");
  out.Double(r.expected);
  out.Raw(",\"forecast\":");
  out.Double(r.forecast);
  out.Raw(",\"id\":");
  out.String(goal.id);
  out.Raw(",\"kpis\":[");
  for (int i = kpis.begin[g]; i < kpis.begin[g + 1]; ++i) {
    const auto k = static_cast<size_t>(kpis.items[static_cast<size_t>(i)]);
    const KpiResult& kr = rollup.kpis[k];
    const Kpi& kpi = ws.kpis[k];
    const auto counted = [&kr](double v) { return kr.counted ? std::optional<double>(v) : std::nullopt; };
    out.Raw(i == kpis.begin[g] ? "{\"attainment\":" : ",{\"attainment\":");
    out.Double(counted(kr.attainment));
    out.Raw(",\"benchmark_for\":");
    out.StringOrNull(kpi.benchmark_for);
    out.Raw(",\"forecast\":");
    out.Double(kr.forecast);
    out.Raw(",\"id\":");
    out.String(kpi.id);
    out.Raw(",\"kind\":");
    out.String(ToString(kpi.kind));
    out.Raw(",\"last_checkin\":");
    out.Date(kr.last_checkin);
    out.Raw(",\"progress\":");
    out.Double(counted(kr.progress));
    out.Raw(",\"stale\":");
    out.Bool(kr.stale);
    out.Raw(",\"target\":");
    out.Double(kpi.target);
    out.Raw(",\"value\":");
    out.Double(kr.value);
    out.Raw("}");
  }
  out.Raw("],\"level\":");
  out.String(ToString(goal.level));
  out.Raw(",\"owner\":");
  out.StringOrNull(goal.owner);
  out.Raw(",\"parent\":");
  out.StringOrNull(goal.parent);
  out.Raw(",\"progress\":");
  out.Double(r.progress);
  out.Raw(",\"segment\":");
  out.StringOrNull(goal.segment);
  out.Raw(",\"spent\":");
  out.Double(r.spent);
  out.Raw(",\"start\":");
  out.Date(r.start);
  out.Raw(",\"state\":");
  out.String(ToString(goal.state));
  out.Raw(",\"status\":");
  out.String(ToString(r.status));
  out.Raw(",\"supported_by\":");
  WriteStrings(out, supported_by[g]);
  out.Raw(",\"supports\":");
  WriteStrings(out, goal.supports);
  out.Raw(",\"team\":");
  out.StringOrNull(goal.team);
  out.Raw(",\"title\":");
  out.String(goal.title);
  out.Raw("}");
}

void WriteStatus(JsonText& out, const Workspace& ws, const Rollup& rollup,
                 const std::string& root, const std::vector<char>* filter) {
  const KpiLists kpis = KpisOfGoals(ws);
  const std::vector<int> shown = ShownGoals(ws, rollup, root, filter);
  const std::vector<std::vector<std::string>> supported_by = SupportedByAll(ws);
  // The goals are printed depth-first, an order that jumps all over the goal vector (a cache miss
  // at every step, at 100,000 goals most of the time spent here). So the shown goals are taken
  // kWindow at a time: a window's objects are written in vector order into a buffer, reading its
  // goals and their results front to back, then copied out in depth-first order. The buffer holds
  // one window's text, never the whole output (at 100,000 goals that was 114 MB, and as much
  // again while it grew).
  constexpr size_t kWindow = 4096;
  JsonText objects(nullptr);
  std::vector<size_t> order;       // places in the window, by vector position
  std::vector<size_t> begin, end;  // each place's text in `objects`
  std::array<int, kGoalStatusCount> counts{};
  out.Raw("{\"as_of\":");
  out.String(rollup.as_of.ToString());
  out.Raw(",\"goals\":[");
  for (size_t from = 0; from < shown.size(); from += kWindow) {
    const size_t n = std::min(kWindow, shown.size() - from);
    order.resize(n);
    for (size_t i = 0; i < n; ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](size_t a, size_t b) { return shown[from + a] < shown[from + b]; });
    objects.text().clear();
    begin.assign(n, 0);
    end.assign(n, 0);
    for (size_t j = 0; j < n; ++j) {
      // A window's goals lie apart in memory: fetch the next ones' goal and result ahead.
      if (j + 8 < n) {
        const auto* goal = reinterpret_cast<const char*>(
            &ws.goals[static_cast<size_t>(shown[from + order[j + 8]])]);
        for (size_t at = 0; at < sizeof(Goal); at += 64) __builtin_prefetch(goal + at);
        __builtin_prefetch(&rollup.goals[static_cast<size_t>(shown[from + order[j + 8]])]);
      }
      if (j + 4 < n) {
        const Goal& next = ws.goals[static_cast<size_t>(shown[from + order[j + 4]])];
        __builtin_prefetch(next.title.data());
        __builtin_prefetch(next.id.data());
      }
      const size_t i = order[j];
      begin[i] = objects.text().size();
      WriteGoal(objects, ws, rollup, kpis, supported_by, static_cast<size_t>(shown[from + i]));
      end[i] = objects.text().size();
    }
    const std::string& text = objects.text();
    for (size_t i = 0; i < n; ++i) {
      if (from + i > 0) out.Raw(",");
      out.Raw(std::string_view(text).substr(begin[i], end[i] - begin[i]));
      ++counts[static_cast<size_t>(rollup.goals[static_cast<size_t>(shown[from + i])].status)];
    }
  }
  out.Raw("],\"summary\":{");
  std::array<int, kGoalStatusCount> by_name{};
  for (int s = 0; s < kGoalStatusCount; ++s) by_name[static_cast<size_t>(s)] = s;
  std::sort(by_name.begin(), by_name.end(), [](int a, int b) {
    return ToString(static_cast<GoalStatus>(a)) < ToString(static_cast<GoalStatus>(b));
  });
  bool first_count = true;
  for (const int s : by_name) {
    const int n = counts[static_cast<size_t>(s)];
    if (n == 0) continue;
    if (!first_count) out.Raw(",");
    first_count = false;
    out.String(ToString(static_cast<GoalStatus>(s)));
    out.Raw(":");
    out.Int(n);
  }
  out.Raw("}}");
}

}  // namespace

json StatusToJson(const Workspace& ws, const Rollup& rollup, const std::string& root,
                  const std::vector<char>* shown) {
  const WorkspaceIndex index(ws);
  const auto kpis = KpisByGoal(ws, index);
  json goals = json::array();
  std::array<int, kGoalStatusCount> counts{};
  const std::vector<std::vector<std::string>> supported_by = SupportedByAll(ws);
  for (int g : ShownGoals(ws, rollup, root, shown)) {
    const auto gi = static_cast<size_t>(g);
    goals.push_back(GoalJson(ws, rollup, g, kpis[gi], supported_by[gi]));
    ++counts[static_cast<size_t>(rollup.goals[gi].status)];
  }
  json summary = json::object();
  for (int s = 0; s < kGoalStatusCount; ++s) {
    if (counts[static_cast<size_t>(s)] > 0) {
      summary[std::string(ToString(static_cast<GoalStatus>(s)))] = counts[static_cast<size_t>(s)];
    }
  }
  return {{"as_of", rollup.as_of.ToString()}, {"goals", std::move(goals)}, {"summary", summary}};
}

std::string StatusJsonText(const Workspace& ws, const Rollup& rollup, const std::string& root,
                           const std::vector<char>* shown) {
  JsonText out(nullptr);
  WriteStatus(out, ws, rollup, root, shown);
  return std::move(out.text());
}

void WriteStatusJson(std::ostream& out, const Workspace& ws, const Rollup& rollup,
                     const std::string& root, const std::vector<char>* shown) {
  JsonText text(&out);
  WriteStatus(text, ws, rollup, root, shown);
}

json FindingsToJson(const std::vector<Finding>& findings) {
  json list = json::array();
  for (const Finding& f : findings) {
    list.push_back({{"code", f.code},
                    {"severity", ToString(f.severity)},
                    {"goal", StringOrNull(f.goal)},
                    {"kpi", StringOrNull(f.kpi)},
                    {"action", StringOrNull(f.action)},
                    {"message", f.message}});
  }
  return {{"findings", std::move(list)}};
}

json HistoryToJson(const std::vector<HistoryEntry>& entries) {
  json list = json::array();
  auto parse = [](const std::string& text) {
    return text.empty() ? json(nullptr) : json::parse(text, nullptr, false);
  };
  for (const HistoryEntry& e : entries) {
    list.push_back({{"seq", e.seq},
                    {"at", e.at},
                    {"actor", StringOrNull(e.actor)},
                    {"kind", e.kind},
                    {"entity", StringOrNull(e.entity)},
                    {"op", e.op},
                    {"before", parse(e.before)},
                    {"after", parse(e.after)}});
  }
  return {{"history", std::move(list)}};
}

}  // namespace cascade
