// Reading the workspace's tables, the same in every database: each entity kind's rows in creation
// order (all of them, or the part a WITH … WHERE selects), the check-ins in the order asked, and
// the records, each row checked as it is read (a damaged one is a storage error naming it).
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.h"
#include "core/model.h"
#include "store/sql/columns.h"
#include "store/sql/statement.h"
#include "store/sql/tables.h"
#include "store/store.h"

namespace cascade::sql {

// Text parameters bound in order (1, 2, …) to a statement of a scoped load.
using TextParams = std::vector<std::string>;

template <Statement S>
void BindTexts(S& stmt, const TextParams& params) {
  for (size_t i = 0; i < params.size(); ++i) stmt.BindText(static_cast<int>(i) + 1, params[i]);
}

// Every row of T's table (`where`: "WITH … " before the SELECT and "WHERE …" after FROM, with
// `params`, for a part of it), in creation order.
template <typename T, Connection Db>
Result<void> LoadTable(Db& db, CowVector<T>& out, std::string_view with = "",
                       std::string_view where = "", const TextParams& params = {}) {
  auto stmt = with.empty() && where.empty()
                  ? db.Prepare(SelectSql<T>())
                  : db.Prepare(std::string(with) + "SELECT id, " + ColumnList<T>() +
                               ", version FROM " + std::string(Table<T>::kName) + " " +
                               std::string(where) + " ORDER BY seq");
  if (!stmt) return stmt.error();
  BindTexts(*stmt, params);
  constexpr int kVersionCol = static_cast<int>(Table<T>::kColumns.size()) + 1;
  while (true) {
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) return Ok();
    T& e = out.emplace_back();
    e.id = stmt->Text(0);
    e.version = stmt->Int64(kVersionCol);
    if (std::string_view bad = Table<T>::Read(*stmt, e); !bad.empty()) {
      return Error::Storage("the database holds a " + std::string(Table<T>::kKind) + " " +
                            QuoteId(e.id) + " whose " + std::string(bad) +
                            " cannot be read; the file may be damaged");
    }
  }
}

// The sizes of the big vectors, to reserve them up front: no reallocation, and no slack capacity
// held afterwards. For check-ins, max(seq) bounds the count (rows get seq max + 1) and is read from
// the table's b-tree without the scan count(*) needs; a bound a little high only reserves address
// space that is never touched. The first read of a load: it starts the read transaction.
struct Sizes {
  size_t goals = 0, kpis = 0, checkins = 0;
};

template <Connection Db>
Result<Sizes> ReadSizes(Db& db) {
  auto stmt = db.Prepare(
      "SELECT (SELECT count(*) FROM goals), (SELECT count(*) FROM kpis), "
      "(SELECT max(seq) FROM checkins)");
  if (!stmt) return stmt.error();
  auto row = stmt->Step();
  if (!row) return row.error();
  Sizes out;
  if (*row) {
    out.goals = static_cast<size_t>(std::max<int64_t>(0, stmt->Int64(0)));
    out.kpis = static_cast<size_t>(std::max<int64_t>(0, stmt->Int64(1)));
    out.checkins = static_cast<size_t>(std::max<int64_t>(0, stmt->Int64(2)));
  }
  return out;
}

inline Error DamagedConfidence(const Checkin& c) {
  return Error::Storage("the database holds a check-in (number " + std::to_string(c.seq) +
                        ") whose confidence cannot be read; the file may be damaged");
}

// The check-ins (`with`, `where` and `params` as for LoadTable, for a part of them).
template <Connection Db>
Result<void> LoadCheckins(Db& db, std::vector<Checkin>& out, const LoadOptions& options,
                          std::string_view with = "", std::string_view where = "",
                          const TextParams& params = {}) {
  const bool with_text = options.checkin_text;
  std::string sql =
      std::string(with) +
      (with_text ? "SELECT seq, kpi, date, value, note, author, confidence FROM checkins"
                 : "SELECT seq, kpi, date, value FROM checkins");
  if (!where.empty()) sql += " " + std::string(where);
  // By KPI: the index checkins_kpi_date_seq_value holds every column of the text-less query, in
  // this order, so SQLite scans it and never the table.
  sql += options.checkins_by_kpi ? " ORDER BY kpi, date, seq" : " ORDER BY seq";
  auto stmt = db.Prepare(sql);
  if (!stmt) return stmt.error();
  BindTexts(*stmt, params);
  // Check-ins are recorded mostly in date order, and read by KPI in date order: a run of rows with
  // the same date text is parsed once.
  std::string last_text;
  Date last_date;
  const size_t first = out.size();
  while (true) {
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) break;
    Checkin& c = out.emplace_back();
    c.seq = stmt->Int64(0);
    c.kpi = stmt->Text(1);
    if (const std::string_view text = stmt->Text(2); text != last_text) {
      auto date = Date::Parse(text);
      if (!date) {
        return Error::Storage("the database holds a check-in of KPI " + QuoteId(c.kpi) +
                              " whose date cannot be read; the file may be damaged");
      }
      last_date = *date;
      last_text.assign(text);
    }
    c.date = last_date;
    c.value = stmt->Double(3);
    if (with_text) {
      c.note = stmt->Text(4);
      c.author = stmt->Text(5);
      auto confidence = ParseConfidence(stmt->Text(6));
      if (!confidence) return DamagedConfidence(c);
      c.confidence = *confidence;
    }
  }
  if (with_text) return Ok();
  // The few check-ins that carry a confidence, from their partial index, without slowing the
  // covering scan above.
  auto judged = db.Prepare(
      "SELECT seq, confidence FROM checkins WHERE confidence IS NOT NULL ORDER BY seq");
  if (!judged) return judged.error();
  std::unordered_map<int64_t, Confidence> by_seq;
  while (true) {
    auto row = judged->Step();
    if (!row) return row.error();
    if (!*row) break;
    auto confidence = ParseConfidence(judged->Text(1));
    if (!confidence) {
      Checkin damaged;
      damaged.seq = judged->Int64(0);
      return DamagedConfidence(damaged);
    }
    by_seq.emplace(judged->Int64(0), *confidence);
  }
  if (by_seq.empty()) return Ok();
  for (size_t i = first; i < out.size(); ++i) {
    if (auto it = by_seq.find(out[i].seq); it != by_seq.end()) out[i].confidence = it->second;
  }
  return Ok();
}

// Comments in the order recorded; `where` (with `params`) picks some.
template <Connection Db>
Result<void> LoadComments(Db& db, CowVector<Comment>& out, std::string_view where = "",
                          const TextParams& params = {}) {
  auto stmt = db.Prepare("SELECT seq, goal, author, date, text, kind FROM comments " +
                         std::string(where) + " ORDER BY seq");
  if (!stmt) return stmt.error();
  BindTexts(*stmt, params);
  while (true) {
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) return Ok();
    Comment& c = out.emplace_back();
    c.seq = stmt->Int64(0);
    c.goal = stmt->Text(1);
    c.author = stmt->Text(2);
    auto date = Date::Parse(stmt->Text(3));
    if (!date) {
      return Error::Storage("the database holds a comment on goal " + QuoteId(c.goal) +
                            " whose date cannot be read; the file may be damaged");
    }
    c.date = *date;
    c.text = stmt->Text(4);
    auto kind = ParseCommentKind(stmt->Text(5));
    if (!kind) {
      return Error::Storage("the database holds a comment on goal " + QuoteId(c.goal) +
                            " whose kind cannot be read; the file may be damaged");
    }
    c.kind = *kind;
  }
}

// Spend records in the order recorded; `where` (with `params`) picks some.
template <Connection Db>
Result<void> LoadSpend(Db& db, CowVector<Spend>& out, std::string_view where = "",
                       const TextParams& params = {}) {
  auto stmt = db.Prepare("SELECT seq, goal, date, amount, note, author FROM spend " +
                         std::string(where) + " ORDER BY seq");
  if (!stmt) return stmt.error();
  BindTexts(*stmt, params);
  while (true) {
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) return Ok();
    Spend& s = out.emplace_back();
    s.seq = stmt->Int64(0);
    s.goal = stmt->Text(1);
    auto date = Date::Parse(stmt->Text(2));
    if (!date) {
      return Error::Storage("the database holds spend on goal " + QuoteId(s.goal) +
                            " whose date cannot be read; the file may be damaged");
    }
    s.date = *date;
    s.amount = stmt->Double(3);
    s.note = stmt->Text(4);
    s.author = stmt->Text(5);
  }
}

template <Connection Db>
Result<void> LoadReviews(Db& db, CowVector<Review>& out) {
  auto stmt = db.Prepare("SELECT seq, date, team, notes, snapshot FROM reviews ORDER BY seq");
  if (!stmt) return stmt.error();
  while (true) {
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) return Ok();
    Review& r = out.emplace_back();
    r.seq = stmt->Int64(0);
    auto date = Date::Parse(stmt->Text(1));
    if (!date || !ParseSnapshot(stmt->Text(4), r.snapshot)) {
      return Error::Storage("the database holds a review (number " + std::to_string(r.seq) +
                            ") that cannot be read; the file may be damaged");
    }
    r.date = *date;
    r.team = stmt->Text(2);
    r.notes = stmt->Text(3);
  }
}

}  // namespace cascade::sql
