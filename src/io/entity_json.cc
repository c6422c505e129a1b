#include "io/entity_json.h"

#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace cascade {
namespace {

using nlohmann::json;

json RefOrNull(const std::string& id) { return id.empty() ? json(nullptr) : json(id); }
json EnumOrNull(std::string_view name) {
  return name.empty() ? json(nullptr) : json(std::string(name));
}
json DateOrNull(const std::optional<Date>& d) { return d ? json(d->ToString()) : json(nullptr); }
json NumberOrNull(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }
json Text(std::string_view s) { return json(std::string(s)); }
json ToJson(const Arm& arm) {
  return {{"visitors", arm.visitors}, {"conversions", arm.conversions}};
}

}  // namespace

json ToJson(const Team& t) {
  return {{"id", t.id}, {"name", t.name}, {"parent", RefOrNull(t.parent)}, {"version", t.version}};
}

json ToJson(const Person& p) {
  return {{"id", p.id},
          {"name", p.name},
          {"email", p.email},
          {"team", RefOrNull(p.team)},
          {"role", Text(ToString(p.role))},
          {"version", p.version}};
}

json ToJson(const Goal& g) {
  return {{"id", g.id},
          {"title", g.title},
          {"description", g.description},
          {"level", Text(ToString(g.level))},
          {"parent", RefOrNull(g.parent)},
          {"owner", RefOrNull(g.owner)},
          {"contributors", g.contributors},
          {"team", RefOrNull(g.team)},
          {"cycle", RefOrNull(g.cycle)},
          {"start", DateOrNull(g.start)},
          {"due", DateOrNull(g.due)},
          {"weight", g.weight},
          {"priority", Text(ToString(g.priority))},
          {"growth_potential", g.growth_potential},
          {"budget_min", g.budget_min},
          {"budget_max", NumberOrNull(g.budget_max)},
          {"channel", g.channel},
          {"segment", g.segment},
          {"stage", EnumOrNull(ToString(g.stage))},
          {"state", Text(ToString(g.state))},
          {"tags", g.tags},
          {"supports", g.supports},
          {"version", g.version}};
}

json ToJson(const Kpi& k) {
  return {{"id", k.id},
          {"goal", RefOrNull(k.goal)},
          {"name", k.name},
          {"unit", k.unit},
          {"kind", Text(ToString(k.kind))},
          {"baseline", NumberOrNull(k.baseline)},
          {"target", k.target},
          {"direction", EnumOrNull(ToString(k.direction))},
          {"weight", k.weight},
          {"cadence_days", k.cadence_days},
          {"source", k.source},
          {"target_written", RefOrNull(k.target_written)},
          {"formula", RefOrNull(k.formula)},
          {"benchmark_for", RefOrNull(k.benchmark_for)},
          {"version", k.version}};
}

json ToJson(const Checkin& c) {
  return {{"kpi", RefOrNull(c.kpi)}, {"date", c.date.ToString()},     {"value", c.value},
          {"note", c.note},          {"author", RefOrNull(c.author)}, {"seq", c.seq},
          {"confidence", EnumOrNull(ToString(c.confidence))}};
}

json ToJson(const Action& a) {
  return {{"id", a.id},
          {"goal", RefOrNull(a.goal)},
          {"title", a.title},
          {"owner", RefOrNull(a.owner)},
          {"due", DateOrNull(a.due)},
          {"done", a.done},
          {"depends_on", a.depends_on},
          {"version", a.version}};
}

json ToJson(const Funnel& f) {
  return {{"id", f.id}, {"name", f.name}, {"stages", f.stages}, {"version", f.version}};
}

json ToJson(const Experiment& e) {
  return {{"id", e.id},
          {"goal", RefOrNull(e.goal)},
          {"name", e.name},
          {"control", ToJson(e.control)},
          {"variant", ToJson(e.variant)},
          {"version", e.version}};
}

json ToJson(const Cycle& c) {
  return {{"id", c.id},
          {"name", c.name},
          {"start", c.start.ToString()},
          {"end", c.end.ToString()},
          {"state", Text(ToString(c.state))},
          {"version", c.version}};
}

json ToJson(const Comment& c) {
  return {{"seq", c.seq},
          {"goal", RefOrNull(c.goal)},
          {"author", RefOrNull(c.author)},
          {"date", c.date.ToString()},
          {"text", c.text},
          {"kind", Text(ToString(c.kind))}};
}

json ToJson(const Spend& s) {
  return {{"seq", s.seq},
          {"goal", RefOrNull(s.goal)},
          {"date", s.date.ToString()},
          {"amount", s.amount},
          {"note", s.note},
          {"author", RefOrNull(s.author)}};
}

json ToJson(const ReviewEntry& e) {
  return {
      {"goal", RefOrNull(e.goal)}, {"progress", NumberOrNull(e.progress)}, {"status", e.status}};
}

json ToJson(const Review& r) {
  json snapshot = json::array();
  for (const ReviewEntry& e : r.snapshot) snapshot.push_back(ToJson(e));
  return {{"seq", r.seq},
          {"date", r.date.ToString()},
          {"team", RefOrNull(r.team)},
          {"notes", r.notes},
          {"snapshot", std::move(snapshot)}};
}

json EntityToJson(const Entity& entity) {
  return std::visit([](const auto& e) { return ToJson(e); }, entity);
}

}  // namespace cascade
