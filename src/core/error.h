// The one error type for expected failures, and Result<T>, the value-or-error every layer returns.
// An Error says what went wrong in words a marketer understands and names the offending entity,
// field and (for plan files) line; it maps to exit codes in the CLI and to HTTP statuses in the server.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace cascade {

// What went wrong, the only thing exit codes (cli/context.cc ExitCodeFor) and HTTP statuses
// (server/api.cc StatusFor) are chosen by: never the message's words, never the field.
enum class ErrorCode {
  kInvalid,          // input that can never be right (exit 2, HTTP 400/422)
  kNotFound,         // an id that does not exist (exit 2, HTTP 404)
  kConflict,         // a duplicate id or a stale version (exit 2, HTTP 409)
  kForbidden,        // the actor may not do this (exit 2, HTTP 403)
  kStorage,          // the database failed (exit 3, HTTP 500)
  kBusy,             // the database is locked by another writer past the wait (exit 3, HTTP 503)
  kUnauthenticated,  // no, unknown, expired or revoked credentials (exit 2, HTTP 401)
  kRateLimited,      // too many attempts; wait and try again (exit 2, HTTP 429)
};

struct Error {
  ErrorCode code = ErrorCode::kInvalid;
  std::string message;  // one clear sentence: what is wrong and what is allowed
  std::string kind;     // entity kind the error is about ("goal", "kpi", …), may be empty
  std::string id;       // that entity's id, may be empty
  std::string field;    // offending field ("due", "target", …), may be empty
  std::string file;     // plan or CSV file, when the input came from one
  int line = 0;         // 1-based line in `file`, 0 when unknown

  static Error Make(ErrorCode code, std::string message, std::string kind = {}, std::string id = {},
                    std::string field = {}) {
    Error e;
    e.code = code;
    e.message = std::move(message);
    e.kind = std::move(kind);
    e.id = std::move(id);
    e.field = std::move(field);
    return e;
  }
  static Error Invalid(std::string message, std::string kind = {}, std::string id = {},
                       std::string field = {}) {
    return Make(ErrorCode::kInvalid, std::move(message), std::move(kind), std::move(id),
                std::move(field));
  }
  static Error NotFound(std::string message, std::string kind = {}, std::string id = {},
                        std::string field = {}) {
    return Make(ErrorCode::kNotFound, std::move(message), std::move(kind), std::move(id),
                std::move(field));
  }
  // A reference to an id that does not exist (a goal's parent, a check-in's KPI, an action's
  // depends_on): the input is invalid (exit 2, HTTP 422). NotFound is for the id a command or a
  // request addresses (HTTP 404).
  static Error UnknownReference(std::string message, std::string kind = {}, std::string id = {},
                                std::string field = {}) {
    return Invalid(std::move(message), std::move(kind), std::move(id), std::move(field));
  }
  static Error Conflict(std::string message, std::string kind = {}, std::string id = {},
                        std::string field = {}) {
    return Make(ErrorCode::kConflict, std::move(message), std::move(kind), std::move(id),
                std::move(field));
  }
  static Error Forbidden(std::string message) {
    return Make(ErrorCode::kForbidden, std::move(message));
  }
  static Error Storage(std::string message) { return Make(ErrorCode::kStorage, std::move(message)); }
  static Error Busy(std::string message) { return Make(ErrorCode::kBusy, std::move(message)); }

  // "plan.yaml:12: goal 'x': due …" — the line the CLI prints after "error: ".
  std::string ToString() const {
    std::string out;
    if (!file.empty()) {
      out += file;
      if (line > 0) out += ":" + std::to_string(line);
      out += ": ";
    } else if (line > 0) {
      out += "line " + std::to_string(line) + ": ";
    }
    return out + message;
  }
};

using Errors = std::vector<Error>;

// A value or an Error. Result<void> carries only success or an Error.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { assert(!ok()); return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT(google-explicit-constructor)
  // Any result as success or failure alone, its value dropped (a caller that needs only whether
  // it worked, of a call that also tells what it did).
  template <typename T>
  Result(const Result<T>& other)  // NOLINT(google-explicit-constructor)
      : ok_(other.ok()) {
    if (!ok_) error_ = other.error();
  }

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { assert(!ok_); return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

inline Result<void> Ok() { return {}; }

}  // namespace cascade
