// End-to-end tests of cycles (spec §2 "Cycles", §3, §5): `cycle add|list|show|close|reopen`,
// goals taking their cycle's dates, the --cycle filter, the freeze on a closed cycle's goals,
// `goal copy`, plans, and the API's /cycles.
#include <gmock/gmock.h>

#include <map>

#include "cli_runner.h"
#include "served_accounts.h"

namespace cascade::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

// Q1 2026 holds awareness (w 1; recall 12.5 of 10 → 15 and its child posts 10 of 20: P 0.5),
// posts (also in q1, so counted in its parent only), leads (w 2; 25 of 100: P 0.25) and a draft.
// Score as of any date from Feb 1: (1·0.5 + 2·0.25) / 3 = 0.333333. As of Feb 15 (E 45/89):
// awareness and posts on track, leads off track.
constexpr const char* kPlan = R"(version: 1
teams:
  - {id: marketing, name: Marketing}
people:
  - {id: dana, name: Dana Lee, team: marketing, role: lead}
  - {id: mo, name: Mo Member, team: marketing, role: member}
cycles:
  - {id: q1, name: Q1 2026, start: 2026-01-01, end: 2026-03-31}
  - {id: q2, name: Q2 2026, start: 2026-04-01, end: 2026-06-30}
goals:
  - id: awareness
    title: Raise brand awareness
    level: macro
    owner: dana
    team: marketing
    cycle: q1
    kpis:
      - {id: recall, name: Aided recall, kind: level, baseline: 10, target: "+50%"}
    children:
      - id: posts
        title: Publish twenty posts
        level: micro
        owner: mo
        cycle: q1
        kpis:
          - {id: post-count, name: Posts, kind: cumulative, target: 20}
  - id: leads
    title: Generate a hundred leads
    level: micro
    owner: dana
    team: marketing
    cycle: q1
    weight: 2
    kpis:
      - {id: lead-count, name: Leads, kind: cumulative, target: 100}
  - id: plan-q2
    title: Plan the second quarter
    level: micro
    cycle: q1
    state: draft
checkins:
  - {kpi: recall, date: 2026-02-01, value: 12.5}
  - {kpi: post-count, date: 2026-02-01, value: 10}
  - {kpi: lead-count, date: 2026-02-01, value: 25}
)";

class CyclesTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    const RunResult r = Run({"apply", WriteFile("plan.yaml", kPlan)});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  // A command that must be refused with exit 2, one `error:` line containing `what`, and no change.
  void ExpectRefused(const std::vector<std::string>& args, const std::string& what) {
    const std::string before = Run({"export", "--format", "json"}).out;
    const std::string history = Run({"--json", "history"}).out;
    const RunResult r = Run(args);
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_THAT(r.err, HasSubstr(what));
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_EQ(r.err.rfind("error: ", 0), 0u) << r.err;
    EXPECT_EQ(Run({"export", "--format", "json"}).out, before);
    EXPECT_EQ(Run({"--json", "history"}).out, history);
  }

  std::vector<std::string> Ids(std::vector<std::string> args) {
    args.insert(args.begin(), {"--json", "--as-of", "2026-02-15"});
    const RunResult r = Run(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const json listed = r.Json();
    std::vector<std::string> ids;
    for (const json& g : listed["goals"]) ids.push_back(g["id"].get<std::string>());
    return ids;
  }
};

using Names = std::vector<std::string>;

// `breakdown --by cycle` groups the active goals by their cycle, every goal of it (not only the
// top ones the score reads): as of Feb 15, (1·0.5 + 1·0.5 + 2·0.25) / 4 = 0.375; nothing spent.
TEST_F(CyclesTest, BreakdownByCycleGroupsItsActiveGoals) {
  const RunResult r = Run({"--json", "--as-of", "2026-02-15", "breakdown", "--by", "cycle"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json b = r.Json();
  EXPECT_EQ(b["by"], "cycle");
  ASSERT_EQ(b["groups"].size(), 1u) << b.dump();
  const json& q1 = b["groups"][0];
  EXPECT_EQ(q1["key"], "q1");
  EXPECT_EQ(q1["goals"], 3);
  EXPECT_NEAR(q1["progress"].get<double>(), 0.375, 1e-9);
  EXPECT_EQ(q1["counts"], json({{"on_track", 2}, {"off_track", 1}}));
  EXPECT_EQ(q1["spent"], 0);
  EXPECT_EQ(q1["cost_per_goal_done"], 0);
}

TEST_F(CyclesTest, AddListAndShowWithScoreAndCounts) {
  RunResult r = Run(
      {"cycle", "add", "q3", "--name", "Q3 2026", "--start", "2026-07-01", "--end", "2026-09-30"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "+ cycle q3\n");

  r = Run({"--json", "--as-of", "2026-02-15", "cycle", "show", "q1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = r.Json();
  EXPECT_EQ(j["id"], "q1");
  EXPECT_EQ(j["start"], "2026-01-01");
  EXPECT_EQ(j["end"], "2026-03-31");
  EXPECT_EQ(j["state"], "open");
  EXPECT_NEAR(j["score"].get<double>(), 1.0 / 3.0, 1e-6);
  EXPECT_EQ(j["counts"], json({{"on_track", 2}, {"off_track", 1}}));
  EXPECT_EQ(j["goals"], 3);
  EXPECT_EQ(j["drafts"], 1);

  r = Run({"--as-of", "2026-02-15", "cycle", "show", "q1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Q1 2026 (q1)  open  2026-01-01 to 2026-03-31\n"));
  // plan-q2 is a draft of q1: counted apart from its active goals.
  EXPECT_THAT(r.out, HasSubstr("  score 33% as of 2026-02-15  (2 on_track, 1 off_track, 1 draft)\n"));
  EXPECT_THAT(r.out,
              HasSubstr("  leads                      25% off_track   Generate a hundred leads\n"));

  r = Run({"--json", "--as-of", "2026-02-15", "cycle", "list"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  j = r.Json();
  ASSERT_EQ(j["cycles"].size(), 3u);
  EXPECT_EQ(j["cycles"][1]["id"], "q2");
  EXPECT_EQ(j["cycles"][1]["score"], nullptr);
  EXPECT_EQ(j["cycles"][1]["counts"], json::object());
  r = Run({"--as-of", "2026-02-15", "cycle", "list"});
  EXPECT_THAT(r.out, HasSubstr("q1               open   2026-01-01 to 2026-03-31  score   33%  "
                               "2 on_track, 1 off_track, 1 draft  Q1 2026\n"));

  ExpectRefused({"cycle", "show", "q9"}, "cycle 'q9' does not exist");
}

TEST_F(CyclesTest, GoalsTakeTheCycleDatesAndCarryTheirCycle) {
  const RunResult r = Run({"--json", "--as-of", "2026-02-15", "status"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::map<std::string, json> by_id;
  const json status = r.Json();  // kept: a loop over a temporary's member would dangle
  for (const json& g : status["goals"]) by_id[g["id"]] = g;
  EXPECT_EQ(by_id["awareness"]["cycle"], "q1");
  EXPECT_EQ(by_id["awareness"]["start"], "2026-01-01");
  EXPECT_EQ(by_id["awareness"]["due"], "2026-03-31");
  EXPECT_EQ(by_id["posts"]["start"], "2026-01-01");
  EXPECT_EQ(by_id["posts"]["due"], "2026-03-31");
  EXPECT_EQ(by_id["leads"]["status"], "off_track");

  // A goal's own dates inside the cycle win; a child outside any cycle has no due date.
  ASSERT_EQ(Run({"goal", "set", "leads", "--start", "2026-02-01", "--due", "2026-02-28"}).exit_code,
            0);
  ASSERT_EQ(Run({"goal", "add", "brief", "--title", "Write the brief", "--level", "micro",
                 "--parent", "leads"})
                .exit_code,
            0);
  by_id.clear();
  const json again = Run({"--json", "--as-of", "2026-02-15", "status"}).Json();
  for (const json& g : again["goals"]) by_id[g["id"]] = g;
  EXPECT_EQ(by_id["leads"]["start"], "2026-02-01");
  EXPECT_EQ(by_id["leads"]["due"], "2026-02-28");
  EXPECT_EQ(by_id["brief"]["start"], "2026-02-01");
  EXPECT_EQ(by_id["brief"]["due"], nullptr);
  EXPECT_EQ(by_id["brief"]["cycle"], nullptr);
  const RunResult show = Run({"--as-of", "2026-02-15", "goal", "show", "leads"});
  EXPECT_THAT(show.out, HasSubstr("  cycle q1\n"));
}

TEST_F(CyclesTest, TheCycleFilterOfGoalListStatusAndReport) {
  EXPECT_EQ(Ids({"goal", "list", "--cycle", "q1"}),
            (Names{"awareness", "posts", "leads", "plan-q2"}));
  EXPECT_EQ(Ids({"goal", "list", "--cycle", "q2"}), Names{});
  EXPECT_EQ(Ids({"status", "--cycle", "q1", "--status", "off_track"}), Names{"leads"});
  ASSERT_EQ(Run({"goal", "set", "leads", "--cycle", "q2"}).exit_code, 0);
  EXPECT_EQ(Ids({"goal", "list", "--cycle", "q2"}), Names{"leads"});
  const RunResult report =
      Run({"--as-of", "2026-02-15", "report", "--format", "md", "--cycle", "q2", "-o", "r.md"});
  EXPECT_EQ(report.exit_code, 0) << report.err;
  for (const char* cmd : {"goal", "status", "report"}) {
    std::vector<std::string> args = {cmd};
    if (std::string(cmd) == "goal") args.push_back("list");
    args.insert(args.end(), {"--cycle", "q9"});
    const RunResult r = Run(args);
    EXPECT_EQ(r.exit_code, 2) << cmd;
    EXPECT_EQ(r.err,
              "error: --cycle 'q9' is not a cycle of this workspace (`cascade cycle list` shows "
              "them)\n")
        << cmd;
  }
}

TEST_F(CyclesTest, EachRefusalNamesTheFieldAndChangesNothing) {
  ExpectRefused({"cycle", "add", "bad", "--start", "2026-02-01", "--end", "2026-01-01"},
                "cycle 'bad': end 2026-01-01 is before start 2026-02-01; a cycle ends on or after "
                "its start");
  ExpectRefused({"cycle", "add", "q1", "--start", "2026-01-01", "--end", "2026-03-31"},
                "cycle 'q1' already exists");
  ExpectRefused({"cycle", "add", "q5", "--start", "2026-13-01", "--end", "2026-03-31"}, "--start");
  ExpectRefused(
      {"goal", "set", "leads", "--cycle", "q9"},
      "goal 'leads': cycle 'q9' does not exist; cycle must be the id of a cycle or empty");
  ExpectRefused({"goal", "set", "leads", "--due", "2026-04-15"},
                "goal 'leads': due 2026-04-15 is outside cycle 'q1' (2026-01-01 to 2026-03-31); "
                "due must lie inside its cycle, or be left out to take the cycle's");
  ExpectRefused({"goal", "add", "early", "--title", "Early", "--level", "micro", "--cycle", "q2",
                 "--start", "2026-03-01"},
                "goal 'early': start 2026-03-01 is outside cycle 'q2'");
  ExpectRefused({"cycle", "reopen", "q1"}, "cycle 'q1' is already open");
  ExpectRefused({"cycle", "close", "q9"}, "cycle 'q9' does not exist");
}

TEST_F(CyclesTest, CloseRecordsTheFinalNumbersAndFreezesTheGoalsUntilReopened) {
  RunResult r = Run({"cycle", "close", "q1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "closed cycle q1 (2026-01-01 to 2026-03-31): score 33% (3 off_track, 1 draft); "
            "recorded the "
            "progress, status and date achieved of 4 goals as of 2026-03-31 in the history; its "
            "goals now "
            "change only after `cascade cycle reopen q1`\n");
  r = Run({"--json", "history", "leads"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json last = r.Json()["history"].back();
  EXPECT_EQ(last["op"], "close");
  EXPECT_EQ(
      last["after"],
      json({{"cycle", "q1"},
            {"as_of", "2026-03-31"},
            {"progress", 0.25},
            {"status", "off_track"},
            {"achieved_on", nullptr}}));
  r = Run({"history", "plan-q2"});
  EXPECT_THAT(r.out, HasSubstr("close  goal plan-q2\n    achieved_on null  as_of \"2026-03-31\"  "
                               "cycle \"q1\"  progress null  status \"draft\"\n"));
  r = Run({"--json", "--as-of", "2026-05-01", "cycle", "show", "q1"});
  EXPECT_EQ(r.Json()["state"], "closed");
  EXPECT_EQ(r.Json()["as_of"], "2026-03-31");  // a closed cycle's numbers are those of its end

  const std::string closed =
      "is in cycle 'q1', which is closed; a closed cycle's goals change "
      "only after `cascade cycle reopen q1`";
  ExpectRefused({"goal", "set", "leads", "--title", "More leads"}, "goal 'leads' " + closed);
  ExpectRefused({"goal", "rm", "plan-q2"}, "goal 'plan-q2' " + closed);
  ExpectRefused({"kpi", "set", "lead-count", "--target", "120"}, closed);
  ExpectRefused({"kpi", "rm", "recall"}, closed);
  ExpectRefused({"kpi", "add", "mentions", "--goal", "awareness", "--name", "Mentions", "--kind",
                 "cumulative", "--target", "50"},
                closed);
  ExpectRefused({"checkin", "lead-count", "10", "--date", "2026-03-15"},
                "a check-in of kpi 'lead-count': its goal 'leads' " + closed);
  ExpectRefused({"goal", "set", "leads", "--cycle", "q2"}, closed);
  std::string plan = kPlan;  // as exported now: q1 closed
  plan.replace(plan.find("end: 2026-03-31}"), 16, "end: 2026-03-31, state: closed}");
  plan.replace(plan.find("Generate a hundred leads"), 24, "Generate many leads");
  ExpectRefused({"apply", WriteFile("changed.yaml", plan)}, "goal 'leads' " + closed);
  ExpectRefused({"cycle", "close", "q1"}, "cycle 'q1' is already closed");

  r = Run({"cycle", "reopen", "q1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "reopened cycle q1: its goals may change again\n");
  r = Run({"goal", "set", "leads", "--title", "More leads"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

// Money spent and the plan's steps are part of a closed quarter's record, as its check-ins are;
// a lesson written after the close is its retrospective, and is taken.
TEST_F(CyclesTest, AClosedCyclesSpendAndActionsFreezeButLessonsAreTaken) {
  ASSERT_EQ(Run({"action", "add", "brief", "--goal", "leads", "--title", "Write the brief"})
                .exit_code,
            0);
  ASSERT_EQ(Run({"cycle", "close", "q1"}).exit_code, 0);
  const std::string closed =
      "is in cycle 'q1', which is closed; a closed cycle's goals change only after "
      "`cascade cycle reopen q1`";
  ExpectRefused({"spend", "add", "leads", "500", "--date", "2026-03-10", "--author", "dana"},
                "error: spend on goal 'leads': the goal " + closed);
  ExpectRefused({"import", "spend", WriteFile("spend.csv", "goal,date,amount\n"
                                                          "leads,2026-03-10,500\n")},
                "error: spend on goal 'leads': the goal " + closed);
  ExpectRefused({"import", "checkins", "--spend",
                 WriteFile("spend2.csv", "goal,date,amount\nposts,2026-02-10,80\n")},
                "error: spend on goal 'posts': the goal " + closed);
  ExpectRefused({"action", "add", "follow-up", "--goal", "leads", "--title", "Follow up"},
                "error: action 'follow-up' of goal 'leads' " + closed);
  ExpectRefused({"action", "set", "brief", "--title", "Rewrite the brief"},
                "error: action 'brief' of goal 'leads' " + closed);
  ExpectRefused({"action", "done", "brief"}, "error: action 'brief' of goal 'leads' " + closed);
  ExpectRefused({"action", "rm", "brief"}, "error: action 'brief' of goal 'leads' " + closed);

  RunResult r = Run({"comment", "leads", "Lead scoring came too late", "--kind", "lesson",
                     "--author", "dana", "--date", "2026-04-02"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = Run({"--json", "goal", "show", "leads"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(r.Json()["comments"].size(), 1u) << r.out;
  EXPECT_EQ(r.Json()["comments"][0]["kind"], "lesson");
  EXPECT_EQ(r.Json()["comments"][0]["text"], "Lead scoring came too late");

  // Spend on a goal outside the cycle is taken; once reopened, so is the closed one's.
  ASSERT_EQ(Run({"cycle", "reopen", "q1"}).exit_code, 0);
  r = Run({"spend", "add", "leads", "500", "--date", "2026-03-10", "--author", "dana"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

// The plan that made the workspace lists q1 without `state`, which reads as open: applied after
// the close it would reopen the quarter silently. Refused, dry run included, naming the line;
// `state: open` written out reopens it, and the dry run shows it as a change of state.
TEST_F(CyclesTest, APlanLeavingOutAClosedCyclesStateDoesNotReopenIt) {
  ASSERT_EQ(Run({"cycle", "close", "q1"}).exit_code, 0);
  const std::string plan = WriteFile("again.yaml", kPlan);
  const std::string refusal =
      "error: " + plan +
      ":8: cycle 'q1' is closed, and the plan leaves out its state (which means open); write "
      "`state: closed` to keep it closed, or `state: open` to reopen it";
  ExpectRefused({"apply", plan}, refusal);
  ExpectRefused({"apply", plan, "--dry-run"}, refusal);

  std::string reopen = kPlan;
  reopen.replace(reopen.find("end: 2026-03-31}"), 16, "end: 2026-03-31, state: open}");
  const std::string reopening = WriteFile("reopen.yaml", reopen);
  RunResult r = Run({"apply", reopening, "--dry-run"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "~ cycle q1: state closed → open\n(dry run: nothing was changed)\n");
  r = Run({"--json", "cycle", "show", "q1"});
  EXPECT_EQ(r.Json()["state"], "closed");
  r = Run({"apply", reopening});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = Run({"--json", "cycle", "show", "q1"});
  EXPECT_EQ(r.Json()["state"], "open");
}

TEST_F(CyclesTest, CopyCarriesAGoalOverAsDraftsWithRebasedKpis) {
  ASSERT_EQ(Run({"cycle", "close", "q1"}).exit_code, 0);
  RunResult r = Run({"--as-of", "2026-03-31", "goal", "copy", "awareness", "--cycle", "q2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "copied goal awareness into cycle q2 as drafts (KPI baselines as of 2026-03-31):\n"
            "  + goal awareness-q2 (from awareness)\n"
            "  + goal posts-q2 (from posts)\n"
            "  + kpi recall-q2 of awareness-q2: baseline 12.5 target 18.75 (+50%)\n"
            "  + kpi post-count-q2 of posts-q2: baseline 10 target 20\n");
  r = Run({"--json", "goal", "show", "posts-q2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.Json()["goal"]["parent"], "awareness-q2");
  EXPECT_EQ(r.Json()["goal"]["cycle"], "q2");
  EXPECT_EQ(r.Json()["goal"]["state"], "draft");
  EXPECT_EQ(r.Json()["status"]["start"], "2026-04-01");
  EXPECT_EQ(r.Json()["status"]["due"], "2026-06-30");

  r = Run({"--json", "--as-of", "2026-03-31", "goal", "copy", "leads", "--cycle", "q2", "--id",
           "leads-next"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.Json()["goals"], json::array({{{"from", "leads"}, {"id", "leads-next"}}}));
  EXPECT_EQ(r.Json()["kpis"], json::array({{{"from", "lead-count"}, {"id", "lead-count-q2"}}}));
  ExpectRefused({"goal", "copy", "leads", "--cycle", "q2", "--id", "leads-next"},
                "the copy's id 'leads-next' is taken by another goal; choose a new id");
  // The carried goals are the next cycle's drafts: counted as such, not as active goals.
  r = Run({"--json", "cycle", "show", "q2"});
  EXPECT_EQ(r.Json()["goals"], 0);
  EXPECT_EQ(r.Json()["drafts"], 3);
  EXPECT_THAT(Run({"cycle", "list"}).out, HasSubstr("no active goals, 3 drafts"));
  ExpectRefused({"goal", "copy", "leads", "--cycle", "q9"}, "cycle 'q9' does not exist");
  ExpectRefused({"goal", "copy", "nope", "--cycle", "q2"}, "goal 'nope' does not exist");
  // Bytes that are not UTF-8 name nothing: refused as such, shown escaped.
  ExpectRefused({"goal", "copy", "\xff", "--cycle", "q2"}, "goal '\\xff' does not exist");
  ExpectRefused({"goal", "copy", "leads", "--cycle", "q\xfe"}, "cycle 'q\\xfe' does not exist");
  ExpectRefused({"person", "rm", "\xff"}, "person '\\xff' does not exist");
}

// A KPI at its target would be copied with its baseline on the target: refused, naming the KPI,
// its value and the date, and what to do; as of a date before it got there, the copy is made.
TEST_F(CyclesTest, CopyOfAKpiAtItsTargetIsRefusedSayingWhatToDo) {
  ASSERT_EQ(Run({"checkin", "lead-count", "75", "--date", "2026-03-01"}).exit_code, 0);
  ExpectRefused({"--as-of", "2026-03-31", "goal", "copy", "leads", "--cycle", "q2"},
                "error: KPI 'lead-count' is at its target 100 as of 2026-03-31: its copy would "
                "start there (baseline = its value, target kept) with nothing to reach; raise its "
                "target first (`cascade kpi set lead-count --target …`) or copy as of an earlier "
                "date (--as-of)\n");
  const RunResult r = Run({"--as-of", "2026-02-15", "goal", "copy", "leads", "--cycle", "q2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("  + kpi lead-count-q2 of leads-q2: baseline 25 target 100\n"));
}

// The copies' ids are free among every goal and KPI stored, not only among the copied goal's part
// of the workspace (which is all a copy reads): a second copy takes `-2`, and a KPI id already
// used on another goal (leads) is passed over.
TEST_F(CyclesTest, CopyTakesIdsFreeAmongEveryGoalAndKpiStored) {
  RunResult r = Run({"kpi", "add", "post-count-q2", "--goal", "leads", "--name", "Posts",
                     "--kind", "cumulative", "--target", "5"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(Run({"--as-of", "2026-03-31", "goal", "copy", "awareness", "--cycle", "q2"}).exit_code,
            0);
  r = Run({"--json", "--as-of", "2026-03-31", "goal", "copy", "awareness", "--cycle", "q2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.Json()["goals"], json::parse(R"([{"from": "awareness", "id": "awareness-q2-2"},
                                               {"from": "posts", "id": "posts-q2-2"}])"));
  EXPECT_EQ(r.Json()["kpis"], json::parse(R"([{"from": "recall", "id": "recall-q2-2"},
                                              {"from": "post-count", "id": "post-count-q2-3"}])"));
  r = Run({"--json", "goal", "show", "posts-q2-2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.Json()["goal"]["parent"], "awareness-q2-2");
  EXPECT_EQ(r.Json()["kpis"][0]["id"], "post-count-q2-3");
  EXPECT_EQ(r.Json()["kpis"][0]["baseline"], 10);
  // The first copy of post-count went past the KPI on leads too.
  r = Run({"--json", "goal", "show", "posts-q2"});
  EXPECT_EQ(r.Json()["kpis"][0]["id"], "post-count-q2-2");
}

TEST_F(CyclesTest, ExportWritesCyclesAndApplyingItChangesNothing) {
  ASSERT_EQ(Run({"cycle", "close", "q1"}).exit_code, 0);
  RunResult r = Run({"export"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("cycles:\n"
                               "  - {id: q1, name: \"Q1 2026\", start: 2026-01-01, end: "
                               "2026-03-31, state: closed}\n"
                               "  - {id: q2, name: \"Q2 2026\", start: 2026-04-01, end: "
                               "2026-06-30}\n"));
  EXPECT_THAT(r.out, HasSubstr("    cycle: q1\n"));
  const std::string exported = WriteFile("export.yaml", r.out);
  r = Run({"apply", exported});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "no changes\n");
  // Into an empty database: the same workspace, byte for byte.
  const std::string other = (dir_ / "other.db").string();
  ASSERT_EQ(RunOn(other, {"apply", exported}).exit_code, 0);
  EXPECT_EQ(RunOn(other, {"export"}).out, Run({"export"}).out);
  r = Run({"--json", "export", "--format", "json"});
  EXPECT_EQ(json::parse(r.out)["cycles"][0], json({{"id", "q1"},
                                                   {"name", "Q1 2026"},
                                                   {"start", "2026-01-01"},
                                                   {"end", "2026-03-31"},
                                                   {"state", "closed"}}));
}

// ---- The API ----

class CyclesHttpTest : public CyclesTest {
 protected:
  void SetUp() override {
    CyclesTest::SetUp();
    served_.Start(db_, dir_,
                  {
                      {"admin", "", Role::kAdmin},
                      {"lead", "dana", std::nullopt},
                      {"member", "mo", std::nullopt},
                      {"viewer", "", Role::kViewer},
                  });
    ASSERT_FALSE(HasFatalFailure());
  }
  std::unique_ptr<HttpClient> As(const std::string& account) const { return served_.As(account); }
  ServedAccounts served_;
};

TEST_F(CyclesHttpTest, CreateShowFilterCloseAndRefusals) {
  auto lead = As("lead");
  HttpResult r = lead->Post(
      "/api/v1/cycles",
      json{{"id", "q3"}, {"name", "Q3 2026"}, {"start", "2026-07-01"}, {"end", "2026-09-30"}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.Json(), json({{"id", "q3"},
                            {"name", "Q3 2026"},
                            {"start", "2026-07-01"},
                            {"end", "2026-09-30"},
                            {"state", "open"},
                            {"version", 1}}));
  r = As("member")->Post(
      "/api/v1/cycles",
      json{{"id", "q4"}, {"name", "Q4"}, {"start", "2026-10-01"}, {"end", "2026-12-31"}});
  EXPECT_EQ(r.status, 403) << r.body;
  r = lead->Post(
      "/api/v1/cycles",
      json{{"id", "bad"}, {"name", "Bad"}, {"start", "2026-10-01"}, {"end", "2026-09-01"}});
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(r.Json()["error"]["field"], "end");
  r = lead->Post("/api/v1/cycles", json{{"id", "q5"}, {"name", "Q5"}, {"start", "2026-10-01"}});
  EXPECT_EQ(r.status, 400) << r.body;

  r = lead->Get("/api/v1/cycles/q1?as_of=2026-02-15");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NEAR(r.Json()["score"].get<double>(), 1.0 / 3.0, 1e-6);
  EXPECT_EQ(r.Json()["counts"], json({{"on_track", 2}, {"off_track", 1}}));
  r = lead->Get("/api/v1/cycles");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json()["cycles"].size(), 3u);

  r = lead->Get("/api/v1/goals?cycle=q1&as_of=2026-02-15");
  ASSERT_EQ(r.status, 200) << r.body;
  std::vector<std::string> ids;
  const json listed = r.Json();
  for (const json& g : listed["goals"]) ids.push_back(g["id"]);
  EXPECT_EQ(ids, (std::vector<std::string>{"awareness", "posts", "leads", "plan-q2"}));
  EXPECT_EQ(r.Json()["goals"][0]["cycle"], "q1");
  r = lead->Get("/api/v1/goals?cycle=q9");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.Json()["error"]["field"], "cycle");

  r = As("member")->Post("/api/v1/cycles/q1/close", std::string("{}"));
  EXPECT_EQ(r.status, 403) << r.body;
  r = lead->Post("/api/v1/cycles/q1/close", std::string("{}"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json()["state"], "closed");
  r = lead->Post("/api/v1/cycles/q1/close", std::string("{}"));
  EXPECT_EQ(r.status, 409) << r.body;
  r = As("admin")->Patch("/api/v1/goals/leads", json{{"title", "More leads"}});
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_THAT(r.Json()["error"]["message"].get<std::string>(),
              HasSubstr("goal 'leads' is in cycle 'q1', which is closed"));
  r = As("admin")->Post("/api/v1/checkins",
                        json{{"kpi", "lead-count"}, {"value", 5}, {"date", "2026-03-01"}});
  EXPECT_EQ(r.status, 409) << r.body;
  r = As("admin")->Delete("/api/v1/cycles/q1");
  EXPECT_EQ(r.status, 409) << r.body;
  // Spend and actions freeze with the goals; a lesson is taken.
  r = As("admin")->Post("/api/v1/spend", json{{"goal", "leads"},
                                              {"amount", 500},
                                              {"date", "2026-03-10"}});
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(r.Json()["error"]["field"], "cycle");
  EXPECT_EQ(r.Json()["error"]["message"],
            "spend on goal 'leads': the goal is in cycle 'q1', which is closed; a closed cycle's "
            "goals change only after `cascade cycle reopen q1`");
  r = As("admin")->Post("/api/v1/actions",
                        json{{"id", "follow-up"}, {"goal", "leads"}, {"title", "Follow up"}});
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(r.Json()["error"]["field"], "cycle");
  EXPECT_THAT(r.Json()["error"]["message"].get<std::string>(),
              HasSubstr("action 'follow-up' of goal 'leads' is in cycle 'q1', which is closed"));
  r = As("member")->Post("/api/v1/comments", json{{"goal", "leads"},
                                                   {"text", "Lead scoring came too late"},
                                                   {"kind", "lesson"}});
  EXPECT_EQ(r.status, 201) << r.body;
  r = As("admin")->Get("/api/v1/spend?goal=leads");
  EXPECT_EQ(r.Json()["spend"].size(), 0u) << r.body;
  // A plan listing q1 without its state would reopen it: refused, naming the field and line.
  r = As("admin")->Post("/api/v1/apply?dry_run=true", std::string(kPlan));
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(r.Json()["error"]["field"], "state");
  EXPECT_EQ(r.Json()["error"]["message"],
            "plan:8: cycle 'q1' is closed, and the plan leaves out its state (which means open); "
            "write `state: closed` to keep it closed, or `state: open` to reopen it");
  r = lead->Post("/api/v1/cycles/q1/reopen", std::string("{}"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json()["state"], "open");
  r = As("admin")->Patch("/api/v1/goals/leads", json{{"title", "More leads"}});
  EXPECT_EQ(r.status, 200) << r.body;
  // A cycle that goals are in cannot be deleted; an empty one can.
  r = As("admin")->Delete("/api/v1/cycles/q1");
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(r.Json()["error"]["message"],
            "cycle 'q1' cannot be deleted: goal 'awareness' is in it; move its goals to another "
            "cycle (or none) first");
  r = As("admin")->Delete("/api/v1/cycles/q3");
  EXPECT_EQ(r.status, 204) << r.body;
}


// The list carries each cycle's score, counts and active goals, as GET /cycles/{id} has them: q1
// as of Feb 15 (1/3, see kPlan), then closed: as of its end (Mar 31, their due day, E 1: the same
// score, all three off track), whatever ?as_of= says; q2 has no goal.
TEST_F(CyclesHttpTest, ListCarriesEachCyclesScoreAndCounts) {
  auto lead = As("lead");
  HttpResult r = lead->Get("/api/v1/cycles?as_of=2026-02-15");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json(), json({{"cycles",
                             {{{"id", "q1"},
                               {"name", "Q1 2026"},
                               {"start", "2026-01-01"},
                               {"end", "2026-03-31"},
                               {"state", "open"},
                               {"version", 1},
                               {"score", 1.0 / 3.0},
                               {"counts", {{"on_track", 2}, {"off_track", 1}}},
                               {"goals", 3},
                               {"drafts", 1}},
                              {{"id", "q2"},
                               {"name", "Q2 2026"},
                               {"start", "2026-04-01"},
                               {"end", "2026-06-30"},
                               {"state", "open"},
                               {"version", 1},
                               {"score", nullptr},
                               {"counts", json::object()},
                               {"goals", 0},
                               {"drafts", 0}}}},
                            {"total", 2},
                            {"limit", 100},
                            {"offset", 0}}));
  for (const char* id : {"q1", "q2"}) {
    const HttpResult one = lead->Get(std::string("/api/v1/cycles/") + id + "?as_of=2026-02-15");
    ASSERT_EQ(one.status, 200) << one.body;
    EXPECT_EQ(one.Json(), r.Json()["cycles"][id == std::string("q1") ? 0 : 1]);
  }
  ASSERT_EQ(lead->Post("/api/v1/cycles/q1/close", std::string("{}")).status, 200);
  r = lead->Get("/api/v1/cycles?as_of=2026-02-15&state=closed");
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(r.Json()["cycles"].size(), 1u) << r.body;
  const json q1 = r.Json()["cycles"][0];
  EXPECT_EQ(q1["state"], "closed");
  EXPECT_EQ(q1["score"], 1.0 / 3.0);
  EXPECT_EQ(q1["counts"], json({{"off_track", 3}}));
  EXPECT_EQ(lead->Get("/api/v1/cycles?as_of=2026-02-30").status, 400);
}

// PATCH /cycles/q1 with new dates moves the window of every goal in q1 (none sets its own): the
// server's roll-up after the write, computed again for those goals only, is what a fresh load
// computes (the CLI's), and the expected progress is the new window's. A new end before the due
// date a goal of q1 sets itself is refused naming that goal, and changes nothing.
TEST_F(CyclesHttpTest, NewDatesMoveTheGoalsOfTheCycle) {
  auto lead = As("lead");
  // The roll-up as of Feb 15 is cached, and carried over by the write.
  ASSERT_EQ(lead->Get("/api/v1/cycles/q1?as_of=2026-02-15").status, 200);
  HttpResult r = lead->Patch("/api/v1/cycles/q1", json{{"end", "2026-02-28"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json()["version"], 2);
  r = lead->Get("/api/v1/cycles/q1?as_of=2026-02-15");
  ASSERT_EQ(r.status, 200) << r.body;
  const RunResult cli = Run({"--json", "--as-of", "2026-02-15", "cycle", "show", "q1"});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_EQ(r.Json()["score"], cli.Json()["score"]);
  EXPECT_EQ(r.Json()["counts"], cli.Json()["counts"]);
  EXPECT_NE(r.Json()["counts"], json({{"on_track", 2}, {"off_track", 1}}));
  // leads: Jan 1 to Feb 28 is 58 days, 45 of them gone by Feb 15.
  r = lead->Get("/api/v1/status?as_of=2026-02-15&goal=leads");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NEAR(r.Json()["goals"][0]["expected"].get<double>(), 45.0 / 58.0, 1e-9) << r.body;
  const RunResult status = Run({"--json", "--as-of", "2026-02-15", "status"});
  ASSERT_EQ(status.exit_code, 0) << status.err;
  EXPECT_EQ(lead->Get("/api/v1/status?as_of=2026-02-15").Json(), status.Json());

  ASSERT_EQ(lead->Patch("/api/v1/goals/leads", json{{"due", "2026-02-20"}}).status, 200);
  const json before = lead->Get("/api/v1/cycles/q1").Json();
  r = lead->Patch("/api/v1/cycles/q1", json{{"end", "2026-02-10"}});
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_THAT(r.body, HasSubstr("leads")) << r.body;
  EXPECT_EQ(lead->Get("/api/v1/cycles/q1").Json(), before);
}

// POST /goals/{id}/copy carries awareness (and its child posts) over into q2 as drafts, as of
// Mar 31: recall's new baseline is its value 12.5, its "+50%" target re-resolved to 18.75; posts'
// baseline 10 (its value), target 20 kept. The copies take q2's dates.
TEST_F(CyclesHttpTest, CopyCarriesAGoalOverAndAnswersTheNewGoals) {
  auto lead = As("lead");
  ASSERT_EQ(lead->Post("/api/v1/cycles/q1/close", std::string("{}")).status, 200);
  HttpResult r =
      lead->Post("/api/v1/goals/awareness/copy?as_of=2026-03-31", json{{"cycle", "q2"}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.Header("location"), "/api/v1/goals/awareness-q2");
  const json made = r.Json();
  EXPECT_EQ(made["as_of"], "2026-03-31");
  EXPECT_EQ(made["cycle"], "q2");
  EXPECT_EQ(made["kpis"], json::parse(R"([
    {"id": "recall-q2", "goal": "awareness-q2", "name": "Aided recall", "unit": "",
     "kind": "level", "baseline": 12.5, "target": 18.75, "target_written": "+50%",
     "direction": null, "weight": 1, "cadence_days": 7, "source": "", "formula": null,
     "benchmark_for": null, "version": 1},
    {"id": "post-count-q2", "goal": "posts-q2", "name": "Posts", "unit": "",
     "kind": "cumulative", "baseline": 10, "target": 20, "target_written": null,
     "direction": null, "weight": 1, "cadence_days": 7, "source": "", "formula": null,
     "benchmark_for": null, "version": 1}])"));
  // The goals as the goal list shows them, as of the same date.
  const HttpResult listed = lead->Get("/api/v1/goals?cycle=q2&as_of=2026-03-31");
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(made["goals"], listed.Json()["goals"]);
  ASSERT_EQ(made["goals"].size(), 2u);
  const json& top = made["goals"][0];
  EXPECT_EQ(top["id"], "awareness-q2");
  EXPECT_EQ(top["parent"], nullptr);
  EXPECT_EQ(top["state"], "draft");
  EXPECT_EQ(top["cycle"], "q2");
  EXPECT_EQ(top["start"], "2026-04-01");
  EXPECT_EQ(top["due"], "2026-06-30");
  EXPECT_EQ(made["goals"][1]["id"], "posts-q2");
  EXPECT_EQ(made["goals"][1]["parent"], "awareness-q2");
  EXPECT_EQ(made["goals"][1]["state"], "draft");
  // The same goals and KPIs as the command line reads them.
  const RunResult shown = Run({"--json", "goal", "show", "awareness-q2"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_EQ(shown.Json()["kpis"][0]["baseline"], 12.5);
  EXPECT_EQ(shown.Json()["kpis"][0]["target"], 18.75);
  EXPECT_EQ(shown.Json()["goal"]["state"], "draft");

  // With an id of its own; the KPI copies keep the <id>-<cycle> rule.
  r = As("admin")->Post("/api/v1/goals/leads/copy?as_of=2026-03-31",
                        json{{"cycle", "q2"}, {"id", "leads-next"}});
  ASSERT_EQ(r.status, 201) << r.body;
  ASSERT_EQ(r.Json()["goals"].size(), 1u);
  EXPECT_EQ(r.Json()["goals"][0]["id"], "leads-next");
  EXPECT_EQ(r.Json()["kpis"][0]["id"], "lead-count-q2");
  EXPECT_EQ(r.Json()["kpis"][0]["baseline"], 25);
  EXPECT_EQ(r.Json()["kpis"][0]["target"], 100);
}

// Each refusal names its field, and nothing is written (the export and the history unchanged).
TEST_F(CyclesHttpTest, CopyRefusalsNameTheFieldAndWriteNothing) {
  auto lead = As("lead");
  ASSERT_EQ(lead->Post("/api/v1/cycles/q1/close", std::string("{}")).status, 200);
  const std::string before = Run({"export", "--format", "json"}).out;
  const std::string history = Run({"--json", "history"}).out;
  struct Case {
    std::string account, goal, body;
    int status;
    std::string field, message;
  };
  const std::vector<Case> cases = {
      {"lead", "leads", R"({"cycle": "q9"})", 422, "cycle", "cycle 'q9' does not exist"},
      {"lead", "leads", R"({"cycle": "q1"})", 409, "cycle",
       "goal 'leads-q1' is in cycle 'q1', which is closed"},
      {"lead", "leads", R"({"cycle": "q2", "id": "awareness"})", 409, "id",
       "the copy's id 'awareness' is taken by another goal; choose a new id"},
      {"lead", "leads", R"({"cycle": "q2", "id": "Not An Id"})", 422, "id",
       "the copy's id 'Not An Id' is not a valid id"},
      {"lead", "nope", R"({"cycle": "q2"})", 404, "id", "goal 'nope' does not exist"},
      {"lead", "leads", R"({})", 400, "cycle", "'cycle' is required"},
      {"lead", "leads", R"({"cycle": "q2", "as_of": "2026-03-31"})", 400, "as_of",
       "unknown field 'as_of'"},
      {"lead", "leads", R"({"cycle": 2})", 400, "cycle", "'cycle' must be a cycle id"},
      {"viewer", "leads", R"({"cycle": "q2"})", 403, "", ""},
      {"member", "leads", R"({"cycle": "q2"})", 403, "", ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.account + " " + c.goal + " " + c.body);
    const HttpResult r = As(c.account)->Post("/api/v1/goals/" + c.goal + "/copy", c.body);
    EXPECT_EQ(r.status, c.status) << r.body;
    if (!c.field.empty()) {
      EXPECT_EQ(r.Json()["error"]["field"], c.field) << r.body;
    }
    EXPECT_THAT(r.Json()["error"]["message"].get<std::string>(), HasSubstr(c.message));
  }
  EXPECT_EQ(Run({"export", "--format", "json"}).out, before);
  EXPECT_EQ(Run({"--json", "history"}).out, history);
}

}  // namespace
}  // namespace cascade::testing
