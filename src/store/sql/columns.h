// How the entities' values that are not plain numbers and text are stored, the same in every
// database: lists and a review's snapshot as JSON text, dates as ISO text, ids quoted in messages.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/date.h"
#include "core/model.h"
#include "store/sql/statement.h"

namespace cascade::sql {

// 'id', as messages name a stored record.
std::string QuoteId(std::string_view id);
// JSON text for a stored column or history row. Text entered today is valid UTF-8 (validation
// refuses the rest), but a database written by an older cascade may hold other bytes: they become
// U+FFFD here rather than an exception in the middle of a write.
std::string Dump(const nlohmann::json& j);

// Lists stored as JSON arrays of strings. Parse* return false on text that is not such a list.
std::string StringArrayText(const std::vector<std::string>& items);
bool ParseStringArray(std::string_view text, std::vector<std::string>& out);
// A review's snapshot as a JSON array of {goal, progress, status}.
std::string SnapshotText(const std::vector<ReviewEntry>& snapshot);
bool ParseSnapshot(std::string_view text, std::vector<ReviewEntry>& out);

// A date column: nullopt when NULL or not a date (IsNull tells which).
template <Statement S>
std::optional<Date> DateColumn(const S& s, int col) {
  if (s.IsNull(col)) return std::nullopt;
  return Date::Parse(s.Text(col));
}

}  // namespace cascade::sql
