// Applying a ChangeSet inside a write transaction the backend has opened, the same in every
// database: one statement per change, the optimistic version check, one history row per change
// (a large batch of check-ins: one summary row), corrections only while the stored row is as the
// change saw it, and every failure worded for a person. What differs between databases — the
// statement cache, the seq an insert got, how the driver reports a constraint, how a broken
// reference is found, bulk tuning — is the backend's (ApplyBackend).
#pragma once

#include <concepts>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/changeset.h"
#include "core/error.h"
#include "core/id_table.h"
#include "core/model.h"
#include "io/entity_json.h"
#include "store/sql/columns.h"
#include "store/sql/statement.h"
#include "store/sql/tables.h"
#include "store/store.h"

namespace cascade::sql {

// A batch of more check-ins than this is recorded in history as one summary row.
inline constexpr size_t kCheckinHistoryRows = 20;

// Why a write failed, as the backend reads its driver's error.
struct WriteFailure {
  enum Kind { kDuplicate, kMissingValue, kConstraint, kOther };
  Kind kind = kOther;
  // kMissingValue: the column that needs one; kConstraint: the driver's message.
  std::string detail;
};

// A row left referring to nothing: `table`'s row `seq`, its column `field`, which refers to
// `parent_table`.
struct BrokenReference {
  std::string table;
  int64_t seq = 0;
  std::string parent_table;
  std::string field;
};

// What ApplyRun asks of a backend inside its open write transaction:
// - Get(sql): a statement prepared once and kept (reset, bindings cleared); Prepare(sql): one for
//   this use only;
// - InsertedSeq(st): the seq the insert `st` just ran gave its row;
// - FailureOf(st): why `st` failed; StorageError(doing): any other failure, worded;
// - FindBrokenReference(): before COMMIT, a reference the writes left pointing at nothing;
// - Bulk(rows): a guard (B::BulkGuard) held while that many check-ins go in: tuning, undone when
//   it ends; it may do nothing.
template <typename B>
concept ApplyBackend = requires(B b, const typename B::Stmt& st, const std::string& sql,
                                const std::string& doing, size_t rows) {
  requires Statement<typename B::Stmt>;
  { b.Get(sql) } -> std::same_as<Result<typename B::Stmt*>>;
  { b.Prepare(sql) } -> std::same_as<Result<typename B::Stmt>>;
  { b.InsertedSeq(st) } -> std::same_as<int64_t>;
  { b.FailureOf(st) } -> std::same_as<WriteFailure>;
  { b.StorageError(doing) } -> std::same_as<Error>;
  { b.FindBrokenReference() } -> std::same_as<Result<std::optional<BrokenReference>>>;
  { b.Bulk(rows) } -> std::same_as<Result<typename B::BulkGuard>>;
};

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

// One Apply: the open transaction's statements, its timestamp and actor, and what it deleted (to
// tell a cascade from a conflict and to word broken-reference errors).
template <ApplyBackend B>
class ApplyRun {
  using Stmt = typename B::Stmt;

 public:
  ApplyRun(B& db, std::string at, std::string actor)
      : db_(db), at_(std::move(at)), actor_(std::move(actor)) {}

  Result<void> Change(const EntityChange& change);
  Result<void> Checkins(const std::vector<Checkin>& checkins);
  Result<void> Comments(const std::vector<Comment>& comments) {
    return Append(comments, applied_.comment_seqs);
  }
  Result<void> SpendRecords(const std::vector<Spend>& spend) {
    return Append(spend, applied_.spend_seqs);
  }
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
  // Appends comments or spend records (a StoredRecord kind), each with its history row; their
  // seqs go to `seqs`.
  template <typename Record>
  Result<void> Append(const std::vector<Record>& records, std::vector<int64_t>& seqs);
  template <typename T>
  Result<void> Create(const T& after);
  template <typename T>
  Result<void> Update(const T& before, const T& after);
  template <typename T>
  Result<void> Delete(const T& before);
  template <typename T>
  Error StaleError(const T& before);
  // `what` names the record in the message; by default "<kind> '<id>'".
  Error WriteError(const Stmt& s, std::string_view kind, const std::string& id,
                   std::string what = "");
  Result<void> History(std::string_view kind, std::string_view entity, std::string_view op,
                       const std::string& before, const std::string& after);
  // The backend's broken reference, worded: a delete that left something pointing at what it
  // deleted is a conflict, a reference to what never was is not found.
  // (A failure to read the row is the error returned.)
  Error Describe(const BrokenReference& broken);
  // After a correction of record `seq` of `table` matched no row: why, as a conflict.
  Error RecordConflict(std::string_view table, std::string_view kind, int64_t seq,
                       const std::string& what);

  B& db_;
  std::string at_;
  std::string actor_;
  std::set<std::pair<std::string, std::string>, std::less<>> deleted_;  // (kind, id)
  Applied applied_;
};

template <ApplyBackend B>
Result<void> ApplyRun<B>::History(std::string_view kind, std::string_view entity, std::string_view op,
                               const std::string& before, const std::string& after) {
  auto s = db_.Get(kInsertHistorySql);
  if (!s) return s.error();
  Stmt& st = **s;
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

template <ApplyBackend B>
Error ApplyRun<B>::WriteError(const Stmt& s, std::string_view kind, const std::string& id,
                              std::string what) {
  if (what.empty()) what = std::string(kind) + " " + QuoteId(id);
  const WriteFailure failure = db_.FailureOf(s);
  switch (failure.kind) {
    case WriteFailure::kDuplicate:
      return Error::Conflict(what + " already exists; choose another id", std::string(kind), id,
                             "id");
    case WriteFailure::kMissingValue:
      return Error::Invalid(what + " needs a " + failure.detail, std::string(kind), id,
                            failure.detail);
    case WriteFailure::kConstraint:
      return Error::Invalid(what + " cannot be stored: " + failure.detail, std::string(kind), id);
    case WriteFailure::kOther:
      break;
  }
  return db_.StorageError("saving " + what);
}

template <ApplyBackend B>
template <typename T>
Result<void> ApplyRun<B>::Create(const T& after) {
  constexpr std::string_view kind = Table<T>::kKind;
  auto s = db_.Get(InsertSql<T>());
  if (!s) return s.error();
  Stmt& st = **s;
  Table<T>::Bind(st, after);
  st.BindText(static_cast<int>(Table<T>::kColumns.size()) + 1, after.id);
  if (!st.Run()) return WriteError(st, kind, after.id);
  applied_.versions.push_back(1);
  T stored = after;
  stored.version = 1;
  return History(kind, after.id, "create", "", Dump(ToJson(stored)));
}

template <ApplyBackend B>
template <typename T>
Error ApplyRun<B>::StaleError(const T& before) {
  const std::string kind(Table<T>::kKind);
  const std::string what = kind + " " + QuoteId(before.id);
  auto s = db_.Get(VersionSql<T>());
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

template <ApplyBackend B>
template <typename T>
Result<void> ApplyRun<B>::Update(const T& before, const T& after) {
  constexpr std::string_view kind = Table<T>::kKind;
  if (before.id != after.id) {
    return Error::Invalid(std::string(kind) + " " + QuoteId(before.id) + " cannot be renamed to " +
                              QuoteId(after.id) +
                              "; ids never change (create a new one and delete the old one)",
                          std::string(kind), before.id, "id");
  }
  auto s = db_.Get(UpdateSql<T>());
  if (!s) return s.error();
  Stmt& st = **s;
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

template <ApplyBackend B>
template <typename T>
Result<void> ApplyRun<B>::Delete(const T& before) {
  constexpr std::string_view kind = Table<T>::kKind;
  auto s = db_.Get(DeleteSql<T>());
  if (!s) return s.error();
  Stmt& st = **s;
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

template <ApplyBackend B>
Result<void> ApplyRun<B>::Change(const EntityChange& change) {
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

template <ApplyBackend B>
Result<void> ApplyRun<B>::Checkins(const std::vector<Checkin>& checkins) {
  if (checkins.empty()) return Ok();
  const bool per_row = checkins.size() <= kCheckinHistoryRows;
  auto bulk = db_.Bulk(checkins.size());
  if (!bulk) return bulk.error();
  auto s = db_.Get(kInsertCheckinSql);
  if (!s) return s.error();
  Stmt& st = **s;
  DistinctIds kpis;
  applied_.checkin_seqs.reserve(checkins.size());
  for (const Checkin& c : checkins) {
    st.Reset();
    int i = 1;
    StoredRecord<Checkin>::BindNew(st, i, c);
    if (!st.Run()) return WriteError(st, "", "", "a check-in of KPI " + QuoteId(c.kpi));
    applied_.checkin_seqs.push_back(db_.InsertedSeq(st));
    if (per_row) {
      Checkin stored = c;
      stored.seq = applied_.checkin_seqs.back();
      if (auto r = History("checkin", c.kpi, "create", "", Dump(ToJson(stored))); !r) return r;
    } else {
      kpis.Add(c.kpi);
    }
  }
  if (per_row) return Ok();
  nlohmann::json ids = nlohmann::json::array();
  for (std::string_view id : kpis.ids()) ids.push_back(std::string(id));
  const nlohmann::json summary = {{"count", checkins.size()}, {"kpis", std::move(ids)}};
  return History("checkin", "", "import", "", Dump(summary));
}

template <ApplyBackend B>
template <typename Record>
Result<void> ApplyRun<B>::Append(const std::vector<Record>& records, std::vector<int64_t>& seqs) {
  using R = StoredRecord<Record>;
  for (const Record& c : records) {
    auto s = db_.Get(R::InsertSql());
    if (!s) return s.error();
    Stmt& st = **s;
    int i = 1;
    R::BindNew(st, i, c);
    if (!st.Run()) return WriteError(st, "", "", R::New(c));
    Record stored = c;
    stored.seq = db_.InsertedSeq(st);
    seqs.push_back(stored.seq);
    if (auto r = History(R::kKind, R::Parent(c), "create", "", Dump(ToJson(stored))); !r) return r;
  }
  return Ok();
}

template <ApplyBackend B>
Result<void> ApplyRun<B>::Reviews(const std::vector<Review>& reviews) {
  for (const Review& r : reviews) {
    auto s = db_.Get(kInsertReviewSql);
    if (!s) return s.error();
    Stmt& st = **s;
    st.BindDate(1, r.date);
    st.BindText(2, r.team);
    st.BindText(3, r.notes);
    st.BindText(4, SnapshotText(r.snapshot));
    if (!st.Run()) return WriteError(st, "", "", "the review of " + r.date.ToString());
    Review stored = r;
    stored.seq = db_.InsertedSeq(st);
    applied_.review_seqs.push_back(stored.seq);
    if (auto h = History("review", r.team, "create", "", Dump(ToJson(stored))); !h) return h;
  }
  return Ok();
}

template <ApplyBackend B>
Error ApplyRun<B>::RecordConflict(std::string_view table, std::string_view kind, int64_t seq,
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

template <ApplyBackend B>
template <typename Record>
Result<void> ApplyRun<B>::RecordChanges(const std::vector<RecordChange<Record>>& changes) {
  using R = StoredRecord<Record>;
  for (const RecordChange<Record>& c : changes) {
    const Record& b = c.before;
    const std::string what = R::What(b);
    const bool update = c.op == EntityChange::Op::kUpdate;
    if (update && (!c.after || c.after->seq != b.seq)) {
      return Error::Invalid("an update of " + what + " is missing the " + std::string(R::kNoun) +
                            " it makes");
    }
    auto s = db_.Get(update ? R::UpdateSql() : R::DeleteSql());
    if (!s) return s.error();
    Stmt& st = **s;
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
template <ApplyBackend B>
Error ApplyRun<B>::Describe(const BrokenReference& broken) {
  const std::string& table = broken.table;
  const std::string parent_kind(KindOfTable(broken.parent_table));
  const std::string& field = broken.field;
  // Names come from the backend's catalogue of our schema, never from user input.
  const bool has_id = table != "checkins" && table != "comments" && table != "spend";
  const std::string label_column = table == "checkins"                         ? "kpi"
                                   : table == "comments" || table == "spend" ? "goal"
                                                                               : "id";
  auto who = db_.Prepare("SELECT " + field + ", " + label_column + " FROM " + table +
                         " WHERE seq = ?");
  if (!who) return who.error();
  who->BindInt64(1, broken.seq);
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
    return Error::Conflict(parent + " cannot be deleted: " + child + " still refers to it (" +
                               field + "); change or delete that first",
                           parent_kind, value);
  }
  return Error::UnknownReference(child + " refers to " + parent + " (" + field +
                                     "), which does not exist; reload and try again",
                                 has_id ? child_kind : std::string(),
                                 has_id ? label : std::string(), field);
}

template <ApplyBackend B>
Result<void> ApplyRun<B>::CheckReferences() {
  auto broken = db_.FindBrokenReference();
  if (!broken) return broken.error();
  if (!*broken) return Ok();
  return Describe(**broken);
}

}  // namespace cascade::sql
