#include "store/store.h"

#include <charconv>
#include <variant>

#include "store/sqlite/sqlite_store.h"

namespace cascade {

std::vector<int64_t> SeqsNamed(std::string_view text) {
  int64_t seq = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seq);
  // Only the form a seq is written in: what a lookup by std::to_string(seq) would find.
  if (ec != std::errc() || end != text.data() + text.size() || std::to_string(seq) != text) {
    return {};
  }
  return {seq};
}

void StampApplied(ChangeSet& changes, const Applied& applied) {
  for (size_t i = 0; i < changes.checkins.size() && i < applied.checkin_seqs.size(); ++i) {
    changes.checkins[i].seq = applied.checkin_seqs[i];
  }
  for (size_t i = 0; i < changes.comments.size() && i < applied.comment_seqs.size(); ++i) {
    changes.comments[i].seq = applied.comment_seqs[i];
  }
  for (size_t i = 0; i < changes.reviews.size() && i < applied.review_seqs.size(); ++i) {
    changes.reviews[i].seq = applied.review_seqs[i];
  }
  for (size_t i = 0; i < changes.spend.size() && i < applied.spend_seqs.size(); ++i) {
    changes.spend[i].seq = applied.spend_seqs[i];
  }
  for (size_t i = 0; i < changes.changes.size() && i < applied.versions.size(); ++i) {
    if (auto& after = changes.changes[i].after) {
      std::visit([&](auto& e) { e.version = applied.versions[i]; }, *after);
    }
  }
}

Result<std::unique_ptr<Store>> OpenStore(const std::string& url, const Clock& clock) {
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    return Error::Storage("PostgreSQL storage is not available in this build yet; use a SQLite path");
  }
  if (url.rfind("sqlite:", 0) == 0) return OpenSqliteStore(url.substr(7), clock);
  if (url.empty()) return Error::Invalid("the database URL is empty", "", "", "db");
  return OpenSqliteStore(url, clock);
}

}  // namespace cascade
