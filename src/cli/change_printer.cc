#include "cli/change_printer.h"

#include <iostream>

#include "io/entity_json.h"

namespace cascade {
namespace {

using nlohmann::json;

// Fields whose value differs between two entity objects, `version` left out.
json ChangedFields(const json& before, const json& after) {
  json fields = json::object();
  for (const auto& [key, value] : after.items()) {
    if (key == "version") continue;
    const json old = before.contains(key) ? before.at(key) : json(nullptr);
    if (old != value) fields[key] = {{"before", old}, {"after", value}};
  }
  return fields;
}

std::string Show(const json& v) {
  if (v.is_null()) return "(none)";
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

}  // namespace

json ChangesToJson(const ChangeSet& changes) {
  json list = json::array();
  for (const EntityChange& c : changes.changes) {
    const Entity& e = c.after ? *c.after : *c.before;
    json item = {{"op", ToString(c.op)}, {"kind", EntityKindName(e)}, {"id", EntityId(e)}};
    if (c.op == EntityChange::Op::kUpdate) {
      item["fields"] = ChangedFields(EntityToJson(*c.before), EntityToJson(*c.after));
    }
    list.push_back(std::move(item));
  }
  return {{"changes", std::move(list)},
          {"checkins_added", changes.checkins.size()},
          {"comments_added", changes.comments.size()},
          {"reviews_added", changes.reviews.size()}};
}

std::string RenderChanges(const ChangeSet& changes) {
  if (changes.empty()) return "no changes\n";
  std::string out;
  for (const EntityChange& c : changes.changes) {
    const Entity& e = c.after ? *c.after : *c.before;
    const char* mark = c.op == EntityChange::Op::kCreate   ? "+ "
                       : c.op == EntityChange::Op::kUpdate ? "~ "
                                                           : "- ";
    out += mark + std::string(EntityKindName(e)) + " " + EntityId(e);
    if (c.op == EntityChange::Op::kUpdate) {
      const json fields = ChangedFields(EntityToJson(*c.before), EntityToJson(*c.after));
      std::string sep = ": ";
      for (const auto& [key, diff] : fields.items()) {
        out += sep + key + " " + Show(diff["before"]) + " → " + Show(diff["after"]);
        sep = ", ";
      }
    }
    out += "\n";
  }
  auto count = [&out](size_t n, const char* one, const char* many) {
    if (n > 0) out += "+ " + std::to_string(n) + " " + (n == 1 ? one : many) + "\n";
  };
  count(changes.checkins.size(), "check-in", "check-ins");
  count(changes.comments.size(), "comment", "comments");
  count(changes.reviews.size(), "review", "reviews");
  return out;
}

int ReportWrite(Context& ctx, const Result<ChangeSet>& changes) {
  if (!changes) return ctx.Fail(changes.error());
  if (ctx.json) {
    std::cout << ChangesToJson(*changes).dump(2) << "\n";
  } else {
    std::cout << RenderChanges(*changes);
  }
  return kExitOk;
}

}  // namespace cascade
