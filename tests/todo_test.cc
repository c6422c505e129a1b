// End-to-end tests of `todo` (spec §2, §5): tests/data/todo.yaml as of 2026-03-10, the list worked
// out by hand in its comments; the person from --person or CASCADE_PERSON; refusals.
#include <gmock/gmock.h>

#include "cli_runner.h"

namespace cascade::testing {
namespace {

using ::testing::HasSubstr;

class TodoCliTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    const RunResult r = Run({"apply", TestData("todo.yaml")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
};

TEST_F(TodoCliTest, JsonListsWhatDanaMustDoAsComputedByHand) {
  const RunResult r = Run({"--json", "--as-of", "2026-03-10", "todo", "--person", "dana"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = r.Json();
  EXPECT_EQ(j["person"], "dana");
  EXPECT_EQ(j["as_of"], "2026-03-10");
  // a-kpi and k4: 18 days since 02-20, 11 late (tie by id); k2 7 days (due today); k1 6 (due
  // tomorrow); k3 5 days is not due; g5 has not started, g7 is a draft, k5 is ava's.
  const nlohmann::json due = nlohmann::json::parse(R"([
    {"kpi": "a-kpi", "goal": "g3", "last_checkin": "2026-02-20", "days_since": 18, "cadence_days": 7},
    {"kpi": "k4", "goal": "g2", "last_checkin": "2026-02-20", "days_since": 18, "cadence_days": 7},
    {"kpi": "k2", "goal": "g1", "last_checkin": "2026-03-03", "days_since": 7, "cadence_days": 7},
    {"kpi": "k1", "goal": "g1", "last_checkin": "2026-03-04", "days_since": 6, "cadence_days": 7}])");
  EXPECT_EQ(j["checkins_due"], due);
  // g2: E = 37/58 = 0.638, P = 0.2 (gap 0.438); g3: P = 0.45 (gap 0.188).
  EXPECT_EQ(j["goals_at_risk"], nlohmann::json::parse(R"([{"goal": "g2", "status": "off_track"},
                                                          {"goal": "g3", "status": "at_risk"}])"));
  EXPECT_EQ(j["disagreements"], nlohmann::json::array());
  ASSERT_EQ(j["overdue_actions"].size(), 2u);
  EXPECT_EQ(j["overdue_actions"][0]["action"], "a8");
  EXPECT_EQ(j["overdue_actions"][0]["due"], "2026-03-05");
  EXPECT_EQ(j["overdue_actions"][0]["goal"], "g2");
  EXPECT_EQ(j["overdue_actions"][1]["action"], "a1");
  ASSERT_EQ(j["upcoming_actions"].size(), 2u);  // due today and in 7 days; not in 8
  EXPECT_EQ(j["upcoming_actions"][0]["action"], "a4");
  EXPECT_EQ(j["upcoming_actions"][1]["action"], "a2");
  EXPECT_EQ(j["reviews_due"], nlohmann::json::parse(R"([{"team": "social", "last_review": null}])"));
}

TEST_F(TodoCliTest, TextSaysHowLateEachThingIs) {
  const RunResult r = Run({"--as-of", "2026-03-10", "todo", "--person", "dana"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("To do for Dana Lee (dana) as of 2026-03-10"));
  EXPECT_THAT(r.out, HasSubstr("Check-ins due (4)"));
  EXPECT_THAT(r.out, HasSubstr("18 days ago (every 7 days): 11 days late"));
  EXPECT_THAT(r.out, HasSubstr("7 days ago (every 7 days): due today"));
  EXPECT_THAT(r.out, HasSubstr("6 days ago (every 7 days): due tomorrow"));
  EXPECT_THAT(r.out, HasSubstr("off track  20% of  63% expected"));
  EXPECT_THAT(r.out, HasSubstr("a8                     due 2026-03-05 (5 days overdue)  goal g2"));
  EXPECT_THAT(r.out, HasSubstr("a4                     due 2026-03-10 (due today)"));
  EXPECT_THAT(r.out, HasSubstr("a2                     due 2026-03-17 (in 7 days)"));
  EXPECT_THAT(r.out, HasSubstr("never reviewed: cascade review --team social --record"));
  EXPECT_THAT(r.out, ::testing::Not(HasSubstr("a3 ")));
}

TEST_F(TodoCliTest, ThePersonComesFromCascadePersonAndAReviewClearsTheReviewDue) {
  RunResult r = RunCommand("NO_COLOR=1 CASCADE_PERSON=ava " + ShellQuote(CASCADE_BIN) + " --db " +
                               ShellQuote(db_),
                           {"--json", "--as-of", "2026-03-10", "todo"}, "/dev/null");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.Json()["person"], "ava");
  EXPECT_EQ(r.Json()["checkins_due"].size(), 1u);
  EXPECT_EQ(r.Json()["reviews_due"], nlohmann::json::array());  // a member leads no team

  ASSERT_EQ(Run({"--as-of", "2026-03-03", "review", "--team", "social", "--record", "--notes", "x"})
                .exit_code, 0);
  r = Run({"--json", "--as-of", "2026-03-10", "todo", "--person", "dana"});  // 7 days: not due
  EXPECT_EQ(r.Json()["reviews_due"], nlohmann::json::array());
  r = Run({"--json", "--as-of", "2026-03-11", "todo", "--person", "dana"});  // 8 days: due
  EXPECT_EQ(r.Json()["reviews_due"],
            nlohmann::json::parse(R"([{"team": "social", "last_review": "2026-03-03"}])"));
}

TEST_F(TodoCliTest, WithoutAPersonOrWithAnUnknownOneItIsRefused) {
  RunResult r = Run({"todo"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "error: whose to-do list? give --person ID or set CASCADE_PERSON to your person id\n");
  r = Run({"todo", "--person", "nobody"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "error: person 'nobody' does not exist\n");
}

TEST_F(TodoCliTest, NothingToDoSaysSo) {
  const RunResult r = Run({"--as-of", "2026-02-01", "todo", "--person", "ava"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Nothing to do"));
}

}  // namespace
}  // namespace cascade::testing
