#include "io/entity_from_json.h"

#include <cmath>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "core/validate.h"

namespace cascade {
namespace {

using nlohmann::json;

const char* TypeName(const json& v) {
  switch (v.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::string:
      return "a string";
    case json::value_t::array:
      return "an array";
    case json::value_t::object:
      return "an object";
    default:
      return "a number";
  }
}

// Reads the fields of one JSON object into an entity, stopping at the first problem, which it
// keeps as an Error naming the entity and the field.
class FieldReader {
 public:
  FieldReader(const json& body, std::string kind, std::string id)
      : body_(body), kind_(std::move(kind)), id_(std::move(id)) {}

  // Refuses a body that is not an object or has a field not in `allowed`.
  bool Only(std::initializer_list<std::string_view> allowed) {
    if (!body_.is_object()) {
      return Fail("", std::string("the body must be a JSON object, not ") + TypeName(body_));
    }
    for (const auto& [name, value] : body_.items()) {
      bool known = false;
      for (std::string_view a : allowed) known = known || a == name;
      if (!known) {
        std::string list;
        for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        return Fail(name, "unknown field '" + name + "'; the fields are: " + list);
      }
    }
    return true;
  }

  const json* Find(std::string_view name) const {
    auto it = body_.find(name);
    return it == body_.end() ? nullptr : &*it;
  }

  bool Text(std::string_view name, std::string& out) {
    const json* v = Find(name);
    if (!v) return true;
    if (!v->is_string()) return WrongType(name, *v, "a string");
    out = v->get<std::string>();
    return true;
  }

  // A reference to another entity: a slug, or null / "" for none.
  bool Ref(std::string_view name, std::string& out) {
    const json* v = Find(name);
    if (!v) return true;
    if (v->is_null()) {
      out.clear();
      return true;
    }
    if (!v->is_string()) return WrongType(name, *v, "an id (a string) or null");
    std::string s = v->get<std::string>();
    if (!s.empty() && !IsValidId(s)) return BadId(name, s);
    out = std::move(s);
    return true;
  }

  // Free text that may be null (a check-in's author): null is "".
  bool NullableText(std::string_view name, std::string& out) {
    const json* v = Find(name);
    if (!v) return true;
    if (v->is_null()) {
      out.clear();
      return true;
    }
    if (!v->is_string()) return WrongType(name, *v, "a string or null");
    out = v->get<std::string>();
    return true;
  }

  bool Id(std::string& out) {
    const json* v = Find("id");
    if (!v) return true;
    if (!v->is_string()) return WrongType("id", *v, "an id (a string)");
    std::string s = v->get<std::string>();
    if (!IsValidId(s)) return BadId("id", s);
    out = std::move(s);
    return true;
  }

  bool ParseDate(std::string_view name, const json& v, Date& out) {
    if (!v.is_string()) return WrongType(name, v, "a date \"YYYY-MM-DD\"");
    auto d = Date::Parse(v.get<std::string>());
    if (!d) {
      return Fail(name, "'" + std::string(name) + "' must be a date YYYY-MM-DD; \"" +
                            v.get<std::string>() + "\" is not one");
    }
    if (!IsEntryDate(*d)) {
      return Fail(name, "'" + std::string(name) + "' " + d->ToString() +
                            " is outside the dates Cascade accepts; use a date from " +
                            EntryDateRangeText());
    }
    out = *d;
    return true;
  }

  bool OptionalDate(std::string_view name, std::optional<Date>& out) {
    const json* v = Find(name);
    if (!v) return true;
    if (v->is_null()) {
      out.reset();
      return true;
    }
    Date d;
    if (!ParseDate(name, *v, d)) return false;
    out = d;
    return true;
  }

  bool RequiredDate(std::string_view name, Date& out) {
    const json* v = Find(name);
    if (!v) return true;
    return ParseDate(name, *v, out);
  }

  bool Number(std::string_view name, double& out) {
    const json* v = Find(name);
    if (!v) return true;
    if (!v->is_number()) return WrongType(name, *v, "a number");
    const double d = v->get<double>();
    if (!std::isfinite(d)) return Fail(name, "'" + std::string(name) + "' must be a finite number");
    if (!IsEntryValue(d)) {
      return Fail(name, "'" + std::string(name) + "' " + v->dump() + " is out of range; '" +
                            std::string(name) + "' must be a number " + EntryValueRangeText());
    }
    out = d;
    return true;
  }

  // A KPI's target: a number, or a signed percent of the baseline ("+10%") kept as written and
  // resolved when the edit is validated (store/mutate.cc). `target_written`, as GET returns it (the
  // written form or null), restores or drops the written form, so a GET body PUT back changes
  // nothing; a number alone drops it.
  bool KpiTarget(Kpi& k) {
    if (const json* v = Find("target"); v && v->is_string()) {
      if (!RelativeTarget("target", v->get<std::string>(), k)) return false;
    } else if (v) {
      if (!Number("target", k.target)) return false;
      k.target_written.clear();
    }
    const json* w = Find("target_written");
    if (!w) return true;
    if (w->is_null()) {
      k.target_written.clear();
      return true;
    }
    if (!w->is_string()) return WrongType("target_written", *w, "a relative target such as \"+10%\" or null");
    return RelativeTarget("target_written", w->get<std::string>(), k);
  }

  bool RelativeTarget(std::string_view name, const std::string& text, Kpi& k) {
    if (!ParseRelativeTarget(text)) {
      return Fail(name, "'" + std::string(name) + "' \"" + text.substr(0, 40) +
                            "\" is not a target relative to the baseline; write a number or a "
                            "signed percent such as \"+10%\" or \"-5%\"");
    }
    k.target_written = text;
    return true;
  }

  bool OptionalNumber(std::string_view name, std::optional<double>& out) {
    const json* v = Find(name);
    if (!v) return true;
    if (v->is_null()) {
      out.reset();
      return true;
    }
    double d = 0;
    if (!Number(name, d)) return false;
    out = d;
    return true;
  }

  template <typename Int>
  bool Integer(std::string_view name, const json* v, Int& out) {
    if (!v) return true;
    if (!v->is_number_integer()) {
      if (v->is_number_float()) {
        return Fail(name, "'" + std::string(name) + "' must be a whole number");
      }
      return WrongType(name, *v, "a whole number");
    }
    if (v->is_number_unsigned()) {
      const auto u = v->get<uint64_t>();
      if (u > static_cast<uint64_t>(std::numeric_limits<Int>::max())) return TooLarge(name);
      out = static_cast<Int>(u);
      return true;
    }
    const auto i = v->get<int64_t>();
    if (i > static_cast<int64_t>(std::numeric_limits<Int>::max()) ||
        i < static_cast<int64_t>(std::numeric_limits<Int>::min())) {
      return TooLarge(name);
    }
    out = static_cast<Int>(i);
    return true;
  }
  template <typename Int>
  bool Integer(std::string_view name, Int& out) {
    return Integer(name, Find(name), out);
  }

  bool Bool(std::string_view name, bool& out) {
    const json* v = Find(name);
    if (!v) return true;
    if (!v->is_boolean()) return WrongType(name, *v, "true or false");
    out = v->get<bool>();
    return true;
  }

  // An enum spelled as the model spells it; `nullable` enums take null for "none".
  template <typename E>
  bool Enum(std::string_view name, E& out, std::optional<E> (*parse)(std::string_view),
            const char* allowed, bool nullable = false) {
    const json* v = Find(name);
    if (!v) return true;
    if (v->is_null() && nullable) {
      out = *parse("");
      return true;
    }
    if (!v->is_string()) return WrongType(name, *v, nullable ? "a string or null" : "a string");
    const std::string s = v->get<std::string>();
    auto parsed = parse(s);
    if (!parsed || (s.empty() && !nullable)) {
      return Fail(name, "'" + std::string(name) + "' \"" + s + "\" is not allowed; use one of: " +
                            allowed);
    }
    out = *parsed;
    return true;
  }

  // An array of strings; with `ids`, each must be a slug.
  bool StringList(std::string_view name, std::vector<std::string>& out, bool ids) {
    const json* v = Find(name);
    if (!v) return true;
    if (!v->is_array()) return WrongType(name, *v, ids ? "an array of ids" : "an array of strings");
    std::vector<std::string> items;
    for (size_t i = 0; i < v->size(); ++i) {
      const json& item = (*v)[i];
      const std::string field = std::string(name) + "[" + std::to_string(i) + "]";
      if (!item.is_string()) return WrongType(field, item, ids ? "an id (a string)" : "a string");
      std::string s = item.get<std::string>();
      if (ids && !IsValidId(s)) return BadId(field, s);
      items.push_back(std::move(s));
    }
    out = std::move(items);
    return true;
  }

  bool ArmField(std::string_view name, Arm& out) {
    const json* v = Find(name);
    if (!v) return true;
    if (!v->is_object()) return WrongType(name, *v, "an object {visitors, conversions}");
    for (const auto& [key, value] : v->items()) {
      if (key != "visitors" && key != "conversions") {
        return Fail(std::string(name) + "." + key,
                    "unknown field '" + key + "' in '" + std::string(name) +
                        "'; the fields are: visitors, conversions");
      }
    }
    const std::string prefix = std::string(name) + ".";
    auto visitors = v->find("visitors");
    auto conversions = v->find("conversions");
    return Integer(prefix + "visitors", visitors == v->end() ? nullptr : &*visitors,
                   out.visitors) &&
           Integer(prefix + "conversions", conversions == v->end() ? nullptr : &*conversions,
                   out.conversions);
  }

  bool Require(std::string_view name) {
    if (Find(name)) return true;
    return Fail(name, "'" + std::string(name) + "' is required");
  }

  bool Fail(std::string_view field, std::string message) {
    std::string who = kind_;
    if (!id_.empty()) who += " '" + id_ + "'";
    error_ = Error::Invalid(who + ": " + message, kind_, id_, std::string(field));
    return false;
  }

  Result<void> result() const {
    if (error_) return *error_;
    return Ok();
  }

 private:
  bool WrongType(std::string_view name, const json& v, const char* wanted) {
    return Fail(name, "'" + std::string(name) + "' must be " + wanted + ", not " + TypeName(v));
  }
  bool BadId(std::string_view name, const std::string& s) {
    return Fail(name, "'" + std::string(name) + "' \"" + s +
                          "\" is not an id; ids are 1-64 lower-case letters, digits, '-' and '_', "
                          "starting with a letter or digit");
  }
  bool TooLarge(std::string_view name) {
    return Fail(name, "'" + std::string(name) + "' is out of range");
  }

  const json& body_;
  std::string kind_;
  std::string id_;
  std::optional<Error> error_;
};

// The id the body names, for messages: the entity's own when the body has none.
std::string IdForMessages(const json& body, const std::string& current) {
  if (body.is_object()) {
    auto it = body.find("id");
    if (it != body.end() && it->is_string() && IsValidId(it->get<std::string>())) {
      return it->get<std::string>();
    }
  }
  return current;
}

bool VersionField(FieldReader& r) {
  int64_t ignored = 0;
  if (!r.Integer("version", ignored)) return false;
  if (ignored < 0) return r.Fail("version", "'version' must not be negative");
  return true;
}

}  // namespace

Result<std::optional<int64_t>> VersionFromJson(const json& body) {
  if (!body.is_object()) return std::optional<int64_t>();
  auto it = body.find("version");
  if (it == body.end()) return std::optional<int64_t>();
  FieldReader r(body, "entity", "");
  int64_t v = 0;
  if (!r.Integer("version", v)) return r.result().error();
  if (v < 0) return Error::Invalid("'version' must not be negative", "", "", "version");
  return std::optional<int64_t>(v);
}

Result<void> TeamFromJson(const json& body, Team& t) {
  FieldReader r(body, "team", IdForMessages(body, t.id));
  (void)(r.Only({"id", "name", "parent", "version"}) && r.Id(t.id) && r.Text("name", t.name) &&
         r.Ref("parent", t.parent) && VersionField(r));
  return r.result();
}

Result<void> PersonFromJson(const json& body, Person& p) {
  FieldReader r(body, "person", IdForMessages(body, p.id));
  (void)(r.Only({"id", "name", "email", "team", "role", "version"}) && r.Id(p.id) &&
         r.Text("name", p.name) && r.Text("email", p.email) && r.Ref("team", p.team) &&
         r.Enum("role", p.role, &ParseRole, "admin, lead, member, viewer") && VersionField(r));
  return r.result();
}

Result<void> GoalFromJson(const json& body, Goal& g) {
  FieldReader r(body, "goal", IdForMessages(body, g.id));
  (void)(r.Only({"id", "title", "description", "level", "parent", "owner", "team", "start", "due",
                 "weight", "priority", "growth_potential", "budget_min", "budget_max", "channel",
                 "stage", "state", "tags", "contributors", "supports", "segment", "cycle",
                 "version"}) &&
         r.Id(g.id) && r.Text("title", g.title) && r.Text("description", g.description) &&
         r.Enum("level", g.level, &ParseLevel, "macro, micro") && r.Ref("parent", g.parent) &&
         r.Ref("owner", g.owner) && r.Ref("team", g.team) && r.Ref("cycle", g.cycle) &&
         r.OptionalDate("start", g.start) &&
         r.OptionalDate("due", g.due) && r.Number("weight", g.weight) &&
         r.Enum("priority", g.priority, &ParsePriority, "high, medium, low") &&
         r.Number("growth_potential", g.growth_potential) &&
         r.Number("budget_min", g.budget_min) && r.OptionalNumber("budget_max", g.budget_max) &&
         r.Text("channel", g.channel) && r.Text("segment", g.segment) &&
         r.StringList("contributors", g.contributors, true) &&
         r.StringList("supports", g.supports, true) &&
         r.Enum("stage", g.stage, &ParseStage,
                "awareness, consideration, conversion, retention (or null)", true) &&
         r.Enum("state", g.state, &ParseGoalState, "active, draft, cancelled") &&
         r.StringList("tags", g.tags, false) && VersionField(r));
  return r.result();
}

Result<void> KpiFromJson(const json& body, Kpi& k) {
  FieldReader r(body, "kpi", IdForMessages(body, k.id));
  (void)(r.Only({"id", "goal", "name", "unit", "kind", "baseline", "target", "direction", "weight",
                 "cadence_days", "source", "target_written", "formula", "benchmark_for",
                 "version"}) &&
         r.Id(k.id) && r.Ref("goal", k.goal) && r.Text("name", k.name) &&
         r.Text("unit", k.unit) &&
         r.Enum("kind", k.kind, &ParseKpiKind,
                "level, cumulative, milestone, threshold, formula") &&
         r.OptionalNumber("baseline", k.baseline) && r.KpiTarget(k) &&
         r.Enum("direction", k.direction, &ParseDirection, "above, below (or null)", true) &&
         r.Number("weight", k.weight) && r.Integer("cadence_days", k.cadence_days) &&
         r.Text("source", k.source) && r.NullableText("formula", k.formula) &&
         r.Ref("benchmark_for", k.benchmark_for) && VersionField(r));
  return r.result();
}

Result<void> ActionFromJson(const json& body, Action& a) {
  FieldReader r(body, "action", IdForMessages(body, a.id));
  (void)(r.Only({"id", "goal", "title", "owner", "due", "done", "depends_on", "version"}) &&
         r.Id(a.id) && r.Ref("goal", a.goal) && r.Text("title", a.title) &&
         r.Ref("owner", a.owner) && r.OptionalDate("due", a.due) && r.Bool("done", a.done) &&
         r.StringList("depends_on", a.depends_on, true) && VersionField(r));
  return r.result();
}

Result<void> FunnelFromJson(const json& body, Funnel& f) {
  FieldReader r(body, "funnel", IdForMessages(body, f.id));
  (void)(r.Only({"id", "name", "stages", "version"}) && r.Id(f.id) && r.Text("name", f.name) &&
         r.StringList("stages", f.stages, true) && VersionField(r));
  return r.result();
}

Result<void> CycleFromJson(const json& body, Cycle& c) {
  FieldReader r(body, "cycle", IdForMessages(body, c.id));
  (void)(r.Only({"id", "name", "start", "end", "state", "version"}) && r.Id(c.id) &&
         r.Text("name", c.name) && r.RequiredDate("start", c.start) &&
         r.RequiredDate("end", c.end) &&
         r.Enum("state", c.state, &ParseCycleState, "open, closed") && VersionField(r));
  return r.result();
}

Result<void> ExperimentFromJson(const json& body, Experiment& e) {
  FieldReader r(body, "experiment", IdForMessages(body, e.id));
  (void)(r.Only({"id", "goal", "name", "control", "variant", "version"}) && r.Id(e.id) &&
         r.Ref("goal", e.goal) && r.Text("name", e.name) && r.ArmField("control", e.control) &&
         r.ArmField("variant", e.variant) && VersionField(r));
  return r.result();
}

Result<void> CheckinFromJson(const json& body, Checkin& c) {
  FieldReader r(body, "check-in", "");
  int64_t seq = 0;
  (void)(r.Only({"kpi", "date", "value", "note", "author", "confidence", "seq"}) &&
         r.Require("kpi") && r.Require("value") && r.Ref("kpi", c.kpi) &&
         r.RequiredDate("date", c.date) && r.Number("value", c.value) && r.Text("note", c.note) &&
         r.NullableText("author", c.author) &&
         r.Enum("confidence", c.confidence, &ParseConfidence,
                "on_track, at_risk, off_track (or null)", true) &&
         r.Integer("seq", seq));
  if (r.result().ok() && c.kpi.empty()) r.Fail("kpi", "'kpi' must name a KPI");
  return r.result();
}

Result<void> CommentFromJson(const json& body, Comment& c) {
  FieldReader r(body, "comment", "");
  int64_t seq = 0;
  (void)(r.Only({"goal", "text", "date", "author", "kind", "seq"}) && r.Require("goal") &&
         r.Require("text") && r.Ref("goal", c.goal) && r.Text("text", c.text) &&
         r.RequiredDate("date", c.date) && r.NullableText("author", c.author) &&
         r.Enum("kind", c.kind, &ParseCommentKind, "comment, lesson, decision") &&
         r.Integer("seq", seq));
  if (r.result().ok() && c.goal.empty()) r.Fail("goal", "'goal' must name a goal");
  if (r.result().ok() && c.text.empty()) r.Fail("text", "'text' must not be empty");
  return r.result();
}

Result<void> SpendFromJson(const json& body, Spend& s) {
  FieldReader r(body, "spend", "");
  int64_t seq = 0;
  (void)(r.Only({"goal", "date", "amount", "note", "author", "seq"}) && r.Require("goal") &&
         r.Require("amount") && r.Ref("goal", s.goal) && r.RequiredDate("date", s.date) &&
         r.Number("amount", s.amount) && r.Text("note", s.note) &&
         r.NullableText("author", s.author) && r.Integer("seq", seq));
  if (r.result().ok() && s.goal.empty()) r.Fail("goal", "'goal' must name a goal");
  return r.result();
}

}  // namespace cascade
