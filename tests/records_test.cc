// End-to-end tests of issues 15 and 16 on the built binary: confidence on check-ins (CLI, CSV,
// plans, status, goal show, review, todo), comment kinds, and spend (CLI, plans, status, lint).
#include <gmock/gmock.h>

#include "cli_runner.h"

namespace cascade::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// One goal, Jan 1 – Jan 31 2026: as of Jan 16 its expected progress is 15/30 = 0.5.
constexpr const char* kPlan = R"(version: 1
teams:
  - {id: marketing, name: Marketing}
people:
  - {id: dana, name: Dana Lee, team: marketing, role: lead}
  - {id: sam, name: Sam Doe, team: marketing, role: member}
goals:
  - id: launch
    title: Launch the spring campaign well
    level: macro
    owner: dana
    team: marketing
    start: 2026-01-01
    due: 2026-01-31
    budget_max: 5000
    kpis:
      - {id: signups, name: Signups, kind: level, baseline: 0, target: 100}
)";

class RecordsTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    const RunResult r = Run({"apply", WriteFile("plan.yaml", kPlan)});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  // Everything a refused command must leave alone: the workspace and its history.
  std::string Snapshot() const {
    return Run({"export", "--format", "json"}).out + Run({"--json", "history"}).out;
  }
  // The goal `launch` of `status --json` as of `as_of`.
  nlohmann::json Launch(const std::string& as_of) const {
    const RunResult r = Run({"--json", "--as-of", as_of, "status"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.Json()["goals"][0];
  }
  // Refused with exit 2, one `error:` line containing `message`, nothing written.
  void ExpectRefused(const std::vector<std::string>& args, const std::string& message) {
    const std::string before = Snapshot();
    const RunResult r = Run(args);
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_THAT(r.err, HasSubstr(message));
    EXPECT_EQ(r.err.rfind("error: ", 0), 0u) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_EQ(Snapshot(), before);
  }
};

// ---- Confidence ----

TEST_F(RecordsTest, CheckinConfidenceDisagreesWithTheNumbers) {
  nlohmann::json g = Launch("2026-01-16");
  EXPECT_TRUE(g["confidence"].is_null());
  EXPECT_EQ(g["disagrees"], false);
  EXPECT_TRUE(g["disagreement"].is_null());

  RunResult r = Run({"checkin", "signups", "50", "--date", "2026-01-10", "--author", "dana",
                     "--confidence", "at_risk"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  g = Launch("2026-01-16");
  EXPECT_EQ(g["status"], "on_track");  // P 0.5, E 0.5
  EXPECT_EQ(g["confidence"], "at_risk");
  EXPECT_EQ(g["disagrees"], true);
  EXPECT_EQ(g["disagreement"], 1);

  r = Run({"--as-of", "2026-01-16", "goal", "show", "launch"});
  EXPECT_THAT(r.out, HasSubstr("  confidence at_risk  (the numbers say on_track)\n"));

  r = Run({"--json", "--as-of", "2026-01-16", "review"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json d = r.Json()["disagreements"];
  ASSERT_EQ(d.size(), 1u) << r.out;
  EXPECT_EQ(d[0]["goal"], "launch");
  EXPECT_EQ(d[0]["disagreement"], 1);
  EXPECT_EQ(d[0]["text"], "Dana Lee says at risk; the numbers say on track");
  r = Run({"--as-of", "2026-01-16", "review", "--format", "md"});
  EXPECT_THAT(r.out, HasSubstr("| launch | Launch the spring campaign well | dana | Dana Lee says "
                               "at risk; the numbers say on track |"));
  r = Run({"--as-of", "2026-01-16", "review"});
  EXPECT_THAT(r.out, HasSubstr("Judgement and numbers disagree (1)"));
  EXPECT_THAT(r.out, HasSubstr("Dana Lee says at risk; the numbers say on track"));

  r = Run({"--json", "--as-of", "2026-01-16", "todo", "--person", "dana"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.Json()["disagreements"],
            nlohmann::json::parse(
                R"([{"goal": "launch", "confidence": "at_risk", "status": "on_track"}])"));
  r = Run({"--json", "--as-of", "2026-01-16", "todo", "--person", "sam"});
  EXPECT_EQ(r.Json()["disagreements"], nlohmann::json::array());

  // A later judgement without confidence changes nothing; a later one with it replaces it.
  ASSERT_EQ(Run({"checkin", "signups", "50", "--date", "2026-01-12"}).exit_code, 0);
  EXPECT_EQ(Launch("2026-01-16")["confidence"], "at_risk");
  ASSERT_EQ(Run({"checkin", "signups", "50", "--date", "2026-01-12", "--confidence", "on_track"})
                .exit_code,
            0);
  g = Launch("2026-01-16");
  EXPECT_EQ(g["confidence"], "on_track");
  EXPECT_EQ(g["disagrees"], false);
  EXPECT_EQ(g["disagreement"], 0);
  EXPECT_EQ(Run({"--json", "checkins", "list"}).Json()["checkins"][2]["confidence"], "on_track");
}

TEST_F(RecordsTest, ABadConfidenceIsRefused) {
  ExpectRefused({"checkin", "signups", "5", "--confidence", "maybe"},
                "check-in of kpi 'signups': --confidence 'maybe' is not allowed; use on_track, "
                "at_risk or off_track");
}

TEST_F(RecordsTest, CsvImportReadsConfidenceAndRefusesABadOneNamingItsLine) {
  const std::string bad = WriteFile("bad.csv",
                                    "kpi,date,value,confidence\n"
                                    "signups,2026-01-05,10,on_track\n"
                                    "signups,2026-01-06,12,sure\n");
  const std::string before = Snapshot();
  RunResult r = Run({"import", "checkins", bad});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr("bad.csv:3: column confidence: confidence 'sure' is not allowed; "
                               "use on_track, at_risk or off_track, or leave it empty"));
  EXPECT_EQ(Snapshot(), before);

  r = Run({"import", "checkins",
           WriteFile("good.csv",
                     "kpi,date,value,Confidence\n"
                     "signups,2026-01-05,10,off_track\n"
                     "signups,2026-01-06,12,\n")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json list = Run({"--json", "checkins", "list"}).Json()["checkins"];
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]["confidence"], "off_track");
  EXPECT_TRUE(list[1]["confidence"].is_null());
  EXPECT_EQ(Launch("2026-01-16")["confidence"], "off_track");
}

TEST_F(RecordsTest, PlanCheckinsCarryConfidenceAndExportRoundTrips) {
  const std::string plan = std::string(kPlan) +
                           "checkins:\n"
                           "  - {kpi: signups, date: 2026-01-10, value: 20, confidence: off_track}\n"
                           "spend:\n"
                           "  - {goal: launch, date: 2026-01-03, amount: 1200, note: ads, author: "
                           "dana}\n"
                           "  - {goal: launch, date: 2026-01-04, amount: -200}\n";
  RunResult r = Run({"apply", WriteFile("more.yaml", plan)});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string exported = Run({"export"}).out;
  EXPECT_THAT(exported,
              HasSubstr("  - {kpi: signups, date: 2026-01-10, value: 20, confidence: off_track}"));
  EXPECT_THAT(exported, HasSubstr("spend:\n  - {goal: launch, date: 2026-01-03, amount: 1200, "
                                  "note: \"ads\", author: dana}\n  - {goal: launch, date: "
                                  "2026-01-04, amount: -200}\n"));
  EXPECT_EQ(Launch("2026-01-16")["confidence"], "off_track");
  EXPECT_EQ(Launch("2026-01-16")["spent"], 1000.0);

  // Applying the export (and the plan again) changes nothing.
  const std::string before = Snapshot();
  r = Run({"apply", WriteFile("export.yaml", exported)});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("no changes"));
  r = Run({"apply", WriteFile("more2.yaml", plan)});
  EXPECT_THAT(r.out, HasSubstr("no changes"));
  EXPECT_EQ(Snapshot(), before);

  // Into an empty database, the export rebuilds the same records.
  const std::string other = (dir_ / "other.db").string();
  ASSERT_EQ(RunOn(other, {"apply", WriteFile("export2.yaml", exported)}).exit_code, 0);
  EXPECT_EQ(RunOn(other, {"export"}).out, exported);
}

TEST_F(RecordsTest, APlanWithABadConfidenceOrSpendIsRefusedNamingTheLine) {
  const std::string before = Snapshot();
  RunResult r = Run({"apply", WriteFile("bad.yaml", std::string(kPlan) +
                                                        "checkins:\n"
                                                        "  - {kpi: signups, date: 2026-01-10, "
                                                        "value: 20, confidence: great}\n")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("bad.yaml:19"));
  EXPECT_THAT(r.err, HasSubstr("confidence 'great' is not one of: on_track, at_risk, off_track"));
  r = Run({"apply", WriteFile("bad2.yaml", std::string(kPlan) +
                                               "spend:\n"
                                               "  - {goal: launch, date: 2026-01-10, amount: 0}\n")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("bad2.yaml:19"));
  EXPECT_THAT(r.err, HasSubstr("amount 0 is not allowed"));
  r = Run({"apply", WriteFile("bad3.yaml", std::string(kPlan) +
                                               "spend:\n"
                                               "  - {goal: nope, date: 2026-01-10, amount: 5}\n")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("goal 'nope' does not exist"));
  EXPECT_EQ(Snapshot(), before);
}

// ---- Comment kinds ----

TEST_F(RecordsTest, LessonsAndDecisionsAreListedSinceTheLastReview) {
  ASSERT_EQ(Run({"--as-of", "2026-01-05", "review", "--record", "--notes", "kick-off"}).exit_code,
            0);
  RunResult r = Run({"comment", "launch", "Video beats stills", "--kind", "lesson", "--date",
                     "2026-01-10", "--author", "dana"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(Run({"comment", "launch", "Drop the print ads", "--kind", "decision", "--date",
                 "2026-01-11"})
                .exit_code,
            0);
  ASSERT_EQ(Run({"comment", "launch", "Looks good", "--date", "2026-01-12"}).exit_code, 0);
  // Before the last review: not listed.
  ASSERT_EQ(Run({"comment", "launch", "Old lesson", "--kind", "lesson", "--date", "2026-01-04"})
                .exit_code,
            0);

  const nlohmann::json list = Run({"--json", "comments", "list"}).Json()["comments"];
  ASSERT_EQ(list.size(), 4u);
  EXPECT_EQ(list[0]["kind"], "lesson");
  EXPECT_EQ(list[1]["kind"], "decision");
  EXPECT_EQ(list[2]["kind"], "comment");

  r = Run({"--json", "--as-of", "2026-01-16", "review"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json agenda = r.Json();
  ASSERT_EQ(agenda["lessons"].size(), 2u) << r.out;
  EXPECT_EQ(agenda["lessons"][0]["text"], "Video beats stills");
  EXPECT_EQ(agenda["lessons"][1]["kind"], "decision");
  ASSERT_EQ(agenda["comments"].size(), 1u);
  EXPECT_EQ(agenda["comments"][0]["text"], "Looks good");

  r = Run({"--as-of", "2026-01-16", "review", "--format", "md"});
  EXPECT_THAT(r.out, HasSubstr("## Lessons and decisions (2)"));
  EXPECT_THAT(r.out, HasSubstr("| 2026-01-10 | lesson | dana | launch | Video beats stills |"));
  r = Run({"--as-of", "2026-01-16", "review", "--format", "html"});
  EXPECT_THAT(r.out, HasSubstr("<td>decision</td><td>—</td><td>launch</td><td>Drop the "
                               "print ads</td>"));
  r = Run({"--as-of", "2026-01-16", "report", "--format", "md", "-o", (dir_ / "r.md").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(ReadAll(dir_ / "r.md"), HasSubstr("- Lesson, "));
  EXPECT_THAT(Run({"goal", "show", "launch"}).out, HasSubstr("dana (lesson): Video beats stills"));
}

TEST_F(RecordsTest, ABadCommentKindIsRefused) {
  ExpectRefused({"comment", "launch", "Hmm", "--kind", "memo"},
                "comment on goal 'launch': --kind 'memo' is not allowed; use comment, lesson or "
                "decision");
}

// ---- Spend ----

TEST_F(RecordsTest, SpendAddListRemoveAndTheGoalsNumbers) {
  RunResult r = Run({"spend", "add", "launch", "1200", "--date", "2026-01-05", "--note", "ads",
                     "--author", "dana"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "+ spend #1 on goal launch: 1200 on 2026-01-05\n");
  ASSERT_EQ(Run({"spend", "add", "launch", "300.5", "--date", "2026-01-20"}).exit_code, 0);
  ASSERT_EQ(Run({"spend", "add", "launch", "-100", "--date", "2026-02-03"}).exit_code, 0);

  r = Run({"spend", "list"});
  EXPECT_EQ(r.out,
            "     #1  2026-01-05  launch                           1200  dana  ads\n"
            "     #2  2026-01-20  launch                          300.5  -\n"
            "     #3  2026-02-03  launch                           -100  -\n"
            "         total                                      1400.5\n");
  const nlohmann::json list = Run({"--json", "spend", "list", "--goal", "launch"}).Json();
  EXPECT_EQ(list["total"], 1400.5);
  EXPECT_EQ(list["spend"][0],
            nlohmann::json::parse(R"({"seq": 1, "goal": "launch", "date": "2026-01-05",
                                      "amount": 1200.0, "note": "ads", "author": "dana"})"));

  // The window: the one after t' (the due date, Jan 31) never counts.
  nlohmann::json g = Launch("2026-01-16");
  EXPECT_EQ(g["spent"], 1200.0);
  EXPECT_EQ(g["budget_left"], 3800.0);
  g = Launch("2026-03-01");
  EXPECT_EQ(g["spent"], 1500.5);
  EXPECT_EQ(g["budget_left"], 3499.5);
  EXPECT_THAT(Run({"--as-of", "2026-03-01", "goal", "show", "launch"}).out,
              HasSubstr("  spent 1,500.50 of 5,000, 3,499.50 left\n"));
  r = Run({"--as-of", "2026-03-01", "report", "--format", "md", "-o", (dir_ / "r.md").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(ReadAll(dir_ / "r.md"), HasSubstr("spent 1500.5 of 5000, 3499.5 left"));

  r = Run({"spend", "rm", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "- spend #2\n");
  EXPECT_EQ(Launch("2026-03-01")["spent"], 1200.0);
  const std::string history = Run({"--json", "history", "launch"}).out;
  EXPECT_THAT(history, HasSubstr("\"kind\": \"spend\""));
  EXPECT_THAT(history, HasSubstr("\"op\": \"delete\""));
  ExpectRefused({"spend", "rm", "2"},
                "spend #2 does not exist; `cascade spend list` shows each one's seq");
}

TEST_F(RecordsTest, SpendRefusals) {
  ExpectRefused({"spend", "add", "launch", "0"},
                "amount 0 is not allowed; give the amount spent (negative for a refund or a "
                "correction)");
  ExpectRefused({"spend", "add", "launch", "nan"}, "spend on goal 'launch': ");
  ExpectRefused({"spend", "add", "launch", "1e16"}, "amount");
  ExpectRefused({"spend", "add", "nope", "5"}, "goal 'nope' does not exist");
  ExpectRefused({"spend", "add", "launch", "5", "--author", "ghost"},
                "author 'ghost' is not a person of the workspace");
  ExpectRefused({"spend", "add", "launch", "5", "--date", "2026-13-01"}, "--date");
  ExpectRefused({"spend", "list", "--goal", "nope"}, "goal 'nope' does not exist");
}

TEST_F(RecordsTest, ImportSpendRowsOnceAndRefuseBadOnesNamingTheLine) {
  const std::string bad = WriteFile("bad.csv",
                                    "# export of 2026-01\n"
                                    "Goal,Date,Amount,Note\n"
                                    "launch,2026-01-05,\"1,200\",ads\n"
                                    "launch,2026-01-06,0,\n"
                                    "nope,20260107,5,\n");
  const std::string before = Snapshot();
  RunResult r = Run({"import", "checkins", bad, "--spend"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr("bad.csv:4: column amount: spend of 2026-01-06 on goal 'launch': "
                               "amount 0 is not allowed"));
  EXPECT_THAT(r.err, HasSubstr("bad.csv:5: column goal: goal 'nope' does not exist"));
  EXPECT_THAT(r.err, HasSubstr("2 of 3 rows refused; nothing was imported"));
  EXPECT_EQ(Snapshot(), before);

  const std::string good = WriteFile("good.csv",
                                     "goal,date,amount,note\n"
                                     "launch,2026-01-05,\"1,200\",ads\n"
                                     "launch,20260106,-50,\n");
  r = Run({"import", "checkins", good, "--spend"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "imported 2 spend records, skipped 0 already stored\n");
  r = Run({"import", "checkins", good, "--spend"});
  EXPECT_EQ(r.out, "imported 0 spend records, skipped 2 already stored\n");
  EXPECT_EQ(Launch("2026-01-16")["spent"], 1150.0);
  ExpectRefused({"import", "checkins", WriteFile("nohead.csv", "goal,date\nlaunch,2026-01-05\n"),
                 "--spend"},
                "the header has no column 'amount'");
}

TEST_F(RecordsTest, LintWarnsWhenSpendingPassesTheBudget) {
  ASSERT_EQ(Run({"spend", "add", "launch", "5000", "--date", "2026-01-05"}).exit_code, 0);
  auto b1 = [this] {
    const nlohmann::json lint = Run({"--json", "--as-of", "2026-01-16", "lint"}).Json();
    for (const auto& f : lint["findings"]) {
      if (f["code"] == "B1") return f;
    }
    return nlohmann::json();
  };
  EXPECT_TRUE(b1().is_null());  // exactly the budget
  ASSERT_EQ(Run({"spend", "add", "launch", "0.5", "--date", "2026-01-06"}).exit_code, 0);
  const nlohmann::json f = b1();
  ASSERT_FALSE(f.is_null());
  EXPECT_EQ(f["severity"], "warning");
  EXPECT_EQ(f["goal"], "launch");
  EXPECT_EQ(f["message"],
            "goal 'launch' has spent 5000.5, over its budget_max of 5000 by 0.5; raise the budget "
            "or stop spending on it");
}

}  // namespace
}  // namespace cascade::testing
