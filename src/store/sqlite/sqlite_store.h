// The SQLite backend of Store: one database file in WAL mode with foreign keys on.
#pragma once

#include <memory>
#include <string>

#include "core/clock.h"
#include "store/store.h"

namespace cascade {

// Opens or creates the database at `path` (":memory:" for a private in-memory one) and migrates it.
// `clock` stamps history rows; it must outlive the store.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               const Clock& clock = SystemClock());

}  // namespace cascade
