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
#include "store/store.h"

namespace cascade {

// Argon2id hash of a password in libsodium's string format, and its constant-time check.
Result<std::string> HashPassword(std::string_view password);
// How costly HashPassword is. kInteractive (libsodium's interactive limits: 64 MiB, a fraction of
// a second) is what the program always uses; kMinimal (libsodium's minimum: microseconds) is for
// unit tests that make many accounts, and only they set it: no flag, setting or environment
// variable of the program reaches it. A hash records its own limits, so VerifyPassword checks
// either kind.
enum class PasswordHashCost { kInteractive, kMinimal };
void SetPasswordHashCostForTests(PasswordHashCost cost);
bool VerifyPassword(std::string_view password, const std::string& hash);
// A new random secret, URL-safe (for tokens, session ids, CSRF tokens, generated passwords).
std::string RandomSecret(size_t bytes = 32);

// A browser session lasts this long after sign-in (the cookie's Max-Age).
inline constexpr int64_t kSessionLifetimeSeconds = 12 * 60 * 60;
// Sign-in is refused (kRateLimited) once an account name or a client address has had more
// than kMaxFailedLogins failures within the last kFailedLoginWindowSeconds.
inline constexpr int kMaxFailedLogins = 5;
inline constexpr int64_t kFailedLoginWindowSeconds = 15 * 60;

struct NewToken {
  std::string id;      // to list and revoke it
  std::string secret;  // shown once: "Authorization: Bearer <secret>"
};

struct LoginResult {
  std::string session_cookie;  // value of the HttpOnly, SameSite=Strict cookie
  std::string csrf_token;      // for the X-CSRF-Token header of state-changing requests
  Principal principal;
  int64_t expires_at = 0;  // unix seconds: now + kSessionLifetimeSeconds
};

// The request facts authentication looks at, independent of the HTTP library.
struct AuthRequest {
  std::string authorization;  // the Authorization header, "" when absent
  std::string cookie;         // the value of the session cookie, "" when absent
  std::string csrf_header;    // X-CSRF-Token, "" when absent
  bool state_changing = false;  // POST, PUT, PATCH, DELETE
  std::string client;           // remote address, for rate limiting
};

// Who `account` is: its name and role, its person and that person's team in `ws` (no person and
// no team when the person is not, or no longer, in the workspace).
Principal PrincipalFor(const Workspace& ws, const Account& account);

// Errors of sign-in and authentication are typed by their ErrorCode, which alone chooses the HTTP
// status: kUnauthenticated → 401 (no, unknown, expired or revoked credentials, and a wrong name
// or password; field "unauthenticated"), kRateLimited → 429 (field "rate_limit"), kForbidden →
// 403 (field "csrf" for a missing or wrong X-CSRF-Token).
class AuthService {
 public:
  // Times are unix seconds passed in by the caller, so tests control the clock. The workspace
  // passed to Login and Authenticate resolves the account's person to its team.
  explicit AuthService(AccountStore& accounts) : accounts_(accounts) {}

  // Accounts (the `user` commands). The name must be a slug and new (kConflict otherwise). The
  // account's person, when given, must exist in `ws`; the role defaults to that person's role, and
  // to viewer for an account that is nobody. An empty password makes an account that signs in
  // only with tokens; otherwise it needs at least 8 characters.
  Result<Account> AddUser(const Workspace& ws, const std::string& name, std::string_view password,
                          std::optional<Role> role, const std::string& person);
  Result<void> SetPassword(const std::string& name, std::string_view password);
  Result<void> RemoveUser(const std::string& name);
  Result<NewToken> CreateToken(const std::string& account, const std::string& label, int64_t now);
  Result<void> RevokeToken(const std::string& id);

  // Sign-in with name and password: a new session. Failures are reported as
  // kUnauthenticated with message "wrong name or password" (field "unauthenticated"); more than 5
  // failures for the name or the client within 15 minutes → kRateLimited (field "rate_limit",
  // HTTP 429): the failure that makes it 6 and every attempt after it, right or
  // wrong, until the window has passed. Also forgets expired sessions.
  Result<LoginResult> Login(const Workspace& ws, const std::string& name, std::string_view password,
                            const std::string& client, int64_t now);
  Result<void> Logout(const std::string& session_cookie);  // an unknown cookie is fine
  // The CSRF token of the live session `session_cookie` names, "" when there is none (unknown,
  // ended or expired): GET /api/v1/me hands it to a dashboard page loaded afresh, which keeps the
  // cookie but not the token it got at sign-in.
  Result<std::string> SessionCsrfToken(const std::string& session_cookie, int64_t now);

  // Who is asking: a valid bearer token, or a valid session cookie (then, for state-changing
  // requests, X-CSRF-Token must equal the session's token, compared in constant time). When an
  // Authorization header is present it alone decides (no CSRF check for bearer tokens). Errors:
  // kUnauthenticated (401) or kForbidden with field "csrf" (403); kStorage when the database fails.
  // `valid_until`, when given, is set to the instant the credentials stop being good on their
  // own (a session's expiry); a token's is left as it is (tokens last until revoked).
  Result<Principal> Authenticate(const Workspace& ws, const AuthRequest& request, int64_t now,
                                 int64_t* valid_until = nullptr);

 private:
  AccountStore& accounts_;
};

// For `cascade demo --serve`: creates the admin account `name` (nobody's, role admin) with a new
// random password and returns that password, to be printed once. kConflict when `name` exists.
Result<std::string> CreateAdminWithRandomPassword(Store& store, const std::string& name);

}  // namespace cascade
