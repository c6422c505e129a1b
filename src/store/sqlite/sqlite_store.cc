#include "store/sqlite/sqlite_store.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <optional>
#include <set>
#include <string_view>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <variant>

#include <nlohmann/json.hpp>

#include "core/formula.h"
#include "core/id_table.h"
#include "core/mutex.h"
#include "io/entity_json.h"
#include "store/migrations.h"
#include "store/sqlite/sqlite_store_impl.h"

namespace cascade {
namespace {

using nlohmann::json;
using sqlite::Database;
using sqlite::Statement;
using sqlite::StatementCache;
using sqlite::Transaction;

// A batch of more check-ins than this is recorded in history as one summary row.
constexpr size_t kCheckinHistoryRows = 20;

// Page cache sizes (negative: KiB). A large import inserts into the (kpi, date) index all over
// it; keeping those pages cached makes it several times faster than the everyday size.
constexpr std::string_view kDefaultCacheSql = "PRAGMA cache_size = -16384";
constexpr std::string_view kImportCacheSql = "PRAGMA cache_size = -65536";
// A load scans each table once and reads no page twice: a small cache does it as fast, and a full
// one would only hold memory (about 30 MB more peak memory for a status of 100,000 goals).
constexpr std::string_view kScanCacheSql = "PRAGMA cache_size = -2048";
constexpr size_t kLargeImport = 10000;

std::string QuoteId(std::string_view id) { return "'" + std::string(id) + "'"; }

// JSON text for a stored column or history row. Text entered today is valid UTF-8 (validation
// refuses the rest), but a database written by an older cascade may hold other bytes: they become
// U+FFFD here rather than an exception in the middle of a write.
std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// ---- Lists stored as JSON arrays of strings ----

std::string StringArrayText(const std::vector<std::string>& items) {
  return items.empty() ? "[]" : Dump(json(items));
}

bool ParseStringArray(std::string_view text, std::vector<std::string>& out) {
  out.clear();
  if (text == "[]") return true;  // the common case, without a parser
  const json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_array()) return false;
  out.reserve(j.size());
  for (const json& item : j) {
    if (!item.is_string()) return false;
    out.push_back(item.get<std::string>());
  }
  return true;
}

std::string SnapshotText(const std::vector<ReviewEntry>& snapshot) {
  json j = json::array();
  for (const ReviewEntry& e : snapshot) j.push_back(ToJson(e));
  return Dump(j);
}

bool ParseSnapshot(std::string_view text, std::vector<ReviewEntry>& out) {
  const json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_array()) return false;
  for (const json& item : j) {
    if (!item.is_object()) return false;
    ReviewEntry e;
    if (auto it = item.find("goal"); it != item.end() && it->is_string())
      e.goal = it->get<std::string>();
    if (auto it = item.find("progress"); it != item.end() && it->is_number()) {
      e.progress = it->get<double>();
    }
    if (auto it = item.find("status"); it != item.end() && it->is_string())
      e.status = it->get<std::string>();
    out.push_back(std::move(e));
  }
  return true;
}

std::optional<Date> ParseDateColumn(const Statement& s, int col) {
  if (s.IsNull(col)) return std::nullopt;
  return Date::Parse(s.Text(col));
}

// ---- One table per entity kind ----
//
// Table<T> names the entity kind (as EntityKindName spells it), the table and its columns other
// than seq, id and version; binds an entity's values to parameters 1…n in that order; and reads
// them back from a row `id, columns…, version`.
// Read returns the column it could not make sense of, "" when the row was fine.

template <typename T>
struct Table;

template <>
struct Table<Team> {
  static constexpr std::string_view kKind = "team";
  static constexpr std::string_view kName = "teams";
  static constexpr std::array<std::string_view, 2> kColumns = {"name", "parent"};
  static void Bind(Statement& s, const Team& t) {
    s.BindText(1, t.name);
    s.BindRef(2, t.parent);
  }
  static std::string_view Read(const Statement& s, Team& t) {
    t.name = s.Text(1);
    t.parent = s.Text(2);
    return "";
  }
};

template <>
struct Table<Person> {
  static constexpr std::string_view kKind = "person";
  static constexpr std::string_view kName = "people";
  static constexpr std::array<std::string_view, 4> kColumns = {"name", "email", "team", "role"};
  static void Bind(Statement& s, const Person& p) {
    s.BindText(1, p.name);
    s.BindText(2, p.email);
    s.BindRef(3, p.team);
    s.BindText(4, ToString(p.role));
  }
  static std::string_view Read(const Statement& s, Person& p) {
    p.name = s.Text(1);
    p.email = s.Text(2);
    p.team = s.Text(3);
    auto role = ParseRole(s.Text(4));
    if (!role) return "role";
    p.role = *role;
    return "";
  }
};

template <>
struct Table<Goal> {
  static constexpr std::string_view kKind = "goal";
  static constexpr std::string_view kName = "goals";
  static constexpr std::array<std::string_view, 21> kColumns = {
      "title", "description", "level",    "parent",           "owner",      "team",       "start",
      "due",   "weight",      "priority", "growth_potential", "budget_min", "budget_max", "channel",
      "stage", "state",       "tags",     "contributors",     "supports",   "segment",
      "cycle"};
  static void Bind(Statement& s, const Goal& g) {
    s.BindText(1, g.title);
    s.BindText(2, g.description);
    s.BindText(3, ToString(g.level));
    s.BindRef(4, g.parent);
    s.BindRef(5, g.owner);
    s.BindRef(6, g.team);
    s.BindDate(7, g.start);
    s.BindDate(8, g.due);
    s.BindDouble(9, g.weight);
    s.BindText(10, ToString(g.priority));
    s.BindDouble(11, g.growth_potential);
    s.BindDouble(12, g.budget_min);
    s.BindDouble(13, g.budget_max);
    s.BindText(14, g.channel);
    s.BindRef(15, ToString(g.stage));
    s.BindText(16, ToString(g.state));
    s.BindText(17, StringArrayText(g.tags));
    s.BindText(18, StringArrayText(g.contributors));
    s.BindText(19, StringArrayText(g.supports));
    s.BindText(20, g.segment);
    s.BindRef(21, g.cycle);
  }
  static std::string_view Read(const Statement& s, Goal& g) {
    g.title = s.Text(1);
    g.description = s.Text(2);
    auto level = ParseLevel(s.Text(3));
    if (!level) return "level";
    g.level = *level;
    g.parent = s.Text(4);
    g.owner = s.Text(5);
    g.team = s.Text(6);
    g.start = ParseDateColumn(s, 7);
    if (!g.start && !s.IsNull(7)) return "start";
    g.due = ParseDateColumn(s, 8);
    if (!g.due && !s.IsNull(8)) return "due";
    g.weight = s.Double(9);
    auto priority = ParsePriority(s.Text(10));
    if (!priority) return "priority";
    g.priority = *priority;
    g.growth_potential = s.Double(11);
    g.budget_min = s.Double(12);
    g.budget_max = s.IsNull(13) ? std::nullopt : std::optional<double>(s.Double(13));
    g.channel = s.Text(14);
    auto stage = ParseStage(s.Text(15));
    if (!stage) return "stage";
    g.stage = *stage;
    auto state = ParseGoalState(s.Text(16));
    if (!state) return "state";
    g.state = *state;
    if (!ParseStringArray(s.Text(17), g.tags)) return "tags";
    if (!ParseStringArray(s.Text(18), g.contributors)) return "contributors";
    if (!ParseStringArray(s.Text(19), g.supports)) return "supports";
    g.segment = s.Text(20);
    g.cycle = s.Text(21);
    return "";
  }
};

template <>
struct Table<Kpi> {
  static constexpr std::string_view kKind = "kpi";
  static constexpr std::string_view kName = "kpis";
  static constexpr std::array<std::string_view, 13> kColumns = {
      "goal",   "name",      "unit",   "kind",         "baseline",
      "target", "direction", "weight", "cadence_days", "source",
      "target_written", "formula", "benchmark_for"};
  static void Bind(Statement& s, const Kpi& k) {
    s.BindRef(1, k.goal);
    s.BindText(2, k.name);
    s.BindText(3, k.unit);
    s.BindText(4, ToString(k.kind));
    s.BindDouble(5, k.baseline);
    s.BindDouble(6, k.target);
    s.BindRef(7, ToString(k.direction));
    s.BindDouble(8, k.weight);
    s.BindInt64(9, k.cadence_days);
    s.BindText(10, k.source);
    s.BindText(11, k.target_written);
    s.BindText(12, k.formula);
    s.BindText(13, k.benchmark_for);
  }
  static std::string_view Read(const Statement& s, Kpi& k) {
    k.goal = s.Text(1);
    k.name = s.Text(2);
    k.unit = s.Text(3);
    auto kind = ParseKpiKind(s.Text(4));
    if (!kind) return "kind";
    k.kind = *kind;
    k.baseline = s.IsNull(5) ? std::nullopt : std::optional<double>(s.Double(5));
    k.target = s.Double(6);
    auto direction = ParseDirection(s.Text(7));
    if (!direction) return "direction";
    k.direction = *direction;
    k.weight = s.Double(8);
    k.cadence_days = static_cast<int>(s.Int64(9));
    k.source = s.Text(10);
    k.target_written = s.Text(11);
    k.formula = s.Text(12);
    k.benchmark_for = s.Text(13);
    return "";
  }
};

template <>
struct Table<Action> {
  static constexpr std::string_view kKind = "action";
  static constexpr std::string_view kName = "actions";
  static constexpr std::array<std::string_view, 6> kColumns = {"goal", "title", "owner",
                                                               "due",  "done",  "depends_on"};
  static void Bind(Statement& s, const Action& a) {
    s.BindRef(1, a.goal);
    s.BindText(2, a.title);
    s.BindRef(3, a.owner);
    s.BindDate(4, a.due);
    s.BindInt64(5, a.done ? 1 : 0);
    s.BindText(6, StringArrayText(a.depends_on));
  }
  static std::string_view Read(const Statement& s, Action& a) {
    a.goal = s.Text(1);
    a.title = s.Text(2);
    a.owner = s.Text(3);
    a.due = ParseDateColumn(s, 4);
    if (!a.due && !s.IsNull(4)) return "due";
    a.done = s.Int64(5) != 0;
    if (!ParseStringArray(s.Text(6), a.depends_on)) return "depends_on";
    return "";
  }
};

template <>
struct Table<Funnel> {
  static constexpr std::string_view kKind = "funnel";
  static constexpr std::string_view kName = "funnels";
  static constexpr std::array<std::string_view, 2> kColumns = {"name", "stages"};
  static void Bind(Statement& s, const Funnel& f) {
    s.BindText(1, f.name);
    s.BindText(2, StringArrayText(f.stages));
  }
  static std::string_view Read(const Statement& s, Funnel& f) {
    f.name = s.Text(1);
    if (!ParseStringArray(s.Text(2), f.stages)) return "stages";
    return "";
  }
};

template <>
struct Table<Experiment> {
  static constexpr std::string_view kKind = "experiment";
  static constexpr std::string_view kName = "experiments";
  static constexpr std::array<std::string_view, 6> kColumns = {"goal",
                                                               "name",
                                                               "control_visitors",
                                                               "control_conversions",
                                                               "variant_visitors",
                                                               "variant_conversions"};
  static void Bind(Statement& s, const Experiment& e) {
    s.BindRef(1, e.goal);
    s.BindText(2, e.name);
    s.BindInt64(3, e.control.visitors);
    s.BindInt64(4, e.control.conversions);
    s.BindInt64(5, e.variant.visitors);
    s.BindInt64(6, e.variant.conversions);
  }
  static std::string_view Read(const Statement& s, Experiment& e) {
    e.goal = s.Text(1);
    e.name = s.Text(2);
    e.control = {s.Int64(3), s.Int64(4)};
    e.variant = {s.Int64(5), s.Int64(6)};
    return "";
  }
};

template <>
struct Table<Cycle> {
  static constexpr std::string_view kKind = "cycle";
  static constexpr std::string_view kName = "cycles";
  static constexpr std::array<std::string_view, 4> kColumns = {"name", "start", "end_date",
                                                               "state"};
  static void Bind(Statement& s, const Cycle& c) {
    s.BindText(1, c.name);
    s.BindDate(2, c.start);
    s.BindDate(3, c.end);
    s.BindText(4, ToString(c.state));
  }
  static std::string_view Read(const Statement& s, Cycle& c) {
    c.name = s.Text(1);
    auto start = Date::Parse(s.Text(2));
    if (!start) return "start";
    c.start = *start;
    auto end = Date::Parse(s.Text(3));
    if (!end) return "end_date";
    c.end = *end;
    auto state = ParseCycleState(s.Text(4));
    if (!state) return "state";
    c.state = *state;
    return "";
  }
};

// The kind name of a table's rows, for messages ("team 'x' …").
std::string_view KindOfTable(std::string_view table) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 12> kKinds = {{
      {"teams", "team"},
      {"people", "person"},
      {"goals", "goal"},
      {"kpis", "kpi"},
      {"checkins", "check-in"},
      {"actions", "action"},
      {"funnels", "funnel"},
      {"experiments", "experiment"},
      {"comments", "comment"},
      {"reviews", "review"},
      {"spend", "spend"},
      {"cycles", "cycle"},
  }};
  for (const auto& [name, kind] : kKinds) {
    if (name == table) return kind;
  }
  return table;
}

// ---- The SQL of each table, built once from Table<T> ----

template <typename T>
std::string ColumnList() {
  std::string out;
  for (std::string_view c : Table<T>::kColumns) {
    if (!out.empty()) out += ", ";
    out += c;
  }
  return out;
}

template <typename T>
const std::string& SelectSql() {
  static const std::string sql = "SELECT id, " + ColumnList<T>() + ", version FROM " +
                                 std::string(Table<T>::kName) + " ORDER BY seq";
  return sql;
}

template <typename T>
const std::string& InsertSql() {
  static const std::string sql = [] {
    std::string params;
    for (size_t i = 0; i < Table<T>::kColumns.size(); ++i) params += "?, ";
    return "INSERT INTO " + std::string(Table<T>::kName) + " (" + ColumnList<T>() +
           ", id, version) VALUES (" + params + "?, 1)";
  }();
  return sql;
}

template <typename T>
const std::string& UpdateSql() {
  static const std::string sql = [] {
    std::string sets;
    for (std::string_view c : Table<T>::kColumns) sets += std::string(c) + " = ?, ";
    return "UPDATE " + std::string(Table<T>::kName) + " SET " + sets +
           "version = version + 1 WHERE id = ? AND version = ?";
  }();
  return sql;
}

template <typename T>
const std::string& DeleteSql() {
  static const std::string sql =
      "DELETE FROM " + std::string(Table<T>::kName) + " WHERE id = ? AND version = ?";
  return sql;
}

template <typename T>
const std::string& VersionSql() {
  static const std::string sql =
      "SELECT version FROM " + std::string(Table<T>::kName) + " WHERE id = ?";
  return sql;
}

const std::string kInsertCheckinSql =
    "INSERT INTO checkins (kpi, date, value, note, author, confidence) VALUES (?, ?, ?, ?, ?, ?)";
const std::string kInsertCommentSql =
    "INSERT INTO comments (goal, author, date, text, kind) VALUES (?, ?, ?, ?, ?)";
const std::string kInsertSpendSql =
    "INSERT INTO spend (goal, date, amount, note, author) VALUES (?, ?, ?, ?, ?)";
// Corrections of stored check-ins and comments: only while the row is still as the change saw it
// (records have no version; the whole row is the precondition).
const std::string kUpdateCheckinSql =
    "UPDATE checkins SET kpi = ?, date = ?, value = ?, note = ?, author = ?, confidence = ? WHERE "
    "seq = ? AND kpi = ? AND date = ? AND value = ? AND note = ? AND COALESCE(author, '') = ? AND "
    "COALESCE(confidence, '') = ?";
const std::string kDeleteCheckinSql =
    "DELETE FROM checkins WHERE seq = ? AND kpi = ? AND date = ? AND value = ? AND note = ? AND "
    "COALESCE(author, '') = ? AND COALESCE(confidence, '') = ?";
const std::string kUpdateCommentSql =
    "UPDATE comments SET goal = ?, author = ?, date = ?, text = ?, kind = ? WHERE seq = ? AND "
    "goal = ? AND author = ? AND date = ? AND text = ? AND kind = ?";
const std::string kDeleteCommentSql =
    "DELETE FROM comments WHERE seq = ? AND goal = ? AND author = ? AND date = ? AND text = ? AND "
    "kind = ?";
const std::string kUpdateSpendSql =
    "UPDATE spend SET goal = ?, date = ?, amount = ?, note = ?, author = ? WHERE seq = ? AND "
    "goal = ? AND date = ? AND amount = ? AND note = ? AND COALESCE(author, '') = ?";
const std::string kDeleteSpendSql =
    "DELETE FROM spend WHERE seq = ? AND goal = ? AND date = ? AND amount = ? AND note = ? AND "
    "COALESCE(author, '') = ?";
// What a correction or removal of a stored check-in or comment binds, per record kind: the new
// values of an update (SET …) and the row as the change saw it (WHERE, after seq).
template <typename Record>
struct StoredRecord;

template <>
struct StoredRecord<Checkin> {
  static constexpr std::string_view kTable = "checkins", kKind = "checkin", kNoun = "check-in";
  static const std::string& UpdateSql() { return kUpdateCheckinSql; }
  static const std::string& DeleteSql() { return kDeleteCheckinSql; }
  static const std::string& Parent(const Checkin& c) { return c.kpi; }
  static std::string What(const Checkin& c) {
    return "check-in #" + std::to_string(c.seq) + " of KPI " + QuoteId(c.kpi);
  }
  static void BindNew(Statement& st, int& i, const Checkin& c) {
    st.BindText(i++, c.kpi);
    st.BindDate(i++, c.date);
    st.BindDouble(i++, c.value);
    st.BindText(i++, c.note);
    st.BindRef(i++, c.author);
    st.BindRef(i++, ToString(c.confidence));
  }
  static void BindSeen(Statement& st, int& i, const Checkin& c) {
    st.BindText(i++, c.kpi);
    st.BindDate(i++, c.date);
    st.BindDouble(i++, c.value);
    st.BindText(i++, c.note);
    st.BindText(i++, c.author);
    st.BindText(i++, ToString(c.confidence));
  }
};

template <>
struct StoredRecord<Comment> {
  static constexpr std::string_view kTable = "comments", kKind = "comment", kNoun = "comment";
  static const std::string& UpdateSql() { return kUpdateCommentSql; }
  static const std::string& DeleteSql() { return kDeleteCommentSql; }
  static const std::string& Parent(const Comment& c) { return c.goal; }
  static std::string What(const Comment& c) {
    return "comment #" + std::to_string(c.seq) + " on goal " + QuoteId(c.goal);
  }
  static void BindNew(Statement& st, int& i, const Comment& c) {
    st.BindRef(i++, c.goal);
    st.BindText(i++, c.author);
    st.BindDate(i++, c.date);
    st.BindText(i++, c.text);
    st.BindText(i++, ToString(c.kind));
  }
  static void BindSeen(Statement& st, int& i, const Comment& c) {
    st.BindText(i++, c.goal);
    st.BindText(i++, c.author);
    st.BindDate(i++, c.date);
    st.BindText(i++, c.text);
    st.BindText(i++, ToString(c.kind));
  }
};

template <>
struct StoredRecord<Spend> {
  static constexpr std::string_view kTable = "spend", kKind = "spend", kNoun = "spend record";
  static const std::string& UpdateSql() { return kUpdateSpendSql; }
  static const std::string& DeleteSql() { return kDeleteSpendSql; }
  static const std::string& Parent(const Spend& s) { return s.goal; }
  static std::string What(const Spend& s) {
    return "spend #" + std::to_string(s.seq) + " on goal " + QuoteId(s.goal);
  }
  static void BindNew(Statement& st, int& i, const Spend& s) {
    st.BindRef(i++, s.goal);
    st.BindDate(i++, s.date);
    st.BindDouble(i++, s.amount);
    st.BindText(i++, s.note);
    st.BindRef(i++, s.author);
  }
  static void BindSeen(Statement& st, int& i, const Spend& s) {
    st.BindText(i++, s.goal);
    st.BindDate(i++, s.date);
    st.BindDouble(i++, s.amount);
    st.BindText(i++, s.note);
    st.BindText(i++, s.author);
  }
};

const std::string kInsertReviewSql =
    "INSERT INTO reviews (date, team, notes, snapshot) VALUES (?, ?, ?, ?)";
const std::string kInsertHistorySql =
    R"(INSERT INTO history (at, actor, kind, entity, op, "before", "after")
       VALUES (?, ?, ?, ?, ?, ?, ?))";

// ---- Loading ----

// Text parameters bound in order (1, 2, …) to a statement of a scoped load.
using TextParams = std::vector<std::string>;

void BindTexts(Statement& stmt, const TextParams& params) {
  for (size_t i = 0; i < params.size(); ++i) stmt.BindText(static_cast<int>(i) + 1, params[i]);
}

// Every row of T's table (`where`: "WITH … " before the SELECT and "WHERE …" after FROM, with
// `params`, for a part of it), in creation order.
template <typename T>
Result<void> LoadTable(Database& db, std::vector<T>& out, std::string_view with = "",
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

Result<Sizes> ReadSizes(Database& db) {
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

Error DamagedConfidence(const Checkin& c) {
  return Error::Storage("the database holds a check-in (number " + std::to_string(c.seq) +
                        ") whose confidence cannot be read; the file may be damaged");
}

// The check-ins (`with`, `where` and `params` as for LoadTable, for a part of them).
Result<void> LoadCheckins(Database& db, std::vector<Checkin>& out, const LoadOptions& options,
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
    if (!confidence) return DamagedConfidence(Checkin{.seq = judged->Int64(0)});
    by_seq.emplace(judged->Int64(0), *confidence);
  }
  if (by_seq.empty()) return Ok();
  for (size_t i = first; i < out.size(); ++i) {
    if (auto it = by_seq.find(out[i].seq); it != by_seq.end()) out[i].confidence = it->second;
  }
  return Ok();
}

Result<void> LoadComments(Database& db, std::vector<Comment>& out) {
  auto stmt = db.Prepare("SELECT seq, goal, author, date, text, kind FROM comments ORDER BY seq");
  if (!stmt) return stmt.error();
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

Result<void> LoadSpend(Database& db, std::vector<Spend>& out) {
  auto stmt = db.Prepare("SELECT seq, goal, date, amount, note, author FROM spend ORDER BY seq");
  if (!stmt) return stmt.error();
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

Result<void> LoadReviews(Database& db, std::vector<Review>& out) {
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

// ---- Applying a ChangeSet ----

// One Apply: the open transaction's statements, its timestamp and actor, and what it deleted (to
// tell a cascade from a conflict and to word broken-reference errors).
class ApplyRun {
 public:
  ApplyRun(Database& db, StatementCache& cache, std::string at, std::string actor)
      : db_(db), cache_(cache), at_(std::move(at)), actor_(std::move(actor)) {}

  Result<void> Change(const EntityChange& change);
  Result<void> Checkins(const std::vector<Checkin>& checkins);
  Result<void> Comments(const std::vector<Comment>& comments);
  Result<void> SpendRecords(const std::vector<Spend>& spend);
  Result<void> Reviews(const std::vector<Review>& reviews);
  Result<void> Notes(const std::vector<HistoryNote>& notes) {
    for (const HistoryNote& n : notes) {
      if (auto r = History(n.kind, n.entity, n.op, "", n.after); !r) return r;
    }
    return Ok();
  }
  // Corrections and removals of stored check-ins or comments, by seq.
  template <typename Record>
  Result<void> RecordChanges(const std::vector<RecordChange<Record>>& changes);
  // Before COMMIT: a reference left pointing at nothing, worded for a marketer.
  Result<void> CheckReferences();
  // The seqs and versions assigned so far.
  Applied& applied() { return applied_; }

 private:
  template <typename T>
  Result<void> Create(const T& after);
  template <typename T>
  Result<void> Update(const T& before, const T& after);
  template <typename T>
  Result<void> Delete(const T& before);
  template <typename T>
  Error StaleError(const T& before);
  // `what` names the record in the message; by default "<kind> '<id>'".
  Error WriteError(const Statement& s, std::string_view kind, const std::string& id,
                   std::string what = "");
  Result<void> History(std::string_view kind, std::string_view entity, std::string_view op,
                       const std::string& before, const std::string& after);
  Result<std::optional<Error>> DescribeBrokenReference(std::string_view table);
  // After a correction of record `seq` of `table` matched no row: why, as a conflict.
  Error RecordConflict(std::string_view table, std::string_view kind, int64_t seq,
                       const std::string& what);

  Database& db_;
  StatementCache& cache_;
  std::string at_;
  std::string actor_;
  std::set<std::pair<std::string, std::string>, std::less<>> deleted_;  // (kind, id)
  Applied applied_;
};

Result<void> ApplyRun::History(std::string_view kind, std::string_view entity, std::string_view op,
                               const std::string& before, const std::string& after) {
  auto s = cache_.Get(db_, kInsertHistorySql);
  if (!s) return s.error();
  Statement& st = **s;
  st.BindText(1, at_);
  st.BindText(2, actor_);
  st.BindText(3, kind);
  st.BindText(4, entity);
  st.BindText(5, op);
  for (auto [param, text] : {std::pair{6, &before}, std::pair{7, &after}}) {
    if (text->empty()) {
      st.BindNull(param);
    } else {
      st.BindText(param, *text);
    }
  }
  return st.Run();
}

Error ApplyRun::WriteError(const Statement& s, std::string_view kind, const std::string& id,
                           std::string what) {
  const int code = s.last_code();
  if (what.empty()) what = std::string(kind) + " " + QuoteId(id);
  if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY) {
    return Error::Conflict(what + " already exists; choose another id", std::string(kind), id,
                           "id");
  }
  if (code == SQLITE_CONSTRAINT_NOTNULL) {
    // SQLite says "NOT NULL constraint failed: kpis.goal".
    std::string_view message = sqlite3_errmsg(db_.handle());
    const std::string field(message.substr(message.rfind('.') + 1));
    return Error::Invalid(what + " needs a " + field, std::string(kind), id, field);
  }
  if ((code & 0xff) == SQLITE_CONSTRAINT) {
    return Error::Invalid(what + " cannot be stored: " + sqlite3_errmsg(db_.handle()),
                          std::string(kind), id);
  }
  return sqlite::StorageError(db_.handle(), "saving " + what);
}

template <typename T>
Result<void> ApplyRun::Create(const T& after) {
  constexpr std::string_view kind = Table<T>::kKind;
  auto s = cache_.Get(db_, InsertSql<T>());
  if (!s) return s.error();
  Statement& st = **s;
  Table<T>::Bind(st, after);
  st.BindText(static_cast<int>(Table<T>::kColumns.size()) + 1, after.id);
  if (!st.Run()) return WriteError(st, kind, after.id);
  applied_.versions.push_back(1);
  T stored = after;
  stored.version = 1;
  return History(kind, after.id, "create", "", Dump(ToJson(stored)));
}

template <typename T>
Error ApplyRun::StaleError(const T& before) {
  const std::string kind(Table<T>::kKind);
  const std::string what = kind + " " + QuoteId(before.id);
  auto s = cache_.Get(db_, VersionSql<T>());
  bool exists = false;
  if (s) {
    (*s)->BindText(1, before.id);
    auto row = (*s)->Step();
    exists = row && *row;
    (*s)->Reset();
  }
  if (!exists) {
    return Error::Conflict(
        what + " no longer exists (someone else deleted it); reload and try again", kind, before.id,
        "version");
  }
  return Error::Conflict(what + " was changed by someone else (version " +
                             std::to_string(before.version) +
                             " is no longer current); reload and try again",
                         kind, before.id, "version");
}

template <typename T>
Result<void> ApplyRun::Update(const T& before, const T& after) {
  constexpr std::string_view kind = Table<T>::kKind;
  if (before.id != after.id) {
    return Error::Invalid(std::string(kind) + " " + QuoteId(before.id) + " cannot be renamed to " +
                              QuoteId(after.id) +
                              "; ids never change (create a new one and delete the old one)",
                          std::string(kind), before.id, "id");
  }
  auto s = cache_.Get(db_, UpdateSql<T>());
  if (!s) return s.error();
  Statement& st = **s;
  constexpr int n = static_cast<int>(Table<T>::kColumns.size());
  Table<T>::Bind(st, after);
  st.BindText(n + 1, before.id);
  st.BindInt64(n + 2, before.version);
  if (!st.Run()) return WriteError(st, kind, after.id);
  if (st.changes() == 0) return StaleError(before);
  applied_.versions.push_back(before.version + 1);
  T stored = after;
  stored.version = before.version + 1;
  return History(kind, after.id, "update", Dump(ToJson(before)), Dump(ToJson(stored)));
}

template <typename T>
Result<void> ApplyRun::Delete(const T& before) {
  constexpr std::string_view kind = Table<T>::kKind;
  auto s = cache_.Get(db_, DeleteSql<T>());
  if (!s) return s.error();
  Statement& st = **s;
  st.BindText(1, before.id);
  st.BindInt64(2, before.version);
  if (!st.Run()) return WriteError(st, kind, before.id);
  if (st.changes() == 0) {
    // Already gone with its goal, deleted earlier in this same set (ON DELETE CASCADE)?
    bool cascaded = false;
    if constexpr (std::is_same_v<T, Kpi> || std::is_same_v<T, Action> ||
                  std::is_same_v<T, Experiment>) {
      cascaded = deleted_.count(std::pair<std::string, std::string>("goal", before.goal)) > 0;
    }
    if (!cascaded) return StaleError(before);
  }
  deleted_.emplace(std::string(kind), before.id);
  applied_.versions.push_back(0);
  return History(kind, before.id, "delete", Dump(ToJson(before)), "");
}

Result<void> ApplyRun::Change(const EntityChange& change) {
  using Op = EntityChange::Op;
  const std::optional<Entity>& subject = change.op == Op::kDelete ? change.before : change.after;
  if (!subject || (change.op == Op::kUpdate && !change.before)) {
    return Error::Invalid("a " + std::string(ToString(change.op)) +
                          " change is missing the entity it is about");
  }
  if (change.op == Op::kUpdate && change.before->index() != change.after->index()) {
    return Error::Invalid("an update cannot turn a " + std::string(EntityKindName(*change.before)) +
                          " into a " + std::string(EntityKindName(*change.after)));
  }
  return std::visit(
      [&](const auto& entity) -> Result<void> {
        using T = std::decay_t<decltype(entity)>;
        switch (change.op) {
          case Op::kCreate:
            return Create(entity);
          case Op::kUpdate:
            return Update(std::get<T>(*change.before), entity);
          case Op::kDelete:
            return Delete(entity);
        }
        return Ok();
      },
      *subject);
}

// The distinct ids of a batch in order of first appearance (a large import's history summary): a
// flat open-addressing set whose slots carry each id's first 16 bytes, so a lookup touches one slot
// and not the id itself. std::unordered_set spent a node and several cache misses on each of a
// million check-ins, a sixth of the import's time.
class DistinctIds {
 public:
  void Add(std::string_view id) {
    if (!ids_.empty() && id == last_) return;  // a run of the same id: no lookup
    last_ = id;
    if (2 * (ids_.size() + 1) > slots_.size()) Grow();
    const IdKey key(id);
    for (size_t at = key.hash & mask_;; at = (at + 1) & mask_) {
      Slot& s = slots_[at];
      if (s.index == 0) {
        ids_.push_back(id);
        s = Slot{key.w0, key.w1, key.hash, key.len, static_cast<uint32_t>(ids_.size())};
        return;
      }
      if (s.len == key.len && s.w0 == key.w0 && s.w1 == key.w1 &&
          (key.len <= 16 || ids_[s.index - 1] == id)) {
        return;
      }
    }
  }
  const std::vector<std::string_view>& ids() const { return ids_; }

 private:
  struct Slot {
    uint64_t w0 = 0, w1 = 0, hash = 0;
    uint32_t len = 0;
    uint32_t index = 0;  // 1 + position in ids_; 0 = empty
  };
  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 1024 : 2 * old.size(), Slot{});
    mask_ = slots_.size() - 1;
    for (const Slot& s : old) {
      if (s.index == 0) continue;
      size_t at = s.hash & mask_;
      while (slots_[at].index != 0) at = (at + 1) & mask_;
      slots_[at] = s;
    }
  }
  std::vector<Slot> slots_;
  size_t mask_ = 0;
  std::vector<std::string_view> ids_;
  std::string_view last_;
};

Result<void> ApplyRun::Checkins(const std::vector<Checkin>& checkins) {
  if (checkins.empty()) return Ok();
  const bool per_row = checkins.size() <= kCheckinHistoryRows;
  if (checkins.size() >= kLargeImport) {
    if (auto r = db_.Exec(kImportCacheSql); !r) return r;
  }
  struct RestoreCache {
    Database& db;
    bool large;
    ~RestoreCache() {
      if (large) (void)db.Exec(kDefaultCacheSql);
    }
  } restore{db_, checkins.size() >= kLargeImport};
  auto s = cache_.Get(db_, kInsertCheckinSql);
  if (!s) return s.error();
  Statement& st = **s;
  DistinctIds kpis;
  applied_.checkin_seqs.reserve(checkins.size());
  for (const Checkin& c : checkins) {
    st.Reset();
    st.BindText(1, c.kpi);
    st.BindDate(2, c.date);
    st.BindDouble(3, c.value);
    st.BindText(4, c.note);
    st.BindRef(5, c.author);
    st.BindRef(6, ToString(c.confidence));
    if (!st.Run()) return WriteError(st, "", "", "a check-in of KPI " + QuoteId(c.kpi));
    applied_.checkin_seqs.push_back(db_.last_insert_rowid());
    if (per_row) {
      Checkin stored = c;
      stored.seq = applied_.checkin_seqs.back();
      if (auto r = History("checkin", c.kpi, "create", "", Dump(ToJson(stored))); !r) return r;
    } else {
      kpis.Add(c.kpi);
    }
  }
  if (per_row) return Ok();
  json ids = json::array();
  for (std::string_view id : kpis.ids()) ids.push_back(std::string(id));
  const json summary = {{"count", checkins.size()}, {"kpis", std::move(ids)}};
  return History("checkin", "", "import", "", Dump(summary));
}

Result<void> ApplyRun::Comments(const std::vector<Comment>& comments) {
  for (const Comment& c : comments) {
    auto s = cache_.Get(db_, kInsertCommentSql);
    if (!s) return s.error();
    Statement& st = **s;
    st.BindRef(1, c.goal);
    st.BindText(2, c.author);
    st.BindDate(3, c.date);
    st.BindText(4, c.text);
    st.BindText(5, ToString(c.kind));
    if (!st.Run()) return WriteError(st, "", "", "a comment on goal " + QuoteId(c.goal));
    Comment stored = c;
    stored.seq = db_.last_insert_rowid();
    applied_.comment_seqs.push_back(stored.seq);
    if (auto r = History("comment", c.goal, "create", "", Dump(ToJson(stored))); !r) return r;
  }
  return Ok();
}

Result<void> ApplyRun::SpendRecords(const std::vector<Spend>& spend) {
  for (const Spend& s : spend) {
    auto stmt = cache_.Get(db_, kInsertSpendSql);
    if (!stmt) return stmt.error();
    Statement& st = **stmt;
    int i = 1;
    StoredRecord<Spend>::BindNew(st, i, s);
    if (!st.Run()) return WriteError(st, "", "", "spend on goal " + QuoteId(s.goal));
    Spend stored = s;
    stored.seq = db_.last_insert_rowid();
    applied_.spend_seqs.push_back(stored.seq);
    if (auto r = History("spend", s.goal, "create", "", Dump(ToJson(stored))); !r) return r;
  }
  return Ok();
}

Result<void> ApplyRun::Reviews(const std::vector<Review>& reviews) {
  for (const Review& r : reviews) {
    auto s = cache_.Get(db_, kInsertReviewSql);
    if (!s) return s.error();
    Statement& st = **s;
    st.BindDate(1, r.date);
    st.BindText(2, r.team);
    st.BindText(3, r.notes);
    st.BindText(4, SnapshotText(r.snapshot));
    if (!st.Run()) return WriteError(st, "", "", "the review of " + r.date.ToString());
    Review stored = r;
    stored.seq = db_.last_insert_rowid();
    applied_.review_seqs.push_back(stored.seq);
    if (auto h = History("review", r.team, "create", "", Dump(ToJson(stored))); !h) return h;
  }
  return Ok();
}

Error ApplyRun::RecordConflict(std::string_view table, std::string_view kind, int64_t seq,
                               const std::string& what) {
  bool exists = false;
  auto s = db_.Prepare("SELECT 1 FROM " + std::string(table) + " WHERE seq = ?");
  if (s) {
    s->BindInt64(1, seq);
    auto row = s->Step();
    exists = row && *row;
  }
  return Error::Conflict(what + (exists ? " was changed by someone else; reload it and try again"
                                        : " no longer exists (someone else deleted it)"),
                         std::string(kind), std::to_string(seq), "seq");
}

template <typename Record>
Result<void> ApplyRun::RecordChanges(const std::vector<RecordChange<Record>>& changes) {
  using R = StoredRecord<Record>;
  for (const RecordChange<Record>& c : changes) {
    const Record& b = c.before;
    const std::string what = R::What(b);
    const bool update = c.op == EntityChange::Op::kUpdate;
    if (update && (!c.after || c.after->seq != b.seq)) {
      return Error::Invalid("an update of " + what + " is missing the " + std::string(R::kNoun) +
                            " it makes");
    }
    auto s = cache_.Get(db_, update ? R::UpdateSql() : R::DeleteSql());
    if (!s) return s.error();
    Statement& st = **s;
    st.Reset();
    int i = 1;
    if (update) R::BindNew(st, i, *c.after);
    st.BindInt64(i++, b.seq);
    R::BindSeen(st, i, b);
    if (!st.Run()) return WriteError(st, R::kKind, std::to_string(b.seq), what);
    if (st.changes() == 0) return RecordConflict(R::kTable, R::kKind, b.seq, what);
    if (auto r = History(R::kKind, R::Parent(b), update ? "update" : "delete", Dump(ToJson(b)),
                         update ? Dump(ToJson(*c.after)) : "");
        !r) {
      return r;
    }
  }
  return Ok();
}

// The first broken reference from `table`, described; nullopt when the table has none.
Result<std::optional<Error>> ApplyRun::DescribeBrokenReference(std::string_view table) {
  auto check = db_.Prepare(
      R"(SELECT c."rowid", c."parent", l."from"
         FROM pragma_foreign_key_check(?1) AS c
         JOIN pragma_foreign_key_list(?1) AS l ON l.id = c.fkid
         LIMIT 1)");
  if (!check) return check.error();
  check->BindText(1, table);
  auto row = check->Step();
  if (!row) return row.error();
  if (!*row) return std::optional<Error>();
  const int64_t rowid = check->Int64(0);
  const std::string parent_kind(KindOfTable(check->Text(1)));
  const std::string field(check->Text(2));

  // Names come from SQLite's own catalogue of our schema, never from user input.
  const bool has_id = table != "checkins" && table != "comments" && table != "spend";
  const std::string label_column = table == "checkins"                         ? "kpi"
                                   : table == "comments" || table == "spend" ? "goal"
                                                                               : "id";
  auto who = db_.Prepare("SELECT " + field + ", " + label_column + " FROM " + std::string(table) +
                         " WHERE seq = ?");
  if (!who) return who.error();
  who->BindInt64(1, rowid);
  auto found = who->Step();
  if (!found) return found.error();
  const std::string value = *found ? std::string(who->Text(0)) : "";
  const std::string label = *found ? std::string(who->Text(1)) : "";
  const std::string child_kind(KindOfTable(table));
  const std::string child = has_id                ? child_kind + " " + QuoteId(label)
                            : table == "checkins" ? "a check-in of KPI " + QuoteId(label)
                            : table == "spend"    ? "spend on goal " + QuoteId(label)
                                                  : "a comment on goal " + QuoteId(label);
  const std::string parent = parent_kind + " " + QuoteId(value);

  if (deleted_.count(std::pair<std::string, std::string>(parent_kind, value)) > 0) {
    return std::optional<Error>(Error::Conflict(parent + " cannot be deleted: " + child +
                                                    " still refers to it (" + field +
                                                    "); change or delete that first",
                                                parent_kind, value));
  }
  return std::optional<Error>(Error::NotFound(child + " refers to " + parent + " (" + field +
                                                  "), which does not exist; reload and try again",
                                              has_id ? child_kind : std::string(),
                                              has_id ? label : std::string(), field));
}

Result<void> ApplyRun::CheckReferences() {
  int pending = 0, highwater = 0;
  sqlite3_db_status(db_.handle(), SQLITE_DBSTATUS_DEFERRED_FKS, &pending, &highwater, 0);
  if (pending == 0) return Ok();
  // Only on failure: find the culprit, table by table, referenced kinds first.
  for (std::string_view table :
       {"teams", "people", "cycles", "goals", "kpis", "actions", "experiments", "checkins",
        "comments", "spend"}) {
    auto broken = DescribeBrokenReference(table);
    if (!broken) return broken.error();
    if (*broken) return **broken;
  }
  return Error::Conflict("the change would leave a reference to something that does not exist");
}

}  // namespace

// ---- SqliteStore ----

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path,
                                                       const Clock& clock) {
  auto db = Database::Open(path);
  if (!db) return db.error();
  // busy_timeout: wait up to 5 s for another writer instead of failing at once.
  sqlite3_busy_timeout(db->handle(), 5000);
  // WAL: readers never block the writer. synchronous=FULL: an acknowledged write survives power
  // loss. A ":memory:" database stays in its own journal mode.
  // A 16 MiB page cache: loads scan every table once and gain nothing from more (see
  // kImportCacheSql for the write side).
  for (std::string_view pragma : std::initializer_list<std::string_view>{
           "PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL", "PRAGMA foreign_keys = ON",
           kDefaultCacheSql}) {
    if (auto r = db->Exec(pragma); !r) {
      return sqlite::StorageError(db->handle(), "setting up the database '" + path + "'");
    }
  }
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(*db), path, clock));
}

Result<int> SqliteStore::ReadSchemaVersion() {
  auto text = db_.QueryText("SELECT COALESCE(MAX(version), 0) FROM schema_version");
  if (!text) return text.error();
  // The table is the database's word, not ours: a hand-edited or damaged one is refused, never
  // trusted into an overflow.
  int version = -1;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), version);
  if (ec != std::errc() || end != text->data() + text->size() || version < 0) {
    return Error::Storage("the database's schema_version table holds '" + *text +
                          "', not a schema version this cascade knows; restore a backup");
  }
  return version;
}

Result<void> SqliteStore::Migrate() {
  MutexLock lock(mu_);
  auto tx = Transaction::BeginImmediate(db_);
  if (!tx) return tx.error();
  if (auto r = db_.Exec(SchemaVersionTableSql()); !r) return r;
  auto current = ReadSchemaVersion();
  if (!current) return current.error();
  if (*current > LatestSchemaVersion()) {
    return Error::Storage("the database is at schema version " + std::to_string(*current) +
                          ", newer than this cascade understands (" +
                          std::to_string(LatestSchemaVersion()) + "); upgrade cascade");
  }
  if (*current == LatestSchemaVersion()) return tx->Commit();
  auto record =
      db_.Prepare("INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)");
  if (!record) return record.error();
  const std::string now = clock_.NowUtcText();
  for (const Migration& m : Migrations()) {
    if (m.version <= *current) continue;
    for (std::string_view sql : m.statements) {
      if (auto r = db_.Exec(RenderSql(sql, SqlDialect::kSqlite)); !r) {
        return sqlite::StorageError(db_.handle(),
                                    "migrating the schema to version " + std::to_string(m.version));
      }
    }
    record->Reset();
    record->BindInt64(1, m.version);
    record->BindText(2, m.description);
    record->BindText(3, now);
    if (auto r = record->Run(); !r) return r;
  }
  return tx->Commit();
}

Result<int> SqliteStore::SchemaVersion() {
  MutexLock lock(mu_);
  return ReadSchemaVersion();
}

Result<void> SqliteStore::Backup(const std::string& path) {
  MutexLock lock(mu_);
  // Copy into a side file and rename it into place once verified, so `path` is never a torn copy.
  const std::string partial = path + ".partial";
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((partial + suffix).c_str());
  {
    auto dest = sqlite::Database::Open(partial);
    if (!dest) return dest.error();
    sqlite3_backup* backup = sqlite3_backup_init(dest->handle(), "main", db_.handle(), "main");
    if (backup == nullptr) return sqlite::StorageError(dest->handle(), "starting the backup");
    // One step copies every page under one read transaction: in WAL mode that is a consistent
    // snapshot, and writers on other connections carry on meanwhile.
    int rc = SQLITE_OK;
    for (int attempt = 0; attempt < 200; ++attempt) {
      rc = sqlite3_backup_step(backup, -1);
      if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
      sqlite3_sleep(25);
    }
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE) {
      std::remove(partial.c_str());
      return Error::Storage(std::string("the backup failed: ") + sqlite3_errstr(rc));
    }
  }
  {
    auto copy = sqlite::Database::Open(partial);
    if (!copy) return copy.error();
    auto check = copy->QueryText("PRAGMA integrity_check");
    if (!check || *check != "ok") {
      std::remove(partial.c_str());
      return Error::Storage("the backup copy failed its integrity check: " +
                            (check ? *check : check.error().message));
    }
    // Fold the copy's write-ahead log into the file so that one file is the whole backup.
    if (auto r = copy->Exec("PRAGMA journal_mode=DELETE"); !r) return r;
  }
  if (std::rename(partial.c_str(), path.c_str()) != 0) {
    return Error::Storage("cannot move the backup into place at '" + path + "'");
  }
  return Ok();
}

bool SqliteStore::OpenSideConnections() {
  if (reader_ && pin_) return true;
  if (path_.empty() || path_ == ":memory:" || path_.rfind("file:", 0) == 0) return false;
  auto reader = Database::Open(path_);
  auto pin = Database::Open(path_);
  if (!reader || !pin) return false;
  // The reader scans one table once: a small page cache is enough. The pin never waits: when a
  // writer holds the lock, the load reads on one connection instead.
  sqlite3_busy_timeout(reader->handle(), 5000);
  sqlite3_busy_timeout(pin->handle(), 0);
  if (!reader->Exec(kScanCacheSql)) return false;
  reader_ = std::move(*reader);
  pin_ = std::move(*pin);
  return true;
}

// The largest check-in seq, read outside any transaction: whether a load is large enough to read
// its check-ins on a second connection (the load itself reads it again, in its snapshot).
int64_t MaxCheckinSeq(Database& db) {
  auto text = db.QueryText("SELECT max(seq) FROM checkins");
  return text && !text->empty() ? std::stoll(*text) : 0;
}

Result<Workspace> SqliteStore::Load(const LoadOptions& options) {
  MutexLock lock(mu_);
  // A large workspace's check-ins (about half of a load's time) are read on reader_, on another
  // core, while db_ reads every other table. Both read transactions start while pin_ holds the
  // write lock, so no commit falls between them: they see the same snapshot. When the lock is
  // taken (a write is under way), the file is read-only, or the check-ins are few, everything is
  // read on db_ as one transaction.
  bool pinned = options.checkins &&
                MaxCheckinSeq(db_) >= static_cast<int64_t>(options.parallel_checkins) &&
                OpenSideConnections() && pin_->Exec("BEGIN IMMEDIATE").ok();
  const auto unpin = [this, &pinned]() REQUIRES(mu_) {
    // A pin that cannot let go would hold off every writer: its connection is closed instead.
    if (pinned && !pin_->Exec("ROLLBACK")) pin_.reset();
    pinned = false;
  };
  struct ScanCache {  // the everyday cache size again afterwards
    Database& db;
    ~ScanCache() { (void)db.Exec(kDefaultCacheSql); }
  } scan_cache{db_};
  (void)db_.Exec(kScanCacheSql);
  auto tx = Transaction::BeginRead(db_);  // every table from the same snapshot
  if (!tx) {
    unpin();
    return tx.error();
  }
  auto sizes = ReadSizes(db_);  // the first read: db_'s snapshot
  bool parallel = pinned && sizes && sizes->checkins >= options.parallel_checkins;
  std::optional<Transaction> side_tx;
  if (parallel) {
    auto t = Transaction::BeginRead(*reader_);
    // Its first read starts the reader's snapshot, before the lock is let go.
    if (t && reader_->QueryText("SELECT max(seq) FROM checkins")) {
      side_tx.emplace(std::move(*t));
    } else {
      parallel = false;
    }
  }
  unpin();
  if (!sizes) return sizes.error();

  Workspace ws;
  ws.goals.reserve(sizes->goals);
  ws.kpis.reserve(sizes->kpis);
  std::vector<Checkin> checkins;
  Result<void> side = Ok();
  std::optional<std::jthread> worker;  // declared after side_tx: joined before it ends
  if (parallel) {
    // The worker reads on reader_ while this thread holds mu_ for it, and joins it before
    // letting go: it is handed the connection, not the member (which would need mu_ held).
    Database& reader = *reader_;
    worker.emplace([&reader, &checkins, &side, &sizes, &options] {
      checkins.reserve(sizes->checkins);
      side = LoadCheckins(reader, checkins, options);
    });
  } else if (options.checkins) {
    ws.checkins.reserve(sizes->checkins);
  }
  Result<void> r = LoadTable(db_, ws.teams);
  if (r) r = LoadTable(db_, ws.people);
  if (r) r = LoadTable(db_, ws.goals);
  if (r) r = LoadTable(db_, ws.kpis);
  if (r) r = LoadTable(db_, ws.actions);
  if (r) r = LoadTable(db_, ws.funnels);
  if (r) r = LoadTable(db_, ws.experiments);
  if (r) r = LoadTable(db_, ws.cycles);
  if (r) r = LoadComments(db_, ws.comments);
  if (r) r = LoadReviews(db_, ws.reviews);
  if (r) r = LoadSpend(db_, ws.spend);
  if (r && options.checkins && !parallel) {
    r = LoadCheckins(db_, ws.checkins, options);
  }
  if (worker) {
    worker.reset();  // joins
    if (r) r = side;
    if (r) r = side_tx->Commit();
    ws.checkins = std::move(checkins);
    if (r) ++parallel_loads_;
  }
  if (!r) return r.error();
  if (r = tx->Commit(); !r) return r.error();
  return ws;
}

// The goals of a scoped load, as a WITH clause over two JSON arrays of ids (?1 goals, ?2 KPIs):
// `down` the named goals, the named KPIs' goals and all their descendants; `scope` those and
// every ancestor. Both walks use the goals_parent index and the primary key: time in the part.
constexpr std::string_view kScopeWith = R"(WITH RECURSIVE
  seed(id) AS (SELECT value FROM json_each(?1)
               UNION SELECT goal FROM kpis WHERE id IN (SELECT value FROM json_each(?2))),
  up(id) AS (SELECT id FROM seed
             UNION SELECT g.parent FROM goals g JOIN up ON g.id = up.id
             WHERE g.parent IS NOT NULL),
  down(id) AS (SELECT id FROM seed
               UNION SELECT g.id FROM goals g JOIN down ON g.parent = down.id),
  scope(id) AS (SELECT id FROM up UNION SELECT id FROM down)
)";

// Goals named by a JSON array of ids (?1) with all their ancestors, as a WITH clause (`up`).
constexpr std::string_view kAncestorsWith = R"(WITH RECURSIVE
  up(id) AS (SELECT value FROM json_each(?1)
             UNION SELECT g.parent FROM goals g JOIN up ON g.id = up.id
             WHERE g.parent IS NOT NULL)
)";

// The KPI ids that KPIs among `kpis[from…]` refer to (a formula's inputs, the KPI a benchmark is
// for) and `have` does not hold yet (added to it).
std::vector<std::string> MissingKpiRefs(const std::vector<Kpi>& kpis, size_t from,
                                        std::set<std::string>& have) {
  std::vector<std::string> missing;
  const auto need = [&](const std::string& id) {
    if (have.insert(id).second) missing.push_back(id);
  };
  for (size_t i = from; i < kpis.size(); ++i) {
    if (!kpis[i].benchmark_for.empty()) need(kpis[i].benchmark_for);
    if (kpis[i].formula.empty()) continue;
    auto formula = Formula::Parse(kpis[i].formula);
    if (!formula) continue;  // stored formulas were valid when written; nothing to follow
    for (const std::string& input : formula->inputs()) need(input);
  }
  return missing;
}

// The goals that goals among `goals[from…]` support and `have` does not hold yet.
std::vector<std::string> MissingSupported(const std::vector<Goal>& goals, size_t from,
                                          const std::set<std::string>& have) {
  std::vector<std::string> missing;
  for (size_t i = from; i < goals.size(); ++i) {
    for (const std::string& id : goals[i].supports) {
      if (!have.contains(id)) missing.push_back(id);
    }
  }
  return missing;
}

Result<Workspace> SqliteStore::LoadScope(const ScopeRequest& request) {
  MutexLock lock(mu_);
  auto tx = Transaction::BeginRead(db_);  // every part from the same snapshot
  if (!tx) return tx.error();
  const TextParams params = {json(request.goals).dump(), json(request.kpis).dump()};
  Workspace ws;
  Result<void> r = LoadTable(db_, ws.teams);
  if (r) r = LoadTable(db_, ws.people);
  if (r) r = LoadTable(db_, ws.cycles);  // few; a goal's dates may come from its cycle
  if (r) r = LoadTable(db_, ws.goals, kScopeWith, "WHERE id IN (SELECT id FROM scope)", params);
  // Ancestors come without their KPIs: their progress needs their whole subtree, which is not here.
  if (r) r = LoadTable(db_, ws.kpis, kScopeWith, "WHERE goal IN (SELECT id FROM down)", params);
  // A formula KPI's value reads other KPIs, perhaps of other goals, each in its own goal's window
  // (its start comes from its ancestors): those KPIs, their goals with their ancestors and their
  // check-ins come too, through nested formulas. So do what a write's validation reads of other
  // trees: the KPI a benchmark is for and the goals a goal supports, each goal with its ancestors.
  std::set<std::string> have_kpis;
  for (const Kpi& k : ws.kpis) have_kpis.insert(k.id);
  std::set<std::string> have_goals;
  for (const Goal& g : ws.goals) have_goals.insert(g.id);
  std::vector<std::string> inputs;  // KPIs loaded as references only
  std::vector<std::string> missing = MissingKpiRefs(ws.kpis, 0, have_kpis);
  for (const std::string& id : request.kpi_refs) {
    if (have_kpis.insert(id).second) missing.push_back(id);
  }
  std::vector<std::string> goals = MissingSupported(ws.goals, 0, have_goals);
  for (const std::string& id : request.goal_refs) {
    if (!have_goals.contains(id)) goals.push_back(id);
  }
  while (r && (!missing.empty() || !goals.empty())) {
    const size_t kpis_from = ws.kpis.size();
    if (!missing.empty()) {
      r = LoadTable(db_, ws.kpis, "", "WHERE id IN (SELECT value FROM json_each(?1))",
                    {json(missing).dump()});
      if (!r) break;
    }
    for (size_t i = kpis_from; i < ws.kpis.size(); ++i) {
      inputs.push_back(ws.kpis[i].id);
      goals.push_back(ws.kpis[i].goal);
    }
    const size_t goals_from = ws.goals.size();
    if (!goals.empty()) {
      std::vector<Goal> more;
      r = LoadTable(db_, more, kAncestorsWith, "WHERE id IN (SELECT id FROM up)",
                    {json(goals).dump()});
      for (Goal& g : more) {
        if (have_goals.insert(g.id).second) ws.goals.push_back(std::move(g));
      }
    }
    missing = MissingKpiRefs(ws.kpis, kpis_from, have_kpis);
    goals = MissingSupported(ws.goals, goals_from, have_goals);
  }
  if (r && request.checkins) {
    r = LoadCheckins(db_, ws.checkins, LoadOptions{}, kScopeWith,
                     "WHERE kpi IN (SELECT k.id FROM kpis k WHERE k.goal IN (SELECT id FROM down))",
                     params);
    if (r && !inputs.empty()) {
      r = LoadCheckins(db_, ws.checkins, LoadOptions{}, "",
                       "WHERE kpi IN (SELECT value FROM json_each(?1))", {json(inputs).dump()});
      std::sort(ws.checkins.begin(), ws.checkins.end(),
                [](const Checkin& a, const Checkin& b) { return a.seq < b.seq; });
    }
  }
  if (!r) return r.error();
  if (r = tx->Commit(); !r) return r.error();
  return ws;
}

Result<Applied> SqliteStore::Apply(const ChangeSet& changes, const std::string& actor) {
  if (changes.empty()) return Applied{};
  MutexLock lock(mu_);
  auto tx = Transaction::BeginImmediate(db_);
  if (!tx) return tx.error();
  ApplyRun run(db_, statements_, clock_.NowUtcText(), actor);
  for (const EntityChange& change : changes.changes) {
    if (auto r = run.Change(change); !r) return r.error();
  }
  Result<void> r = run.RecordChanges(changes.checkin_changes);
  if (r) r = run.RecordChanges(changes.comment_changes);
  if (r) r = run.RecordChanges(changes.spend_changes);
  if (r) r = run.Checkins(changes.checkins);
  if (r) r = run.Comments(changes.comments);
  if (r) r = run.SpendRecords(changes.spend);
  if (r) r = run.Reviews(changes.reviews);
  if (r) r = run.Notes(changes.notes);
  if (r) r = run.CheckReferences();
  if (r) r = tx->Commit();
  if (!r) return r.error();
  return std::move(run.applied());
}

sqlite::DataVersionWatch* SqliteStore::Watch() {
  MutexLock lock(watch_mu_);
  if (!watch_opened_) {
    watch_opened_ = true;
    if (!path_.empty() && path_ != ":memory:" && path_.rfind("file:", 0) != 0) {
      watch_ = sqlite::DataVersionWatch::Open(path_);
    }
  }
  return watch_.get();
}

uint64_t SqliteStore::DataVersion() {
  if (path_ == ":memory:") {
    // A private database: only this connection changes it. Counts rows changed, rolled back ones
    // too (a change of version that was none: allowed).
    MutexLock lock(mu_);
    return static_cast<uint64_t>(sqlite3_total_changes64(db_.handle())) + 1;
  }
  sqlite::DataVersionWatch* watch = Watch();
  return watch != nullptr ? watch->Version() : 0;
}

uint64_t SqliteStore::OthersVersion() {
  MutexLock lock(mu_);
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_.handle(), "PRAGMA data_version", -1, &stmt, nullptr) != SQLITE_OK) {
    return 0;
  }
  uint64_t version = 0;
  // Never 0, so that 0 can mean "cannot tell".
  if (sqlite3_step(stmt) == SQLITE_ROW) {
    version = static_cast<uint64_t>(sqlite3_column_int64(stmt, 0)) + 1;
  }
  sqlite3_finalize(stmt);
  return version;
}

bool SqliteStore::reads_shared_memory() {
  sqlite::DataVersionWatch* watch = Watch();
  return watch != nullptr && watch->reads_shared_memory();
}

Result<std::vector<HistoryEntry>> SqliteStore::History(const std::string& entity_id) {
  MutexLock lock(mu_);
  auto stmt =
      db_.Prepare(entity_id.empty() ? R"(SELECT seq, at, actor, kind, entity, op, "before", "after"
                                   FROM history ORDER BY seq)"
                                    : R"(SELECT seq, at, actor, kind, entity, op, "before", "after"
                                   FROM history WHERE entity = ? ORDER BY seq)");
  if (!stmt) return stmt.error();
  if (!entity_id.empty()) stmt->BindText(1, entity_id);
  std::vector<HistoryEntry> out;
  while (true) {
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) return out;
    HistoryEntry& h = out.emplace_back();
    h.seq = stmt->Int64(0);
    h.at = stmt->Text(1);
    h.actor = stmt->Text(2);
    h.kind = stmt->Text(3);
    h.entity = stmt->Text(4);
    h.op = stmt->Text(5);
    h.before = stmt->Text(6);
    h.after = stmt->Text(7);
  }
}

Result<std::vector<HistoryEntry>> SqliteStore::HistorySince(int64_t after_seq, size_t limit) {
  MutexLock lock(mu_);
  auto stmt = db_.Prepare(
      "SELECT seq, at, actor, kind, entity, op FROM history WHERE seq > ? ORDER BY seq LIMIT ?");
  if (!stmt) return stmt.error();
  stmt->BindInt64(1, after_seq);
  stmt->BindInt64(2, static_cast<int64_t>(std::min<size_t>(limit, INT64_MAX)));
  std::vector<HistoryEntry> out;
  while (true) {
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) return out;
    HistoryEntry& h = out.emplace_back();
    h.seq = stmt->Int64(0);
    h.at = stmt->Text(1);
    h.actor = stmt->Text(2);
    h.kind = stmt->Text(3);
    h.entity = stmt->Text(4);
    h.op = stmt->Text(5);
  }
}

Result<std::string> SqliteStore::PragmaValue(std::string_view name) {
  MutexLock lock(mu_);
  // A fixed list: the name becomes part of the SQL text.
  for (std::string_view allowed : {"journal_mode", "foreign_keys", "synchronous", "busy_timeout"}) {
    if (name == allowed) return db_.QueryText("PRAGMA " + std::string(name));
  }
  return Error::Invalid("unknown connection setting '" + std::string(name) + "'");
}

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, const Clock& clock) {
  auto store = SqliteStore::Open(path, clock);
  if (!store) return store.error();
  if (auto r = (*store)->Migrate(); !r) return r.error();
  return std::unique_ptr<Store>(std::move(*store));
}

}  // namespace cascade
