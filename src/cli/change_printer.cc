#include "cli/change_printer.h"

#include <iostream>

#include <fmt/format.h>

#include "cli/terminal_text.h"
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
  if (v.is_string()) return Visible(v.get<std::string>());
  return TerminalJson(v, -1);
}

// Corrections of stored check-ins and comments: {op, kind, seq, fields} like entity changes.
template <typename T>
void AddRecordChanges(json& list, const std::vector<RecordChange<T>>& changes, const char* kind) {
  for (const RecordChange<T>& c : changes) {
    json item = {{"op", ToString(c.op)}, {"kind", kind}, {"seq", c.before.seq}};
    if (c.after) item["fields"] = ChangedFields(ToJson(c.before), ToJson(*c.after));
    list.push_back(std::move(item));
  }
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
  json out = {{"changes", std::move(list)},
              {"checkins_added", changes.checkins.size()},
              {"comments_added", changes.comments.size()},
              {"reviews_added", changes.reviews.size()},
              {"spend_added", changes.spend.size()}};
  if (!changes.checkin_changes.empty() || !changes.comment_changes.empty() ||
      !changes.spend_changes.empty()) {
    json records = json::array();
    AddRecordChanges(records, changes.checkin_changes, "checkin");
    AddRecordChanges(records, changes.comment_changes, "comment");
    AddRecordChanges(records, changes.spend_changes, "spend");
    out["records"] = std::move(records);
  }
  return out;
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
  auto records = [&out](const auto& list, const char* kind) {
    for (const auto& c : list) {
      out += (c.after ? "~ " : "- ") + std::string(kind) + " #" + std::to_string(c.before.seq);
      if (c.after) {
        const json fields = ChangedFields(ToJson(c.before), ToJson(*c.after));
        std::string sep = ": ";
        for (const auto& [key, diff] : fields.items()) {
          out += sep + key + " " + Show(diff["before"]) + " → " + Show(diff["after"]);
          sep = ", ";
        }
      }
      out += "\n";
    }
  };
  records(changes.checkin_changes, "check-in");
  records(changes.comment_changes, "comment");
  records(changes.spend_changes, "spend");
  auto count = [&out](size_t n, const char* one, const char* many) {
    if (n > 0) out += "+ " + std::to_string(n) + " " + (n == 1 ? one : many) + "\n";
  };
  count(changes.checkins.size(), "check-in", "check-ins");
  count(changes.comments.size(), "comment", "comments");
  count(changes.reviews.size(), "review", "reviews");
  for (const Spend& s : changes.spend) {
    out += fmt::format("+ spend #{} on goal {}: {} on {}\n", s.seq, s.goal, s.amount,
                       s.date.ToString());
  }
  return out;
}

int ReportWrite(Context& ctx, const Result<ChangeSet>& changes) {
  if (!changes) return ctx.Fail(changes.error());
  if (ctx.json) {
    std::cout << TerminalJson(ChangesToJson(*changes)) << "\n";
  } else {
    std::cout << RenderChanges(*changes);
  }
  return kExitOk;
}

}  // namespace cascade
