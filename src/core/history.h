// One row of the append-only history (spec §1): who changed what when, with the JSON before and after.
#pragma once

#include <cstdint>
#include <string>

namespace cascade {

struct HistoryEntry {
  int64_t seq = 0;
  std::string at;      // UTC timestamp, ISO 8601 (2026-03-01T09:30:00Z)
  std::string actor;   // person id or account name; "" when unknown
  std::string kind;    // "goal", "kpi", "checkin", …
  std::string entity;  // the entity's id
  std::string op;      // "create", "update", "delete", "import"
  std::string before;  // JSON object, "" for a create
  std::string after;   // JSON object, "" for a delete
};

}  // namespace cascade
