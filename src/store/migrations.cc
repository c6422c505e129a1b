#include "store/migrations.h"

namespace cascade {
namespace {

// Conventions: every entity table has `seq` (creation order; Load sorts by it), a unique `id` that
// other tables reference, and `version` (optimistic concurrency). An empty reference is NULL; free
// text is '' when empty; dates are 'YYYY-MM-DD'; lists are JSON arrays of strings. A goal's or
// KPI's dependents go with it (ON DELETE CASCADE); a team, person or parent goal that is still
// referenced cannot be deleted (the deferred check fails at COMMIT).
const std::vector<Migration> kMigrations = {
    {1,
     "initial schema",
     {
         R"(CREATE TABLE teams (
  seq {serial},
  id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  parent TEXT REFERENCES teams (id) DEFERRABLE INITIALLY DEFERRED,
  version BIGINT NOT NULL
))",
         "CREATE INDEX teams_parent ON teams (parent)",

         R"(CREATE TABLE people (
  seq {serial},
  id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  email TEXT NOT NULL,
  team TEXT REFERENCES teams (id) DEFERRABLE INITIALLY DEFERRED,
  role TEXT NOT NULL,
  version BIGINT NOT NULL
))",
         "CREATE INDEX people_team ON people (team)",

         R"(CREATE TABLE goals (
  seq {serial},
  id TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  level TEXT NOT NULL,
  parent TEXT REFERENCES goals (id) DEFERRABLE INITIALLY DEFERRED,
  owner TEXT REFERENCES people (id) DEFERRABLE INITIALLY DEFERRED,
  team TEXT REFERENCES teams (id) DEFERRABLE INITIALLY DEFERRED,
  start TEXT,
  due TEXT,
  weight DOUBLE PRECISION NOT NULL,
  priority TEXT NOT NULL,
  growth_potential DOUBLE PRECISION NOT NULL,
  budget_min DOUBLE PRECISION NOT NULL,
  budget_max DOUBLE PRECISION,
  channel TEXT NOT NULL,
  stage TEXT,
  state TEXT NOT NULL,
  tags TEXT NOT NULL,
  version BIGINT NOT NULL
))",
         "CREATE INDEX goals_parent ON goals (parent)",
         "CREATE INDEX goals_owner ON goals (owner)",
         "CREATE INDEX goals_team ON goals (team)",

         R"(CREATE TABLE kpis (
  seq {serial},
  id TEXT NOT NULL UNIQUE,
  goal TEXT NOT NULL REFERENCES goals (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  name TEXT NOT NULL,
  unit TEXT NOT NULL,
  kind TEXT NOT NULL,
  baseline DOUBLE PRECISION,
  target DOUBLE PRECISION NOT NULL,
  direction TEXT,
  weight DOUBLE PRECISION NOT NULL,
  cadence_days INTEGER NOT NULL,
  source TEXT NOT NULL,
  version BIGINT NOT NULL
))",
         "CREATE INDEX kpis_goal ON kpis (goal)",

         R"(CREATE TABLE checkins (
  seq {serial},
  kpi TEXT NOT NULL REFERENCES kpis (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  date TEXT NOT NULL,
  value DOUBLE PRECISION NOT NULL,
  note TEXT NOT NULL,
  author TEXT
))",
         // author is free text, not a reference: check-ins arrive from analytics tools and CSV
         // exports whose authors need not be people of the workspace.
         "CREATE INDEX checkins_kpi_date ON checkins (kpi, date)",

         R"(CREATE TABLE actions (
  seq {serial},
  id TEXT NOT NULL UNIQUE,
  goal TEXT NOT NULL REFERENCES goals (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  title TEXT NOT NULL,
  owner TEXT REFERENCES people (id) DEFERRABLE INITIALLY DEFERRED,
  due TEXT,
  done INTEGER NOT NULL,
  depends_on TEXT NOT NULL,
  version BIGINT NOT NULL
))",
         "CREATE INDEX actions_goal ON actions (goal)",
         "CREATE INDEX actions_owner ON actions (owner)",

         R"(CREATE TABLE funnels (
  seq {serial},
  id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  stages TEXT NOT NULL,
  version BIGINT NOT NULL
))",

         R"(CREATE TABLE experiments (
  seq {serial},
  id TEXT NOT NULL UNIQUE,
  goal TEXT REFERENCES goals (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  name TEXT NOT NULL,
  control_visitors BIGINT NOT NULL,
  control_conversions BIGINT NOT NULL,
  variant_visitors BIGINT NOT NULL,
  variant_conversions BIGINT NOT NULL,
  version BIGINT NOT NULL
))",
         "CREATE INDEX experiments_goal ON experiments (goal)",

         R"(CREATE TABLE comments (
  seq {serial},
  goal TEXT NOT NULL REFERENCES goals (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  author TEXT NOT NULL,
  date TEXT NOT NULL,
  text TEXT NOT NULL
))",
         "CREATE INDEX comments_goal ON comments (goal)",

         // A review is a record of a meeting: its team and snapshot stay as they were.
         R"(CREATE TABLE reviews (
  seq {serial},
  date TEXT NOT NULL,
  team TEXT NOT NULL,
  notes TEXT NOT NULL,
  snapshot TEXT NOT NULL
))",

         // Append-only; before/after are JSON objects (NULL for a create's before, a delete's
         // after). Deleted entities keep their history, so no foreign keys here.
         R"(CREATE TABLE history (
  seq {serial},
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  kind TEXT NOT NULL,
  entity TEXT NOT NULL,
  op TEXT NOT NULL,
  "before" TEXT,
  "after" TEXT
))",
         "CREATE INDEX history_entity ON history (entity)",
     }},
    // Accounts for the server. Secrets are stored only as hashes; times are unix seconds. An
    // account's person is not a foreign key: people come and go with the workspace (plans, demo,
    // `person rm`) while sign-in stays, and a person who is gone simply gives the account no team.
    {2,
     "accounts, API tokens, sessions and failed sign-ins",
     {
         R"(CREATE TABLE accounts (
  seq {serial},
  name TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL,
  person TEXT,
  password_hash TEXT NOT NULL,
  version BIGINT NOT NULL
))",

         R"(CREATE TABLE api_tokens (
  seq {serial},
  id TEXT NOT NULL UNIQUE,
  account TEXT NOT NULL REFERENCES accounts (name) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  secret_hash TEXT NOT NULL UNIQUE,
  label TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  revoked INTEGER NOT NULL
))",
         "CREATE INDEX api_tokens_account ON api_tokens (account)",

         R"(CREATE TABLE sessions (
  seq {serial},
  id_hash TEXT NOT NULL UNIQUE,
  account TEXT NOT NULL REFERENCES accounts (name) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  csrf_token TEXT NOT NULL,
  expires_at BIGINT NOT NULL
))",
         "CREATE INDEX sessions_account ON sessions (account)",
         "CREATE INDEX sessions_expires_at ON sessions (expires_at)",

         // One row per failed sign-in, keyed by account name or client address; rows older than
         // the rate-limit window are deleted as new ones arrive.
         R"(CREATE TABLE login_failures (
  seq {serial},
  subject TEXT NOT NULL,
  at BIGINT NOT NULL
))",
         "CREATE INDEX login_failures_subject_at ON login_failures (subject, at)",
         "CREATE INDEX login_failures_at ON login_failures (at)",
     }},
    // Status reads every check-in's KPI, date, order and value, grouped by KPI and by date (the
    // order the roll-up needs): from this index alone, never the table. It also serves whatever
    // the index it replaces served (one KPI's check-ins by date).
    {3,
     "check-ins indexed by KPI, date, order recorded and value",
     {
         "CREATE INDEX checkins_kpi_date_seq_value ON checkins (kpi, date, seq, value)",
         "DROP INDEX checkins_kpi_date",
     }},
    // Goals as marketers write them (spec §1): the people who share the owner's accountability,
    // the goals it also serves beyond its parent (JSON arrays of ids, as tags are), its audience.
    {4,
     "goal contributors, supports and segment",
     {
         "ALTER TABLE goals ADD COLUMN contributors TEXT NOT NULL DEFAULT '[]'",
         "ALTER TABLE goals ADD COLUMN supports TEXT NOT NULL DEFAULT '[]'",
         "ALTER TABLE goals ADD COLUMN segment TEXT NOT NULL DEFAULT ''",
     }},
    // KPI kinds of issue 15: a target written relative to the baseline ("+10%", kept as written
    // beside the resolved number in `target`), formula KPIs and benchmark KPIs. References in a
    // formula and `benchmark_for` are checked by validation, as funnel stages are.
    {5,
     "relative targets, formula and benchmark KPIs",
     {
         "ALTER TABLE kpis ADD COLUMN target_written TEXT NOT NULL DEFAULT ''",
         "ALTER TABLE kpis ADD COLUMN formula TEXT NOT NULL DEFAULT ''",
         "ALTER TABLE kpis ADD COLUMN benchmark_for TEXT NOT NULL DEFAULT ''",
     }},
    // Issues 15 and 16. A check-in's confidence is NULL when it gives none; the few that do are
    // read from a partial index, so status's covering scan of check-ins stays as it was. Spend is
    // a record like a check-in: addressed by seq, gone with its goal, its author free text.
    {6,
     "check-in confidence, comment kinds and spend",
     {
         "ALTER TABLE checkins ADD COLUMN confidence TEXT",
         "CREATE INDEX checkins_confidence ON checkins (seq, confidence) WHERE confidence IS NOT "
         "NULL",
         "ALTER TABLE comments ADD COLUMN kind TEXT NOT NULL DEFAULT 'comment'",
         R"(CREATE TABLE spend (
  seq {serial},
  goal TEXT NOT NULL REFERENCES goals (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  date TEXT NOT NULL,
  amount DOUBLE PRECISION NOT NULL,
  note TEXT NOT NULL,
  author TEXT
))",
         "CREATE INDEX spend_goal ON spend (goal, date)",
     }},
    // Cycles (issue 15): planning periods. A goal's cycle is NULL when it has none; a cycle that
    // goals still refer to cannot be deleted. `end` is a keyword in SQL, hence end_date.
    {7,
     "cycles",
     {
         R"(CREATE TABLE cycles (
  seq {serial},
  id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  start TEXT NOT NULL,
  end_date TEXT NOT NULL,
  state TEXT NOT NULL,
  version BIGINT NOT NULL
))",
         "ALTER TABLE goals ADD COLUMN cycle TEXT REFERENCES cycles (id) DEFERRABLE INITIALLY "
         "DEFERRED",
         "CREATE INDEX goals_cycle ON goals (cycle)",
     }},
    // What a removal must not leave naming nothing (issue 13): the goals that support another,
    // the KPIs that benchmark or read another, the actions that depend on another. Partial
    // indexes: the few rows that refer to anything, found without a scan of their table (keyed
    // by seq, the order a load reads rows in, or SQLite scans the table to avoid a sort).
    {8,
     "indexes of what refers to a goal, KPI or action",
     {
         "CREATE INDEX goals_supporting ON goals (seq) WHERE supports <> '[]'",
         "CREATE INDEX kpis_benchmark_for ON kpis (benchmark_for) WHERE benchmark_for <> ''",
         "CREATE INDEX kpis_formula ON kpis (seq) WHERE formula <> ''",
         "CREATE INDEX actions_depending ON actions (seq) WHERE depends_on <> '[]'",
     }},
    // The goals with contributors, in creation order: the first a person removed contributes to.
    {9,
     "index of the goals with contributors",
     {
         "CREATE INDEX goals_contributing ON goals (seq) WHERE contributors <> '[]'",
     }},
};

}  // namespace

const std::vector<Migration>& Migrations() { return kMigrations; }

int LatestSchemaVersion() { return kMigrations.back().version; }

std::string_view SchemaVersionTableSql() {
  return R"(CREATE TABLE IF NOT EXISTS schema_version (
  version INTEGER NOT NULL PRIMARY KEY,
  description TEXT NOT NULL,
  applied_at TEXT NOT NULL
))";
}

std::string RenderSql(std::string_view sql, SqlDialect dialect) {
  // In SQLite exactly `INTEGER PRIMARY KEY` makes the column the row id: numbered on insert,
  // increasing, and the order rows are stored and scanned in.
  const std::string_view serial = dialect == SqlDialect::kSqlite
                                      ? "INTEGER PRIMARY KEY"
                                      : "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
  constexpr std::string_view kToken = "{serial}";
  std::string out;
  out.reserve(sql.size() + 40);
  size_t pos = 0;
  while (true) {
    const size_t hit = sql.find(kToken, pos);
    if (hit == std::string_view::npos) break;
    out.append(sql.substr(pos, hit - pos)).append(serial);
    pos = hit + kToken.size();
  }
  out.append(sql.substr(pos));
  return out;
}

}  // namespace cascade
