// Reading the history table, the same in every database: the entries of one entity or all, and
// those after a seq without their before/after (what the event stream tells its subscribers).
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/history.h"
#include "store/sql/statement.h"

namespace cascade::sql {

// The rows of a statement selecting seq, at, actor, kind, entity, op and, with `bodies`, before
// and after, in its order.
template <Statement S>
Result<std::vector<HistoryEntry>> ReadHistoryRows(S& stmt, bool bodies) {
  std::vector<HistoryEntry> out;
  while (true) {
    auto row = stmt.Step();
    if (!row) return row.error();
    if (!*row) return out;
    HistoryEntry& h = out.emplace_back();
    h.seq = stmt.Int64(0);
    h.at = stmt.Text(1);
    h.actor = stmt.Text(2);
    h.kind = stmt.Text(3);
    h.entity = stmt.Text(4);
    h.op = stmt.Text(5);
    if (bodies) {
      h.before = stmt.Text(6);
      h.after = stmt.Text(7);
    }
  }
}

// History, oldest first; only the entries about `entity_id` when it is not empty.
template <Connection Db>
Result<std::vector<HistoryEntry>> ReadHistory(Db& db, const std::string& entity_id) {
  auto stmt = db.Prepare(entity_id.empty()
                             ? R"(SELECT seq, at, actor, kind, entity, op, "before", "after"
                                  FROM history ORDER BY seq)"
                             : R"(SELECT seq, at, actor, kind, entity, op, "before", "after"
                                  FROM history WHERE entity = ? ORDER BY seq)");
  if (!stmt) return stmt.error();
  if (!entity_id.empty()) stmt->BindText(1, entity_id);
  return ReadHistoryRows(*stmt, /*bodies=*/true);
}

// The entries with seq > after_seq, oldest first, at most `limit`, without before/after.
template <Connection Db>
Result<std::vector<HistoryEntry>> ReadHistorySince(Db& db, int64_t after_seq, size_t limit) {
  auto stmt = db.Prepare(
      "SELECT seq, at, actor, kind, entity, op FROM history WHERE seq > ? ORDER BY seq LIMIT ?");
  if (!stmt) return stmt.error();
  stmt->BindInt64(1, after_seq);
  stmt->BindInt64(2, static_cast<int64_t>(std::min<size_t>(limit, INT64_MAX)));
  return ReadHistoryRows(*stmt, /*bodies=*/false);
}

}  // namespace cascade::sql
