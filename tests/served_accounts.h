// The server the HTTP end-to-end tests talk to: `cascade serve` on the test's database with
// accounts that each hold a bearer token, a client per account, and the check that a refused
// request wrote nothing.
#pragma once

#include <gmock/gmock.h>

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "http_client.h"
#include "server/auth.h"
#include "server_process.h"
#include "store/store.h"

namespace cascade::testing {

struct TestAccount {
  std::string name;
  std::string person;        // "" for an account of no person
  std::optional<Role> role;  // nullopt: the person's role
};

class ServedAccounts {
 public:
  // Adds the accounts to the database at `db`, each with a bearer token, then serves it. A step
  // that fails fails the test fatally: callers ASSERT_FALSE(HasFatalFailure()) after.
  void Start(const std::string& db, const std::filesystem::path& dir,
             const std::vector<TestAccount>& accounts) {
    {
      auto store = OpenStore(db);
      ASSERT_TRUE(store.ok()) << store.error().message;
      auto ws = (*store)->Load();
      ASSERT_TRUE(ws.ok()) << ws.error().message;
      AuthService auth((*store)->accounts());
      for (const TestAccount& a : accounts) {
        ASSERT_TRUE(auth.AddUser(*ws, a.name, "", a.role, a.person).ok()) << a.name;
        auto token = auth.CreateToken(a.name, "tests", 1'700'000'000);
        ASSERT_TRUE(token.ok()) << a.name;
        tokens_[a.name] = token->secret;
      }
    }
    server_ = std::make_unique<ServerProcess>(db, dir);
    ASSERT_GT(server_->port(), 0) << server_->Out() << server_->Log();
  }

  // A client signed in as `account` ("" for none).
  std::unique_ptr<HttpClient> As(const std::string& account) const {
    auto c = std::make_unique<HttpClient>(server_->port());
    if (!account.empty()) c->defaults["Authorization"] = "Bearer " + tokens_.at(account);
    return c;
  }

  ServerProcess& server() { return *server_; }

 private:
  std::map<std::string, std::string> tokens_;
  std::unique_ptr<ServerProcess> server_;
};

// What a refusal must be: its status and, where not empty, its error code, the field it names
// and a part of its message.
struct Refusal {
  int status = 0;
  std::string code;
  std::string field;
  std::string message;
};

// `request` is answered as `refusal` says, and `stored()` (the workspace and its history as the
// CLI exports them) reads the same after it as before: nothing was written.
inline void ExpectRefusal(const std::function<std::string()>& stored,
                          const std::function<HttpResult()>& request, const Refusal& refusal) {
  const std::string before = stored();
  const HttpResult r = request();
  EXPECT_EQ(r.status, refusal.status) << r.body;
  const nlohmann::json j = r.Json();
  ASSERT_TRUE(j.contains("error")) << r.body;
  if (!refusal.code.empty()) {
    EXPECT_EQ(j["error"]["code"], refusal.code) << r.body;
  }
  if (!refusal.field.empty()) {
    EXPECT_EQ(j["error"]["field"], refusal.field) << r.body;
  }
  if (!refusal.message.empty()) {
    EXPECT_THAT(j["error"]["message"].get<std::string>(), ::testing::HasSubstr(refusal.message));
  }
  EXPECT_EQ(stored(), before);
}

}  // namespace cascade::testing
