// What the database-neutral SQL layer (store/sql/) asks of a backend's prepared statement and
// connection, as concepts: the SQLite backend's sqlite::Statement and sqlite::Database satisfy
// them today, a PostgreSQL backend's will. Templates over these, not virtual calls, so that a load
// of a million rows costs what the backend's own loop would.
#pragma once

#include <concepts>
#include <cstdint>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>

#include "core/date.h"
#include "core/error.h"

namespace cascade::sql {

// A prepared statement: parameters bound by position (1-based, `?` in the SQL text), a row's
// columns read in place (0-based), stepped row by row.
template <typename S>
concept Statement = requires(S s, const S cs, int i, std::string_view text, double d, int64_t n,
                             Date date, std::optional<double> maybe, std::optional<Date> day) {
  s.BindNull(i);
  s.BindText(i, text);
  s.BindRef(i, text);  // "" binds NULL: an absent reference
  s.BindDouble(i, d);
  s.BindDouble(i, maybe);
  s.BindInt64(i, n);
  s.BindDate(i, date);
  s.BindDate(i, day);
  { s.Step() } -> std::same_as<Result<bool>>;
  { s.Run() } -> std::same_as<Result<void>>;
  s.Reset();
  { cs.IsNull(i) } -> std::same_as<bool>;
  { cs.Text(i) } -> std::convertible_to<std::string_view>;
  { cs.Double(i) } -> std::same_as<double>;
  { cs.Int64(i) } -> std::same_as<int64_t>;
  { cs.changes() } -> std::same_as<int64_t>;
};

// A connection that prepares statements from SQL text with `?` placeholders.
template <typename C>
concept Connection =
    requires(C c, std::string_view sql) { c.Prepare(sql); } &&
    Statement<std::remove_cvref_t<decltype(*std::declval<C&>().Prepare(std::string_view{}))>>;

}  // namespace cascade::sql
