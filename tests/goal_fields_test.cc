// End-to-end tests of the goal fields marketers write (spec §1, §3, §5): contributors, supports
// and segment through `goal add|set|show`, plans, `status --json`, the shared goal filters of
// `goal list`, `status` and `report`, and what contributing earns (`todo`, `scorecard`).
#include <gmock/gmock.h>

#include "cli_runner.h"

namespace cascade::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using nlohmann::json;

// marketing > social > tiktok; brand (a team of its own under marketing). As of 2026-03-01:
// launch (marketing, dana; P 0.15, E 59/180: at risk) > followers (social, sam; contributor kim;
// gen-z, high, awareness, social, tag q1; P = (0.2 + 0.1) / 2 = 0.15, E 59/89: off track) > clips
// (tiktok, kim; 3 of 30: off track). awareness (brand, bea; smb; no check-in, P 0: off track): a
// goal of another team that followers may come to support.
constexpr const char* kPlan = R"(version: 1
teams:
  - {id: marketing, name: Marketing}
  - {id: social, name: Social, parent: marketing}
  - {id: tiktok, name: TikTok, parent: social}
  - {id: brand, name: Brand, parent: marketing}
people:
  - {id: dana, name: Dana Lee, team: marketing, role: lead}
  - {id: sam, name: Sam Roe, team: social, role: member}
  - {id: kim, name: Kim Park, team: tiktok, role: member}
  - {id: bea, name: Bea Brand, team: brand, role: lead}
goals:
  - id: launch
    title: Launch the tracker this half
    level: macro
    owner: dana
    team: marketing
    start: 2026-01-01
    due: 2026-06-30
    children:
      - id: followers
        title: Reach ten thousand followers
        level: micro
        owner: sam
        contributors: [kim]
        team: social
        due: 2026-03-31
        priority: high
        channel: social
        segment: gen-z
        stage: awareness
        tags: [q1]
        kpis:
          - {id: followers-count, name: Followers, kind: level, baseline: 0, target: 10000}
        children:
          - id: clips
            title: Post thirty short clips
            level: micro
            owner: kim
            team: tiktok
            due: 2026-03-31
            kpis:
              - {id: clip-count, name: Clips, kind: cumulative, target: 30}
  - id: awareness
    title: Raise brand awareness this half
    level: macro
    owner: bea
    team: brand
    start: 2026-01-01
    due: 2026-06-30
    segment: smb
    kpis:
      - {id: aided-recall, name: Aided recall, unit: "%", kind: level, baseline: 10, target: 20}
checkins:
  - {kpi: followers-count, date: 2026-01-15, value: 2000, author: sam}
  - {kpi: clip-count, date: 2026-02-01, value: 3, author: kim}
)";

class GoalFieldsTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    const RunResult r = Run({"apply", WriteFile("plan.yaml", kPlan)});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  json Goal(const std::string& id) {
    const RunResult r = Run({"--json", "--as-of", "2026-03-01", "goal", "show", id});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.Json();
  }

  // A write that must be refused with exit 2, one `error:` line containing `what`, and no change.
  void ExpectRefused(const std::vector<std::string>& args, const std::string& what) {
    const std::string before = Run({"export", "--format", "json"}).out;
    const RunResult r = Run(args);
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_THAT(r.err, HasSubstr(what));
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_EQ(r.err.rfind("error: ", 0), 0u) << r.err;
    EXPECT_EQ(Run({"export", "--format", "json"}).out, before);
  }

  std::vector<std::string> ListIds(std::vector<std::string> args) {
    args.insert(args.begin(), {"--json", "--as-of", "2026-03-01"});
    const RunResult r = Run(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const json listed = r.Json();  // kept: a loop over a temporary's member would dangle
    std::vector<std::string> ids;
    for (const json& g : listed["goals"]) ids.push_back(g["id"].get<std::string>());
    return ids;
  }
};

using Ids = std::vector<std::string>;

TEST_F(GoalFieldsTest, AddSetAndShowContributorsSupportsAndSegment) {
  RunResult r = Run({"goal", "add", "reviews", "--title", "Collect fifty product reviews",
                     "--level", "micro", "--parent", "launch", "--owner", "dana", "--contributor",
                     "sam", "--contributor", "kim", "--supports", "awareness", "--segment", "smb"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json g = Goal("reviews")["goal"];
  EXPECT_EQ(g["contributors"], json::array({"sam", "kim"}));
  EXPECT_EQ(g["supports"], json::array({"awareness"}));
  EXPECT_EQ(g["segment"], "smb");
  // Given again, a list replaces the old one; "" empties it.
  ASSERT_EQ(Run({"goal", "set", "reviews", "--contributor", "kim"}).exit_code, 0);
  EXPECT_EQ(Goal("reviews")["goal"]["contributors"], json::array({"kim"}));
  ASSERT_EQ(Run({"goal", "set", "reviews", "--contributor", "", "--supports", "",
                 "--segment", ""})
                .exit_code,
            0);
  g = Goal("reviews")["goal"];
  EXPECT_EQ(g["contributors"], json::array());
  EXPECT_EQ(g["supports"], json::array());
  EXPECT_EQ(g["segment"], "");
  // Other fields are left as they were.
  ASSERT_EQ(Run({"goal", "set", "followers", "--title", "Reach 10,000 followers"}).exit_code, 0);
  EXPECT_EQ(Goal("followers")["goal"]["contributors"], json::array({"kim"}));
  EXPECT_EQ(Goal("followers")["goal"]["segment"], "gen-z");
  // The history records the change, before and after.
  r = Run({"history", "reviews"});
  EXPECT_THAT(r.out, HasSubstr("contributors: [\"kim\"] → []"));
}

TEST_F(GoalFieldsTest, ShowPrintsEveryFieldAndBothEndsOfASupport) {
  ASSERT_EQ(Run({"goal", "set", "followers", "--supports", "awareness", "--budget-min", "100",
                 "--budget-max", "5000"})
                .exit_code,
            0);
  RunResult r = Run({"--as-of", "2026-03-01", "goal", "show", "followers"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("  priority high  channel social  segment gen-z  stage awareness  "
                               "state active\n"));
  EXPECT_THAT(r.out, HasSubstr("  weight 1  growth potential 0  budget 100 to 5,000\n"));
  EXPECT_THAT(r.out, HasSubstr("  tags q1\n"));
  EXPECT_THAT(r.out, HasSubstr("  contributors kim\n"));
  EXPECT_THAT(r.out, HasSubstr("  supports awareness\n"));
  EXPECT_THAT(r.out, HasSubstr("  supported by —\n"));
  r = Run({"--as-of", "2026-03-01", "goal", "show", "awareness"});
  EXPECT_THAT(r.out, HasSubstr("  priority medium  channel —  segment smb  stage —  state active\n"));
  EXPECT_THAT(r.out, HasSubstr("  weight 1  growth potential 0  budget 0 to unbounded\n"));
  EXPECT_THAT(r.out, HasSubstr("  contributors —\n"));
  EXPECT_THAT(r.out, HasSubstr("  supports —\n"));
  EXPECT_THAT(r.out, HasSubstr("  supported by followers\n"));
  const json j = Goal("awareness");
  EXPECT_EQ(j["status"]["supported_by"], json::array({"followers"}));
  EXPECT_EQ(j["experiments"], json::array());
}

TEST_F(GoalFieldsTest, StatusJsonCarriesTheFieldsAndSupportsIsNeverRolledUp) {
  const json before = Run({"--json", "--as-of", "2026-03-01", "status"}).Json();
  ASSERT_EQ(Run({"goal", "set", "followers", "--supports", "awareness"}).exit_code, 0);
  const json after = Run({"--json", "--as-of", "2026-03-01", "status"}).Json();
  ASSERT_EQ(after["goals"].size(), 4u);
  std::map<std::string, json> by_id;
  for (const json& g : after["goals"]) by_id[g["id"]] = g;
  EXPECT_EQ(by_id["followers"]["contributors"], json::array({"kim"}));
  EXPECT_EQ(by_id["followers"]["segment"], "gen-z");
  EXPECT_EQ(by_id["followers"]["supports"], json::array({"awareness"}));
  EXPECT_EQ(by_id["followers"]["supported_by"], json::array());
  EXPECT_EQ(by_id["awareness"]["supported_by"], json::array({"followers"}));
  EXPECT_EQ(by_id["awareness"]["segment"], "smb");
  EXPECT_EQ(by_id["launch"]["segment"], nullptr);
  // Every number is what it was: awareness still 0 (no check-in), launch still from its children.
  for (size_t i = 0; i < before["goals"].size(); ++i) {
    EXPECT_EQ(after["goals"][i]["progress"], before["goals"][i]["progress"]);
    EXPECT_EQ(after["goals"][i]["status"], before["goals"][i]["status"]);
  }
  EXPECT_EQ(after["summary"], before["summary"]);
}

TEST_F(GoalFieldsTest, EachRefusalNamesTheFieldAndChangesNothing) {
  ExpectRefused({"goal", "set", "followers", "--contributor", "lee"},
                "goal 'followers': contributors 'lee' does not exist; contributors must be ids "
                "of people");
  ExpectRefused({"goal", "set", "followers", "--contributor", "kim", "--contributor", "kim"},
                "goal 'followers': contributors lists 'kim' twice; list each person once");
  ExpectRefused({"goal", "set", "followers", "--supports", "followers"},
                "goal 'followers': supports 'followers' is not allowed; a goal cannot support "
                "itself");
  ExpectRefused({"goal", "set", "followers", "--supports", "launch"},
                "goal 'followers': supports 'launch' is not allowed; it is the goal's parent");
  ExpectRefused({"goal", "set", "clips", "--supports", "launch"},
                "goal 'clips': supports 'launch' is not allowed; it is an ancestor of the goal");
  ExpectRefused({"goal", "set", "launch", "--supports", "clips"},
                "goal 'launch': supports 'clips' is not allowed; it is a descendant of the goal");
  ExpectRefused({"goal", "set", "followers", "--supports", "nope"},
                "goal 'followers': supports 'nope' does not exist; supports must be ids of goals");
  ExpectRefused({"goal", "set", "followers", "--supports", "awareness", "--supports", "awareness"},
                "goal 'followers': supports lists 'awareness' twice; list each goal once");
  ExpectRefused({"goal", "set", "followers", "--segment", std::string(201, 's')},
                "goal 'followers': segment is 201 characters long; segment may hold at most 200 "
                "characters");
  ExpectRefused({"goal", "add", "x", "--title", "A new goal here", "--level", "micro",
                 "--contributor", "nobody"},
                "goal 'x': contributors 'nobody' does not exist");
  // What the links hold on to cannot go from under them.
  ASSERT_EQ(Run({"goal", "set", "followers", "--supports", "awareness"}).exit_code, 0);
  ExpectRefused({"goal", "rm", "awareness"},
                "goal 'awareness' is supported by goal 'followers'; remove it from that goal's "
                "supports first, or cancel it instead");
  ExpectRefused({"person", "rm", "kim"}, "person 'kim' is still used by goal 'followers' "
                                         "(contributors)");
  // Moving a goal under the goal it supports is refused too.
  ExpectRefused({"goal", "set", "followers", "--parent", "awareness"},
                "supports 'awareness' is not allowed; it is the goal's parent");
}

TEST_F(GoalFieldsTest, PlansCarryTheFieldsAndApplyingAnExportChangesNothing) {
  ASSERT_EQ(Run({"goal", "set", "clips", "--supports", "awareness", "--contributor", "sam"})
                .exit_code,
            0);
  const RunResult yaml = Run({"export"});
  ASSERT_EQ(yaml.exit_code, 0) << yaml.err;
  EXPECT_THAT(yaml.out, HasSubstr("        contributors: [kim]\n"));
  EXPECT_THAT(yaml.out, HasSubstr("        segment: \"gen-z\"\n"));
  EXPECT_THAT(yaml.out, HasSubstr("            contributors: [sam]\n"));
  EXPECT_THAT(yaml.out, HasSubstr("            supports: [awareness]\n"));
  const RunResult again = Run({"apply", WriteFile("export.yaml", yaml.out)});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_THAT(again.out, HasSubstr("no changes"));
  // Into an empty database, the export rebuilds the same goals.
  const std::string other = (dir_ / "other.db").string();
  ASSERT_EQ(RunOn(other, {"apply", WriteFile("export2.yaml", yaml.out)}).exit_code, 0);
  EXPECT_EQ(RunOn(other, {"export"}).out, yaml.out);
  // A plan's refusal names its line.
  std::string bad = kPlan;
  bad.replace(bad.find("contributors: [kim]"), 19, "contributors: [kim, ghost]");
  const RunResult refused = Run({"apply", WriteFile("bad.yaml", bad)});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_THAT(refused.err, HasSubstr("bad.yaml:25: goal 'followers': contributors 'ghost' does "
                                     "not exist"));
}

TEST_F(GoalFieldsTest, FiltersAreTheSameForListStatusAndReport) {
  ASSERT_EQ(Run({"goal", "set", "awareness", "--contributor", "sam", "--tag", "q1"}).exit_code, 0);
  for (const std::vector<std::string>& cmd :
       std::vector<std::vector<std::string>>{{"goal", "list"}, {"status"}}) {
    SCOPED_TRACE(cmd[0]);
    auto ids = [&](std::vector<std::string> filter) {
      filter.insert(filter.begin(), cmd.begin(), cmd.end());
      return ListIds(filter);
    };
    EXPECT_EQ(ids({}), (Ids{"launch", "followers", "clips", "awareness"}));
    // A team with its sub-teams.
    EXPECT_EQ(ids({"--team", "marketing"}), (Ids{"launch", "followers", "clips", "awareness"}));
    EXPECT_EQ(ids({"--team", "social"}), (Ids{"followers", "clips"}));
    EXPECT_EQ(ids({"--team", "brand"}), (Ids{"awareness"}));
    // Owner or contributor.
    EXPECT_EQ(ids({"--owner", "sam"}), (Ids{"followers", "awareness"}));
    EXPECT_EQ(ids({"--owner", "kim"}), (Ids{"followers", "clips"}));
    EXPECT_EQ(ids({"--level", "macro"}), (Ids{"launch", "awareness"}));
    EXPECT_EQ(ids({"--priority", "high"}), (Ids{"followers"}));
    EXPECT_EQ(ids({"--channel", "social"}), (Ids{"followers"}));
    EXPECT_EQ(ids({"--segment", "smb"}), (Ids{"awareness"}));
    EXPECT_EQ(ids({"--stage", "awareness"}), (Ids{"followers"}));
    EXPECT_EQ(ids({"--tag", "q1"}), (Ids{"followers", "awareness"}));
    EXPECT_EQ(ids({"--status", "off_track"}), (Ids{"followers", "clips", "awareness"}));
    EXPECT_EQ(ids({"--status", "at_risk"}), (Ids{"launch"}));
    EXPECT_EQ(ids({"--owner", "sam", "--tag", "q1", "--segment", "gen-z"}), (Ids{"followers"}));
    EXPECT_EQ(ids({"--channel", "tv"}), Ids{});
    // Typos are refused, not read as "no goals".
    for (const auto& [option, value] :
         std::vector<std::pair<std::string, std::string>>{{"--team", "socal"},
                                                          {"--owner", "samm"},
                                                          {"--status", "late"},
                                                          {"--level", "mezzo"},
                                                          {"--priority", "urgent"},
                                                          {"--stage", "loyalty"}}) {
      std::vector<std::string> args = cmd;
      args.insert(args.end(), {option, value});
      const RunResult r = Run(args);
      EXPECT_EQ(r.exit_code, 2) << option;
      EXPECT_EQ(r.out, "") << option;
      EXPECT_THAT(r.err, HasSubstr("'" + value + "'")) << option;
    }
  }
  // The status summary counts what is shown; the text tree hangs a goal under its nearest shown
  // ancestor.
  const json status =
      Run({"--json", "--as-of", "2026-03-01", "status", "--team", "social"}).Json();
  EXPECT_EQ(status["summary"], json::parse(R"({"off_track": 2})"));
  const RunResult text = Run({"--as-of", "2026-03-01", "status", "--owner", "kim"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr("Reach ten thousand followers"));
  EXPECT_THAT(text.out, HasSubstr("Post thirty short clips"));
  EXPECT_THAT(text.out, Not(HasSubstr("Launch the tracker")));
  // The report too, its tree and its review agenda alike: only awareness is off track in it, not
  // followers and clips, and launch is not at risk.
  const std::string md_file = (dir_ / "report.md").string();
  const RunResult md = Run({"--json", "--as-of", "2026-03-01", "report", "--format", "md", "-o",
                            md_file, "--segment", "smb"});
  ASSERT_EQ(md.exit_code, 0) << md.err;
  EXPECT_EQ(md.Json()["goals"], 1);
  EXPECT_EQ(md.Json()["kpis"], 1);  // aided-recall, awareness's one KPI
  // Its goals and KPIs section: awareness alone, none of the other goals.
  const auto goals_section = [&] {
    const std::string report = ReadAll(md_file);
    return report.substr(report.find("## Goals and KPIs"));
  };
  EXPECT_THAT(goals_section(), HasSubstr("### Raise brand awareness this half\n"));
  EXPECT_THAT(goals_section(), Not(HasSubstr("### Launch the tracker this half")));
  EXPECT_THAT(goals_section(), Not(HasSubstr("### Reach ten thousand followers")));
  // The agenda: from its heading to the next section's.
  const auto agenda = [&] {
    const std::string report = ReadAll(md_file);
    const size_t from = report.find("## Review agenda");
    return report.substr(from, report.find("## Goals and KPIs") - from);
  };
  std::string shown = agenda();
  EXPECT_THAT(shown, HasSubstr("### Off track (1)\n\n- Raise brand awareness this half — at 0%"));
  EXPECT_THAT(shown, HasSubstr("### At risk (0)\n"));
  EXPECT_THAT(shown, Not(HasSubstr("Reach ten thousand followers")));
  ASSERT_EQ(Run({"--as-of", "2026-03-01", "report", "--format", "md", "-o", md_file, "--team",
                 "social"})
                .exit_code,
            0);
  shown = agenda();
  EXPECT_THAT(goals_section(), HasSubstr("### Reach ten thousand followers\n"));
  EXPECT_THAT(goals_section(), HasSubstr("### Post thirty short clips\n"));
  EXPECT_THAT(goals_section(), Not(HasSubstr("### Raise brand awareness this half")));
  EXPECT_THAT(goals_section(), Not(HasSubstr("### Launch the tracker this half")));
  // A filter that matches nothing says so, not "No goals yet."
  ASSERT_EQ(Run({"--as-of", "2026-03-01", "report", "--format", "md", "-o", md_file, "--segment",
                 "enterprise"})
                .exit_code,
            0);
  EXPECT_THAT(goals_section(), HasSubstr("No goal matches the filters."));
  ASSERT_EQ(Run({"--as-of", "2026-03-01", "report", "--format", "md", "-o", md_file, "--team",
                 "social"})
                .exit_code,
            0);
  EXPECT_THAT(shown, HasSubstr("No review recorded yet for Social"));
  EXPECT_THAT(shown, HasSubstr("### Off track (2)\n\n- Post thirty short clips — at 10%"));
  EXPECT_THAT(shown, HasSubstr("### At risk (0)\n"));
  EXPECT_THAT(shown, Not(HasSubstr("Raise brand awareness this half")));
  const RunResult bad = Run({"report", "--format", "md", "--team", "socal"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.err, "error: team 'socal' is not a team of this workspace\n");
}

// kim contributes to followers (off track, its KPI last checked in 2026-01-15): it is on kim's
// to-do as on sam's, and kim earns followers's points when it is achieved.
TEST_F(GoalFieldsTest, AContributorChecksInAndIsCreditedAsTheOwnerIs) {
  const json todo = Run({"--json", "--as-of", "2026-03-01", "todo", "--person", "kim"}).Json();
  // followers-count 45 days since 01-15 (38 late), clip-count 28 since 02-01 (21 late).
  EXPECT_EQ(todo["checkins_due"],
            json::parse(R"([{"kpi": "followers-count", "goal": "followers",
                             "last_checkin": "2026-01-15", "days_since": 45, "cadence_days": 7},
                            {"kpi": "clip-count", "goal": "clips",
                             "last_checkin": "2026-02-01", "days_since": 28, "cadence_days": 7}])"));
  EXPECT_EQ(todo["goals_at_risk"], json::parse(R"([{"goal": "followers", "status": "off_track"},
                                                   {"goal": "clips", "status": "off_track"}])"));
  // kim records both KPIs to their targets: clips and then followers are achieved.
  for (const auto& [kpi, value] : std::vector<std::pair<std::string, std::string>>{
           {"clip-count", "27"}, {"followers-count", "10000"}}) {
    const RunResult r =
        Run({"checkin", kpi, value, "--date", "2026-02-20", "--author", "kim"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  // By hand: kim earns 10 × 1 for clips (her own) and 10 × 1 for followers (as a contributor),
  // and 1 for each of her 3 check-ins; sam 10 for followers and 1 for his check-in.
  const json kim = Run({"--json", "--as-of", "2026-03-01", "scorecard", "--person", "kim"}).Json();
  ASSERT_TRUE(kim.contains("person")) << kim;
  EXPECT_EQ(kim["person"]["achieved"], 2);
  EXPECT_EQ(kim["person"]["goal_points"], 20.0);
  EXPECT_EQ(kim["person"]["points"], 23.0);
  const json sam = Run({"--json", "--as-of", "2026-03-01", "scorecard", "--person", "sam"}).Json();
  EXPECT_EQ(sam["person"]["goal_points"], 10.0);
  EXPECT_EQ(sam["person"]["points"], 11.0);
}

}  // namespace
}  // namespace cascade::testing
