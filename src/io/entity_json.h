// The JSON form of every entity (spec §1), with the field names of plan files (spec §3): what
// history rows store and what `--json` output and the HTTP API carry.
//
// Rules, the same for every kind: an absent optional (a date, `budget_max`, `baseline`) and an
// empty reference (`parent`, `owner`, `team`, a check-in's `author`) are null; an enum with no
// value
// (`stage`, `direction`) is null; free text (`description`, `channel`, `note`, …) is a string, ""
// when empty; dates are "YYYY-MM-DD". Entities carry their `version`, appended records their `seq`.
#pragma once

#include <nlohmann/json.hpp>

#include "core/changeset.h"
#include "core/model.h"

namespace cascade {

nlohmann::json ToJson(const Team& team);
nlohmann::json ToJson(const Person& person);
nlohmann::json ToJson(const Goal& goal);  // `tags` is an array, [] when there are none
nlohmann::json ToJson(const Kpi& kpi);
nlohmann::json ToJson(const Checkin& checkin);  // `confidence` null when none
nlohmann::json ToJson(const Action& action);  // `depends_on` is an array of action ids
nlohmann::json ToJson(const Funnel& funnel);  // `stages` is an array of KPI ids, top first
nlohmann::json ToJson(
    const Experiment& experiment);  // `control`/`variant`: {visitors, conversions}
nlohmann::json ToJson(const Cycle& cycle);      // `state`: open or closed
nlohmann::json ToJson(const Comment& comment);  // `kind`: comment, lesson or decision
nlohmann::json ToJson(const Spend& spend);
nlohmann::json ToJson(const ReviewEntry& entry);  // {goal, progress, status}
nlohmann::json ToJson(const Review& review);      // `snapshot` is an array of entries

// The JSON of whichever entity `entity` holds.
nlohmann::json EntityToJson(const Entity& entity);

}  // namespace cascade
