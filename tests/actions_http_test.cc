// End-to-end tests of issue 16's actions that hold over HTTP: an action update (PATCH, PUT) and a
// plan posted to /api/v1/apply that mark an action done while one it depends on is open are
// refused (409, the dependency named, nothing written) after the role rules; the signed-in
// person's to-do list (GET /api/v1/me/todo) is the CLI's `todo --json`, overdue actions included.
#include <gmock/gmock.h>

#include <memory>

#include "cli_runner.h"
#include "served_accounts.h"

namespace cascade::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

class ActionsHttpTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    const RunResult applied = Run({"apply", TestData("actions.yaml")});
    ASSERT_EQ(applied.exit_code, 0) << applied.err;
    served_.Start(db_, dir_,
                  {
                      {"admin", "", Role::kAdmin},
                      {"dana", "dana", std::nullopt},    // lead of social
                      {"sam", "sam", std::nullopt},      // member of social
                      {"sofia", "sofia", std::nullopt},  // lead of pr
                  });
    ASSERT_FALSE(HasFatalFailure());
  }

  std::unique_ptr<HttpClient> As(const std::string& account) const { return served_.As(account); }

  std::string Stored() const {
    return Run({"export", "--format", "json"}).out + Run({"--json", "history"}).out;
  }

  // Refused with `status` and error `code`, naming `field`, nothing written.
  void ExpectRefused(const std::function<HttpResult()>& request, int status,
                     const std::string& code, const std::string& field,
                     const std::string& message = "") {
    ExpectRefusal([this] { return Stored(); }, request, {status, code, field, message});
  }

  ServedAccounts served_;
};

constexpr const char* kWaitsForPlanPosts =
    "action 'publish' cannot be marked done while 'plan-posts', which it depends on, is open; "
    "mark it done first";

TEST_F(ActionsHttpTest, AnUpdateMarkingDoneWaitsForTheDependency) {
  auto dana = As("dana");
  ExpectRefused([&] { return dana->Patch("/api/v1/actions/publish", json{{"done", true}}); }, 409,
                "conflict", "done", kWaitsForPlanPosts);
  ExpectRefused(
      [&] {
        return dana->Put("/api/v1/actions/publish", json{{"goal", "followers"},
                                                         {"title", "Publish the launch posts"},
                                                         {"owner", "sam"},
                                                         {"done", true},
                                                         {"depends_on", {"plan-posts"}}});
      },
      409, "conflict", "done", kWaitsForPlanPosts);
  HttpResult r = dana->Patch("/api/v1/actions/plan-posts", json{{"done", true}});
  ASSERT_EQ(r.status, 200) << r.body;
  r = dana->Patch("/api/v1/actions/publish", json{{"done", true}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json()["done"], true);
}

TEST_F(ActionsHttpTest, TheRoleRulesComeFirst) {
  // A member may not change actions, a lead of another team not this goal's: 403, not 409.
  auto sam = As("sam");
  const HttpResult member = sam->Patch("/api/v1/actions/publish", json{{"done", true}});
  EXPECT_EQ(member.status, 403) << member.body;
  const HttpResult other = As("sofia")->Patch("/api/v1/actions/publish", json{{"done", true}});
  EXPECT_EQ(other.status, 403) << other.body;
  // Sofia leads pr: her own action is hers to tick off.
  const HttpResult own = As("sofia")->Patch("/api/v1/actions/press-kit", json{{"done", true}});
  EXPECT_EQ(own.status, 200) << own.body;
  // The admin too waits for the dependency.
  ExpectRefused(
      [&] { return As("admin")->Patch("/api/v1/actions/publish", json{{"done", true}}); }, 409,
      "conflict", "done", kWaitsForPlanPosts);
}

TEST_F(ActionsHttpTest, APlanMarkingADependentDoneIsRefusedNamingItsLine) {
  const std::string plan = R"(version: 1
goals:
  - id: followers
    title: Reach ten thousand followers
    level: micro
    parent: launch
    owner: dana
    team: social
    start: 2026-01-01
    due: 2026-03-31
    actions:
      - {id: plan-posts, title: Plan the launch posts, owner: dana, due: 2026-03-01}
      - {id: publish, title: Publish the launch posts, owner: sam, due: 2026-03-09, done: true, depends_on: [plan-posts]}
)";
  ExpectRefused(
      [&] {
        return As("admin")->Request("POST", "/api/v1/apply", plan,
                                    {{"Content-Type", "application/yaml"}});
      },
      409, "conflict", "done");
  const HttpResult r = As("admin")->Request("POST", "/api/v1/apply", plan,
                                            {{"Content-Type", "application/yaml"}});
  EXPECT_THAT(r.Json()["error"]["message"].get<std::string>(), HasSubstr(kWaitsForPlanPosts));
}

TEST_F(ActionsHttpTest, MyTodoIsTheClisListWithOverdueActions) {
  for (const std::string person : {"dana", "sam", "sofia"}) {
    SCOPED_TRACE(person);
    const RunResult cli = Run({"--json", "--as-of", "2026-03-10", "todo", "--person", person});
    ASSERT_EQ(cli.exit_code, 0) << cli.err;
    const HttpResult r = As(person)->Get("/api/v1/me/todo?as_of=2026-03-10");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Json(), json::parse(cli.out));
  }
  const json sam = As("sam")->Get("/api/v1/me/todo?as_of=2026-03-10").Json();
  ASSERT_EQ(sam["overdue_actions"].size(), 1u);
  EXPECT_EQ(sam["overdue_actions"][0]["action"], "publish");
  ASSERT_EQ(sam["upcoming_actions"].size(), 1u);
  EXPECT_EQ(sam["upcoming_actions"][0]["action"], "brief");  // due today
}

}  // namespace
}  // namespace cascade::testing
