// Signing in to the server (spec §6, Accounts): Argon2id passwords (libsodium), bearer tokens for
// tools, session cookies with a CSRF token for the browser, and rate-limited sign-in. Everything it
// keeps lives in the AccountStore, so several server processes agree.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/model.h"
#include "core/permissions.h"
#include "store/accounts.h"

namespace cascade {

// Argon2id hash of a password in libsodium's string format, and its constant-time check.
Result<std::string> HashPassword(std::string_view password);
bool VerifyPassword(std::string_view password, const std::string& hash);
// A new random secret, URL-safe (for tokens, session ids, CSRF tokens, generated passwords).
std::string RandomSecret(size_t bytes = 32);

struct NewToken {
  std::string id;      // to list and revoke it
  std::string secret;  // shown once: "Authorization: Bearer <secret>"
};

struct LoginResult {
  std::string session_cookie;  // value of the HttpOnly, SameSite=Strict cookie
  std::string csrf_token;      // for the X-CSRF-Token header of state-changing requests
  Principal principal;
};

// The request facts authentication looks at, independent of the HTTP library.
struct AuthRequest {
  std::string authorization;  // the Authorization header, "" when absent
  std::string cookie;         // the value of the session cookie, "" when absent
  std::string csrf_header;    // X-CSRF-Token, "" when absent
  bool state_changing = false;  // POST, PUT, PATCH, DELETE
  std::string client;           // remote address, for rate limiting
};

class AuthService {
 public:
  // Times are unix seconds passed in by the caller, so tests control the clock. The workspace
  // passed to Login and Authenticate resolves the account's person to its team.
  explicit AuthService(AccountStore& accounts) : accounts_(accounts) {}

  // Accounts (the `user` commands). The account's person, when given, must exist in `ws`; the
  // role defaults to that person's role.
  Result<Account> AddUser(const Workspace& ws, const std::string& name, std::string_view password,
                          std::optional<Role> role, const std::string& person);
  Result<void> SetPassword(const std::string& name, std::string_view password);
  Result<void> RemoveUser(const std::string& name);
  Result<NewToken> CreateToken(const std::string& account, const std::string& label, int64_t now);
  Result<void> RevokeToken(const std::string& id);

  // Sign-in with name and password: a new session. kForbidden-like failures are reported as
  // ErrorCode::kForbidden with message "wrong name or password"; more than 5 failures for the name
  // or the client within 15 minutes → an Error whose field is "rate_limit" (HTTP 429).
  Result<LoginResult> Login(const Workspace& ws, const std::string& name, std::string_view password,
                            const std::string& client, int64_t now);
  Result<void> Logout(const std::string& session_cookie);

  // Who is asking: a valid bearer token, or a valid session cookie (then, for state-changing
  // requests, X-CSRF-Token must equal the session's token, compared in constant time). Errors:
  // field "unauthenticated" (401) or "csrf" (403).
  Result<Principal> Authenticate(const Workspace& ws, const AuthRequest& request, int64_t now);

 private:
  AccountStore& accounts_;
};

}  // namespace cascade
