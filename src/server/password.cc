// Argon2id password hashing and random secrets, from libsodium.
#include <sodium.h>

#include <atomic>

#include "server/auth.h"

namespace cascade {
namespace {

std::atomic<PasswordHashCost> g_cost{PasswordHashCost::kInteractive};

bool SodiumReady() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

}  // namespace

Result<std::string> HashPassword(std::string_view password) {
  if (!SodiumReady()) return Error::Storage("libsodium could not be initialised");
  if (password.size() < 8) {
    return Error::Invalid("a password needs at least 8 characters", "account", "", "password");
  }
  char out[crypto_pwhash_STRBYTES];
  // Interactive limits: about 64 MiB and a fraction of a second, as libsodium recommends for
  // sign-in; crypto_pwhash_str uses Argon2id. The minimum only where a unit test asked for it.
  const bool minimal = g_cost.load() == PasswordHashCost::kMinimal;
  if (crypto_pwhash_str(out, password.data(), password.size(),
                        minimal ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        minimal ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE) !=
      0) {
    return Error::Storage("hashing the password ran out of memory");
  }
  return std::string(out);
}

void SetPasswordHashCostForTests(PasswordHashCost cost) { g_cost.store(cost); }

bool VerifyPassword(std::string_view password, const std::string& hash) {
  if (!SodiumReady() || hash.empty()) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string RandomSecret(size_t bytes) {
  SodiumReady();
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string out(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                    raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(out.find('\0'));
  return out;
}

}  // namespace cascade
