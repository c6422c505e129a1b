#include "store/store.h"

#include "store/sqlite/sqlite_store.h"

namespace cascade {

Result<std::unique_ptr<Store>> OpenStore(const std::string& url) {
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    return Error::Storage("PostgreSQL storage is not available in this build yet; use a SQLite path");
  }
  if (url.rfind("sqlite:", 0) == 0) return OpenSqliteStore(url.substr(7));
  if (url.empty()) return Error::Invalid("the database URL is empty", "", "", "db");
  return OpenSqliteStore(url);
}

}  // namespace cascade
