// Accounts, bearer tokens, sessions with CSRF tokens, and rate-limited sign-in.
#include <sodium.h>

#include <array>
#include <cctype>

#include "server/auth.h"

namespace cascade {
namespace {

bool SodiumReady() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

// Secrets (token secrets, session cookies) are stored as a keyed BLAKE2b hash. The key is not a
// secret: it only keeps these hashes apart from any other use of BLAKE2b. The secrets themselves
// are 256 random bits, so a fast hash is as good as a slow one here.
constexpr std::array<unsigned char, crypto_generichash_KEYBYTES> kSecretHashKey = {
    'c', 'a', 's', 'c', 'a', 'd', 'e', '-', 's', 'e', 'c', 'r', 'e', 't', '-', 'h',
    'a', 's', 'h', '-', 'k', 'e', 'y', '-', 'v', '1', '.', '.', '.', '.', '.', '.'};

std::string ToHex(const unsigned char* bytes, size_t n) {
  std::string hex(n * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes, n);
  hex.pop_back();
  return hex;
}

// Hex of the keyed hash of a secret: what the store keeps and looks up.
std::string HashSecret(std::string_view secret) {
  SodiumReady();
  std::array<unsigned char, crypto_generichash_BYTES> out{};
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(secret.data()),
                     secret.size(), kSecretHashKey.data(), kSecretHashKey.size());
  return ToHex(out.data(), out.size());
}

// Equal contents, in time that does not depend on where they differ.
bool ConstantTimeEquals(const std::string& a, const std::string& b) {
  if (a.size() != b.size() || a.empty()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

// Token ids are hex, so they never look like an option on the command line.
std::string NewTokenId() {
  SodiumReady();
  std::array<unsigned char, 8> raw{};
  randombytes_buf(raw.data(), raw.size());
  return ToHex(raw.data(), raw.size());
}

Error AuthError(ErrorCode code, std::string message, const char* field) {
  Error e = Error::Make(code, std::move(message));
  e.field = field;
  return e;
}

Error Unauthenticated(std::string message) {
  return AuthError(ErrorCode::kUnauthenticated, std::move(message), "unauthenticated");
}

Error RateLimited() {
  return AuthError(ErrorCode::kRateLimited,
                   "too many failed sign-ins; wait 15 minutes and try again", "rate_limit");
}

// A real Argon2id hash to check passwords against when the name is unknown, so that a wrong
// name takes as long as a wrong password and does not tell which names exist.
const std::string& DecoyHash() {
  static const std::string hash = [] {
    auto h = HashPassword(RandomSecret(16));
    return h ? *h : std::string();
  }();
  return hash;
}

// "Bearer <token>" (the scheme in any case, as RFC 7235 allows) → the token; "" otherwise.
std::string BearerToken(const std::string& header) {
  constexpr std::string_view kScheme = "bearer";
  if (header.size() <= kScheme.size() || header[kScheme.size()] != ' ') return "";
  for (size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(header[i])) != kScheme[i]) return "";
  }
  size_t begin = kScheme.size();
  while (begin < header.size() && header[begin] == ' ') ++begin;
  size_t end = header.size();
  while (end > begin && header[end - 1] == ' ') --end;
  return header.substr(begin, end - begin);
}

Result<Account> AccountOf(AccountStore& accounts, const std::string& name) {
  auto account = accounts.FindAccount(name);
  if (!account) return account.error();
  if (!*account) return Unauthenticated("the account '" + name + "' no longer exists");
  return std::move(**account);
}

}  // namespace

Principal PrincipalFor(const Workspace& ws, const Account& account) {
  Principal p;
  p.account = account.name;
  p.role = account.role;
  // A person removed from the workspace leaves the account nobody: it owns nothing and authors
  // nothing (an author is a person of the workspace, so an export stays appliable).
  if (!account.person.empty()) {
    for (const Person& person : ws.people) {
      if (person.id == account.person) {
        p.person = account.person;
        p.team = person.team;
        break;
      }
    }
  }
  return p;
}

// ---- Accounts and tokens ----

Result<Account> AuthService::AddUser(const Workspace& ws, const std::string& name,
                                     std::string_view password, std::optional<Role> role,
                                     const std::string& person) {
  if (!IsValidId(name)) {
    return Error::Invalid("account name '" + name +
                              "' is not allowed; use lowercase letters, digits, '-' and '_', "
                              "starting with a letter or digit (at most 64)",
                          "account", name, "name");
  }
  auto existing = accounts_.FindAccount(name);
  if (!existing) return existing.error();
  if (*existing) {
    return Error::Conflict("account '" + name + "' already exists", "account", name, "name");
  }
  Account account;
  account.name = name;
  account.person = person;
  account.role = role.value_or(Role::kViewer);
  if (!person.empty()) {
    const Person* found = nullptr;
    for (const Person& p : ws.people) {
      if (p.id == person) found = &p;
    }
    if (found == nullptr) {
      return Error::NotFound("person '" + person + "' does not exist", "person", person, "person");
    }
    if (!role) account.role = found->role;
  }
  if (!password.empty()) {
    auto hash = HashPassword(password);
    if (!hash) return hash.error();
    account.password_hash = std::move(*hash);
  }
  if (auto r = accounts_.PutAccount(account); !r) return r.error();
  account.version = 1;
  return account;
}

Result<void> AuthService::SetPassword(const std::string& name, std::string_view password) {
  auto account = accounts_.FindAccount(name);
  if (!account) return account.error();
  if (!*account) {
    return Error::NotFound("account '" + name + "' does not exist", "account", name, "name");
  }
  auto hash = HashPassword(password);
  if (!hash) return hash.error();
  (*account)->password_hash = std::move(*hash);
  return accounts_.PutAccount(**account);
}

Result<void> AuthService::RemoveUser(const std::string& name) {
  return accounts_.DeleteAccount(name);
}

Result<NewToken> AuthService::CreateToken(const std::string& account, const std::string& label,
                                          int64_t now) {
  auto found = accounts_.FindAccount(account);
  if (!found) return found.error();
  if (!*found) {
    return Error::NotFound("account '" + account + "' does not exist", "account", account,
                           "account");
  }
  NewToken token{NewTokenId(), RandomSecret(32)};
  auto put =
      accounts_.PutToken(ApiToken{token.id, account, HashSecret(token.secret), label, now, false});
  if (!put) return put.error();
  return token;
}

Result<void> AuthService::RevokeToken(const std::string& id) { return accounts_.RevokeToken(id); }

// ---- Sessions ----

Result<LoginResult> AuthService::Login(const Workspace& ws, const std::string& name,
                                       std::string_view password, const std::string& client,
                                       int64_t now) {
  const int64_t since = now - kFailedLoginWindowSeconds;
  // Names and addresses are counted apart: an account name cannot use up an address's attempts.
  const std::string name_key = "account:" + name;
  const std::string client_key = client.empty() ? "" : "client:" + client;
  for (const std::string& key : {name_key, client_key}) {
    if (key.empty()) continue;
    auto failures = accounts_.CountFailedLogins(key, since);
    if (!failures) return failures.error();
    if (*failures > kMaxFailedLogins) return RateLimited();
  }

  auto account = accounts_.FindAccount(name);
  if (!account) return account.error();
  const bool known = account->has_value() && !(*account)->password_hash.empty();
  const bool verified = VerifyPassword(password, known ? (*account)->password_hash : DecoyHash());
  if (!known || !verified) {
    bool limited = false;
    for (const std::string& key : {name_key, client_key}) {
      if (key.empty()) continue;
      auto failures = accounts_.RecordFailedLogin(key, now, since);
      if (!failures) return failures.error();
      limited = limited || *failures > kMaxFailedLogins;
    }
    if (limited) return RateLimited();
    return Unauthenticated("wrong name or password");
  }

  if (auto r = accounts_.DeleteExpiredSessions(now); !r) return r.error();
  LoginResult result;
  result.session_cookie = RandomSecret(32);
  result.csrf_token = RandomSecret(32);
  result.expires_at = now + kSessionLifetimeSeconds;
  result.principal = PrincipalFor(ws, **account);
  auto put = accounts_.PutSession(
      Session{HashSecret(result.session_cookie), name, result.csrf_token, result.expires_at});
  if (!put) return put.error();
  return result;
}

Result<void> AuthService::Logout(const std::string& session_cookie) {
  if (session_cookie.empty()) return Ok();
  return accounts_.DeleteSession(HashSecret(session_cookie));
}

Result<std::string> AuthService::SessionCsrfToken(const std::string& session_cookie, int64_t now) {
  if (session_cookie.empty()) return std::string();
  auto session = accounts_.FindSession(HashSecret(session_cookie), now);
  if (!session) return session.error();
  return *session ? (*session)->csrf_token : std::string();
}

Result<Principal> AuthService::Authenticate(const Workspace& ws, const AuthRequest& request,
                                            int64_t now, int64_t* valid_until) {
  if (!request.authorization.empty()) {
    const std::string secret = BearerToken(request.authorization);
    if (secret.empty()) {
      return Unauthenticated("the Authorization header must be 'Bearer <token>'");
    }
    const std::string hash = HashSecret(secret);
    auto token = accounts_.FindTokenBySecretHash(hash);
    if (!token) return token.error();
    if (!*token || !ConstantTimeEquals((*token)->secret_hash, hash)) {
      return Unauthenticated("the token is not known; create one with `cascade token create`");
    }
    if ((*token)->revoked) return Unauthenticated("the token has been revoked");
    auto account = AccountOf(accounts_, (*token)->account);
    if (!account) return account.error();
    return PrincipalFor(ws, *account);
  }

  if (!request.cookie.empty()) {
    auto session = accounts_.FindSession(HashSecret(request.cookie), now);
    if (!session) return session.error();
    if (!*session) return Unauthenticated("the session has expired or ended; sign in again");
    if (request.state_changing &&
        !ConstantTimeEquals((*session)->csrf_token, request.csrf_header)) {
      return AuthError(ErrorCode::kForbidden,
                       request.csrf_header.empty()
                           ? "the X-CSRF-Token header is missing; reload the page and try again"
                           : "the X-CSRF-Token header does not match the session; reload the "
                             "page and try again",
                       "csrf");
    }
    auto account = AccountOf(accounts_, (*session)->account);
    if (!account) return account.error();
    if (valid_until != nullptr) *valid_until = (*session)->expires_at;
    return PrincipalFor(ws, *account);
  }

  return Unauthenticated(
      "sign in first, or send 'Authorization: Bearer <token>' (see `cascade token create`)");
}

Result<std::string> CreateAdminWithRandomPassword(Store& store, const std::string& name) {
  // 12 random bytes: 16 URL-safe characters, 96 bits, easy to copy from a terminal.
  std::string password = RandomSecret(12);
  auto added = AuthService(store.accounts()).AddUser(Workspace{}, name, password, Role::kAdmin, "");
  if (!added) return added.error();
  return password;
}

}  // namespace cascade
