// Accounts for the server (spec §6): who may sign in, their API tokens and browser sessions, and
// failed sign-in attempts for rate limiting. Kept in the database so that any number of server
// processes share them; secrets are stored only as hashes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/model.h"

namespace cascade {

struct Account {
  std::string name;           // a slug, the sign-in name
  Role role = Role::kViewer;
  std::string person;         // the person this account is, "" for none
  std::string password_hash;  // Argon2id string (libsodium crypto_pwhash_str), "" = no password
  int64_t version = 0;
};

struct ApiToken {
  std::string id;       // public identifier shown in listings and used to revoke
  std::string account;
  std::string secret_hash;  // hex of a keyed hash of the secret; the secret itself is never stored
  std::string label;
  int64_t created_at = 0;   // unix seconds
  bool revoked = false;
};

struct Session {
  std::string id_hash;  // hash of the cookie value
  std::string account;
  std::string csrf_token;  // sent back in X-CSRF-Token on every state-changing request
  int64_t expires_at = 0;  // unix seconds
};

// Storage of accounts, tokens, sessions and sign-in attempts. Implemented by each backend.
class AccountStore {
 public:
  virtual ~AccountStore() = default;

  // Creates or replaces by name; a replaced account's stored version goes up by one.
  virtual Result<void> PutAccount(const Account& account) = 0;
  virtual Result<std::optional<Account>> FindAccount(const std::string& name) = 0;
  virtual Result<std::vector<Account>> ListAccounts() = 0;  // by name
  // With its tokens and sessions; kNotFound for an unknown name.
  virtual Result<void> DeleteAccount(const std::string& name) = 0;

  virtual Result<void> PutToken(const ApiToken& token) = 0;  // kConflict for an existing id
  // Revoked tokens too (the caller checks `revoked`).
  virtual Result<std::optional<ApiToken>> FindTokenBySecretHash(const std::string& hash) = 0;
  virtual Result<void> RevokeToken(const std::string& id) = 0;  // kNotFound for an unknown id
  // The tokens of `account` ("" = of every account), oldest first.
  virtual Result<std::vector<ApiToken>> ListTokens(const std::string& account) = 0;

  virtual Result<void> PutSession(const Session& session) = 0;
  // The session unless it has expired (expires_at <= now).
  virtual Result<std::optional<Session>> FindSession(const std::string& id_hash, int64_t now) = 0;
  virtual Result<void> DeleteSession(const std::string& id_hash) = 0;  // none there is fine
  // Forgets every session that expired by `now`.
  virtual Result<void> DeleteExpiredSessions(int64_t now) = 0;

  // Records a failed sign-in for `key` (account name or client address) at `now` and returns how
  // many failures `key` has had since `since`. Failures before `since` (of any key) are forgotten.
  virtual Result<int> RecordFailedLogin(const std::string& key, int64_t now, int64_t since) = 0;
  virtual Result<int> CountFailedLogins(const std::string& key, int64_t since) = 0;
};

}  // namespace cascade
