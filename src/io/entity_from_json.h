// JSON → entity, for the bodies of the HTTP API's create and update requests: the inverse of
// entity_json.h, with the same field names. Strict, because a body is typed by a program: an
// unknown field, a value of the wrong type, a malformed date, an enum value not allowed or an id
// that is not a slug is refused with an Error (kInvalid) whose `field` names the offending field.
// Rules between entities (references, cycles, due after start, …) are ValidateWorkspace's.
#pragma once

#include <cstdint>
#include <optional>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/model.h"

namespace cascade {

// Each function applies the fields present in `body` (an object) onto `out` and leaves the others
// as they are: a create starts from a default entity, a partial update (PATCH) from the stored one.
// `id` and `version` are accepted (a slug and a non-negative integer) and `id` is applied; the
// caller compares `version` with the stored one (see VersionFromJson).
Result<void> TeamFromJson(const nlohmann::json& body, Team& out);
Result<void> PersonFromJson(const nlohmann::json& body, Person& out);
Result<void> GoalFromJson(const nlohmann::json& body, Goal& out);
Result<void> KpiFromJson(const nlohmann::json& body, Kpi& out);
Result<void> ActionFromJson(const nlohmann::json& body, Action& out);
Result<void> FunnelFromJson(const nlohmann::json& body, Funnel& out);
Result<void> ExperimentFromJson(const nlohmann::json& body, Experiment& out);
// A cycle: `id`, `name`, `start`, `end` (dates), `state` (open, closed).
Result<void> CycleFromJson(const nlohmann::json& body, Cycle& out);
// A check-in: `kpi`, `value` (required), `date` (absent: left as it is), `note`, `author`,
// `confidence` (on_track, at_risk, off_track or null).
Result<void> CheckinFromJson(const nlohmann::json& body, Checkin& out);
// A comment: `goal`, `text` (required), `date`, `author`, `kind` (comment, lesson, decision).
Result<void> CommentFromJson(const nlohmann::json& body, Comment& out);
// Spend: `goal`, `amount` (required), `date` (absent: left as it is), `note`, `author`.
Result<void> SpendFromJson(const nlohmann::json& body, Spend& out);

// The `version` a body carries: nullopt when absent, an Error when it is not a non-negative integer.
Result<std::optional<int64_t>> VersionFromJson(const nlohmann::json& body);

}  // namespace cascade
