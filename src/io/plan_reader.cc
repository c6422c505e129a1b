// Reading plan files (spec §3). yaml-cpp's parser turns the text into events; a light tree is built
// from them and read entity by entity, collecting every problem with its line.
//
// Why not YAML::Load: its Node graph costs about 4 KB per check-in line (measured: 4.4 GB and 22 s
// for a plan of 1,000,000 check-ins). The tree here is a tenth of that, and the top-level
// `checkins` list is not kept at all: each check-in is read as soon as the parser has finished it.
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <nlohmann/json.hpp>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/rollup.h"
#include "core/validate.h"
#include "io/plan.h"
#include "io/utf8.h"

namespace cascade {
namespace {

// ---------------------------------------------------------------------------------------------
// The light tree.

struct YamlNode {
  enum class Type : uint8_t { kNull, kScalar, kSequence, kMap };
  Type type = Type::kNull;
  int line = 0;                 // 1-based
  std::string text;             // a scalar's value
  std::vector<YamlNode> items;  // a sequence's items; a map's keys and values, alternating
};
using Type = YamlNode::Type;

class TreeBuilder : public YAML::EventHandler {
 public:
  using Sink = std::function<void(const YamlNode&)>;
  // `checkin_sink` receives each item of the top-level `checkins` list, which the tree then omits.
  explicit TreeBuilder(Sink checkin_sink) : checkin_sink_(std::move(checkin_sink)) {}

  const std::optional<YamlNode>& root() const { return root_; }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    Finish(YamlNode{Type::kNull, mark.line + 1, {}, {}}, anchor);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) return Finish(YamlNode{Type::kNull, mark.line + 1, {}, {}}, 0);
    // Each alias is a copy: aliases of aliases grow exponentially (a few hundred bytes of
    // "billion laughs" would take gigabytes), so the copies together have a budget.
    alias_nodes_ += CountNodes(it->second);
    if (alias_nodes_ > kMaxAliasNodes) {
      throw YAML::ParserException(mark, "aliases (*name) expand to more than " +
                                            std::to_string(kMaxAliasNodes) +
                                            " values; write the entries out instead");
    }
    Finish(it->second, 0);
  }
  void OnScalar(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                const std::string& value) override {
    Finish(YamlNode{Type::kScalar, mark.line + 1, value, {}}, anchor);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value /*style*/) override {
    Open(Type::kSequence, mark, anchor);
  }
  void OnSequenceEnd() override { Close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value /*style*/) override {
    Open(Type::kMap, mark, anchor);
  }
  void OnMapEnd() override { Close(); }

 private:
  struct Frame {
    YamlNode node;
    YAML::anchor_t anchor = 0;
    bool streamed = false;  // the top-level `checkins` list
  };

  void Open(Type type, const YAML::Mark& mark, YAML::anchor_t anchor) {
    bool streamed = false;
    if (type == Type::kSequence && stack_.size() == 1) {
      const YamlNode& top = stack_[0].node;
      streamed = top.type == Type::kMap && top.items.size() % 2 == 1 &&
                 top.items.back().type == Type::kScalar && top.items.back().text == "checkins";
    }
    stack_.push_back(Frame{YamlNode{type, mark.line + 1, {}, {}}, anchor, streamed});
  }

  void Close() {
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    Finish(std::move(frame.node), frame.anchor);
  }

  void Finish(YamlNode node, YAML::anchor_t anchor) {
    if (anchor != 0) anchors_[anchor] = node;
    if (stack_.empty()) {
      if (!root_) root_ = std::move(node);
    } else if (stack_.back().streamed) {
      checkin_sink_(node);
    } else {
      stack_.back().node.items.push_back(std::move(node));
    }
  }

  static constexpr size_t kMaxAliasNodes = 100'000;

  static size_t CountNodes(const YamlNode& node) {
    size_t n = 1;
    for (const YamlNode& item : node.items) n += CountNodes(item);
    return n;
  }

  Sink checkin_sink_;
  std::vector<Frame> stack_;
  std::unordered_map<YAML::anchor_t, YamlNode> anchors_;
  size_t alias_nodes_ = 0;  // values copied by aliases so far
  std::optional<YamlNode> root_;
};

// Notes where a second document starts, to refuse it.
class DocumentCounter : public YAML::EventHandler {
 public:
  int line = 0;
  void OnDocumentStart(const YAML::Mark& mark) override { line = mark.line + 1; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

// ---------------------------------------------------------------------------------------------
// Text helpers.


std::optional<uint32_t> Hex4(std::string_view s) {
  uint32_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v, 16);
  if (ec != std::errc() || end != s.data() + s.size() || s.size() != 4) return std::nullopt;
  return v;
}

// JSON writes characters beyond the Basic Multilingual Plane (emoji) as a surrogate pair
// "\ud83d\ude00", which YAML does not know; turn each pair into the UTF-8 it stands for.
std::string JoinSurrogatePairs(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 >= s.size()) {
      out += s[i];
      continue;
    }
    if (s[i + 1] == 'u' && i + 12 <= s.size() && s[i + 6] == '\\' && s[i + 7] == 'u') {
      auto hi = Hex4(s.substr(i + 2, 4));
      auto lo = Hex4(s.substr(i + 8, 4));
      if (hi && lo && *hi >= 0xD800 && *hi <= 0xDBFF && *lo >= 0xDC00 && *lo <= 0xDFFF) {
        AppendUtf8(out, 0x10000 + ((*hi - 0xD800) << 10) + (*lo - 0xDC00));
        i += 11;
        continue;
      }
    }
    out += s[i];  // any other escape is kept whole, so "\\u…" (an escaped backslash) stays as is
    out += s[i + 1];
    ++i;
  }
  return out;
}

bool LooksLikeJson(std::string_view text) {
  size_t i = text.find_first_not_of(" \t\r\n");
  return i != std::string_view::npos && (text[i] == '{' || text[i] == '[');
}

std::string Join(std::span<const std::string_view> items) {
  std::string out;
  for (std::string_view item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

std::string Quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

std::string Describe(const YamlNode& n) {
  switch (n.type) {
    case Type::kNull:
      return "empty";
    case Type::kScalar:
      return Quoted(n.text);
    case Type::kSequence:
      return "a list";
    case Type::kMap:
      return "a mapping";
  }
  return "";
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// YAML's spellings of infinity and not-a-number, and what from_chars reads as them.
bool IsNonFiniteSpelling(std::string_view s) {
  std::string l = Lower(s);
  if (!l.empty() && (l[0] == '+' || l[0] == '-')) l.erase(0, 1);
  return l == ".inf" || l == ".nan" || l == "inf" || l == "nan" || l == "infinity";
}

enum class NumberProblem { kNone, kNotANumber, kNotFinite };

// A YAML/JSON number: optional sign, digits, fraction, exponent.
NumberProblem ParseNumber(std::string_view s, double& out) {
  if (IsNonFiniteSpelling(s)) return NumberProblem::kNotFinite;
  std::string_view digits = s;
  if (!digits.empty() && digits[0] == '+') {
    digits.remove_prefix(1);  // YAML allows "+5"; from_chars does not
    if (!digits.empty() && digits[0] == '-') return NumberProblem::kNotANumber;
  }
  double v = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (end != digits.data() + digits.size()) return NumberProblem::kNotANumber;
  if (ec == std::errc::result_out_of_range || !std::isfinite(v)) return NumberProblem::kNotFinite;
  if (ec != std::errc()) return NumberProblem::kNotANumber;
  out = v;
  return NumberProblem::kNone;
}

bool LooksLikeIsoDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// The fields each entity may carry, in the order the messages list them.

constexpr std::string_view kTopKeys[] = {"version",  "teams",        "people",  "goals",
                                         "checkins", "checkins_csv", "funnels", "spend",
                                         "cycles", "comments", "reviews"};
constexpr std::string_view kTeamKeys[] = {"id", "name", "parent"};
constexpr std::string_view kPersonKeys[] = {"id", "name", "email", "team", "role"};
constexpr std::string_view kGoalKeys[] = {
    "id",         "title",      "description", "level",    "parent",       "owner",
    "contributors", "team",     "cycle",       "start",    "due",    "weight",   "priority",
    "growth_potential", "budget_min", "budget_max", "channel", "segment",  "stage",
    "state",      "tags",       "supports",    "kpis",     "actions",      "experiments",
    "children"};
constexpr std::string_view kKpiKeys[] = {"id",     "goal",         "name",   "unit",
                                         "kind",   "baseline",     "target", "direction",
                                         "weight", "cadence_days", "source", "formula",
                                         "benchmark_for"};
constexpr std::string_view kActionKeys[] = {"id",  "goal", "title",     "owner",
                                            "due", "done", "depends_on"};
constexpr std::string_view kExperimentKeys[] = {"id", "goal", "name", "control", "variant"};
constexpr std::string_view kArmKeys[] = {"visitors", "conversions"};
constexpr std::string_view kCheckinKeys[] = {"kpi",    "date",      "value",
                                             "note",   "author",    "confidence"};
constexpr std::string_view kSpendKeys[] = {"goal", "date", "amount", "note", "author"};
constexpr std::string_view kCommentKeys[] = {"goal", "author", "date", "text", "kind"};
constexpr std::string_view kReviewKeys[] = {"date", "team", "notes", "snapshot"};
constexpr std::string_view kSnapshotKeys[] = {"goal", "progress", "status"};
constexpr std::string_view kFunnelKeys[] = {"id", "name", "stages"};
constexpr std::string_view kCycleKeys[] = {"id", "name", "start", "end", "state"};

constexpr std::string_view kLevelNames = "macro, micro";
constexpr std::string_view kStateNames = "active, draft, cancelled";
constexpr std::string_view kPriorityNames = "high, medium, low";
constexpr std::string_view kStageNames = "awareness, consideration, conversion, retention";
constexpr std::string_view kKindNames = "level, cumulative, milestone, threshold, formula";
constexpr std::string_view kDirectionNames = "above, below";
constexpr std::string_view kRoleNames = "admin, lead, member, viewer";
constexpr std::string_view kConfidenceNames = "on_track, at_risk, off_track";
constexpr std::string_view kCommentKindNames = "comment, lesson, decision";
constexpr std::string_view kStatusNames =
    "cancelled, draft, unmeasured, achieved, unscheduled, missed, not_started, on_track, at_risk, "
    "off_track";

// ---------------------------------------------------------------------------------------------
// The reader.

// One mapping being read: an entity, or a part of one (an experiment's arm).
struct Entity {
  struct Field {
    std::string_view key;
    int line = 0;
    const YamlNode* value = nullptr;
  };
  std::string kind;   // "goal", …; Error.kind
  std::string id;     // Error.id ("" when missing)
  std::string label;  // how messages name it: "goal 'followers'"
  int line = 0;
  std::vector<Field> fields;

  const Field* Find(std::string_view key) const {
    for (const Field& f : fields) {
      if (f.key == key) return &f;
    }
    return nullptr;
  }
};

class PlanReader {
 public:
  PlanReader(const std::string& file_name, ParsedPlan& out) : file_(file_name), out_(out) {}

  void ReadDocument(const YamlNode& root);
  void ReadCheckin(const YamlNode& node);
  void ReadSpend(const YamlNode& node);
  void ReadComment(const YamlNode& node);
  void ReadReview(const YamlNode& node);

  void AddError(int line, std::string message, std::string_view kind = {}, std::string_view id = {},
                std::string_view field = {}) {
    Error e =
        Error::Invalid(std::move(message), std::string(kind), std::string(id), std::string(field));
    e.file = file_;
    e.line = line;
    out_.errors.push_back(std::move(e));
  }

 private:
  // Checks that `node` is a mapping of known, distinct keys and collects its fields. With
  // `id_required`, reads `id` into the label. Records the lines of the entity and its fields.
  std::optional<Entity> Open(const YamlNode& node, std::string_view kind, std::string_view section,
                             std::span<const std::string_view> allowed, bool id_required);
  void CollectFields(const YamlNode& node, Entity& e, std::span<const std::string_view> allowed);

  void Fail(const Entity& e, std::string_view field, int line, std::string detail) {
    AddError(line, e.label + ": " + detail, e.kind, e.id, field);
  }
  int LineOf(const Entity& e, std::string_view key) const {
    const Entity::Field* f = e.Find(key);
    return f ? f->line : e.line;
  }

  // The field's value when present and not null.
  const YamlNode* Value(const Entity& e, std::string_view key) const {
    const Entity::Field* f = e.Find(key);
    return f && f->value->type != Type::kNull ? f->value : nullptr;
  }
  bool Require(const Entity& e, std::string_view key, std::string_view hint = {}) {
    if (Value(e, key)) return true;
    Fail(e, key, LineOf(e, key),
         "missing required field '" + std::string(key) + "'" + std::string(hint));
    return false;
  }
  // The scalar text of a field; nullopt when absent, or (reported) not a scalar.
  std::optional<std::string_view> Scalar(const Entity& e, std::string_view key,
                                         std::string_view expected);
  void Text(const Entity& e, std::string_view key, std::string& out);
  bool Number(const Entity& e, std::string_view key, double& out);
  void OptionalNumber(const Entity& e, std::string_view key, std::optional<double>& out);
  // A KPI's target: a number, or a signed percent of the baseline ("+10%") kept as written.
  void Target(const Entity& e, Kpi& k);
  template <typename Int>
  void WholeNumber(const Entity& e, std::string_view key, Int& out);
  void DateField(const Entity& e, std::string_view key, std::optional<Date>& out);
  void Bool(const Entity& e, std::string_view key, bool& out);
  template <typename E>
  bool Enum(const Entity& e, std::string_view key, E& out,
            std::optional<E> (*parse)(std::string_view), std::string_view allowed);
  void TextList(const Entity& e, std::string_view key, std::vector<std::string>& out);
  // The items of a list-valued field; empty when absent or (reported) not a list.
  std::span<const YamlNode> List(const Entity& e, std::string_view key);
  // A nested entity's `field` (goal's `parent`, KPI's `goal`…) is implied by where it is written;
  // writing it anyway is fine as long as it agrees.
  void CheckImplied(const Entity& e, std::string_view field, const std::string& implied,
                    std::string_view implied_kind);

  void ReadTeam(const YamlNode& node);
  void ReadPerson(const YamlNode& node);
  void ReadGoal(const YamlNode& node, const std::string* parent);
  void ReadKpi(const YamlNode& node, const std::string& goal);
  void ReadAction(const YamlNode& node, const std::string& goal);
  void ReadExperiment(const YamlNode& node, const std::string& goal);
  void ReadArm(const Entity& experiment, std::string_view key, Arm& out);
  void ReadFunnel(const YamlNode& node);
  void ReadCycle(const YamlNode& node);
  void ReadVersion(const YamlNode& node, int line);
  void ReadCheckinsCsv(const YamlNode& node, int line);

  const std::string& file_;
  ParsedPlan& out_;
  int checkin_count_ = 0;
  int spend_count_ = 0;
  int comment_count_ = 0;
  int review_count_ = 0;
};

std::optional<Entity> PlanReader::Open(const YamlNode& node, std::string_view kind,
                                       std::string_view section,
                                       std::span<const std::string_view> allowed,
                                       bool id_required) {
  if (node.type != Type::kMap) {
    AddError(node.line,
             "each entry of '" + std::string(section) + "' must be a mapping of fields (" +
                 Join(allowed.first(std::min<size_t>(3, allowed.size()))) + ", …), not " +
                 Describe(node),
             kind);
    return std::nullopt;
  }
  Entity e;
  e.kind = kind;
  e.line = node.line;
  if (id_required) {
    // The id names the entity in every other message, so it is read first.
    for (size_t i = 0; i + 1 < node.items.size(); i += 2) {
      const YamlNode& key = node.items[i];
      const YamlNode& value = node.items[i + 1];
      if (key.type == Type::kScalar && key.text == "id" && value.type == Type::kScalar) {
        e.id = value.text;
        break;
      }
    }
    e.label =
        e.id.empty() ? std::string(kind) + " with no id" : std::string(kind) + " " + Quoted(e.id);
  }
  CollectFields(node, e, allowed);
  if (id_required && e.id.empty()) {
    const YamlNode* id = Value(e, "id");
    if (id) {
      Fail(e, "id", LineOf(e, "id"), "id must be text, not " + Describe(*id));
    } else {
      AddError(e.line, std::string(kind) + ": missing required field 'id'", kind, "", "id");
    }
  }
  if (!e.id.empty()) {
    out_.lines.Add(e.kind, e.id, "", e.line);
    for (const Entity::Field& f : e.fields) out_.lines.Add(e.kind, e.id, f.key, f.line);
  }
  return e;
}

void PlanReader::CollectFields(const YamlNode& node, Entity& e,
                               std::span<const std::string_view> allowed) {
  for (size_t i = 0; i + 1 < node.items.size(); i += 2) {
    const YamlNode& key = node.items[i];
    if (key.type != Type::kScalar) {
      Fail(e, "", key.line, "a field name must be text, not " + Describe(key));
      continue;
    }
    if (const Entity::Field* first = e.Find(key.text)) {
      Fail(e, key.text, key.line,
           "field " + Quoted(key.text) + " is given twice (first on line " +
               std::to_string(first->line) + ")");
      continue;
    }
    if (std::find(allowed.begin(), allowed.end(), key.text) == allowed.end()) {
      Fail(e, key.text, key.line,
           "unknown field " + Quoted(key.text) + "; allowed: " + Join(allowed));
      continue;
    }
    e.fields.push_back({key.text, key.line, &node.items[i + 1]});
  }
}

std::optional<std::string_view> PlanReader::Scalar(const Entity& e, std::string_view key,
                                                   std::string_view expected) {
  const YamlNode* v = Value(e, key);
  if (!v) return std::nullopt;
  if (v->type != Type::kScalar) {
    Fail(e, key, LineOf(e, key),
         std::string(key) + " must be " + std::string(expected) + ", not " + Describe(*v));
    return std::nullopt;
  }
  return v->text;
}

void PlanReader::Text(const Entity& e, std::string_view key, std::string& out) {
  if (auto s = Scalar(e, key, "text")) out = *s;
}

bool PlanReader::Number(const Entity& e, std::string_view key, double& out) {
  auto s = Scalar(e, key, "a number");
  if (!s) return false;
  switch (ParseNumber(*s, out)) {
    case NumberProblem::kNone:
      return true;
    case NumberProblem::kNotANumber:
      Fail(e, key, LineOf(e, key), std::string(key) + " must be a number, not " + Quoted(*s));
      return false;
    case NumberProblem::kNotFinite:
      Fail(e, key, LineOf(e, key),
           std::string(key) + " must be a finite number, not " + Quoted(*s));
      return false;
  }
  return false;
}

void PlanReader::Target(const Entity& e, Kpi& k) {
  // A signed percent ("+10%", "-5%") is relative to the baseline: kept as written, resolved once
  // the baseline is read.
  const YamlNode* v = Value(e, "target");
  if (v && v->type == Type::kScalar && !v->text.empty() && v->text.back() == '%' &&
      (v->text.front() == '+' || v->text.front() == '-')) {
    if (!ParseRelativeTarget(v->text)) {
      Fail(e, "target", LineOf(e, "target"),
           "target " + Quoted(v->text) +
               " is not a number or a target relative to the baseline; write a number or a "
               "signed percent such as +10% or -5%");
      return;
    }
    k.target_written = v->text;
    return;
  }
  Number(e, "target", k.target);
}

void PlanReader::OptionalNumber(const Entity& e, std::string_view key, std::optional<double>& out) {
  double v = 0;
  if (Number(e, key, v)) out = v;
}

template <typename Int>
void PlanReader::WholeNumber(const Entity& e, std::string_view key, Int& out) {
  double v = 0;
  if (!Number(e, key, v)) return;
  // Beyond ±2^53 a double no longer holds every whole number; no count here gets near that.
  constexpr double kLimit = 9007199254740992.0;
  const double limit = std::min(kLimit, static_cast<double>(std::numeric_limits<Int>::max()));
  if (v != std::trunc(v) || std::fabs(v) > limit) {
    Fail(e, key, LineOf(e, key),
         std::string(key) + " must be a whole number, not " + Quoted(Value(e, key)->text));
    return;
  }
  out = static_cast<Int>(v);
}

void PlanReader::DateField(const Entity& e, std::string_view key, std::optional<Date>& out) {
  auto s = Scalar(e, key, "a date (YYYY-MM-DD)");
  if (!s) return;
  if (auto d = Date::Parse(*s)) {
    out = d;
  } else if (LooksLikeIsoDate(*s)) {
    Fail(e, key, LineOf(e, key), std::string(key) + " " + Quoted(*s) + " is not a real day");
  } else {
    Fail(e, key, LineOf(e, key),
         std::string(key) + " must be a date written YYYY-MM-DD, not " + Quoted(*s));
  }
}

void PlanReader::Bool(const Entity& e, std::string_view key, bool& out) {
  auto s = Scalar(e, key, "true or false");
  if (!s) return;
  const std::string l = Lower(*s);
  if (l == "true" || l == "yes" || l == "on") {
    out = true;
  } else if (l == "false" || l == "no" || l == "off") {
    out = false;
  } else {
    Fail(e, key, LineOf(e, key), std::string(key) + " must be true or false, not " + Quoted(*s));
  }
}

template <typename E>
bool PlanReader::Enum(const Entity& e, std::string_view key, E& out,
                      std::optional<E> (*parse)(std::string_view), std::string_view allowed) {
  auto s = Scalar(e, key, std::string("one of: ") + std::string(allowed));
  if (!s) return false;
  if (auto v = parse(*s)) {
    out = *v;
    return true;
  }
  Fail(e, key, LineOf(e, key),
       std::string(key) + " " + Quoted(*s) + " is not one of: " + std::string(allowed));
  return false;
}

std::span<const YamlNode> PlanReader::List(const Entity& e, std::string_view key) {
  const YamlNode* v = Value(e, key);
  if (!v) return {};
  if (v->type != Type::kSequence) {
    Fail(e, key, LineOf(e, key),
         std::string(key) + " must be a list (items starting with '- ', or [a, b]), not " +
             Describe(*v));
    return {};
  }
  return v->items;
}

void PlanReader::TextList(const Entity& e, std::string_view key, std::vector<std::string>& out) {
  for (const YamlNode& item : List(e, key)) {
    if (item.type == Type::kScalar) {
      out.push_back(item.text);
    } else {
      Fail(e, key, item.line, std::string(key) + " must hold text items, not " + Describe(item));
    }
  }
}

void PlanReader::CheckImplied(const Entity& e, std::string_view field, const std::string& implied,
                              std::string_view implied_kind) {
  std::string written;
  Text(e, field, written);
  if (!Value(e, field) || written == implied) return;
  Fail(e, field, LineOf(e, field),
       std::string(field) + " " + Quoted(written) + " contradicts its place under " +
           std::string(implied_kind) + " " + Quoted(implied) + "; remove '" + std::string(field) +
           "' or move it");
}

// ---------------------------------------------------------------------------------------------
// Entities.

void PlanReader::ReadTeam(const YamlNode& node) {
  auto e = Open(node, "team", "teams", kTeamKeys, true);
  if (!e) return;
  Team t;
  t.id = e->id;
  Text(*e, "name", t.name);
  Text(*e, "parent", t.parent);
  out_.workspace.teams.push_back(std::move(t));
}

void PlanReader::ReadPerson(const YamlNode& node) {
  auto e = Open(node, "person", "people", kPersonKeys, true);
  if (!e) return;
  Person p;
  p.id = e->id;
  Text(*e, "name", p.name);
  Text(*e, "email", p.email);
  Text(*e, "team", p.team);
  Enum(*e, "role", p.role, ParseRole, kRoleNames);
  out_.workspace.people.push_back(std::move(p));
}

void PlanReader::ReadGoal(const YamlNode& node, const std::string* parent) {
  auto e = Open(node, "goal", parent ? "children" : "goals", kGoalKeys, true);
  if (!e) return;
  Goal g;
  g.id = e->id;
  Text(*e, "title", g.title);
  Text(*e, "description", g.description);
  if (Require(*e, "level", " (macro or micro)"))
    Enum(*e, "level", g.level, ParseLevel, kLevelNames);
  if (parent) {
    g.parent = *parent;
    CheckImplied(*e, "parent", *parent, "goal");
  } else {
    Text(*e, "parent", g.parent);
  }
  Text(*e, "owner", g.owner);
  Text(*e, "team", g.team);
  DateField(*e, "start", g.start);
  DateField(*e, "due", g.due);
  Number(*e, "weight", g.weight);
  Enum(*e, "priority", g.priority, ParsePriority, kPriorityNames);
  Number(*e, "growth_potential", g.growth_potential);
  Number(*e, "budget_min", g.budget_min);
  OptionalNumber(*e, "budget_max", g.budget_max);
  Text(*e, "channel", g.channel);
  Enum(*e, "stage", g.stage, ParseStage, kStageNames);
  Enum(*e, "state", g.state, ParseGoalState, kStateNames);
  TextList(*e, "tags", g.tags);
  TextList(*e, "contributors", g.contributors);
  TextList(*e, "supports", g.supports);
  Text(*e, "segment", g.segment);
  Text(*e, "cycle", g.cycle);
  const std::string id = g.id;
  out_.workspace.goals.push_back(std::move(g));  // parents before children

  for (const YamlNode& item : List(*e, "kpis")) ReadKpi(item, id);
  for (const YamlNode& item : List(*e, "actions")) ReadAction(item, id);
  for (const YamlNode& item : List(*e, "experiments")) ReadExperiment(item, id);
  for (const YamlNode& item : List(*e, "children")) ReadGoal(item, &id);
}

void PlanReader::ReadKpi(const YamlNode& node, const std::string& goal) {
  auto e = Open(node, "kpi", "kpis", kKpiKeys, true);
  if (!e) return;
  Kpi k;
  k.id = e->id;
  k.goal = goal;
  CheckImplied(*e, "goal", goal, "goal");
  Text(*e, "name", k.name);
  Text(*e, "unit", k.unit);
  bool kind_known = false;
  if (Require(*e, "kind", " (level, cumulative, milestone, threshold or formula)")) {
    kind_known = Enum(*e, "kind", k.kind, ParseKpiKind, kKindNames);
  }
  OptionalNumber(*e, "baseline", k.baseline);
  if (kind_known && k.kind == KpiKind::kMilestone) {
    k.target = 1;  // done = 1
    Target(*e, k);
  } else if (!kind_known || Require(*e, "target")) {
    Target(*e, k);
  }
  Enum(*e, "direction", k.direction, ParseDirection, kDirectionNames);
  Number(*e, "weight", k.weight);
  WholeNumber(*e, "cadence_days", k.cadence_days);
  Text(*e, "source", k.source);
  Text(*e, "formula", k.formula);
  Text(*e, "benchmark_for", k.benchmark_for);
  ResolveRelativeTarget(k);  // validation refuses one it cannot resolve, naming the line
  out_.workspace.kpis.push_back(std::move(k));
}

void PlanReader::ReadAction(const YamlNode& node, const std::string& goal) {
  auto e = Open(node, "action", "actions", kActionKeys, true);
  if (!e) return;
  Action a;
  a.id = e->id;
  a.goal = goal;
  CheckImplied(*e, "goal", goal, "goal");
  Text(*e, "title", a.title);
  Text(*e, "owner", a.owner);
  DateField(*e, "due", a.due);
  Bool(*e, "done", a.done);
  TextList(*e, "depends_on", a.depends_on);
  out_.workspace.actions.push_back(std::move(a));
}

void PlanReader::ReadArm(const Entity& experiment, std::string_view key, Arm& out) {
  const YamlNode* v = Value(experiment, key);
  if (!v) return;
  if (v->type != Type::kMap) {
    Fail(
        experiment, key, LineOf(experiment, key),
        std::string(key) + " must be a mapping {visitors: N, conversions: N}, not " + Describe(*v));
    return;
  }
  Entity arm;
  arm.kind = experiment.kind;
  arm.id = experiment.id;
  arm.label = experiment.label + ": " + std::string(key);
  arm.line = v->line;
  CollectFields(*v, arm, kArmKeys);
  if (!arm.id.empty()) {
    for (const Entity::Field& f : arm.fields) {
      out_.lines.Add(arm.kind, arm.id, std::string(key) + "." + std::string(f.key), f.line);
    }
  }
  if (Require(arm, "visitors")) WholeNumber(arm, "visitors", out.visitors);
  if (Require(arm, "conversions")) WholeNumber(arm, "conversions", out.conversions);
}

void PlanReader::ReadExperiment(const YamlNode& node, const std::string& goal) {
  auto e = Open(node, "experiment", "experiments", kExperimentKeys, true);
  if (!e) return;
  Experiment x;
  x.id = e->id;
  x.goal = goal;
  CheckImplied(*e, "goal", goal, "goal");
  Text(*e, "name", x.name);
  if (Require(*e, "control", " ({visitors: N, conversions: N})")) ReadArm(*e, "control", x.control);
  if (Require(*e, "variant", " ({visitors: N, conversions: N})")) ReadArm(*e, "variant", x.variant);
  out_.workspace.experiments.push_back(std::move(x));
}

void PlanReader::ReadFunnel(const YamlNode& node) {
  auto e = Open(node, "funnel", "funnels", kFunnelKeys, true);
  if (!e) return;
  Funnel f;
  f.id = e->id;
  Text(*e, "name", f.name);
  TextList(*e, "stages", f.stages);
  out_.workspace.funnels.push_back(std::move(f));
}

void PlanReader::ReadCycle(const YamlNode& node) {
  auto e = Open(node, "cycle", "cycles", kCycleKeys, true);
  if (!e) return;
  Cycle c;
  c.id = e->id;
  Text(*e, "name", c.name);
  for (const auto& [key, out] : {std::pair{"start", &c.start}, std::pair{"end", &c.end}}) {
    if (!Require(*e, key, " (YYYY-MM-DD)")) continue;
    std::optional<Date> d;
    DateField(*e, key, d);
    if (d) *out = *d;
  }
  Enum(*e, "state", c.state, ParseCycleState, "open, closed");
  out_.workspace.cycles.push_back(std::move(c));
}

void PlanReader::ReadCheckin(const YamlNode& node) {
  ++checkin_count_;
  auto e = Open(node, "checkin", "checkins", kCheckinKeys, false);
  if (!e) return;
  // A check-in has no id: messages name its date and KPI, and errors carry the KPI as their id
  // (as ValidateWorkspace's do).
  const YamlNode* kpi = Value(*e, "kpi");
  const YamlNode* date = Value(*e, "date");
  const bool dated = date && date->type == Type::kScalar;
  e->label = dated ? "check-in of " + date->text : "check-in #" + std::to_string(checkin_count_);
  if (kpi && kpi->type == Type::kScalar) {
    e->id = kpi->text;
    e->label += " for KPI " + Quoted(kpi->text);
  }
  Checkin c;
  if (Require(*e, "kpi")) Text(*e, "kpi", c.kpi);
  if (Require(*e, "date")) {
    std::optional<Date> d;
    DateField(*e, "date", d);
    if (d) c.date = *d;
  }
  if (Require(*e, "value")) Number(*e, "value", c.value);
  Text(*e, "note", c.note);
  Text(*e, "author", c.author);
  Enum(*e, "confidence", c.confidence, ParseConfidence, kConfidenceNames);
  // Only the first check-in of each KPI is located: a line per check-in would cost more memory
  // than the check-ins themselves in a million-row plan. The reader's own errors carry exact lines.
  if (!c.kpi.empty()) out_.lines.Add("checkin", c.kpi, "", e->line);
  // An author is located exactly (apply refuses one that names no person): only authored
  // check-ins cost a line each.
  if (!c.kpi.empty() && !c.author.empty()) {
    out_.lines.Add(kCheckinAuthorLines, CheckinAuthorKey(c), "", LineOf(*e, "author"));
  }
  out_.workspace.checkins.push_back(std::move(c));
}

void PlanReader::ReadSpend(const YamlNode& node) {
  ++spend_count_;
  auto e = Open(node, "spend", "spend", kSpendKeys, false);
  if (!e) return;
  // Spend has no id: messages name its date and goal, errors carry the goal as their id.
  const YamlNode* goal = Value(*e, "goal");
  const YamlNode* date = Value(*e, "date");
  const bool dated = date && date->type == Type::kScalar;
  e->label = dated ? "spend of " + date->text : "spend #" + std::to_string(spend_count_);
  if (goal && goal->type == Type::kScalar) {
    e->id = goal->text;
    e->label += " on goal " + Quoted(goal->text);
  }
  Spend s;
  if (Require(*e, "goal")) Text(*e, "goal", s.goal);
  if (Require(*e, "date")) {
    std::optional<Date> d;
    DateField(*e, "date", d);
    if (d) s.date = *d;
  }
  if (Require(*e, "amount")) Number(*e, "amount", s.amount);
  Text(*e, "note", s.note);
  Text(*e, "author", s.author);
  if (!s.goal.empty()) out_.lines.Add("spend", s.goal, "", e->line);
  if (!s.goal.empty() && !s.author.empty()) {
    out_.lines.Add(kSpendAuthorLines, SpendAuthorKey(s), "", LineOf(*e, "author"));
  }
  out_.workspace.spend.push_back(std::move(s));
}

void PlanReader::ReadComment(const YamlNode& node) {
  ++comment_count_;
  auto e = Open(node, "comment", "comments", kCommentKeys, false);
  if (!e) return;
  // A comment has no id: messages name its date and goal, errors carry the goal as their id.
  const YamlNode* goal = Value(*e, "goal");
  const YamlNode* date = Value(*e, "date");
  const bool dated = date && date->type == Type::kScalar;
  e->label = dated ? "comment of " + date->text : "comment #" + std::to_string(comment_count_);
  if (goal && goal->type == Type::kScalar) {
    e->id = goal->text;
    e->label += " on goal " + Quoted(goal->text);
  }
  Comment c;
  if (Require(*e, "goal")) Text(*e, "goal", c.goal);
  if (Require(*e, "date")) {
    std::optional<Date> d;
    DateField(*e, "date", d);
    if (d) c.date = *d;
  }
  if (Require(*e, "text")) Text(*e, "text", c.text);
  Text(*e, "author", c.author);
  Enum(*e, "kind", c.kind, ParseCommentKind, kCommentKindNames);
  if (!c.goal.empty()) out_.lines.Add("comment", c.goal, "", e->line);
  if (!c.goal.empty() && !c.author.empty()) {
    out_.lines.Add(kCommentAuthorLines, CommentAuthorKey(c), "", LineOf(*e, "author"));
  }
  out_.workspace.comments.push_back(std::move(c));
}

void PlanReader::ReadReview(const YamlNode& node) {
  ++review_count_;
  auto e = Open(node, "review", "reviews", kReviewKeys, false);
  if (!e) return;
  // A review has no id: messages name its date and team, errors carry the team as their id.
  const YamlNode* team = Value(*e, "team");
  const YamlNode* date = Value(*e, "date");
  const bool dated = date && date->type == Type::kScalar;
  e->label = dated ? "review of " + date->text : "review #" + std::to_string(review_count_);
  if (team && team->type == Type::kScalar) {
    e->id = team->text;
    e->label += " of team " + Quoted(team->text);
  }
  Review r;
  if (Require(*e, "date")) {
    std::optional<Date> d;
    DateField(*e, "date", d);
    if (d) r.date = *d;
  }
  Text(*e, "team", r.team);
  Text(*e, "notes", r.notes);
  // The snapshot is the record of the meeting as it was: its goals may since have gone.
  for (const YamlNode& item : List(*e, "snapshot")) {
    auto entry = Open(item, "review", "snapshot", kSnapshotKeys, false);
    if (!entry) continue;
    entry->id = e->id;
    entry->label = e->label + ", snapshot";
    ReviewEntry x;
    if (Require(*entry, "goal")) Text(*entry, "goal", x.goal);
    OptionalNumber(*entry, "progress", x.progress);
    GoalStatus status = GoalStatus::kUnmeasured;
    if (Require(*entry, "status") &&
        Enum(*entry, "status", status, ParseGoalStatus, kStatusNames)) {
      x.status = std::string(ToString(status));
    }
    r.snapshot.push_back(std::move(x));
  }
  out_.lines.Add("review", r.team, "", e->line);
  out_.workspace.reviews.push_back(std::move(r));
}

void PlanReader::ReadVersion(const YamlNode& node, int line) {
  double v = 0;
  if (node.type != Type::kScalar || ParseNumber(node.text, v) != NumberProblem::kNone || v != 1) {
    AddError(line, "version must be 1 (the plan format this Cascade reads), not " + Describe(node),
             "", "", "version");
  }
}

void PlanReader::ReadCheckinsCsv(const YamlNode& node, int line) {
  if (node.type == Type::kNull) return;
  if (node.type != Type::kScalar) {
    AddError(line, "checkins_csv must be a file name, not " + Describe(node), "", "",
             "checkins_csv");
    return;
  }
  std::filesystem::path csv(node.text);
  const std::filesystem::path folder = std::filesystem::path(file_).parent_path();
  if (csv.is_relative() && !folder.empty() && file_ != "-") csv = folder / csv;
  out_.checkins_csv = csv.string();
}

void PlanReader::ReadDocument(const YamlNode& root) {
  if (root.type == Type::kNull) {
    AddError(1, "the plan is empty; start it with 'version: 1' and a 'goals:' list");
    return;
  }
  if (root.type != Type::kMap) {
    AddError(root.line, "a plan must be a mapping of sections (" + Join(kTopKeys) + "), not " +
                            Describe(root));
    return;
  }
  std::vector<std::pair<std::string_view, int>> seen;
  for (size_t i = 0; i + 1 < root.items.size(); i += 2) {
    const YamlNode& key = root.items[i];
    const YamlNode& value = root.items[i + 1];
    if (key.type != Type::kScalar) {
      AddError(key.line, "a section name must be text, not " + Describe(key));
      continue;
    }
    const std::string_view name = key.text;
    auto first = std::find_if(seen.begin(), seen.end(), [&](auto& s) { return s.first == name; });
    if (first != seen.end()) {
      AddError(key.line, "section " + Quoted(name) + " is given twice (first on line " +
                             std::to_string(first->second) + "); merge them into one");
    }
    seen.emplace_back(name, key.line);

    if (std::find(std::begin(kTopKeys), std::end(kTopKeys), name) == std::end(kTopKeys)) {
      std::string hint;
      if (name == "kpis" || name == "actions" || name == "experiments") {
        hint = " (" + std::string(name) + " are written under their goal)";
      }
      AddError(key.line, "unknown section " + Quoted(name) + hint + "; allowed: " + Join(kTopKeys));
      continue;
    }
    if (name == "version") {
      ReadVersion(value, key.line);
      continue;
    }
    if (name == "checkins_csv") {
      ReadCheckinsCsv(value, key.line);
      continue;
    }
    if (value.type == Type::kNull) continue;  // an empty section
    if (value.type != Type::kSequence) {
      AddError(key.line,
               Quoted(name) + " must be a list (items starting with '- '), not " + Describe(value));
      continue;
    }
    for (const YamlNode& item : value.items) {
      if (name == "teams") ReadTeam(item);
      if (name == "people") ReadPerson(item);
      if (name == "goals") ReadGoal(item, nullptr);
      if (name == "checkins") ReadCheckin(item);  // the builder streams these; kept for safety
      if (name == "funnels") ReadFunnel(item);
      if (name == "spend") ReadSpend(item);
      if (name == "cycles") ReadCycle(item);
      if (name == "comments") ReadComment(item);
      if (name == "reviews") ReadReview(item);
    }
  }
}

int CountLines(std::string_view text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n')) +
         (text.empty() || text.back() == '\n' ? 0 : 1);
}

// The text of 1-based line `line`.
std::string_view LineText(std::string_view text, int line) {
  size_t begin = 0;
  for (int i = 1; i < line && begin != std::string_view::npos; ++i) {
    begin = text.find('\n', begin);
    if (begin != std::string_view::npos) ++begin;
  }
  if (begin == std::string_view::npos || begin > text.size()) return {};
  const size_t end = text.find('\n', begin);
  return text.substr(begin, end == std::string_view::npos ? std::string_view::npos : end - begin);
}

// A quoted scalar that is not closed. yaml-cpp accepts one: at the end of the file it ends the
// text there (`title: "unterminated` was applied, with a trailing space), and before the end it
// runs on over the following lines, swallowing their fields (a misleading "missing required field
// 'level'" followed). YAML forbids both: a quoted scalar is closed, and the lines it continues on
// are indented more than the node it belongs to. In JSON a string never spans lines.
struct OpenQuote {
  int line = 0;         // where the quote opened; 0 when every quote is closed
  bool at_end = false;  // it runs to the end of the file
};

OpenQuote FindUnclosedQuote(std::string_view text, bool json) {
  const size_t n = text.size();
  int line = 1;
  int flow = 0;          // depth of [ and { (flow collections)
  int flow_indent = 0;   // indentation of the line the outermost flow collection opened on
  int block_text = -1;   // ≥ 0: lines indented more than this are a block scalar's (| or >) text
  int indent = 0;        // of the current line
  int key_col = 0;       // column of the current line's first node after any "- " indicators
  int dash_col = -1;     // column of the last "- " indicator on the current line
  char prev = 0;         // the last character outside scalars on this line (0 at its start)
  size_t i = 0;
  bool line_start = true;
  while (i < n) {
    if (line_start) {
      line_start = false;
      size_t r = i;
      while (r < n && text[r] == ' ') ++r;
      indent = static_cast<int>(r - i);
      const bool blank = r == n || text[r] == '\n' || text[r] == '\r';
      if (block_text >= 0 && (blank || indent > block_text)) {
        const size_t eol = text.find('\n', r);
        if (eol == std::string_view::npos) break;
        i = eol + 1;
        ++line;
        line_start = true;
        continue;
      }
      block_text = -1;
      dash_col = -1;
      size_t k = r;
      while (k < n && text[k] == '-' && (k + 1 == n || text[k + 1] == ' ' || text[k + 1] == '\n')) {
        dash_col = static_cast<int>(k - i);
        ++k;
        while (k < n && text[k] == ' ') ++k;
      }
      key_col = static_cast<int>(k - i);
      prev = 0;
      i = k;
      continue;
    }
    const char c = text[i];
    if (c == '\n') {
      ++line;
      ++i;
      line_start = true;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r') {
      ++i;
      continue;
    }
    const bool spaced = i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t');
    if (c == '#' && (spaced || prev == 0)) {
      while (i < n && text[i] != '\n') ++i;
      continue;
    }
    // Where a node may start: first on the line (after any "- "), after ": ", and inside a flow
    // collection after '[', '{', ',' or ':'. Elsewhere a quote is part of plain text.
    const bool node_start = prev == 0 || (prev == ':' && spaced) ||
                            (flow > 0 && (prev == '[' || prev == '{' || prev == ',' || prev == ':'));
    // The indentation the node's continuation lines must exceed: that of its "- " when it is a
    // list item, else that of its key.
    const int node_col = prev == 0 && dash_col >= 0 ? dash_col : key_col;
    if ((c == '"' || c == '\'') && node_start) {
      const int opened = line;
      // Continuation lines must be indented more than the node the scalar belongs to.
      const int limit = flow > 0 ? flow_indent : node_col;
      size_t q = i + 1;
      for (;; ++q) {
        if (q >= n) return {opened, true};
        const char d = text[q];
        if (d == '\\' && c == '"' && q + 1 < n && text[q + 1] != '\n') {
          ++q;
        } else if (d == c) {
          if (c == '\'' && q + 1 < n && text[q + 1] == '\'') {
            ++q;  // '' is a quote inside a single-quoted scalar
          } else {
            break;
          }
        } else if (d == '\n') {
          if (json) return {opened, false};
          ++line;
          size_t r = q + 1;
          while (r < n && text[r] == ' ') ++r;
          const bool blank = r == n || text[r] == '\n' || text[r] == '\r';
          if (!blank && static_cast<int>(r - q - 1) <= limit) return {opened, false};
        }
      }
      i = q + 1;
      prev = c;
      continue;
    }
    if ((c == '|' || c == '>') && node_start && flow == 0) {
      // A block scalar header ("|", ">-", "|2" …) ends its line; its text follows, indented.
      size_t r = i + 1;
      while (r < n && (text[r] == '+' || text[r] == '-' || (text[r] >= '0' && text[r] <= '9'))) ++r;
      while (r < n && (text[r] == ' ' || text[r] == '\t' || text[r] == '\r')) ++r;
      if (r == n || text[r] == '\n' || text[r] == '#') {
        block_text = node_col;
        while (r < n && text[r] != '\n') ++r;
        i = r;
        continue;
      }
    }
    if ((c == '[' || c == '{') && (node_start || flow > 0)) {
      if (flow++ == 0) flow_indent = indent;
    } else if ((c == ']' || c == '}') && flow > 0) {
      --flow;
    }
    prev = c;
    ++i;
  }
  return {};
}

// "YAML syntax error at column 12: …" (JSON for a JSON plan); `column` is 1-based.
std::string SyntaxMessage(const std::string& yaml_message, std::string_view line_text, int column,
                          bool json) {
  std::string hint;
  const size_t indent_end = line_text.find_first_not_of(" \t");
  if (line_text.substr(0, indent_end).find('\t') != std::string_view::npos) {
    hint = " (indent with spaces: YAML does not allow tabs there)";
  } else if (yaml_message == "illegal map value") {
    hint = " (a value holding ': ' must be quoted)";
  } else if (yaml_message.find("flow not found") != std::string::npos) {
    hint = " (a '{' or '[' is not closed)";
  }
  return std::string(json ? "JSON" : "YAML") + " syntax error at column " + std::to_string(column) +
         ": " + yaml_message + hint;
}

}  // namespace

ParsedPlan ParsePlan(std::string_view text, const std::string& file_name) {
  ParsedPlan plan;
  PlanReader reader(file_name, plan);
  TreeBuilder builder([&reader](const YamlNode& item) { reader.ReadCheckin(item); });

  const bool json = LooksLikeJson(text);
  if (const OpenQuote open = FindUnclosedQuote(text, json); open.line > 0) {
    ParsedPlan failed;
    PlanReader failed_reader(file_name, failed);
    failed_reader.AddError(
        open.line,
        json ? "the string that opens on this line is not closed; a JSON string ends with '\"' on "
               "the line it starts"
        : open.at_end
            ? "the quote that opens on this line is never closed; end the text with the same "
              "quote"
            : "the quote that opens on this line is not closed before the next field; end the "
              "text with the same quote (a text running on over lines indents them further)");
    return failed;
  }
  if (json && !nlohmann::json::accept(text)) {
    // YAML reads more than JSON allows (",," is an empty value to it): a JSON plan is held to
    // JSON, and its error names the line and column.
    ParsedPlan failed;
    PlanReader failed_reader(file_name, failed);
    try {
      [[maybe_unused]] const nlohmann::json parsed = nlohmann::json::parse(text);
    } catch (const nlohmann::json::out_of_range& e) {
      // Well-formed, but a number no double holds (1e812): nlohmann names the number, not where
      // it is, so its line is found by the number's text.
      const std::string_view what = e.what();
      const size_t open = what.find('\'');
      const size_t close = what.rfind('\'');
      const std::string_view number =
          open < close ? what.substr(open + 1, close - open - 1) : std::string_view();
      const size_t at = number.empty() ? std::string_view::npos : text.find(number);
      const int line =
          at == std::string_view::npos
              ? 1
              : static_cast<int>(std::count(text.begin(), text.begin() + at, '\n')) + 1;
      failed_reader.AddError(line, "the number " + std::string(number) +
                                       " is too large to read; numbers must be " +
                                       EntryValueRangeText());
    } catch (const nlohmann::json::parse_error& e) {
      const std::string_view read = text.substr(0, std::min(e.byte, text.size()));
      const size_t line_start = read.rfind('\n');
      const int line = static_cast<int>(std::count(read.begin(), read.end(), '\n')) + 1;
      const size_t column =
          read.size() - (line_start == std::string_view::npos ? 0 : line_start + 1);
      std::string_view what = e.what();
      const size_t detail = what.find(": ");
      what = detail == std::string_view::npos ? what : what.substr(detail + 2);
      failed_reader.AddError(line, "JSON syntax error at column " +
                                       std::to_string(std::max<size_t>(column, 1)) + ": " +
                                       std::string(what));
    }
    return failed;
  }
  const bool fix_json = json && text.find("\\u") != std::string_view::npos;
  std::istringstream in(fix_json ? JoinSurrogatePairs(text) : std::string(text));
  try {
    YAML::Parser parser(in);
    parser.HandleNextDocument(builder);
    DocumentCounter next;
    if (parser.HandleNextDocument(next)) {
      reader.AddError(next.line,
                      "a plan is one YAML document; remove the second '---' and what "
                      "follows, or merge it into the first");
    }
  } catch (const YAML::Exception& e) {
    // What was read before the syntax error cannot be trusted; report only the error.
    ParsedPlan failed;
    PlanReader failed_reader(file_name, failed);
    const int line = std::clamp(e.mark.line + 1, 1, std::max(1, CountLines(text)));
    failed_reader.AddError(line, SyntaxMessage(e.msg, LineText(text, line),
                                               std::max(1, e.mark.column + 1), json));
    return failed;
  }
  reader.ReadDocument(builder.root() ? *builder.root() : YamlNode{});
  std::stable_sort(plan.errors.begin(), plan.errors.end(),
                   [](const Error& a, const Error& b) { return a.line < b.line; });
  return plan;
}

void LocateErrors(Errors& errors, const ParsedPlan& plan, const std::string& file_name) {
  for (Error& e : errors) {
    if (e.line == 0) e.line = plan.lines.Line(e.kind, e.id, e.field);
    // An error about an entity the plan does not hold (one kept from the workspace) is not
    // pinned on the plan file.
    if (e.line > 0 && e.file.empty()) e.file = file_name;
  }
}

}  // namespace cascade
