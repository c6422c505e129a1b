#include "store/sqlite/sqlite_store.h"

#include <algorithm>
#include <array>
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

#include "core/cycles.h"
#include "core/formula.h"
#include "core/id_table.h"
#include "core/mutex.h"
#include "io/entity_json.h"
#include "store/migrations.h"
#include "store/sql/apply.h"
#include "store/sql/history.h"
#include "store/sql/load.h"
#include "store/sql/migrate.h"
#include "store/sql/tables.h"
#include "store/sqlite/sqlite_store_impl.h"

namespace cascade {
namespace {

using nlohmann::json;
using sqlite::Database;
using sqlite::Statement;
using sqlite::StatementCache;
using sqlite::Transaction;
// The database-neutral layer (store/sql/): loading the tables, applying a ChangeSet.
using sql::LoadCheckins;
using sql::LoadComments;
using sql::LoadReviews;
using sql::LoadSpend;
using sql::LoadTable;
using sql::ReadSizes;
using sql::TextParams;

// Page cache sizes (negative: KiB). A large import inserts into the (kpi, date) index all over
// it; keeping those pages cached makes it several times faster than the everyday size.
constexpr std::string_view kDefaultCacheSql = "PRAGMA cache_size = -16384";
constexpr std::string_view kImportCacheSql = "PRAGMA cache_size = -65536";
// A load scans each table once and reads no page twice: a small cache does it as fast, and a full
// one would only hold memory (about 30 MB more peak memory for a status of 100,000 goals).
constexpr std::string_view kScanCacheSql = "PRAGMA cache_size = -2048";
constexpr size_t kLargeImport = 10000;

// ---- Applying a ChangeSet: what is SQLite's own (store/sql/apply.h does the rest) ----

// The ApplyBackend of one SqliteStore::Apply, inside its BEGIN IMMEDIATE.
class SqliteWrite {
 public:
  using Stmt = Statement;

  SqliteWrite(Database& db, StatementCache& cache) : db_(db), cache_(cache) {}

  Result<Statement*> Get(const std::string& sql) { return cache_.Get(db_, sql); }
  Result<Statement> Prepare(const std::string& sql) { return db_.Prepare(sql); }
  int64_t InsertedSeq(const Statement&) const { return db_.last_insert_rowid(); }
  Error StorageError(const std::string& doing) const {
    return sqlite::StorageError(db_.handle(), doing);
  }

  sql::WriteFailure FailureOf(const Statement& s) const {
    const int code = s.last_code();
    if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY) {
      return {sql::WriteFailure::kDuplicate, ""};
    }
    if (code == SQLITE_CONSTRAINT_NOTNULL) {
      // SQLite says "NOT NULL constraint failed: kpis.goal".
      const std::string_view message = sqlite3_errmsg(db_.handle());
      return {sql::WriteFailure::kMissingValue, std::string(message.substr(message.rfind('.') + 1))};
    }
    if ((code & 0xff) == SQLITE_CONSTRAINT) {
      return {sql::WriteFailure::kConstraint, sqlite3_errmsg(db_.handle())};
    }
    return {sql::WriteFailure::kOther, ""};
  }

  // Foreign keys are DEFERRABLE INITIALLY DEFERRED: SQLite counts the violations pending, and
  // only when there are some is each table asked which row, referenced kinds first.
  Result<std::optional<sql::BrokenReference>> FindBrokenReference() {
    int pending = 0, highwater = 0;
    sqlite3_db_status(db_.handle(), SQLITE_DBSTATUS_DEFERRED_FKS, &pending, &highwater, 0);
    if (pending == 0) return std::optional<sql::BrokenReference>();
    for (std::string_view table : {"teams", "people", "cycles", "goals", "kpis", "actions",
                                   "experiments", "checkins", "comments", "spend"}) {
      auto check = db_.Prepare(
          R"(SELECT c."rowid", c."parent", l."from"
             FROM pragma_foreign_key_check(?1) AS c
             JOIN pragma_foreign_key_list(?1) AS l ON l.id = c.fkid
             LIMIT 1)");
      if (!check) return check.error();
      check->BindText(1, table);
      auto row = check->Step();
      if (!row) return row.error();
      if (!*row) continue;
      return std::optional<sql::BrokenReference>(sql::BrokenReference{
          std::string(table), check->Int64(0), std::string(check->Text(1)),
          std::string(check->Text(2))});
    }
    return Error::Conflict("the change would leave a reference to something that does not exist");
  }

  // A large import inserts into the (kpi, date) index all over it: a larger page cache while it
  // runs makes it several times faster.
  class BulkGuard {
   public:
    BulkGuard(Database* db) : db_(db) {}  // NOLINT(google-explicit-constructor)
    BulkGuard(BulkGuard&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}
    BulkGuard& operator=(BulkGuard&&) = delete;
    ~BulkGuard() {
      if (db_ != nullptr) (void)db_->Exec(kDefaultCacheSql);
    }

   private:
    Database* db_;  // null: nothing to undo
  };
  Result<BulkGuard> Bulk(size_t rows) {
    if (rows < kLargeImport) return BulkGuard(nullptr);
    if (auto r = db_.Exec(kImportCacheSql); !r) return r.error();
    return BulkGuard(&db_);
  }

 private:
  Database& db_;
  StatementCache& cache_;
};
static_assert(sql::ApplyBackend<SqliteWrite>);

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

Result<int> SqliteStore::ReadSchemaVersion() { return sql::ReadSchemaVersion(db_); }

Result<void> SqliteStore::Migrate() {
  MutexLock lock(mu_);
  auto tx = Transaction::BeginImmediate(db_);
  if (!tx) return tx.error();
  if (auto r = sql::MigrateSchema(db_, SqlDialect::kSqlite, clock_.NowUtcText()); !r) return r;
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

// A JSON array of the ids or seqs a scoped load binds. Text that is not UTF-8 (a command line's
// argument) names nothing stored, as every stored id is UTF-8: its bad bytes are replaced, not
// thrown on.
template <typename T>
std::string IdArray(const std::vector<T>& items) {
  return json(items).dump(-1, ' ', false, json::error_handler_t::replace);
}

// The goals of a scoped load, as a WITH clause over three JSON arrays of ids (?1 goals, ?2 KPIs,
// ?3 cycles): `down` the named goals, the named KPIs' goals, the named cycles' goals and all their
// descendants; `scope` those and every ancestor. The walks use the goals_parent and goals_cycle
// indexes and the primary key: time in the part.
constexpr std::string_view kScopeWith = R"(WITH RECURSIVE
  seed(id) AS (SELECT value FROM json_each(?1)
               UNION SELECT goal FROM kpis WHERE id IN (SELECT value FROM json_each(?2))
               UNION SELECT id FROM goals WHERE cycle IN (SELECT value FROM json_each(?3))),
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
std::vector<std::string> MissingKpiRefs(const CowVector<Kpi>& kpis, size_t from,
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
std::vector<std::string> MissingSupported(const CowVector<Goal>& goals, size_t from,
                                          const std::set<std::string>& have) {
  std::vector<std::string> missing;
  for (size_t i = from; i < goals.size(); ++i) {
    for (const std::string& id : goals[i].supports) {
      if (!have.contains(id)) missing.push_back(id);
    }
  }
  return missing;
}

// For each id of the JSON array bound as `?param`, the first row of T's table (in creation
// order) that `condition` (over `x`, the row, and `n.value`, the id) holds for, appended to
// `rows`, its id to `to`.
template <typename T, typename Db>
Result<void> LoadFirst(Db& db, CowVector<T>& rows, std::string_view condition, char param,
                       const TextParams& params, std::vector<std::string>& to) {
  const size_t from = rows.size();
  auto r = LoadTable(db, rows, "",
                     "WHERE seq IN (SELECT (SELECT x.seq FROM " +
                         std::string(sql::Table<T>::kName) + " x WHERE " + std::string(condition) +
                         " ORDER BY x.seq LIMIT 1) FROM json_each(?" + param + ") n)",
                     params);
  for (size_t i = from; i < rows.size(); ++i) to.push_back(std::as_const(rows)[i].id);
  return r;
}

// The people `goals` and `actions` name (owners, contributors) and `named`, each once, in the
// order found.
std::vector<std::string> NamedPeople(const CowVector<Goal>& goals, const CowVector<Action>& actions,
                                     const std::vector<std::string>& named) {
  std::vector<std::string> out;
  std::set<std::string_view> seen;
  const auto add = [&](const std::string& id) {
    if (!id.empty() && seen.insert(id).second) out.push_back(id);
  };
  for (const std::string& id : named) add(id);
  for (const Goal& g : goals) {
    add(g.owner);
    for (const std::string& id : g.contributors) add(id);
  }
  for (const Action& a : actions) add(a.owner);
  return out;
}

Result<Workspace> SqliteStore::LoadScope(const ScopeRequest& request) {
  MutexLock lock(mu_);
  auto tx = Transaction::BeginRead(db_);  // every part from the same snapshot
  if (!tx) return tx.error();
  const TextParams params = {IdArray(request.goals), IdArray(request.kpis),
                             IdArray(request.cycles)};
  Workspace ws;
  Result<void> r = LoadTable(db_, ws.teams);
  if (r) r = LoadTable(db_, ws.cycles);  // few; a goal's dates may come from its cycle
  // Stored records a correction names, first: their KPIs and goals come as references.
  std::vector<Checkin> corrected;
  std::vector<std::string> kpi_refs = request.kpi_refs, goal_refs = request.goal_refs;
  constexpr std::string_view kBySeq = "WHERE seq IN (SELECT value FROM json_each(?1))";
  if (r && !request.checkin_seqs.empty()) {
    r = LoadCheckins(db_, corrected, LoadOptions{}, "", kBySeq, {IdArray(request.checkin_seqs)});
    for (const Checkin& c : corrected) kpi_refs.push_back(c.kpi);
  }
  if (r && !request.comment_seqs.empty()) {
    r = LoadComments(db_, ws.comments, kBySeq, {IdArray(request.comment_seqs)});
    for (const Comment& c : ws.comments) goal_refs.push_back(c.goal);
  }
  if (r && !request.spend_seqs.empty()) {
    r = LoadSpend(db_, ws.spend, kBySeq, {IdArray(request.spend_seqs)});
    for (const Spend& x : ws.spend) goal_refs.push_back(x.goal);
  }
  constexpr std::string_view kById = "WHERE id IN (SELECT value FROM json_each(?1))";
  std::vector<std::string> actions = request.actions;
  std::vector<std::string> people = request.people;
  // What a removal must not leave naming nothing (the partial indexes of schema version 8 find
  // the few rows that refer to anything): ?1 the goals named, ?2 the KPIs, ?3 the actions.
  if (r && request.referrers) {
    const std::string goals = IdArray(request.goals), kpis = IdArray(request.kpis);
    CowVector<Goal> supporting;
    r = LoadTable(db_, supporting, "",
                  "WHERE supports <> '[]' AND EXISTS (SELECT 1 FROM json_each(goals.supports) s "
                  "WHERE s.value IN (SELECT value FROM json_each(?1)))",
                  {goals});
    for (const Goal& g : supporting) goal_refs.push_back(g.id);
    // Benchmarks of a KPI named or of a named goal's, and every formula KPI (few), read below.
    // (Each its own query: with OR between them SQLite scans the table instead of two indexes.)
    CowVector<Kpi> reading;
    if (r) {
      r = LoadTable(db_, reading, "",
                    "WHERE benchmark_for <> '' AND benchmark_for IN (SELECT value FROM "
                    "json_each(?2) UNION SELECT id FROM kpis WHERE goal IN (SELECT value FROM "
                    "json_each(?1)))",
                    {goals, kpis});
    }
    if (r) r = LoadTable(db_, reading, "", "WHERE formula <> ''");
    std::set<std::string> named_kpis(request.kpis.begin(), request.kpis.end());
    if (r && !reading.empty() && !request.goals.empty()) {
      CowVector<Kpi> own;
      r = LoadTable(db_, own, "", "WHERE goal IN (SELECT value FROM json_each(?1))", {goals});
      for (const Kpi& k : own) named_kpis.insert(k.id);
    }
    for (const Kpi& k : reading) {
      bool refers = named_kpis.contains(k.benchmark_for);
      if (!k.formula.empty()) {
        if (auto f = Formula::Parse(k.formula); f) {
          for (const std::string& in : f->inputs()) refers |= named_kpis.contains(in);
        }
      }
      if (refers) kpi_refs.push_back(k.id);
    }
    if (r) r = LoadTable(db_, ws.funnels);  // few; their stages are not needed
    if (r) {
      r = LoadTable(db_, ws.experiments, "",
                    "WHERE goal IN (SELECT value FROM json_each(?1)) OR id IN (SELECT value FROM "
                    "json_each(?2))",
                    {goals, IdArray(request.experiments)});
    }
    for (const Experiment& e : ws.experiments) goal_refs.push_back(e.goal);
    // The named goals' actions, and those depending on a named action or on one of those.
    CowVector<Action> acting;
    if (r) {
      r = LoadTable(db_, acting, "", "WHERE goal IN (SELECT value FROM json_each(?1))", {goals});
    }
    if (r) {
      r = LoadTable(db_, acting, "",
                    "WHERE depends_on <> '[]' AND EXISTS (SELECT 1 FROM json_each(actions.depends_on) "
                    "d WHERE d.value IN (SELECT value FROM json_each(?2)) OR d.value IN (SELECT "
                    "a.id FROM actions a WHERE a.goal IN (SELECT value FROM json_each(?1))))",
                    {goals, IdArray(request.actions)});
    }
    for (const Action& a : acting) actions.push_back(a.id);
    // The first of each kind naming a team or person removed (?1 the teams, ?2 the people), each
    // found through its index in creation order: its id goes to `to`.
    const TextParams named = {IdArray(request.teams), IdArray(request.people)};
    if (!request.teams.empty() || !request.people.empty()) {
      CowVector<Goal> goals_naming;
      CowVector<Person> members;
      CowVector<Action> owned;
      if (r) r = LoadFirst(db_, goals_naming, "x.team = n.value", '1', named, goal_refs);
      if (r) r = LoadFirst(db_, members, "x.team = n.value", '1', named, people);
      if (r) r = LoadFirst(db_, goals_naming, "x.owner = n.value", '2', named, goal_refs);
      if (r) {
        r = LoadFirst(db_, goals_naming,
                      "x.contributors <> '[]' AND EXISTS (SELECT 1 FROM json_each(x.contributors) "
                      "c WHERE c.value = n.value)",
                      '2', named, goal_refs);
      }
      if (r) r = LoadFirst(db_, owned, "x.owner = n.value", '2', named, actions);
    }
  } else {
    // Funnels and experiments named: their stages and goals come as references.
    if (r && !request.funnels.empty()) {
      r = LoadTable(db_, ws.funnels, "", kById, {IdArray(request.funnels)});
      for (const Funnel& f : ws.funnels) {
        kpi_refs.insert(kpi_refs.end(), f.stages.begin(), f.stages.end());
      }
    }
    if (r && !request.experiments.empty()) {
      r = LoadTable(db_, ws.experiments, "", kById, {IdArray(request.experiments)});
      for (const Experiment& e : ws.experiments) goal_refs.push_back(e.goal);
    }
  }
  // Actions named, and those they depend on through chains (validation reads each one's
  // dependencies); their goals come as references.
  std::set<std::string> have_actions;
  std::vector<std::string> want;
  for (const std::string& a : actions) {
    if (have_actions.insert(a).second) want.push_back(a);
  }
  while (r && !want.empty()) {
    const size_t from = ws.actions.size();
    r = LoadTable(db_, ws.actions, "", "WHERE id IN (SELECT value FROM json_each(?1))",
                  {IdArray(want)});
    want.clear();
    for (size_t i = from; r && i < ws.actions.size(); ++i) {
      const Action& a = std::as_const(ws.actions)[i];
      goal_refs.push_back(a.goal);
      for (const std::string& dep : a.depends_on) {
        if (have_actions.insert(dep).second) want.push_back(dep);
      }
    }
  }
  if (r) r = LoadTable(db_, ws.goals, kScopeWith, "WHERE id IN (SELECT id FROM scope)", params);
  // Ancestors come without their KPIs: their progress needs their whole subtree, which is not here.
  if (r) r = LoadTable(db_, ws.kpis, kScopeWith, "WHERE goal IN (SELECT id FROM down)", params);
  // `goal copy`: the goals and KPIs holding an id a copy could take (few: earlier copies into the
  // same cycle), found by primary-key ranges, one per stem.
  if (r && !request.copy_into.empty()) {
    std::vector<std::string> goal_stems, kpi_stems;
    for (const Goal& g : ws.goals) goal_stems.push_back(CopyIdStem(g.id, request.copy_into));
    for (const Kpi& k : ws.kpis) kpi_stems.push_back(CopyIdStem(k.id, request.copy_into));
    const auto starting = [](std::string_view table) {
      return "WHERE id IN (SELECT t.id FROM json_each(?1) p JOIN " + std::string(table) +
             " t ON t.id >= p.value AND t.id < p.value || char(127) AND substr(t.id, 1, "
             "length(p.value)) = p.value)";
    };
    CowVector<Goal> taken_goals;
    r = LoadTable(db_, taken_goals, "", starting("goals"), {IdArray(goal_stems)});
    for (const Goal& g : taken_goals) goal_refs.push_back(g.id);
    CowVector<Kpi> taken_kpis;
    if (r) r = LoadTable(db_, taken_kpis, "", starting("kpis"), {IdArray(kpi_stems)});
    for (const Kpi& k : taken_kpis) kpi_refs.push_back(k.id);
  }
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
  for (const std::string& id : kpi_refs) {
    if (have_kpis.insert(id).second) missing.push_back(id);
  }
  std::vector<std::string> goals = MissingSupported(ws.goals, 0, have_goals);
  for (const std::string& id : goal_refs) {
    if (!have_goals.contains(id)) goals.push_back(id);
  }
  while (r && (!missing.empty() || !goals.empty())) {
    const size_t kpis_from = ws.kpis.size();
    if (!missing.empty()) {
      r = LoadTable(db_, ws.kpis, "", "WHERE id IN (SELECT value FROM json_each(?1))",
                    {IdArray(missing)});
      if (!r) break;
    }
    for (size_t i = kpis_from; i < ws.kpis.size(); ++i) {
      inputs.push_back(ws.kpis[i].id);
      goals.push_back(ws.kpis[i].goal);
    }
    const size_t goals_from = ws.goals.size();
    if (!goals.empty()) {
      CowVector<Goal> more;
      r = LoadTable(db_, more, kAncestorsWith, "WHERE id IN (SELECT id FROM up)",
                    {IdArray(goals)});
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
                       "WHERE kpi IN (SELECT value FROM json_each(?1))", {IdArray(inputs)});
      std::sort(ws.checkins.begin(), ws.checkins.end(),
                [](const Checkin& a, const Checkin& b) { return a.seq < b.seq; });
    }
  }
  if (r && !corrected.empty()) {
    std::set<int64_t> have;
    for (const Checkin& c : ws.checkins) have.insert(c.seq);
    for (Checkin& c : corrected) {
      if (!have.contains(c.seq)) ws.checkins.push_back(std::move(c));
    }
    std::sort(ws.checkins.begin(), ws.checkins.end(),
              [](const Checkin& a, const Checkin& b) { return a.seq < b.seq; });
  }
  // People last: those the loaded goals name, not the whole organisation.
  if (r) {
    r = LoadTable(db_, ws.people, "", "WHERE id IN (SELECT value FROM json_each(?1))",
                  {IdArray(NamedPeople(ws.goals, ws.actions, people))});
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
  SqliteWrite write(db_, statements_);
  sql::ApplyRun<SqliteWrite> run(write, clock_.NowUtcText(), actor);
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
  return sql::ReadHistory(db_, entity_id);
}

Result<std::vector<HistoryEntry>> SqliteStore::HistorySince(int64_t after_seq, size_t limit) {
  MutexLock lock(mu_);
  return sql::ReadHistorySince(db_, after_seq, limit);
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
