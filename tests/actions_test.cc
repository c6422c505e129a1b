// End-to-end tests of issue 16's actions that hold (spec §2 "Overdue actions and the to-do list",
// §5 `action list|set`): tests/data/actions.yaml as of 2026-03-10, worked out by hand in its
// comments; marking done refused while a dependency is open (CLI and plans); overdue markers in
// status, goal show, the review agenda and the report; authors from CASCADE_PERSON.
#include <gmock/gmock.h>

#include <algorithm>
#include <sstream>

#include "cli_runner.h"

namespace cascade::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

class ActionsCliTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    const RunResult r = Run({"apply", TestData("actions.yaml")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  // Everything a refused command must leave alone: the workspace and its history.
  std::string Stored() const {
    return Run({"export", "--format", "json"}).out + Run({"--json", "history"}).out;
  }

  // `cascade ARGS…` with CASCADE_PERSON set to `person`.
  RunResult RunAs(const std::string& person, const std::vector<std::string>& args) const {
    return RunCommand("NO_COLOR=1 CASCADE_ACTOR=tester CASCADE_PERSON=" + ShellQuote(person) + " " +
                          ShellQuote(CASCADE_BIN) + " --db " + ShellQuote(db_),
                      args, "/dev/null");
  }

  std::vector<std::string> Ids(const std::vector<std::string>& args) const {
    std::vector<std::string> args_json{"--json", "--as-of", "2026-03-10", "action", "list"};
    args_json.insert(args_json.end(), args.begin(), args.end());
    const RunResult r = Run(args_json);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const json listed = r.Json();
    std::vector<std::string> ids;
    for (const json& a : listed["actions"]) ids.push_back(a["id"]);
    return ids;
  }
};

TEST_F(ActionsCliTest, ListJsonMarksTheOverdueActions) {
  const RunResult r = Run({"--json", "--as-of", "2026-03-10", "action", "list"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.Json(), json::parse(R"({"as_of": "2026-03-10", "actions": [
    {"id": "plan-posts", "goal": "followers", "title": "Plan the launch posts", "owner": "dana",
     "due": "2026-03-01", "done": false, "depends_on": [], "overdue": true},
    {"id": "publish", "goal": "followers", "title": "Publish the launch posts", "owner": "sam",
     "due": "2026-03-09", "done": false, "depends_on": ["plan-posts"], "overdue": true},
    {"id": "brief", "goal": "followers", "title": "Brief the agency", "owner": "sam",
     "due": "2026-03-10", "done": false, "depends_on": [], "overdue": false},
    {"id": "recap", "goal": "followers", "title": "Write the recap", "owner": "dana",
     "due": "2026-03-02", "done": true, "depends_on": [], "overdue": false},
    {"id": "pitch", "goal": "followers", "title": "Pitch the idea", "owner": "dana",
     "due": null, "done": false, "depends_on": [], "overdue": false},
    {"id": "press-kit", "goal": "coverage", "title": "Send the press kit", "owner": "sofia",
     "due": "2026-02-20", "done": false, "depends_on": [], "overdue": true}]})"));
  // A day later, the action due today is overdue too.
  const RunResult later = Run({"--json", "--as-of", "2026-03-11", "action", "list", "--overdue"});
  ASSERT_EQ(later.exit_code, 0) << later.err;
  EXPECT_EQ(later.Json()["actions"].size(), 4u);
  EXPECT_EQ(later.Json()["actions"][2]["id"], "brief");
}

TEST_F(ActionsCliTest, ListFiltersByGoalOwnerAndOverdue) {
  using V = std::vector<std::string>;
  EXPECT_EQ(Ids({"--overdue"}), (V{"plan-posts", "publish", "press-kit"}));
  EXPECT_EQ(Ids({"--owner", "sam"}), (V{"publish", "brief"}));
  EXPECT_EQ(Ids({"--goal", "coverage"}), (V{"press-kit"}));
  EXPECT_EQ(Ids({"--goal", "followers", "--owner", "dana", "--overdue"}), (V{"plan-posts"}));
  EXPECT_EQ(Ids({"--goal", "launch"}), V{});
}

TEST_F(ActionsCliTest, ListTextSaysHowLateEachOverdueActionIs) {
  const RunResult r = Run({"--as-of", "2026-03-10", "action", "list", "--goal", "followers"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "[ ] plan-posts               followers                dana         2026-03-01  "
            "overdue 9 days  Plan the launch posts\n"
            "[ ] publish                  followers                sam          2026-03-09  "
            "overdue 1 day  Publish the launch posts  (after plan-posts)\n"
            "[ ] brief                    followers                sam          2026-03-10  Brief "
            "the agency\n"
            "[x] recap                    followers                dana         2026-03-02  Write "
            "the recap\n"
            "[ ] pitch                    followers                dana         —           Pitch "
            "the idea\n");
  const RunResult none = Run({"--as-of", "2026-03-10", "action", "list", "--goal", "launch"});
  EXPECT_EQ(none.out, "No actions match.\n");
}

TEST_F(ActionsCliTest, ListRefusesAnUnknownGoalOrPerson) {
  RunResult r = Run({"action", "list", "--goal", "nope"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "error: --goal 'nope' is not a goal of this workspace\n");
  EXPECT_EQ(r.out, "");
  r = Run({"action", "list", "--owner", "nobody"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "error: --owner 'nobody' is not a person of this workspace\n");
}

TEST_F(ActionsCliTest, DoneIsRefusedWhileADependencyIsOpen) {
  const std::string before = Stored();
  RunResult r = Run({"action", "done", "publish"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "error: action 'publish' cannot be marked done while 'plan-posts', which it depends on, "
            "is open; mark it done first\n");
  EXPECT_EQ(Stored(), before);
  ASSERT_EQ(Run({"action", "done", "plan-posts"}).exit_code, 0);
  r = Run({"action", "done", "publish"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Run({"--json", "action", "list", "--owner", "sam"}).Json()["actions"][0]["done"], true);
}

TEST_F(ActionsCliTest, SetChangesTitleOwnerDueAndDependenciesWithHistory) {
  RunResult r = Run({"action", "set", "brief", "--title", "Brief the new agency", "--owner", "dana",
                     "--due", "2026-03-20", "--depends-on", "plan-posts,recap"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = Run({"--json", "--as-of", "2026-03-10", "action", "list", "--owner", "dana"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.Json()["actions"][1],
            json::parse(R"({"id": "brief", "goal": "followers", "title": "Brief the new agency",
                            "owner": "dana", "due": "2026-03-20", "done": false,
                            "depends_on": ["plan-posts", "recap"], "overdue": false})"));
  const json h = Run({"--json", "history", "brief"}).Json()["history"];
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[1]["op"], "update");
  EXPECT_EQ(h[1]["actor"], "tester");
  EXPECT_EQ(h[1]["before"]["owner"], "sam");
  EXPECT_EQ(h[1]["after"]["owner"], "dana");
  EXPECT_EQ(h[1]["before"]["due"], "2026-03-10");
  EXPECT_EQ(h[1]["after"]["due"], "2026-03-20");
  EXPECT_EQ(h[1]["after"]["depends_on"], json::parse(R"(["plan-posts", "recap"])"));
  // Empty values clear the owner, the due date and the dependencies; other fields stay.
  r = Run({"action", "set", "brief", "--owner", "", "--due", "", "--depends-on", ""});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = Run({"--json", "action", "list", "--goal", "followers"});
  EXPECT_EQ(r.Json()["actions"][2],
            json::parse(R"({"id": "brief", "goal": "followers", "title": "Brief the new agency",
                            "owner": null, "due": null, "done": false, "depends_on": [],
                            "overdue": false})"));
}

TEST_F(ActionsCliTest, SetRefusesBadInputWritingNothing) {
  const std::string before = Stored();
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"action", "set", "nope", "--title", "x"}, "error: action 'nope' does not exist\n"},
      {{"action", "set", "brief", "--owner", "nobody"},
       "error: action 'brief': owner 'nobody' does not exist; owner must be the id of a person or "
       "empty\n"},
      {{"action", "set", "brief", "--due", "2026-02-30"},
       "error: --due '2026-02-30' is not a date; use YYYY-MM-DD\n"},
      {{"action", "set", "brief", "--depends-on", "nope"},
       "error: action 'brief': depends_on 'nope' does not exist; list ids of existing actions\n"},
      {{"action", "set", "brief", "--depends-on", "brief"},
       "error: action 'brief': --depends-on names the action itself\n"},
      {{"action", "set", "brief", "--title", " "},
       "error: action 'brief': title is empty; every action needs a title\n"},
  };
  for (const auto& [args, err] : cases) {
    const RunResult r = Run(args);
    EXPECT_EQ(r.exit_code, 2) << args[3];
    EXPECT_EQ(r.err, err) << args[3];
  }
  EXPECT_EQ(Stored(), before);
}

TEST_F(ActionsCliTest, APlanThatMarksADependentDoneIsRefusedByLine) {
  const std::string before = Stored();
  const std::string plan = WriteFile("done.yaml", R"(version: 1
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
)");
  const RunResult r = Run({"apply", plan});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "error: " + plan +
                       ":13: action 'publish' cannot be marked done while 'plan-posts', which it "
                       "depends on, is open; mark it done first\n");
  EXPECT_EQ(Stored(), before);
  // Both done in one plan: the dependency is done in what the plan leaves.
  const std::string both = WriteFile("both.yaml", R"(version: 1
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
      - {id: plan-posts, title: Plan the launch posts, owner: dana, due: 2026-03-01, done: true}
      - {id: publish, title: Publish the launch posts, owner: sam, due: 2026-03-09, done: true, depends_on: [plan-posts]}
)");
  const RunResult ok = Run({"apply", both});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(Ids({"--overdue"}), std::vector<std::string>{"press-kit"});
}

TEST_F(ActionsCliTest, StatusMarksGoalsWithOverdueActions) {
  const RunResult r = Run({"--as-of", "2026-03-10", "status"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> lines;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  ASSERT_GE(lines.size(), 5u) << r.out;
  EXPECT_THAT(lines[0], HasSubstr("Launch the new tracker"));
  EXPECT_THAT(lines[0], Not(HasSubstr("overdue")));
  int followers = -1, coverage = -1;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].find("Reach ten thousand") != std::string::npos) followers = static_cast<int>(i);
    if (lines[i].find("Earn coverage") != std::string::npos) coverage = static_cast<int>(i);
  }
  ASSERT_GE(followers, 0) << r.out;
  ASSERT_GE(coverage, 0) << r.out;
  EXPECT_THAT(lines[followers], ::testing::EndsWith("  2 overdue actions")) << r.out;
  EXPECT_THAT(lines[coverage], ::testing::EndsWith("  1 overdue action")) << r.out;
  // The marker takes room from the title: no line is wider than the 100 columns of a pipe.
  for (const std::string& line : lines) {
    const auto columns = std::count_if(line.begin(), line.end(), [](char c) {
      return (static_cast<unsigned char>(c) & 0xC0) != 0x80;  // one per UTF-8 character
    });
    EXPECT_LE(columns, 100) << line;
  }
  EXPECT_THAT(lines[followers], HasSubstr("Reach ten thousand followers"));
  // Once the actions are done, the marker goes.
  ASSERT_EQ(Run({"action", "done", "plan-posts"}).exit_code, 0);
  ASSERT_EQ(Run({"action", "done", "publish"}).exit_code, 0);
  EXPECT_THAT(Run({"--as-of", "2026-03-10", "status"}).out, Not(HasSubstr("2 overdue")));
}

TEST_F(ActionsCliTest, GoalShowMarksOverdueActions) {
  RunResult r = Run({"--as-of", "2026-03-10", "goal", "show", "followers"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("  [ ] Plan the launch posts (plan-posts) due 2026-03-01  overdue 9 "
                               "days\n  [ ] Publish the launch posts (publish) due 2026-03-09  "
                               "overdue 1 day\n  [ ] Brief the agency (brief) due 2026-03-10\n  [x] "
                               "Write the recap (recap) due 2026-03-02\n  [ ] Pitch the idea "
                               "(pitch)\n"));
  r = Run({"--json", "--as-of", "2026-03-10", "goal", "show", "followers"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json shown = r.Json();
  std::vector<bool> overdue;
  for (const json& a : shown["actions"]) overdue.push_back(a["overdue"]);
  EXPECT_EQ(overdue, (std::vector<bool>{true, true, false, false, false}));
}

TEST_F(ActionsCliTest, TheReviewAgendaListsOverdueActions) {
  RunResult r = Run({"--json", "--as-of", "2026-03-10", "review"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.Json()["overdue_actions"], json::parse(R"([
    {"action": "press-kit", "goal": "coverage", "title": "Send the press kit", "owner": "sofia",
     "due": "2026-02-20", "days_overdue": 18},
    {"action": "plan-posts", "goal": "followers", "title": "Plan the launch posts", "owner": "dana",
     "due": "2026-03-01", "days_overdue": 9},
    {"action": "publish", "goal": "followers", "title": "Publish the launch posts", "owner": "sam",
     "due": "2026-03-09", "days_overdue": 1}])"));
  // A team's review: its goals' actions only.
  r = Run({"--json", "--as-of", "2026-03-10", "review", "--team", "pr"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(r.Json()["overdue_actions"].size(), 1u);
  EXPECT_EQ(r.Json()["overdue_actions"][0]["action"], "press-kit");

  r = Run({"--as-of", "2026-03-10", "review"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\nOverdue actions (3)\n"
                               "  press-kit              due 2026-02-20 (18 days overdue)  goal "
                               "coverage, sofia: Send the press kit\n"
                               "  plan-posts             due 2026-03-01 (9 days overdue)  goal "
                               "followers, dana: Plan the launch posts\n"
                               "  publish                due 2026-03-09 (1 day overdue)  goal "
                               "followers, sam: Publish the launch posts\n"));
  r = Run({"--as-of", "2026-03-10", "review", "--format", "md"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Overdue actions"));
  EXPECT_THAT(r.out, HasSubstr("| press-kit | Send the press kit | coverage | sofia | 2026-02-20 | 18 |"));
  r = Run({"--as-of", "2026-03-10", "review", "--format", "html"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("overdue-actions"));
  EXPECT_THAT(r.out, HasSubstr("<td>publish</td>"));
  // Nothing overdue: the section says so.
  r = Run({"--as-of", "2026-02-01", "review"});
  EXPECT_THAT(r.out, HasSubstr("\nOverdue actions (0)\n  none\n"));
}

TEST_F(ActionsCliTest, TheReportListsOverdueActions) {
  RunResult r = Run({"--as-of", "2026-03-10", "report", "--format", "md", "-o", "r.md"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string md = ReadAll(dir_ / "r.md");
  EXPECT_THAT(md, HasSubstr("### Overdue actions (3)\n\n- **Send the press kit** (press-kit) of "));
  EXPECT_THAT(md, HasSubstr(", 1 day overdue, Sam Rivera\n"));
  r = Run({"--as-of", "2026-03-10", "report", "--format", "html", "-o", "r.html"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string html = ReadAll(dir_ / "r.html");
  EXPECT_THAT(html, HasSubstr("<h3 id=\"review-overdue-actions\">Overdue actions (3)</h3>"));
  EXPECT_THAT(html, HasSubstr("<strong>Plan the launch posts</strong> (plan-posts) of "));
}

// ---- Authors: --author, else CASCADE_PERSON, else CASCADE_ACTOR / USER ------------------------

TEST_F(ActionsCliTest, AuthorsComeFromCascadePerson) {
  ASSERT_EQ(RunAs("sam", {"checkin", "followers-count", "7500", "--date", "2026-03-05"}).exit_code,
            0);
  ASSERT_EQ(RunAs("sam", {"spend", "add", "followers", "120", "--date", "2026-03-05"}).exit_code, 0);
  ASSERT_EQ(RunAs("sam", {"comment", "followers", "Going well", "--date", "2026-03-05"}).exit_code,
            0);
  // --author wins over CASCADE_PERSON.
  ASSERT_EQ(RunAs("sam", {"checkin", "followers-count", "7600", "--date", "2026-03-06", "--author",
                          "dana"})
                .exit_code,
            0);
  // Without either: CASCADE_ACTOR when it is a person, else no author (tester is nobody).
  ASSERT_EQ(Run({"checkin", "followers-count", "7700", "--date", "2026-03-07"}).exit_code, 0);
  const json checkins = Run({"--json", "checkins", "list", "--kpi", "followers-count"}).Json();
  ASSERT_EQ(checkins["checkins"].size(), 4u);
  EXPECT_EQ(checkins["checkins"][1]["author"], "sam");
  EXPECT_EQ(checkins["checkins"][2]["author"], "dana");
  EXPECT_TRUE(checkins["checkins"][3]["author"].is_null());  // CASCADE_ACTOR=tester is no person
  EXPECT_EQ(Run({"--json", "spend", "list"}).Json()["spend"][0]["author"], "sam");
  EXPECT_EQ(Run({"--json", "comments", "list"}).Json()["comments"][0]["author"], "sam");
}

TEST_F(ActionsCliTest, ACascadePersonWhoIsNobodyIsRefused) {
  const std::string before = Stored();
  const std::string err =
      "error: CASCADE_PERSON 'nobody' is not a person of the workspace; set it to your person id "
      "(`cascade person list` shows them) or give --author\n";
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"checkin", "followers-count", "7500"},
                                             {"spend", "add", "followers", "120"},
                                             {"comment", "followers", "Going well"}}) {
    const RunResult r = RunAs("nobody", args);
    EXPECT_EQ(r.exit_code, 2) << args[0];
    EXPECT_EQ(r.err, err) << args[0];
  }
  // An --author that is nobody is refused as before.
  const RunResult r = RunAs("sam", {"spend", "add", "followers", "120", "--author", "ghost"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "error: author 'ghost' is not a person of the workspace; --author takes a person's id "
            "(`cascade person list` shows them)\n");
  EXPECT_EQ(Stored(), before);
}

TEST_F(ActionsCliTest, PlanSpendAndCommentAuthorsMustBePeople) {
  const std::string before = Stored();
  const std::string plan = WriteFile("records.yaml", R"(version: 1
spend:
  - {goal: followers, date: 2026-03-01, amount: 50, author: sam}
  - {goal: followers, date: 2026-03-02, amount: 70, author: ghost}
comments:
  - {goal: followers, date: 2026-03-01, text: Fine, author: dana}
  - {goal: coverage, date: 2026-03-02, text: "Where is it?", author: phantom}
)");
  const RunResult r = Run({"apply", plan});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "error: " + plan +
                ":4: spend of 2026-03-02 on goal 'followers': author 'ghost' is not a person of the "
                "workspace; name a person's id (the plan's people or `cascade person list`)\n"
                "error: " + plan +
                ":7: comment of 2026-03-02 on goal 'coverage': author 'phantom' is not a person "
                "of the workspace; name a person's id (the plan's people or `cascade person "
                "list`)\n");
  EXPECT_EQ(Stored(), before);
}

TEST_F(ActionsCliTest, SpendCsvAuthorsMustBePeopleRefusedByLine) {
  const std::string before = Stored();
  const std::string bad = WriteFile("bad.csv",
                                    "goal,date,amount,note,author\n"
                                    "followers,2026-03-01,50,ads,sam\n"
                                    "followers,2026-03-02,70,,ghost\n");
  RunResult r = Run({"import", "checkins", bad, "--spend"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "error: " + bad +
                       ":3: column author: author 'ghost' is not a person of the workspace; name a "
                       "person's id, or leave it empty\n"
                       "error: " + bad +
                       ": 1 of 2 rows refused; nothing was imported (fix them, or use --skip-bad "
                       "to import the good rows)\n");
  EXPECT_EQ(Stored(), before);
  r = Run({"import", "checkins", bad, "--spend", "--skip-bad"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json spend = Run({"--json", "spend", "list"}).Json()["spend"];
  ASSERT_EQ(spend.size(), 1u);
  EXPECT_EQ(spend[0]["author"], "sam");
}

TEST_F(ActionsCliTest, PlanCommentsAndReviewsApplyOnceAndAreRefusedByLine) {
  const std::string plan = WriteFile("records.yaml", R"(version: 1
comments:
  - {goal: followers, author: dana, date: 2026-03-01, text: "Posts at 9 work best", kind: lesson}
reviews:
  - {date: 2026-03-03, team: social, notes: "Weekly", snapshot: [{goal: followers, progress: 0.7, status: on_track}, {goal: gone, progress: null, status: unmeasured}]}
)");
  RunResult r = Run({"--json", "apply", plan});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = Run({"--json", "comments", "list"});
  ASSERT_EQ(r.Json()["comments"].size(), 1u);
  EXPECT_EQ(r.Json()["comments"][0]["kind"], "lesson");
  // The review counts as the social team's last one.
  r = Run({"--json", "--as-of", "2026-03-10", "review", "--team", "social"});
  EXPECT_EQ(r.Json()["since"]["date"], "2026-03-03");
  EXPECT_EQ(r.Json()["since"]["notes"], "Weekly");
  // Applied again: nothing added.
  const std::string once = Stored();
  r = Run({"apply", plan});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Stored(), once);

  const std::string bad = WriteFile("bad.yaml", R"(version: 1
comments:
  - {goal: nope, date: 2026-03-01, text: "Hello"}
  - {goal: followers, date: 2026-03-01, text: "Hello", kind: rant}
reviews:
  - {date: 2026-03-03, snapshot: [{goal: followers, progress: 0.7, status: great}]}
)");
  r = Run({"apply", bad});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "error: " + bad +
                       ":4: comment of 2026-03-01 on goal 'followers': kind 'rant' is not one of: "
                       "comment, lesson, decision\n"
                       "error: " + bad +
                       ":6: review of 2026-03-03, snapshot: status 'great' is not one of: "
                       "cancelled, draft, unmeasured, achieved, unscheduled, missed, not_started, "
                       "on_track, at_risk, off_track\n");
  const std::string unknown = WriteFile("unknown.yaml", R"(version: 1
comments:
  - {goal: nope, date: 2026-03-01, text: "Hello"}
)");
  r = Run({"apply", unknown});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "error: " + unknown +
                       ":3: comment of 2026-03-01 on goal 'nope': goal 'nope' does not exist; a "
                       "comment must name an existing goal\n");
  EXPECT_EQ(Stored(), once);
}

// ---- Export is the whole workspace (spec §3) ------------------------------------------------

class ExportCliTest : public CliFixture {};

TEST_F(ExportCliTest, TheDemoExportRebuildsTheWorkspaceInAnEmptyDatabase) {
  ASSERT_EQ(Run({"demo"}).exit_code, 0);
  // Records made with no person named (CASCADE_ACTOR=tester is nobody of the demo): by nobody,
  // so the export still applies to an empty database (an author named 'tester' was refused there).
  ASSERT_EQ(Run({"checkin", "media-mention-count", "2"}).exit_code, 0);
  ASSERT_EQ(Run({"spend", "add", "media-mentions", "250"}).exit_code, 0);
  ASSERT_EQ(Run({"comment", "media-mentions", "Two podcasts booked"}).exit_code, 0);
  for (const std::string format : {"yaml", "json"}) {
    const std::string first = "first." + format;
    const std::string second = "second." + format;
    const std::string copy = (dir_ / ("copy-" + format + ".db")).string();
    RunResult r = Run({"export", "--format", format, "-o", first});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string exported = ReadAll(dir_ / first);
    ASSERT_THAT(exported, HasSubstr(format == "yaml" ? "\ncomments:\n" : "\"comments\": ["));
    ASSERT_THAT(exported, HasSubstr(format == "yaml" ? "\nreviews:\n" : "\"reviews\": ["));
    r = RunOn(copy, {"apply", (dir_ / first).string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = RunOn(copy, {"export", "--format", format, "-o", second});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(ReadAll(dir_ / second), exported) << format;
    // Applying it again, to either database, changes nothing.
    r = RunOn(copy, {"--json", "apply", (dir_ / first).string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.Json()["changes"], json::array()) << r.out;
    r = Run({"--json", "apply", (dir_ / first).string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.Json()["changes"], json::array()) << r.out;
    // And what is computed from the records is the same: the review agenda, spend, comments.
    EXPECT_EQ(RunOn(copy, {"--json", "review"}).out, Run({"--json", "review"}).out);
  }
}

}  // namespace
}  // namespace cascade::testing
