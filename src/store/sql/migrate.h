// The schema's versions, the same in every database: the version a database is at (read from
// schema_version, never trusted past what this cascade knows), and the migrations after it run in
// order, each recorded with its time. The caller holds the write transaction around both.
#pragma once

#include <charconv>
#include <string>
#include <string_view>

#include "core/error.h"
#include "store/migrations.h"
#include "store/sql/statement.h"

namespace cascade::sql {

template <Connection Db>
Result<int> ReadSchemaVersion(Db& db) {
  auto stmt = db.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_version");
  if (!stmt) return stmt.error();
  auto row = stmt->Step();
  if (!row) return row.error();
  const std::string text = *row ? std::string(stmt->Text(0)) : "";
  // The table is the database's word, not ours: a hand-edited or damaged one is refused, never
  // trusted into an overflow.
  int version = -1;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), version);
  if (ec != std::errc() || end != text.data() + text.size() || version < 0) {
    return Error::Storage("the database's schema_version table holds '" + text +
                          "', not a schema version this cascade knows; restore a backup");
  }
  return version;
}

// Creates schema_version if needed and runs every migration after the database's version,
// stamped `now`; refuses a database newer than this cascade.
template <Connection Db>
Result<void> MigrateSchema(Db& db, SqlDialect dialect, const std::string& now) {
  auto run = [&db](std::string_view sql) -> Result<void> {
    auto stmt = db.Prepare(sql);
    if (!stmt) return stmt.error();
    return stmt->Run();
  };
  if (auto r = run(SchemaVersionTableSql()); !r) return r;
  auto current = ReadSchemaVersion(db);
  if (!current) return current.error();
  if (*current > LatestSchemaVersion()) {
    return Error::Storage("the database is at schema version " + std::to_string(*current) +
                          ", newer than this cascade understands (" +
                          std::to_string(LatestSchemaVersion()) + "); upgrade cascade");
  }
  for (const Migration& m : Migrations()) {
    if (m.version <= *current) continue;
    for (std::string_view sql : m.statements) {
      if (auto r = run(RenderSql(sql, dialect)); !r) {
        Error e = r.error();
        e.message = "migrating the schema to version " + std::to_string(m.version) + ": " +
                    e.message;
        return e;
      }
    }
    auto record = db.Prepare(
        "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)");
    if (!record) return record.error();
    record->BindInt64(1, m.version);
    record->BindText(2, m.description);
    record->BindText(3, now);
    if (auto r = record->Run(); !r) return r;
  }
  return Ok();
}

}  // namespace cascade::sql
