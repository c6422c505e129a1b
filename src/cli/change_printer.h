// Shows what a write did (or, for apply --dry-run, would do): one line per created, updated or
// deleted entity with the fields that changed, and the count of check-ins added.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "cli/context.h"
#include "core/changeset.h"

namespace cascade {

// "+ goal followers", "~ goal followers: due 2026-01-31 → 2026-02-28", "- kpi nps",
// "+ 12 check-ins"; "no changes" when empty.
std::string RenderChanges(const ChangeSet& changes);

// {"changes": [{op, kind, id, fields: {name: {before, after}}}], "checkins_added": N, …}
nlohmann::json ChangesToJson(const ChangeSet& changes);

// Prints the outcome of a write (text or --json) and returns the exit code.
int ReportWrite(Context& ctx, const Result<ChangeSet>& changes);

}  // namespace cascade
