// The tables of the entities and records, the same in every database: each entity kind's table,
// columns, how its values bind to a statement and read back from a row, and the SQL built from
// them (`?` placeholders, numbered in order). A backend prepares and runs these; it does not
// spell them again.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <utility>

#include "core/model.h"
#include "store/sql/columns.h"
#include "store/sql/statement.h"

namespace cascade::sql {

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
  template <Statement S>
  static void Bind(S& s, const Team& t) {
    s.BindText(1, t.name);
    s.BindRef(2, t.parent);
  }
  template <Statement S>
  static std::string_view Read(const S& s, Team& t) {
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
  template <Statement S>
  static void Bind(S& s, const Person& p) {
    s.BindText(1, p.name);
    s.BindText(2, p.email);
    s.BindRef(3, p.team);
    s.BindText(4, ToString(p.role));
  }
  template <Statement S>
  static std::string_view Read(const S& s, Person& p) {
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
  template <Statement S>
  static void Bind(S& s, const Goal& g) {
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
  template <Statement S>
  static std::string_view Read(const S& s, Goal& g) {
    g.title = s.Text(1);
    g.description = s.Text(2);
    auto level = ParseLevel(s.Text(3));
    if (!level) return "level";
    g.level = *level;
    g.parent = s.Text(4);
    g.owner = s.Text(5);
    g.team = s.Text(6);
    g.start = DateColumn(s, 7);
    if (!g.start && !s.IsNull(7)) return "start";
    g.due = DateColumn(s, 8);
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
  template <Statement S>
  static void Bind(S& s, const Kpi& k) {
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
  template <Statement S>
  static std::string_view Read(const S& s, Kpi& k) {
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
  template <Statement S>
  static void Bind(S& s, const Action& a) {
    s.BindRef(1, a.goal);
    s.BindText(2, a.title);
    s.BindRef(3, a.owner);
    s.BindDate(4, a.due);
    s.BindInt64(5, a.done ? 1 : 0);
    s.BindText(6, StringArrayText(a.depends_on));
  }
  template <Statement S>
  static std::string_view Read(const S& s, Action& a) {
    a.goal = s.Text(1);
    a.title = s.Text(2);
    a.owner = s.Text(3);
    a.due = DateColumn(s, 4);
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
  template <Statement S>
  static void Bind(S& s, const Funnel& f) {
    s.BindText(1, f.name);
    s.BindText(2, StringArrayText(f.stages));
  }
  template <Statement S>
  static std::string_view Read(const S& s, Funnel& f) {
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
  template <Statement S>
  static void Bind(S& s, const Experiment& e) {
    s.BindRef(1, e.goal);
    s.BindText(2, e.name);
    s.BindInt64(3, e.control.visitors);
    s.BindInt64(4, e.control.conversions);
    s.BindInt64(5, e.variant.visitors);
    s.BindInt64(6, e.variant.conversions);
  }
  template <Statement S>
  static std::string_view Read(const S& s, Experiment& e) {
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
  template <Statement S>
  static void Bind(S& s, const Cycle& c) {
    s.BindText(1, c.name);
    s.BindDate(2, c.start);
    s.BindDate(3, c.end);
    s.BindText(4, ToString(c.state));
  }
  template <Statement S>
  static std::string_view Read(const S& s, Cycle& c) {
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
inline std::string_view KindOfTable(std::string_view table) {
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

inline const std::string kInsertCheckinSql =
    "INSERT INTO checkins (kpi, date, value, note, author, confidence) VALUES (?, ?, ?, ?, ?, ?)";
inline const std::string kInsertCommentSql =
    "INSERT INTO comments (goal, author, date, text, kind) VALUES (?, ?, ?, ?, ?)";
inline const std::string kInsertSpendSql =
    "INSERT INTO spend (goal, date, amount, note, author) VALUES (?, ?, ?, ?, ?)";
// Corrections of stored check-ins and comments: only while the row is still as the change saw it
// (records have no version; the whole row is the precondition).
inline const std::string kUpdateCheckinSql =
    "UPDATE checkins SET kpi = ?, date = ?, value = ?, note = ?, author = ?, confidence = ? WHERE "
    "seq = ? AND kpi = ? AND date = ? AND value = ? AND note = ? AND COALESCE(author, '') = ? AND "
    "COALESCE(confidence, '') = ?";
inline const std::string kDeleteCheckinSql =
    "DELETE FROM checkins WHERE seq = ? AND kpi = ? AND date = ? AND value = ? AND note = ? AND "
    "COALESCE(author, '') = ? AND COALESCE(confidence, '') = ?";
inline const std::string kUpdateCommentSql =
    "UPDATE comments SET goal = ?, author = ?, date = ?, text = ?, kind = ? WHERE seq = ? AND "
    "goal = ? AND author = ? AND date = ? AND text = ? AND kind = ?";
inline const std::string kDeleteCommentSql =
    "DELETE FROM comments WHERE seq = ? AND goal = ? AND author = ? AND date = ? AND text = ? AND "
    "kind = ?";
inline const std::string kUpdateSpendSql =
    "UPDATE spend SET goal = ?, date = ?, amount = ?, note = ?, author = ? WHERE seq = ? AND "
    "goal = ? AND date = ? AND amount = ? AND note = ? AND COALESCE(author, '') = ?";
inline const std::string kDeleteSpendSql =
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
  template <Statement S>
  static void BindNew(S& st, int& i, const Checkin& c) {
    st.BindText(i++, c.kpi);
    st.BindDate(i++, c.date);
    st.BindDouble(i++, c.value);
    st.BindText(i++, c.note);
    st.BindRef(i++, c.author);
    st.BindRef(i++, ToString(c.confidence));
  }
  template <Statement S>
  static void BindSeen(S& st, int& i, const Checkin& c) {
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
  static const std::string& InsertSql() { return kInsertCommentSql; }
  static const std::string& UpdateSql() { return kUpdateCommentSql; }
  static const std::string& DeleteSql() { return kDeleteCommentSql; }
  static const std::string& Parent(const Comment& c) { return c.goal; }
  static std::string What(const Comment& c) {
    return "comment #" + std::to_string(c.seq) + " on goal " + QuoteId(c.goal);
  }
  static std::string New(const Comment& c) { return "a comment on goal " + QuoteId(c.goal); }
  template <Statement S>
  static void BindNew(S& st, int& i, const Comment& c) {
    st.BindRef(i++, c.goal);
    st.BindText(i++, c.author);
    st.BindDate(i++, c.date);
    st.BindText(i++, c.text);
    st.BindText(i++, ToString(c.kind));
  }
  template <Statement S>
  static void BindSeen(S& st, int& i, const Comment& c) {
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
  static const std::string& InsertSql() { return kInsertSpendSql; }
  static const std::string& UpdateSql() { return kUpdateSpendSql; }
  static const std::string& DeleteSql() { return kDeleteSpendSql; }
  static const std::string& Parent(const Spend& s) { return s.goal; }
  static std::string What(const Spend& s) {
    return "spend #" + std::to_string(s.seq) + " on goal " + QuoteId(s.goal);
  }
  static std::string New(const Spend& s) { return "spend on goal " + QuoteId(s.goal); }
  template <Statement S>
  static void BindNew(S& st, int& i, const Spend& s) {
    st.BindRef(i++, s.goal);
    st.BindDate(i++, s.date);
    st.BindDouble(i++, s.amount);
    st.BindText(i++, s.note);
    st.BindRef(i++, s.author);
  }
  template <Statement S>
  static void BindSeen(S& st, int& i, const Spend& s) {
    st.BindText(i++, s.goal);
    st.BindDate(i++, s.date);
    st.BindDouble(i++, s.amount);
    st.BindText(i++, s.note);
    st.BindText(i++, s.author);
  }
};

inline const std::string kInsertReviewSql =
    "INSERT INTO reviews (date, team, notes, snapshot) VALUES (?, ?, ?, ?)";
inline const std::string kInsertHistorySql =
    R"(INSERT INTO history (at, actor, kind, entity, op, "before", "after")
       VALUES (?, ?, ?, ?, ?, ?, ?))";

}  // namespace cascade::sql
