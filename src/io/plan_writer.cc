// Writing a workspace as a plan (spec §3): one tree of sections, goals nested under their parents,
// written as YAML (goals in block style, everything else one flow mapping per line) or as JSON.
// Optional fields at their default are left out; `version` and `seq` are never written, so
// applying an export changes nothing.
#include <charconv>
#include <cmath>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "io/plan.h"

namespace cascade {
namespace {

using Json = nlohmann::ordered_json;

// Goals nested deeper than this are written at the top level with `parent:` instead, so neither
// writing nor reading a pathological chain recurses without bound.
constexpr int kMaxNesting = 32;

Json Str(std::string_view s) { return Json(std::string(s)); }

// Whole numbers as integers ("20", not "20.0" in JSON); others (and -0) as the double itself.
Json Num(double v) {
  if (std::isfinite(v) && v == std::trunc(v) && std::fabs(v) < 9007199254740992.0 &&
      !(v == 0 && std::signbit(v))) {
    return Json(static_cast<int64_t>(v));
  }
  return Json(v);
}

Json TeamTree(const Team& t) {
  Json j = Json::object();
  j["id"] = t.id;
  if (!t.name.empty()) j["name"] = t.name;
  if (!t.parent.empty()) j["parent"] = t.parent;
  return j;
}

Json PersonTree(const Person& p) {
  Json j = Json::object();
  j["id"] = p.id;
  if (!p.name.empty()) j["name"] = p.name;
  if (!p.email.empty()) j["email"] = p.email;
  if (!p.team.empty()) j["team"] = p.team;
  if (p.role != Role::kMember) j["role"] = Str(ToString(p.role));
  return j;
}

Json KpiTree(const Kpi& k) {
  Json j = Json::object();
  j["id"] = k.id;
  if (!k.name.empty()) j["name"] = k.name;
  if (!k.unit.empty()) j["unit"] = k.unit;
  j["kind"] = Str(ToString(k.kind));
  if (k.baseline) j["baseline"] = Num(*k.baseline);
  if (!k.target_written.empty()) {
    j["target"] = k.target_written;  // as written: "+10%"
  } else if (k.kind != KpiKind::kMilestone || k.target != 1) {
    j["target"] = Num(k.target);
  }
  if (k.direction != Direction::kNone) j["direction"] = Str(ToString(k.direction));
  if (k.weight != 1) j["weight"] = Num(k.weight);
  if (k.cadence_days != 7) j["cadence_days"] = k.cadence_days;
  if (!k.source.empty()) j["source"] = k.source;
  if (!k.formula.empty()) j["formula"] = k.formula;
  if (!k.benchmark_for.empty()) j["benchmark_for"] = k.benchmark_for;
  return j;
}

Json ActionTree(const Action& a) {
  Json j = Json::object();
  j["id"] = a.id;
  if (!a.title.empty()) j["title"] = a.title;
  if (!a.owner.empty()) j["owner"] = a.owner;
  if (a.due) j["due"] = a.due->ToString();
  if (a.done) j["done"] = true;
  if (!a.depends_on.empty()) j["depends_on"] = a.depends_on;
  return j;
}

Json ArmTree(const Arm& a) {
  Json j = Json::object();
  j["visitors"] = a.visitors;
  j["conversions"] = a.conversions;
  return j;
}

Json ExperimentTree(const Experiment& x) {
  Json j = Json::object();
  j["id"] = x.id;
  if (!x.name.empty()) j["name"] = x.name;
  j["control"] = ArmTree(x.control);
  j["variant"] = ArmTree(x.variant);
  return j;
}

Json CheckinTree(const Checkin& c) {
  Json j = Json::object();
  j["kpi"] = c.kpi;
  j["date"] = c.date.ToString();
  j["value"] = Num(c.value);
  if (!c.note.empty()) j["note"] = c.note;
  if (!c.author.empty()) j["author"] = c.author;
  if (c.confidence != Confidence::kNone) j["confidence"] = Str(ToString(c.confidence));
  return j;
}

Json SpendTree(const Spend& s) {
  Json j = Json::object();
  j["goal"] = s.goal;
  j["date"] = s.date.ToString();
  j["amount"] = Num(s.amount);
  if (!s.note.empty()) j["note"] = s.note;
  if (!s.author.empty()) j["author"] = s.author;
  return j;
}

Json CommentTree(const Comment& c) {
  Json j = Json::object();
  j["goal"] = c.goal;
  if (!c.author.empty()) j["author"] = c.author;
  j["date"] = c.date.ToString();
  j["text"] = c.text;
  if (c.kind != CommentKind::kComment) j["kind"] = Str(ToString(c.kind));
  return j;
}

Json ReviewTree(const Review& r) {
  Json j = Json::object();
  j["date"] = r.date.ToString();
  if (!r.team.empty()) j["team"] = r.team;
  if (!r.notes.empty()) j["notes"] = r.notes;
  Json snapshot = Json::array();
  for (const ReviewEntry& e : r.snapshot) {
    Json x = Json::object();
    x["goal"] = e.goal;
    x["progress"] = e.progress ? Num(*e.progress) : Json(nullptr);
    x["status"] = e.status;
    snapshot.push_back(std::move(x));
  }
  j["snapshot"] = std::move(snapshot);
  return j;
}

Json FunnelTree(const Funnel& f) {
  Json j = Json::object();
  j["id"] = f.id;
  if (!f.name.empty()) j["name"] = f.name;
  if (!f.stages.empty()) j["stages"] = f.stages;
  return j;
}

Json CycleTree(const Cycle& c) {
  Json j = Json::object();
  j["id"] = c.id;
  if (!c.name.empty()) j["name"] = c.name;
  j["start"] = c.start.ToString();
  j["end"] = c.end.ToString();
  if (c.state != CycleState::kOpen) j["state"] = Str(ToString(c.state));
  return j;
}

// A goal's own fields; `parent` only where nesting does not say it.
Json GoalFields(const Goal& g, bool write_parent) {
  Json j = Json::object();
  j["id"] = g.id;
  if (!g.title.empty()) j["title"] = g.title;
  if (!g.description.empty()) j["description"] = g.description;
  j["level"] = Str(ToString(g.level));
  if (write_parent && !g.parent.empty()) j["parent"] = g.parent;
  if (!g.owner.empty()) j["owner"] = g.owner;
  if (!g.contributors.empty()) j["contributors"] = g.contributors;
  if (!g.team.empty()) j["team"] = g.team;
  if (!g.cycle.empty()) j["cycle"] = g.cycle;
  if (g.start) j["start"] = g.start->ToString();
  if (g.due) j["due"] = g.due->ToString();
  if (g.weight != 1) j["weight"] = Num(g.weight);
  if (g.priority != Priority::kMedium) j["priority"] = Str(ToString(g.priority));
  if (g.growth_potential != 0) j["growth_potential"] = Num(g.growth_potential);
  if (g.budget_min != 0) j["budget_min"] = Num(g.budget_min);
  if (g.budget_max) j["budget_max"] = Num(*g.budget_max);
  if (!g.channel.empty()) j["channel"] = g.channel;
  if (!g.segment.empty()) j["segment"] = g.segment;
  if (g.stage != Stage::kNone) j["stage"] = Str(ToString(g.stage));
  if (g.state != GoalState::kActive) j["state"] = Str(ToString(g.state));
  if (!g.tags.empty()) j["tags"] = g.tags;
  if (!g.supports.empty()) j["supports"] = g.supports;
  return j;
}

// The `goals` section: each goal under its parent with its KPIs, actions and experiments.
class GoalForest {
 public:
  explicit GoalForest(const Workspace& ws) : ws_(ws) {
    const size_t n = ws.goals.size();
    children_.resize(n);
    kpis_.resize(n);
    actions_.resize(n);
    experiments_.resize(n);
    std::unordered_map<std::string_view, size_t> position;
    position.reserve(n);
    for (size_t i = 0; i < n; ++i) position.try_emplace(ws.goals[i].id, i);
    auto find = [&position](const std::string& id) -> const size_t* {
      auto it = position.find(id);
      return it == position.end() ? nullptr : &it->second;
    };
    for (size_t i = 0; i < n; ++i) {
      const size_t* parent = ws.goals[i].parent.empty() ? nullptr : find(ws.goals[i].parent);
      if (parent) {
        children_[*parent].push_back(i);
      } else {
        roots_.push_back(i);
      }
    }
    // A KPI, action or experiment of an unknown goal cannot be written (the plan nests them);
    // validation never lets one be stored.
    for (size_t i = 0; i < ws.kpis.size(); ++i) {
      if (const size_t* g = find(ws.kpis[i].goal)) kpis_[*g].push_back(i);
    }
    for (size_t i = 0; i < ws.actions.size(); ++i) {
      if (const size_t* g = find(ws.actions[i].goal)) actions_[*g].push_back(i);
    }
    for (size_t i = 0; i < ws.experiments.size(); ++i) {
      if (const size_t* g = find(ws.experiments[i].goal)) experiments_[*g].push_back(i);
    }
  }

  Json Build() {
    placed_.assign(ws_.goals.size(), false);
    for (size_t r : roots_) Schedule(r);
    Json goals = Json::array();
    size_t scan = 0;  // goals in a parent cycle are reached from no root: start one at the top
    for (size_t next = 0;; ++next) {
      if (next == top_.size()) {
        while (scan < placed_.size() && placed_[scan]) ++scan;
        if (scan == placed_.size()) break;
        Schedule(scan);
      }
      goals.push_back(Tree(top_[next], /*top=*/true, 0));
    }
    return goals;
  }

 private:
  void Schedule(size_t goal) {
    placed_[goal] = true;
    top_.push_back(goal);
  }

  Json Tree(size_t goal, bool top, int depth) {
    Json j = GoalFields(ws_.goals[goal], top);
    if (!kpis_[goal].empty()) {
      Json& list = j["kpis"] = Json::array();
      for (size_t k : kpis_[goal]) list.push_back(KpiTree(ws_.kpis[k]));
    }
    if (!actions_[goal].empty()) {
      Json& list = j["actions"] = Json::array();
      for (size_t a : actions_[goal]) list.push_back(ActionTree(ws_.actions[a]));
    }
    if (!experiments_[goal].empty()) {
      Json& list = j["experiments"] = Json::array();
      for (size_t x : experiments_[goal]) list.push_back(ExperimentTree(ws_.experiments[x]));
    }
    Json children = Json::array();
    for (size_t c : children_[goal]) {
      if (placed_[c]) continue;
      if (depth + 1 >= kMaxNesting) {
        Schedule(c);
        continue;
      }
      placed_[c] = true;
      children.push_back(Tree(c, /*top=*/false, depth + 1));
    }
    if (!children.empty()) j["children"] = std::move(children);
    return j;
  }

  const Workspace& ws_;
  std::vector<std::vector<size_t>> children_, kpis_, actions_, experiments_;
  std::vector<size_t> roots_;
  std::vector<size_t> top_;
  std::vector<bool> placed_;  // written, or scheduled to be written at the top level
};

template <typename T, typename F>
Json Section(const CowVector<T>& items, F tree) {
  Json list = Json::array();
  for (const T& item : items) list.push_back(tree(item));
  return list;
}

// ---------------------------------------------------------------------------------------------
// YAML.

// Fields written by people in their own words: always double-quoted, so that no title is ever
// misread as a number, a date, a boolean, a comment or a nested mapping.
bool IsFreeText(std::string_view key) {
  static constexpr std::string_view kKeys[] = {"title",  "description", "name",    "note", "unit",
                                               "source", "email",       "channel", "tags",
                                               "segment", "text",    "notes"};
  for (std::string_view k : kKeys) {
    if (k == key) return true;
  }
  return false;
}

bool IsIsoDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

// An id or enum value any YAML reader takes as the same text: a slug starting with a letter
// that no YAML version reads as a boolean or null.
bool IsSafePlain(std::string_view s) {
  if (s.empty() || s[0] < 'a' || s[0] > 'z') return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
  }
  static constexpr std::string_view kReserved[] = {"true", "false", "yes", "no",  "on",
                                                   "off",  "y",     "n",   "null"};
  for (std::string_view r : kReserved) {
    if (s == r) return false;
  }
  return true;
}

void AppendDoubleQuoted(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out += '"';
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    const auto next = [&](size_t k) {
      return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0;
    };
    switch (c) {
      case '"':
        out += "\\\"";
        continue;
      case '\\':
        out += "\\\\";
        continue;
      case '\n':
        out += "\\n";
        continue;
      case '\t':
        out += "\\t";
        continue;
      case '\r':
        out += "\\r";
        continue;
      default:
        break;
    }
    if (c < 0x20 || c == 0x7F) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    } else if (c == 0xC2 && next(1) >= 0x80 && next(1) <= 0x9F) {
      // C1 controls, NEL among them, which YAML readers may take as a line break.
      out += "\\x";
      out += kHex[next(1) >> 4];
      out += kHex[next(1) & 0xF];
      i += 1;
    } else if (c == 0xE2 && next(1) == 0x80 && (next(2) == 0xA8 || next(2) == 0xA9)) {
      out += next(2) == 0xA8 ? "\\L" : "\\P";  // line and paragraph separators
      i += 2;
    } else if (c == 0xEF && next(1) == 0xBB && next(2) == 0xBF) {
      out += "\\uFEFF";  // a byte-order mark inside text
      i += 2;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
}

void AppendNumber(std::string& out, const Json& v) {
  if (v.is_number_integer()) {
    out += v.dump();
    return;
  }
  // The shortest text that reads back as the same double.
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v.get<double>());
  out.append(buf, end);
}

// `value` in flow style; strings quoted according to the field (`key`) they belong to.
void AppendFlow(std::string& out, std::string_view key, const Json& value) {
  if (value.is_object()) {
    out += '{';
    bool first = true;
    for (auto it = value.begin(); it != value.end(); ++it) {
      if (!first) out += ", ";
      first = false;
      out += it.key();
      out += ": ";
      AppendFlow(out, it.key(), it.value());
    }
    out += '}';
  } else if (value.is_array()) {
    out += '[';
    bool first = true;
    for (const Json& item : value) {
      if (!first) out += ", ";
      first = false;
      AppendFlow(out, key, item);
    }
    out += ']';
  } else if (value.is_string()) {
    const std::string& s = value.get_ref<const std::string&>();
    const bool date_field = key == "start" || key == "due" || key == "date" || key == "end";
    if (!IsFreeText(key) && (IsSafePlain(s) || (date_field && IsIsoDate(s)))) {
      out += s;
    } else {
      AppendDoubleQuoted(out, s);
    }
  } else if (value.is_number()) {
    AppendNumber(out, value);
  } else if (value.is_boolean()) {
    out += value.get<bool>() ? "true" : "false";
  } else {
    out += "null";
  }
}

// A goal as a block-style list item at `indent`: its fields one per line, KPIs, actions and
// experiments one flow mapping per line, children as nested block items.
void AppendGoal(std::string& out, const Json& goal, int indent) {
  bool first = true;
  for (auto it = goal.begin(); it != goal.end(); ++it) {
    out.append(first ? indent : indent + 2, ' ');
    if (first) out += "- ";
    first = false;
    out += it.key();
    out += ':';
    const Json& value = it.value();
    if (it.key() == "children") {
      out += '\n';
      for (const Json& child : value) AppendGoal(out, child, indent + 4);
    } else if (value.is_array() && !value.empty() && value.front().is_object()) {
      out += '\n';
      for (const Json& item : value) {
        out.append(indent + 4, ' ');
        out += "- ";
        AppendFlow(out, it.key(), item);
        out += '\n';
      }
    } else {
      out += ' ';
      AppendFlow(out, it.key(), value);
      out += '\n';
    }
  }
}

void AppendFlowSection(std::string& out, std::string_view name, const Json& items) {
  if (items.empty()) return;
  out += name;
  out += ":\n";
  for (const Json& item : items) {
    out += "  - ";
    AppendFlow(out, name, item);
    out += '\n';
  }
}

// ---------------------------------------------------------------------------------------------
// JSON.

std::string Dump(const Json& j) { return j.dump(2, ' ', false, Json::error_handler_t::replace); }

// `text` (pretty JSON) as it reads nested `by` spaces deeper.
std::string Indented(const std::string& text, int by) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    out += c;
    if (c == '\n') out.append(by, ' ');
  }
  return out;
}

}  // namespace

std::string WritePlanYaml(const Workspace& ws) {
  std::string out = "version: 1\n";
  AppendFlowSection(out, "teams", Section(ws.teams, TeamTree));
  AppendFlowSection(out, "people", Section(ws.people, PersonTree));
  AppendFlowSection(out, "cycles", Section(ws.cycles, CycleTree));
  const Json goals = GoalForest(ws).Build();
  if (!goals.empty()) {
    out += "goals:\n";
    for (const Json& goal : goals) AppendGoal(out, goal, 2);
  }
  // Check-ins one at a time: a workspace may hold a million of them.
  if (!ws.checkins.empty()) {
    out.reserve(out.size() + ws.checkins.size() * 56);
    out += "checkins:\n";
    for (const Checkin& c : ws.checkins) {
      out += "  - ";
      AppendFlow(out, "checkins", CheckinTree(c));
      out += '\n';
    }
  }
  AppendFlowSection(out, "funnels", Section(ws.funnels, FunnelTree));
  AppendFlowSection(out, "spend", Section(ws.spend, SpendTree));
  AppendFlowSection(out, "comments", Section(ws.comments, CommentTree));
  AppendFlowSection(out, "reviews", Section(ws.reviews, ReviewTree));
  return out;
}

std::string WritePlanJson(const Workspace& ws) {
  // The top level is assembled here rather than dumped whole so that check-ins are streamed; the
  // text is the same as nlohmann's own pretty printing of the full tree.
  std::string out = "{\n  \"version\": 1";
  auto section = [&out](std::string_view name, const Json& items) {
    if (items.empty()) return;
    out += ",\n  \"";
    out += name;
    out += "\": ";
    out += Indented(Dump(items), 2);
  };
  section("teams", Section(ws.teams, TeamTree));
  section("people", Section(ws.people, PersonTree));
  section("cycles", Section(ws.cycles, CycleTree));
  section("goals", GoalForest(ws).Build());
  if (!ws.checkins.empty()) {
    out += ",\n  \"checkins\": [\n";
    for (size_t i = 0; i < ws.checkins.size(); ++i) {
      out += "    ";
      out += Indented(Dump(CheckinTree(ws.checkins[i])), 4);
      out += i + 1 < ws.checkins.size() ? ",\n" : "\n";
    }
    out += "  ]";
  }
  section("funnels", Section(ws.funnels, FunnelTree));
  section("spend", Section(ws.spend, SpendTree));
  section("comments", Section(ws.comments, CommentTree));
  section("reviews", Section(ws.reviews, ReviewTree));
  out += "\n}\n";
  return out;
}

}  // namespace cascade
