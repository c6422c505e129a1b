// What every command shares: the global options, the store, the clock, and the one place where
// errors become exit codes and messages on stderr.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/changeset.h"
#include "core/clock.h"
#include "core/date.h"
#include "core/error.h"
#include "core/model.h"
#include "core/operations.h"
#include "store/store.h"

namespace cascade {

enum ExitCode : int { kExitOk = 0, kExitCheckFailed = 1, kExitUsage = 2, kExitStorage = 3 };

// The exit code an error means (spec §5).
int ExitCodeFor(const Error& error);

class Context {
 public:
  // Global options, filled by the argument parser.
  std::string db;          // --db, else $CASCADE_DB, else ./cascade.db
  bool json = false;       // --json
  std::string as_of_text;  // --as-of, "" = today
  // Whether OpenedStore may create a database that does not exist: only init, demo and apply do
  // (spec §5); every other command refuses a missing one.
  bool may_create_db = false;
  // The time commands run at: today for --as-of's default and the demo's dates, the instant on
  // history rows and tokens. The wall clock, unless a test sets another.
  const Clock* clock = &SystemClock();

  // Prints "error: …" for each error and returns the exit code of the first.
  int Fail(const Error& error) const;
  int Fail(const Errors& errors) const;

  // The as-of date: --as-of, else today (UTC). Fails on a malformed --as-of.
  Result<Date> AsOf() const;
  // Today in UTC, by `clock`.
  Date Today() const { return clock->Today(); }
  // Who history records as having made a change: $CASCADE_ACTOR, else $USER, else "cli".
  static std::string Actor();
  // Refuses (exit 2, field `author`) an --author that is not a person of the workspace: the command line
  // may record a check-in or a comment on anyone's behalf, but only a person's.
  static Result<void> CheckAuthor(const WorkspaceIndex& index, const std::string& author);
  // The author of a check-in, spend record or comment: `given` (--author, checked as above), else
  // $CASCADE_PERSON (the person you are, refused naming the variable when it is no person of the
  // workspace), else Actor() when it is a person of the workspace, else "" (no author).
  static Result<std::string> Author(const WorkspaceIndex& index, const std::string& given);
  // The person Author() looks up in the workspace (`given`, else $CASCADE_PERSON, else Actor()):
  // what a scoped write loads (ScopeRequest::people).
  static std::string NamedAuthor(const std::string& given);
  // What a record on goal `goal` by `author` (--author as given) reads, a comment or spend: the
  // goal with its ancestors (who may reach it) and the author, not the goal's subtree.
  static ScopeRequest RecordScope(const std::string& goal, const std::string& author);

  // The store, opened on first use; a missing database file is refused unless may_create_db.
  Result<Store*> OpenedStore();

  // Runs a named operation (core/operations.h) on the workspace as stored, without check-ins, and
  // applies the ChangeSet it returns in one transaction. Prints nothing.
  Result<ChangeSet> Commit(const Operation& op);
  // The same on the part of the workspace `scope` names (Store::LoadScope): a write whose cost
  // is the size of what it touches, not of the workspace. With `parts`, also returns that part as
  // loaded and as the write left it (for a confirmation computed from them: a goal's progress
  // before and after).
  struct Parts {
    Workspace before;
    Workspace after;
  };
  Result<ChangeSet> Commit(const Operation& op, const ScopeRequest& scope, Parts* parts = nullptr);

  // True when stdout is a terminal and NO_COLOR is not set.
  static bool ColorOutput();
  static bool StdoutIsTerminal();
  static int TerminalWidth();

 private:
  std::unique_ptr<Store> store_;
};

}  // namespace cascade
