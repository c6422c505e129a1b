// The JSON of a cycle with its score and counts (spec §5 `cycle show --json`), shared by the CLI
// and the API.
#pragma once

#include <nlohmann/json.hpp>

#include "core/cycles.h"
#include "core/model.h"

namespace cascade {

// {id, name, start, end, state, score, counts, goals}: `score` null when no goal counts, `counts`
// the active goals by status (only statuses with goals, as status's summary), `goals` their number.
nlohmann::json CycleSummaryToJson(const Cycle& cycle, const CycleSummary& summary);

}  // namespace cascade
