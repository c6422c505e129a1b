// The database schema as an ordered list of migration steps. Step N takes a database from schema
// version N-1 to N; the `schema_version` table records every step a database has run. Steps are
// only ever appended: a released step never changes.
//
// The SQL is meant for SQLite and PostgreSQL alike (TEXT, BIGINT, INTEGER, DOUBLE PRECISION,
// foreign keys DEFERRABLE INITIALLY DEFERRED). The one thing the two spell differently, an
// auto-numbered primary key, is written `{serial}` and filled in by RenderSql.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cascade {

struct Migration {
  int version = 0;
  std::string_view description;
  std::vector<std::string_view> statements;  // run in order, one statement each
};

enum class SqlDialect { kSqlite, kPostgres };

// Every step, oldest first; versions are 1, 2, 3, … without gaps.
const std::vector<Migration>& Migrations();
// The version a fully migrated database is at.
int LatestSchemaVersion();
// `CREATE TABLE IF NOT EXISTS schema_version …`: run before reading the version.
std::string_view SchemaVersionTableSql();
// `sql` with `{serial}` replaced by the dialect's auto-numbered BIGINT primary key.
std::string RenderSql(std::string_view sql, SqlDialect dialect);

}  // namespace cascade
