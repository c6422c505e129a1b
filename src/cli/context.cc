#include "cli/context.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "cli/terminal_text.h"
#include "core/apply_changes.h"
#include "store/mutate.h"

namespace cascade {

int ExitCodeFor(const Error& error) {
  switch (error.code) {
    case ErrorCode::kStorage:
    case ErrorCode::kBusy:
      return kExitStorage;
    case ErrorCode::kInvalid:
    case ErrorCode::kNotFound:
    case ErrorCode::kConflict:
    case ErrorCode::kForbidden:
    case ErrorCode::kUnauthenticated:
    case ErrorCode::kRateLimited:
      return kExitUsage;
  }
  return kExitUsage;
}

int Context::Fail(const Error& error) const {
  std::cerr << "error: " << Visible(error.ToString()) << "\n";
  return ExitCodeFor(error);
}

int Context::Fail(const Errors& errors) const {
  for (const Error& e : errors) std::cerr << "error: " << Visible(e.ToString()) << "\n";
  return errors.empty() ? kExitUsage : ExitCodeFor(errors.front());
}

Result<Date> Context::AsOf() const {
  if (as_of_text.empty()) return Today();
  const auto d = Date::Parse(as_of_text);
  if (!d) {
    return Error::Invalid("--as-of '" + as_of_text + "' is not a date; use YYYY-MM-DD", "", "",
                          "as_of");
  }
  if (!IsEntryDate(*d)) {
    return Error::Invalid("--as-of " + as_of_text +
                              " is outside the dates Cascade accepts; use a date from " +
                              EntryDateRangeText(),
                          "", "", "as_of");
  }
  return *d;
}

std::string Context::Actor() {
  for (const char* var : {"CASCADE_ACTOR", "USER"}) {
    if (const char* v = std::getenv(var); v != nullptr && *v != '\0') return v;
  }
  return "cli";
}

Result<void> Context::CheckAuthor(const WorkspaceIndex& index, const std::string& author) {
  if (index.person(author) >= 0) return Ok();
  return Error::Invalid("author '" + author +
                            "' is not a person of the workspace; --author takes a person's id "
                            "(`cascade person list` shows them)",
                        "person", author, "author");
}

Result<std::string> Context::Author(const WorkspaceIndex& index, const std::string& given) {
  if (!given.empty()) {
    if (auto r = CheckAuthor(index, given); !r) return r.error();
    return given;
  }
  const char* env = std::getenv("CASCADE_PERSON");
  if (env != nullptr && *env != '\0') {
    if (index.person(env) >= 0) return std::string(env);
    return Error::Invalid("CASCADE_PERSON '" + std::string(env) +
                              "' is not a person of the workspace; set it to your person id "
                              "(`cascade person list` shows them) or give --author",
                          "person", env, "author");
  }
  // An author is a person of the workspace (spec §1): the actor when it is one, else nobody (the
  // history still names the actor). A name that is no person would make the workspace's export a
  // plan that `apply` refuses.
  std::string actor = Actor();
  if (index.person(actor) >= 0) return actor;
  return std::string();
}

std::string Context::NamedAuthor(const std::string& given) {
  if (!given.empty()) return given;
  const char* env = std::getenv("CASCADE_PERSON");
  if (env != nullptr && *env != '\0') return env;
  return Actor();
}

ScopeRequest Context::RecordScope(const std::string& goal, const std::string& author) {
  return ScopeRequest{.goal_refs = {goal}, .people = {NamedAuthor(author)}};
}

Result<Store*> Context::OpenedStore() {
  if (!store_) {
    std::string url = db;
    if (url.empty()) {
      const char* env = std::getenv("CASCADE_DB");
      url = env != nullptr && *env != '\0' ? env : "cascade.db";
    }
    if (!may_create_db) {
      // A mistyped --db would otherwise make a new, empty database and report "0 goals".
      const std::string file = url.rfind("sqlite:", 0) == 0 ? url.substr(7) : url;
      const bool is_file = url.find("://") == std::string::npos && file != ":memory:";
      std::error_code ec;
      if (is_file && !file.empty() && !std::filesystem::exists(file, ec)) {
        return Error::NotFound("no database at '" + file +
                                   "' (create one with `cascade init`, or give --db the path of an "
                                   "existing one)",
                               "", "", "db");
      }
    }
    auto opened = OpenStore(url, *clock);
    if (!opened) return opened.error();
    store_ = std::move(*opened);
  }
  return store_.get();
}

Result<ChangeSet> Context::Commit(const Operation& op) {
  auto store = OpenedStore();
  if (!store) return store.error();
  auto ws = (*store)->Load(LoadOptions{.checkins = false});
  if (!ws) return ws.error();
  const WorkspaceIndex index(*ws);
  auto changes = op(OperationContext{*ws, index, nullptr});
  if (!changes) return changes.error();
  if (changes->empty()) return changes;
  auto applied = (*store)->Apply(*changes, Actor());
  if (!applied) return applied.error();
  StampApplied(*changes, *applied);
  return changes;
}

Result<ChangeSet> Context::Commit(const Operation& op, const ScopeRequest& scope,
                                  Parts* parts) {
  auto store = OpenedStore();
  if (!store) return store.error();
  auto ws = (*store)->LoadScope(scope);
  if (!ws) return ws.error();
  const WorkspaceIndex index(*ws);
  auto changes = op(OperationContext{*ws, index, nullptr});
  if (!changes) return changes.error();
  if (changes->empty()) return changes;
  auto applied = (*store)->Apply(*changes, Actor());
  if (!applied) return applied.error();
  StampApplied(*changes, *applied);
  if (parts != nullptr) {
    parts->before = *ws;  // a part of the workspace: small
    auto next = ApplyChanges(std::move(*ws), *changes,
                             AssignedSeqs{.checkins = applied->checkin_seqs,
                                          .comments = applied->comment_seqs,
                                          .reviews = applied->review_seqs,
                                          .spend = applied->spend_seqs});
    if (!next) return next.error();
    parts->after = std::move(*next);
  }
  return changes;
}

bool Context::StdoutIsTerminal() { return isatty(STDOUT_FILENO) == 1; }

bool Context::ColorOutput() {
  const char* no_color = std::getenv("NO_COLOR");
  return StdoutIsTerminal() && (no_color == nullptr || *no_color == '\0');
}

int Context::TerminalWidth() {
  winsize ws{};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40) return ws.ws_col;
  if (const char* cols = std::getenv("COLUMNS")) {
    const int c = std::atoi(cols);
    if (c >= 40) return c;
  }
  return 100;
}

}  // namespace cascade
