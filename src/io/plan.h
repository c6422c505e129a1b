// Plan files (spec §3): goals as code. Reads YAML or JSON into a Workspace, remembering the line of
// every entity and field so errors can name it; writes a Workspace back as a plan that, applied,
// changes nothing.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <tuple>

#include "core/error.h"
#include "core/model.h"

namespace cascade {

// Where each entity and field of a plan was written.
class PlanSourceMap {
 public:
  void Add(std::string_view kind, std::string_view id, std::string_view field, int line);
  // The field's line, else the entity's line (field ""), else 0.
  int Line(std::string_view kind, std::string_view id, std::string_view field) const;
  // Whether the plan wrote this field of this entity (a field left out reads as its default).
  bool Has(std::string_view kind, std::string_view id, std::string_view field) const;

 private:
  std::map<std::tuple<std::string, std::string, std::string>, int, std::less<>> lines_;
};

struct ParsedPlan {
  Workspace workspace;       // the plan's entities; check-ins with seq 0
  PlanSourceMap lines;
  std::string checkins_csv;  // `checkins_csv:` resolved against the plan's folder, or ""
  Errors errors;             // every problem found while reading, each with file and line
};

// Parses a plan. `file_name` is used in errors and to resolve `checkins_csv`. Reports unknown
// keys, wrong types, malformed dates and numbers, missing ids, bad enum values — all of them, not
// just the first. Does not check references or the rules of ValidateWorkspace.
ParsedPlan ParsePlan(std::string_view text, const std::string& file_name);

// Sets file and line on errors from ValidateWorkspace, using their kind/id/field.
void LocateErrors(Errors& errors, const ParsedPlan& plan, const std::string& file_name);

// ParsedPlan::lines holds the line of the `author` of each check-in that names one under this
// kind and CheckinAuthorKey(checkin) (field ""), so a refusal of the author names its line.
inline constexpr std::string_view kCheckinAuthorLines = "checkin author";
inline std::string CheckinAuthorKey(const Checkin& c) {
  return c.kpi + '\n' + c.date.ToString() + '\n' + c.author;
}
// The same for spend records' authors.
inline constexpr std::string_view kSpendAuthorLines = "spend author";
inline std::string SpendAuthorKey(const Spend& s) {
  return s.goal + '\n' + s.date.ToString() + '\n' + s.author;
}
// And comments' authors.
inline constexpr std::string_view kCommentAuthorLines = "comment author";
inline std::string CommentAuthorKey(const Comment& c) {
  return c.goal + '\n' + c.date.ToString() + '\n' + c.author;
}

// The workspace as a plan: teams, people, goals nested under their parents with their KPIs,
// actions and experiments, check-ins, funnels, spend, comments and recorded reviews. Optional
// fields at their default are left out.
std::string WritePlanYaml(const Workspace& ws);
std::string WritePlanJson(const Workspace& ws);

}  // namespace cascade
