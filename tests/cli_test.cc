// End-to-end tests of the core commands: they run the built `cascade` binary on real SQLite files.
#include <gmock/gmock.h>

#include <set>

#include "cli_runner.h"

namespace cascade::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Ordinary least squares projection, written out from the spec's forecast formula.
double OlsProject(const std::vector<double>& x, const std::vector<double>& y, double at) {
  double n = static_cast<double>(x.size()), sx = 0, sy = 0, sxy = 0, sxx = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    sx += x[i];
    sy += y[i];
    sxy += x[i] * y[i];
    sxx += x[i] * x[i];
  }
  const double beta = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  const double alpha = (sy - beta * sx) / n;
  return alpha + beta * at;
}

const nlohmann::json& GoalById(const nlohmann::json& status, const std::string& id) {
  for (const auto& g : status["goals"]) {
    if (g["id"] == id) return g;
  }
  ADD_FAILURE() << "goal " << id << " not in status";
  static const nlohmann::json kNull;
  return kNull;
}

class CliTest : public CliFixture {
 protected:
  void ApplyLaunch() {
    const RunResult r = Run({"apply", TestData("launch.yaml")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  // Everything a refused command must leave alone: the workspace and its history.
  std::string Snapshot() const {
    return Run({"export", "--format", "json"}).out + Run({"--json", "history"}).out;
  }
  // `ENV cascade ARGS…` in the scratch folder, without --db: the database comes from ENV (e.g.
  // "CASCADE_DB=x.db") or the default ./cascade.db.
  RunResult RunWithoutDb(const std::string& env, const std::vector<std::string>& args) const {
    return RunCommand("env -u CASCADE_DB NO_COLOR=1 " + env + " " + ShellQuote(CASCADE_BIN), args,
                      "/dev/null");
  }
};

TEST_F(CliTest, InitCreatesAndReportsSchema) {
  const RunResult r = Run({"init"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("schema version"));
  EXPECT_TRUE(std::filesystem::exists(db_));
}

TEST_F(CliTest, StatusJsonMatchesHandComputedNumbers) {
  ApplyLaunch();
  const RunResult r = Run({"--json", "--as-of", "2026-03-01", "status"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto s = r.Json();
  EXPECT_EQ(s["as_of"], "2026-03-01");
  ASSERT_EQ(s["goals"].size(), 3u);
  // Parents before children, siblings in the order created.
  EXPECT_EQ(s["goals"][0]["id"], "market-share");
  EXPECT_EQ(s["goals"][1]["id"], "followers");
  EXPECT_EQ(s["goals"][2]["id"], "leads");

  // followers: window ends at its due date 2026-01-31, so the 12,000 of 2026-02-10 does not count.
  const auto& followers = GoalById(s, "followers");
  EXPECT_EQ(followers["start"], "2026-01-01");  // inherited from market-share
  EXPECT_EQ(followers["parent"], "market-share");
  const auto& fk = followers["kpis"][0];
  EXPECT_NEAR(fk["value"].get<double>(), 10500, 1e-9);
  EXPECT_NEAR(fk["attainment"].get<double>(), 1.05, 1e-9);
  EXPECT_NEAR(fk["progress"].get<double>(), 1.0, 1e-9);
  EXPECT_EQ(fk["last_checkin"], "2026-01-31");
  EXPECT_EQ(fk["stale"], false);
  // Points (0,0) (14,4000) (30,10500) project past the target: clamped to 1.
  EXPECT_GT(OlsProject({0, 14, 30}, {0, 4000, 10500}, 30), 10000);
  EXPECT_NEAR(fk["forecast"].get<double>(), 1.0, 1e-9);
  EXPECT_EQ(followers["status"], "achieved");

  // leads: cumulative 0 + 10 + 12 = 22 of 50; E = 59/89 days; gap 0.2229 → at risk.
  const auto& leads = GoalById(s, "leads");
  const auto& lk = leads["kpis"][0];
  EXPECT_NEAR(lk["value"].get<double>(), 22, 1e-9);
  EXPECT_NEAR(lk["progress"].get<double>(), 0.44, 1e-9);
  EXPECT_NEAR(leads["expected"].get<double>(), 59.0 / 89.0, 1e-9);
  EXPECT_EQ(leads["status"], "at_risk");
  const double leads_forecast = OlsProject({0, 19, 40}, {0, 10, 22}, 89) / 50;
  EXPECT_NEAR(lk["forecast"].get<double>(), leads_forecast, 1e-9);
  EXPECT_EQ(lk["stale"], true);  // 19 days since 2026-02-10 > cadence 7

  // market-share: P = (0.25 + 1 + 0.44) / 3; E = 59/180; on track.
  const auto& macro = GoalById(s, "market-share");
  EXPECT_NEAR(macro["progress"].get<double>(), (0.25 + 1 + 0.44) / 3, 1e-9);
  EXPECT_NEAR(macro["expected"].get<double>(), 59.0 / 180.0, 1e-9);
  EXPECT_EQ(macro["status"], "on_track");
  EXPECT_TRUE(macro["parent"].is_null());
  const double share_forecast = OlsProject({0, 31, 59}, {0, 3.5, 5}, 180) / 20;
  EXPECT_NEAR(macro["kpis"][0]["forecast"].get<double>(), share_forecast, 1e-9);
  EXPECT_NEAR(macro["forecast"].get<double>(), (share_forecast + 1 + leads_forecast) / 3, 1e-9);

  EXPECT_EQ(s["summary"], nlohmann::json({{"on_track", 1}, {"achieved", 1}, {"at_risk", 1}}));
}

// spec §5: a write confirms what it did in words a person checks at a glance; `checkin` prints the
// KPI's new value and its goal's progress and status (and what they were).
TEST_F(CliTest, CheckinConfirmsTheKpisValueAndItsGoalsProgressAndStatus) {
  ApplyLaunch();
  // leads as of 2026-03-01: 0 + 10 + 12 = 22 of 50 (44%), E = 59/89: gap 0.2229, at risk. With 18
  // more, 40 of 50: 80% ≥ E, on track.
  RunResult r = Run({"--as-of", "2026-03-01", "checkin", "qualified-leads", "18"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "+ 1 check-in\n"
            "  Qualified leads: 40 / 50 leads (was 22)\n"
            "  Collect 50 qualified leads this quarter: 80% on track (was 44% at risk)\n");
  // A macro goal's progress comes from its whole subtree: share's 6 on top of 5 (same date, the
  // later recorded) is 0.3; P = (0.3 + 1 + 0.8) / 3 = 0.7, was (0.25 + 1 + 0.8) / 3 = 0.6833.
  r = Run({"--json", "--as-of", "2026-03-01", "checkin", "share", "6"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = r.Json();
  EXPECT_EQ(j["checkins_added"], 1);
  EXPECT_EQ(j["kpi"]["id"], "share");
  EXPECT_NEAR(j["kpi"]["value"].get<double>(), 6, 1e-9);
  EXPECT_NEAR(j["kpi"]["previous_value"].get<double>(), 5, 1e-9);
  EXPECT_EQ(j["goal"]["id"], "market-share");
  EXPECT_NEAR(j["goal"]["progress"].get<double>(), (0.3 + 1 + 0.8) / 3, 1e-9);
  EXPECT_NEAR(j["goal"]["previous_progress"].get<double>(), (0.25 + 1 + 0.8) / 3, 1e-9);
  EXPECT_EQ(j["goal"]["status"], "on_track");
  EXPECT_EQ(j["goal"]["previous_status"], "on_track");
  // The same numbers status computes from the whole workspace.
  const nlohmann::json status = Run({"--json", "--as-of", "2026-03-01", "status"}).Json();
  EXPECT_NEAR(GoalById(status, "market-share")["progress"].get<double>(),
              j["goal"]["progress"].get<double>(), 1e-12);
  // A check-in outside the goal's window is kept but does not count, and the confirmation says
  // why: leads' window ends at its due date, 2026-03-31.
  r = Run({"--as-of", "2026-04-10", "checkin", "qualified-leads", "5", "--date", "2026-04-02"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Qualified leads: 40 / 50 leads\n"));
  EXPECT_THAT(r.out, HasSubstr("  Not counted: dated after the goal's due date (2026-03-31).\n"));
  r = Run({"--json", "--as-of", "2026-03-01", "checkin", "qualified-leads", "1", "--date",
           "2026-03-05"});
  EXPECT_EQ(r.Json()["kpi"]["counted"], false);
  // Nothing changed, nothing said twice: an unchanged status reads once.
  r = Run({"--as-of", "2026-03-01", "checkin", "share", "6"});
  EXPECT_THAT(r.out, HasSubstr("Achieve 20% market share within six months of launch: 70% on track\n"));
}

TEST_F(CliTest, StatusOfOneGoalShowsItsSubtree) {
  ApplyLaunch();
  const RunResult r = Run({"--json", "--as-of", "2026-03-01", "status", "leads"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(r.Json()["goals"].size(), 1u);
  EXPECT_EQ(r.Json()["goals"][0]["id"], "leads");
  const RunResult missing = Run({"status", "nope"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("goal 'nope'"));
}

TEST_F(CliTest, StatusTreeWithoutTerminalHasNoColour) {
  ApplyLaunch();
  const RunResult r = Run({"--as-of", "2026-03-01", "status"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Achieve 20% market share"));
  EXPECT_THAT(r.out, HasSubstr("at risk"));
  EXPECT_THAT(r.out, HasSubstr("Followers"));
  EXPECT_THAT(r.out, Not(HasSubstr("\x1b[")));
}

TEST_F(CliTest, StatusTreeOnATerminalIsColouredUnlessNoColor) {
  ApplyLaunch();
  const RunResult colour = RunOnTerminal({"--as-of", "2026-03-01", "status"}, nullptr);
  ASSERT_EQ(colour.exit_code, 0) << colour.out;
  EXPECT_THAT(colour.out, HasSubstr("Achieve 20% market share"));
  EXPECT_THAT(colour.out, HasSubstr("\x1b["));  // status colours
  const RunResult empty = RunOnTerminal({"--as-of", "2026-03-01", "status"}, "");
  EXPECT_THAT(empty.out, HasSubstr("\x1b["));  // NO_COLOR counts only when not empty
  const RunResult plain = RunOnTerminal({"--as-of", "2026-03-01", "status"}, "1");
  ASSERT_EQ(plain.exit_code, 0) << plain.out;
  EXPECT_THAT(plain.out, HasSubstr("Achieve 20% market share"));
  EXPECT_THAT(plain.out, HasSubstr("at risk"));
  EXPECT_THAT(plain.out, Not(HasSubstr("\x1b[")));
}

TEST_F(CliTest, StatusJsonHasExactlyTheFieldsOfSection5) {
  ApplyLaunch();
  const auto s = Run({"--json", "--as-of", "2026-03-01", "status"}).Json();
  auto keys = [](const nlohmann::json& object) {
    std::set<std::string> out;
    for (const auto& [key, value] : object.items()) out.insert(key);
    return out;
  };
  EXPECT_EQ(keys(s), (std::set<std::string>{"as_of", "goals", "summary"}));
  for (const auto& g : s["goals"]) {
    // §5's example, with `contributors`, `segment`, `cycle`, `supports` and `supported_by` (§5,
    // §2 Details).
    EXPECT_EQ(keys(g), (std::set<std::string>{"id", "title", "level", "parent", "owner", "team",
                                              "start", "due", "state", "progress", "expected",
                                              "forecast", "status", "confidence", "disagrees",
                                              "disagreement", "achieved_on", "spent", "budget_left",
                                              "kpis", "contributors", "segment", "cycle", "supports",
                                              "supported_by"}))
        << g["id"];
    for (const auto& k : g["kpis"]) {
      EXPECT_EQ(keys(k), (std::set<std::string>{"id", "kind", "target", "benchmark_for", "value",
                                                "attainment", "progress", "forecast",
                                                "last_checkin", "stale"}))
          << k["id"];
    }
  }
  const auto& macro = s["goals"][0];
  EXPECT_EQ(macro["title"], "Achieve 20% market share within six months of launch");
  EXPECT_EQ(macro["level"], "macro");
  EXPECT_EQ(macro["owner"], "dana");
  EXPECT_EQ(macro["team"], "marketing");
  EXPECT_EQ(macro["start"], "2026-01-01");
  EXPECT_EQ(macro["due"], "2026-06-30");
  EXPECT_EQ(macro["state"], "active");
  EXPECT_EQ(macro["kpis"][0]["id"], "share");
  EXPECT_NEAR(macro["kpis"][0]["value"].get<double>(), 5, 1e-9);
  EXPECT_NEAR(macro["kpis"][0]["attainment"].get<double>(), 0.25, 1e-9);
  EXPECT_EQ(macro["kpis"][0]["last_checkin"], "2026-03-01");
  // Numbers are not rounded: E = 59/180 = 0.32777…
  EXPECT_EQ(macro["expected"].get<double>(), 59.0 / 180.0);
}

TEST_F(CliTest, GoalListFiltersByTeamOwnerStatusAndLevel) {
  ApplyLaunch();
  auto ids = [this](std::vector<std::string> filters) {
    filters.insert(filters.begin(), {"--json", "--as-of", "2026-03-01", "goal", "list"});
    const RunResult r = Run(filters);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const nlohmann::json listed = r.Json();
    std::vector<std::string> out;
    for (const auto& g : listed["goals"]) out.push_back(g["id"].get<std::string>());
    return out;
  };
  using Ids = std::vector<std::string>;
  EXPECT_EQ(ids({}), (Ids{"market-share", "followers", "leads"}));
  // A team's filter takes in its sub-teams (spec §5): social is under marketing.
  EXPECT_EQ(ids({"--team", "marketing"}), (Ids{"market-share", "followers", "leads"}));
  EXPECT_EQ(ids({"--team", "social"}), (Ids{"followers"}));
  EXPECT_EQ(ids({"--owner", "dana"}), (Ids{"market-share", "followers"}));
  EXPECT_EQ(ids({"--owner", "sam"}), (Ids{"leads"}));
  EXPECT_EQ(ids({"--status", "at_risk"}), (Ids{"leads"}));
  EXPECT_EQ(ids({"--status", "achieved"}), (Ids{"followers"}));
  EXPECT_EQ(ids({"--status", "off_track"}), Ids{});
  EXPECT_EQ(ids({"--level", "macro"}), (Ids{"market-share"}));
  EXPECT_EQ(ids({"--owner", "dana", "--level", "micro"}), (Ids{"followers"}));
  EXPECT_EQ(ids({"--team", "marketing", "--status", "on_track"}), (Ids{"market-share"}));
  // Each listed goal carries its computed fields, as in `status --json`.
  const auto leads =
      Run({"--json", "--as-of", "2026-03-01", "goal", "list", "--owner", "sam"}).Json();
  EXPECT_EQ(leads["goals"][0]["status"], "at_risk");
  EXPECT_NEAR(leads["goals"][0]["progress"].get<double>(), 0.44, 1e-9);

  const RunResult text = Run({"--as-of", "2026-03-01", "goal", "list", "--status", "at_risk"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr("leads"));
  EXPECT_THAT(text.out, HasSubstr("at_risk"));
  EXPECT_THAT(text.out, Not(HasSubstr("followers")));

  const RunResult bad_status = Run({"goal", "list", "--status", "late"});
  EXPECT_EQ(bad_status.exit_code, 2);
  EXPECT_THAT(bad_status.err, HasSubstr("--status 'late'"));
  const RunResult bad_level = Run({"goal", "list", "--level", "mezzo"});
  EXPECT_EQ(bad_level.exit_code, 2);
  EXPECT_THAT(bad_level.err, HasSubstr("--level 'mezzo'"));
  // A team or owner the workspace does not have is a typo, not "no goals".
  const RunResult bad_team = Run({"goal", "list", "--team", "socal"});
  EXPECT_EQ(bad_team.exit_code, 2);
  EXPECT_EQ(bad_team.out, "");
  EXPECT_EQ(bad_team.err, "error: team 'socal' is not a team of this workspace\n");
  const RunResult bad_owner = Run({"goal", "list", "--owner", "dan"});
  EXPECT_EQ(bad_owner.exit_code, 2);
  EXPECT_EQ(bad_owner.err, "error: owner 'dan' is not a person of this workspace\n");
}

TEST_F(CliTest, AGoalWithoutATeamIsListedUnderItsParentsTeam) {
  ApplyLaunch();
  const RunResult added =
      Run({"goal", "add", "press-kit", "--title", "Ship the launch press kit", "--level", "micro",
           "--parent", "market-share", "--owner", "sam", "--due", "2026-02-15"});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  const nlohmann::json listed = Run({"--json", "goal", "list", "--team", "marketing"}).Json();
  std::vector<std::string> ids;
  for (const auto& g : listed["goals"]) ids.push_back(g["id"].get<std::string>());
  // press-kit has no team of its own: market-share's team, marketing, holds it (followers is
  // social's, a sub-team of marketing).
  EXPECT_EQ(ids, (std::vector<std::string>{"market-share", "followers", "leads", "press-kit"}));
  EXPECT_EQ(Run({"--json", "goal", "list", "--team", "social"}).Json()["goals"].size(), 1u);
}

TEST_F(CliTest, DatabaseFromFlagEnvironmentOrDefault) {
  // $CASCADE_DB names the database when --db is not given; sqlite:PATH is the same file.
  const RunResult env = RunWithoutDb("CASCADE_DB=env.db", {"apply", TestData("launch.yaml")});
  ASSERT_EQ(env.exit_code, 0) << env.err;
  EXPECT_TRUE(std::filesystem::exists(dir_ / "env.db"));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "cascade.db"));
  const RunResult url = RunOn("sqlite:" + (dir_ / "env.db").string(), {"--json", "status"});
  ASSERT_EQ(url.exit_code, 0) << url.err;
  EXPECT_EQ(url.Json()["goals"].size(), 3u);
  const RunResult env_url = RunWithoutDb("CASCADE_DB=sqlite:env.db", {"--json", "status"});
  ASSERT_EQ(env_url.exit_code, 0) << env_url.err;
  EXPECT_EQ(env_url.Json()["goals"].size(), 3u);

  // --db wins over $CASCADE_DB.
  ASSERT_EQ(RunWithoutDb("", {"--db", "flag.db", "init"}).exit_code, 0);
  const RunResult flag = RunWithoutDb("CASCADE_DB=env.db", {"--db", "flag.db", "--json", "status"});
  ASSERT_EQ(flag.exit_code, 0) << flag.err;
  EXPECT_TRUE(flag.Json()["goals"].empty());

  // Neither: ./cascade.db.
  const RunResult plain = RunWithoutDb("", {"init"});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_TRUE(std::filesystem::exists(dir_ / "cascade.db"));
}

TEST_F(CliTest, StorageFailureExitsThree) {
  for (const std::string db : {"no-such-folder/x.db", "sqlite:no-such-folder/x.db"}) {
    const RunResult r = RunOn(db, {"init"});
    EXPECT_EQ(r.exit_code, 3) << db << ": " << r.err;
    EXPECT_THAT(r.err, ::testing::StartsWith("error: ")) << db;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
  // A file that is not a database.
  WriteFile("notes.db", "these are not the tables you are looking for\n");
  const RunResult junk = RunOn((dir_ / "notes.db").string(), {"status"});
  EXPECT_EQ(junk.exit_code, 3) << junk.err;
  EXPECT_THAT(junk.err, ::testing::StartsWith("error: "));
}

TEST_F(CliTest, ApplyingAnExportChangesNothing) {
  ApplyLaunch();
  ASSERT_EQ(Run({"checkin", "share", "6.5", "--date", "2026-03-08", "--note", "Q1 panel"}).exit_code, 0);
  ASSERT_EQ(Run({"export", "-o", "plan.yaml"}).exit_code, 0);
  const RunResult dry = Run({"apply", "--dry-run", "plan.yaml"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_EQ(dry.out, "no changes\n");
  const RunResult json_dry = Run({"--json", "apply", "--dry-run", "--prune", "plan.yaml"});
  EXPECT_TRUE(json_dry.Json()["changes"].empty());
  EXPECT_EQ(json_dry.Json()["checkins_added"], 0);
  // The JSON export round-trips as well.
  ASSERT_EQ(Run({"export", "--format", "json", "-o", "plan.json"}).exit_code, 0);
  EXPECT_EQ(Run({"apply", "--dry-run", "--prune", "plan.json"}).out, "no changes\n");
}

TEST_F(CliTest, ApplyTwiceIsIdempotentAndDryRunWritesNothing) {
  const RunResult dry = Run({"apply", "--dry-run", TestData("launch.yaml")});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_THAT(dry.out, HasSubstr("+ goal market-share"));
  EXPECT_THAT(dry.out, HasSubstr("+ 7 check-ins"));
  EXPECT_TRUE(Run({"--json", "status"}).Json()["goals"].empty());
  ApplyLaunch();
  EXPECT_EQ(Run({"apply", TestData("launch.yaml")}).out, "no changes\n");
}

TEST_F(CliTest, PruneRemovesWhatThePlanNoLongerHolds) {
  ApplyLaunch();
  const std::string smaller = WriteFile("smaller.yaml", R"(version: 1
teams:
  - {id: marketing, name: Marketing}
people:
  - {id: dana, name: Dana Lee, email: dana@example.com, team: marketing, role: lead}
goals:
  - id: market-share
    title: Achieve 20% market share within six months of launch
    level: macro
    owner: dana
    team: marketing
    start: 2026-01-01
    due: 2026-06-30
    kpis:
      - {id: share, name: Market share, unit: "%", kind: level, baseline: 0, target: 20}
)");
  // Without --prune, what the plan leaves out stays (only dana's team changes).
  const RunResult keep = Run({"apply", smaller});
  ASSERT_EQ(keep.exit_code, 0) << keep.err;
  EXPECT_THAT(keep.out, HasSubstr("~ person dana: team social → marketing"));
  EXPECT_EQ(Run({"--json", "status"}).Json()["goals"].size(), 3u);

  const RunResult prune = Run({"apply", "--prune", smaller});
  ASSERT_EQ(prune.exit_code, 0) << prune.err;
  EXPECT_THAT(prune.out, HasSubstr("- goal followers"));
  EXPECT_THAT(prune.out, HasSubstr("- goal leads"));
  EXPECT_THAT(prune.out, HasSubstr("- team social"));
  EXPECT_THAT(prune.out, HasSubstr("- person sam"));
  const auto s = Run({"--json", "--as-of", "2026-03-01", "status"}).Json();
  ASSERT_EQ(s["goals"].size(), 1u);
  EXPECT_NEAR(s["goals"][0]["progress"].get<double>(), 0.25, 1e-9);  // the share check-ins stay
}

TEST_F(CliTest, GoalKpiCheckinCommandsBuildACascade) {
  ASSERT_EQ(Run({"init"}).exit_code, 0);
  ASSERT_EQ(Run({"team", "add", "marketing", "--name", "Marketing"}).exit_code, 0);
  ASSERT_EQ(Run({"person", "add", "dana", "--name", "Dana Lee", "--team", "marketing", "--role",
                 "lead", "--email", "dana@example.com"}).exit_code, 0);
  ASSERT_EQ(Run({"goal", "add", "revenue", "--title", "Grow revenue by a third", "--level", "macro",
                 "--owner", "dana", "--team", "marketing", "--start", "2026-01-01", "--due",
                 "2026-12-31"}).exit_code, 0);
  ASSERT_EQ(Run({"goal", "add", "webinars", "--title", "Run three product webinars", "--level",
                 "micro", "--parent", "revenue", "--owner", "dana", "--due", "2026-03-31"})
                .exit_code, 0);
  ASSERT_EQ(Run({"kpi", "add", "webinar-count", "--goal", "webinars", "--name", "Webinars held",
                 "--kind", "cumulative", "--target", "3"}).exit_code, 0);
  ASSERT_EQ(Run({"kpi", "add", "churn", "--goal", "revenue", "--name", "Monthly churn", "--kind",
                 "threshold", "--direction", "below", "--target", "5", "--unit", "%"}).exit_code, 0);
  ASSERT_EQ(Run({"checkin", "webinar-count", "1", "--date", "2026-01-20"}).exit_code, 0);
  ASSERT_EQ(Run({"checkin", "webinar-count", "1", "--date", "2026-02-20"}).exit_code, 0);
  ASSERT_EQ(Run({"checkin", "churn", "4.5", "--date", "2026-01-31"}).exit_code, 0);
  ASSERT_EQ(Run({"checkin", "churn", "5.5", "--date", "2026-02-28"}).exit_code, 0);
  ASSERT_EQ(Run({"checkin", "churn", "5", "--date", "2026-03-31"}).exit_code, 0);
  const auto s = Run({"--json", "--as-of", "2026-04-01", "status"}).Json();
  // webinars: 2 of 3 at its due date → missed; churn held the line on 2 of 3 check-ins (5 ≤ 5).
  const auto& webinars = GoalById(s, "webinars");
  EXPECT_NEAR(webinars["progress"].get<double>(), 2.0 / 3.0, 1e-9);
  EXPECT_EQ(webinars["status"], "missed");
  const auto& revenue = GoalById(s, "revenue");
  EXPECT_NEAR(revenue["kpis"][0]["progress"].get<double>(), 2.0 / 3.0, 1e-9);
  EXPECT_NEAR(revenue["progress"].get<double>(), (2.0 / 3.0 + 2.0 / 3.0) / 2, 1e-9);

  // The detail says what each child adds to the goal's progress.
  const auto detail = Run({"--json", "--as-of", "2026-04-01", "goal", "show", "revenue"}).Json();
  ASSERT_EQ(detail["child_goals"].size(), 1u);
  const auto& child = detail["child_goals"][0];
  EXPECT_EQ(child["id"], "webinars");
  EXPECT_EQ(child["state"], "active");
  EXPECT_EQ(child["weight"], 1.0);
  EXPECT_NEAR(child["progress"].get<double>(), 2.0 / 3.0, 1e-9);
  EXPECT_EQ(child["status"], "missed");

  // set, cancel: a cancelled child leaves the roll-up.
  ASSERT_EQ(Run({"goal", "cancel", "webinars"}).exit_code, 0);
  const auto after = Run({"--json", "--as-of", "2026-04-01", "status"}).Json();
  EXPECT_EQ(GoalById(after, "webinars")["status"], "cancelled");
  EXPECT_NEAR(GoalById(after, "revenue")["progress"].get<double>(), 2.0 / 3.0, 1e-9);

  const RunResult list = Run({"--json", "goal", "list", "--level", "micro"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  ASSERT_EQ(list.Json()["goals"].size(), 1u);
  EXPECT_EQ(list.Json()["goals"][0]["id"], "webinars");
  const RunResult show = Run({"--json", "goal", "show", "revenue"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_EQ(show.Json()["children"], nlohmann::json::array({"webinars"}));
  EXPECT_EQ(show.Json()["kpis"][0]["id"], "churn");

  // rm refuses a goal with children, then works once the child is gone.
  EXPECT_EQ(Run({"goal", "rm", "revenue"}).exit_code, 2);
  EXPECT_EQ(Run({"goal", "rm", "webinars"}).exit_code, 0);
  EXPECT_EQ(Run({"kpi", "rm", "churn"}).exit_code, 0);
  EXPECT_EQ(Run({"--json", "goal", "show", "revenue"}).Json()["kpis"].size(), 0u);
}

TEST_F(CliTest, ActionsAddDoneRm) {
  ApplyLaunch();
  ASSERT_EQ(Run({"action", "add", "brief-agency", "--goal", "leads", "--title",
                 "Brief the content agency", "--owner", "sam", "--due", "2026-02-01",
                 "--depends-on", "publish"}).exit_code, 0);
  // Not while what it depends on is open (spec §2): publish, which waits for plan-posts.
  EXPECT_EQ(Run({"action", "done", "brief-agency"}).exit_code, 2);
  ASSERT_EQ(Run({"action", "done", "plan-posts"}).exit_code, 0);
  ASSERT_EQ(Run({"action", "done", "publish"}).exit_code, 0);
  ASSERT_EQ(Run({"action", "done", "brief-agency"}).exit_code, 0);
  auto actions = Run({"--json", "goal", "show", "leads"}).Json()["actions"];
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0]["done"], true);
  EXPECT_EQ(actions[0]["depends_on"], nlohmann::json::array({"publish"}));
  EXPECT_EQ(Run({"action", "rm", "brief-agency"}).exit_code, 0);
  EXPECT_EQ(Run({"action", "done", "brief-agency"}).exit_code, 2);
}

TEST_F(CliTest, RemovingAGoalWhoseKpiIsAFunnelStageIsRefused) {
  ApplyLaunch();
  ASSERT_EQ(Run({"funnel", "add", "reach", "--stages", "share,followers-count"}).exit_code, 0);
  const std::string before = Snapshot();
  const RunResult r = Run({"goal", "rm", "followers"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "error: goal 'followers': its kpi 'followers-count' is a stage of funnel 'reach'; "
            "change the funnel first, or cancel the goal instead\n");
  EXPECT_EQ(Snapshot(), before);
  EXPECT_EQ(Run({"goal", "rm", "leads"}).exit_code, 0);  // no funnel holds its KPI
}

// `goal rm`, `kpi rm` and `action rm` read the part of the workspace they remove and what refers
// to it (ScopeRequest::referrers), not the whole: each referrer is still found and named, the
// refusal changes nothing, and once the referrers are gone the removal takes the goal's KPIs,
// actions and experiments with it, each in the history.
TEST_F(CliTest, RemovalsFindWhatStillRefersToWhatTheyRemove) {
  ApplyLaunch();
  const auto refused = [&](std::vector<std::string> args, const std::string& message) {
    const std::string before = Snapshot();
    const RunResult r = Run(args);
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_EQ(r.err, "error: " + message + "\n");
    EXPECT_EQ(Snapshot(), before);
  };
  ASSERT_EQ(Run({"goal", "set", "leads", "--supports", "followers"}).exit_code, 0);
  refused({"goal", "rm", "followers"},
          "goal 'followers' is supported by goal 'leads'; remove it from that goal's supports "
          "first, or cancel it instead");
  ASSERT_EQ(Run({"goal", "set", "leads", "--supports", ""}).exit_code, 0);
  ASSERT_EQ(Run({"kpi", "add", "industry", "--goal", "leads", "--name", "Industry",
                 "--kind", "level", "--benchmark-for", "followers-count", "--target", "10"})
                .exit_code,
            0);
  refused({"goal", "rm", "followers"},
          "goal 'followers': its kpi 'followers-count' is read by kpi 'industry', which is a "
          "benchmark for it; change that KPI first, or cancel the goal instead");
  refused({"kpi", "rm", "followers-count"},
          "kpi 'followers-count' is still used: kpi 'industry' is a benchmark for it; change or "
          "remove that KPI first");
  ASSERT_EQ(Run({"kpi", "rm", "industry"}).exit_code, 0);
  ASSERT_EQ(Run({"kpi", "add", "ratio", "--goal", "leads", "--name", "Ratio", "--kind", "formula",
                 "--formula", "{qualified-leads} / {followers-count}", "--target", "1"}).exit_code,
            0);
  refused({"kpi", "rm", "followers-count"},
          "kpi 'followers-count' is still used: kpi 'ratio' reads it in its formula; change or "
          "remove that KPI first");
  ASSERT_EQ(Run({"kpi", "rm", "ratio"}).exit_code, 0);
  ASSERT_EQ(Run({"action", "add", "follow-up", "--goal", "leads", "--title", "Follow up",
                 "--depends-on", "publish"}).exit_code, 0);
  refused({"goal", "rm", "followers"},
          "action 'follow-up': depends_on 'publish' does not exist; list ids of existing actions");
  // Removing the action it depends on frees it (the dependency goes with it).
  ASSERT_EQ(Run({"action", "rm", "publish"}).exit_code, 0);
  EXPECT_EQ(Run({"--json", "goal", "show", "leads"}).Json()["actions"][0]["depends_on"],
            nlohmann::json::array());
  ASSERT_EQ(Run({"experiment", "add", "hook", "--goal", "followers", "--name", "Hook",
                 "--control-visitors", "100", "--control-conversions", "5", "--variant-visitors",
                 "100", "--variant-conversions", "9"}).exit_code,
            0);
  const RunResult rm = Run({"goal", "rm", "followers"});
  ASSERT_EQ(rm.exit_code, 0) << rm.err;
  EXPECT_EQ(Run({"--json", "goal", "show", "followers"}).exit_code, 2);
  EXPECT_THAT(Run({"history", "plan-posts"}).out, HasSubstr("delete action plan-posts"));
  EXPECT_THAT(Run({"history", "hook"}).out, HasSubstr("delete experiment hook"));
  EXPECT_THAT(Run({"history", "followers-count"}).out, HasSubstr("delete kpi followers-count"));
  EXPECT_EQ(Run({"--json", "experiment", "list"}).Json()["experiments"].size(), 0u);
}

TEST_F(CliTest, HistoryShowsBeforeAndAfterOfAnUpdate) {
  ApplyLaunch();
  ASSERT_EQ(Run({"goal", "set", "leads", "--due", "2026-04-30"}).exit_code, 0);
  const RunResult r = Run({"--json", "history", "leads"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto h = r.Json()["history"];
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[0]["op"], "create");
  EXPECT_EQ(h[1]["op"], "update");
  EXPECT_EQ(h[1]["actor"], "tester");
  EXPECT_EQ(h[1]["before"]["due"], "2026-03-31");
  EXPECT_EQ(h[1]["after"]["due"], "2026-04-30");
  EXPECT_EQ(h[1]["after"]["version"], h[1]["before"]["version"].get<int>() + 1);
  const RunResult text = Run({"history", "leads"});
  EXPECT_THAT(text.out, HasSubstr("due: \"2026-03-31\" → \"2026-04-30\""));
}

TEST_F(CliTest, LintExitsOneOnErrors) {
  ApplyLaunch();
  EXPECT_EQ(Run({"--as-of", "2026-03-01", "lint"}).exit_code, 0);
  ASSERT_EQ(Run({"goal", "add", "orphan", "--title", "Publish ten blog posts", "--level", "micro",
                 "--due", "2026-03-01", "--start", "2026-01-01"}).exit_code, 0);
  const RunResult r = Run({"--json", "--as-of", "2026-02-01", "lint"});
  EXPECT_EQ(r.exit_code, 1);
  std::set<std::string> codes;
  const nlohmann::json findings = r.Json()["findings"];
  for (const auto& f : findings) {
    if (f["goal"] == "orphan") codes.insert(f["code"].get<std::string>());
  }
  EXPECT_TRUE(codes.count("S1"));  // no owner
  EXPECT_TRUE(codes.count("M1"));  // no KPI
  EXPECT_TRUE(codes.count("R1"));  // no macro ancestor
}

// Every input §2 refuses: exit 2, one line naming what is wrong, nothing written.
struct Refusal {
  const char* name;
  std::vector<std::string> args;
  const char* says;  // the field or value the message must name
};

void PrintTo(const Refusal& r, std::ostream* os) { *os << r.name; }

class RefusalTest : public CliTest, public ::testing::WithParamInterface<Refusal> {};

TEST_P(RefusalTest, IsRefusedWithExit2AndChangesNothing) {
  ApplyLaunch();
  const std::string before = Snapshot();
  const RunResult r = Run(GetParam().args);
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr("error: "));
  EXPECT_THAT(r.err, HasSubstr(GetParam().says));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;  // one clear line
  EXPECT_EQ(Snapshot(), before);
}

INSTANTIATE_TEST_SUITE_P(
    Cli, RefusalTest,
    ::testing::Values(
        Refusal{"UnknownParent", {"goal", "add", "g1", "--title", "Run a spring campaign", "--level", "micro", "--parent", "nope"}, "nope"},
        Refusal{"DuplicateGoal", {"goal", "add", "leads", "--title", "Collect more leads", "--level", "micro"}, "leads"},
        Refusal{"MicroWithMacroChild", {"goal", "add", "g2", "--title", "A macro under a micro", "--level", "macro", "--parent", "leads"}, "macro"},
        Refusal{"CycleInTree", {"goal", "set", "market-share", "--parent", "leads"}, "market-share"},
        Refusal{"DueBeforeStart", {"goal", "set", "leads", "--start", "2026-04-01"}, "due"},
        Refusal{"MalformedDate", {"goal", "set", "leads", "--due", "2026-02-30"}, "2026-02-30"},
        Refusal{"BadLevel", {"goal", "set", "leads", "--level", "mezzo"}, "mezzo"},
        Refusal{"TargetEqualsBaseline", {"kpi", "add", "k1", "--goal", "leads", "--name", "Leads", "--kind", "level", "--baseline", "5", "--target", "5"}, "target"},
        Refusal{"ThresholdWithoutDirection", {"kpi", "add", "k2", "--goal", "leads", "--name", "NPS", "--kind", "threshold", "--target", "50"}, "direction"},
        Refusal{"UnknownKpiGoal", {"kpi", "add", "k3", "--goal", "nope", "--name", "Leads", "--kind", "level", "--target", "5"}, "nope"},
        Refusal{"NonFiniteValue", {"checkin", "share", "nan"}, "check-in of kpi 'share': value 'nan'"},
        Refusal{"InfiniteTarget", {"kpi", "set", "share", "--target", "inf"}, "inf"},
        Refusal{"NonNumericValue", {"checkin", "share", "lots"}, "check-in of kpi 'share': value 'lots'"},
        Refusal{"UnknownKpi", {"checkin", "nope", "3"}, "nope"},
        Refusal{"CheckinBadDate", {"checkin", "share", "3", "--date", "2026-13-01"}, "check-in of kpi 'share': --date '2026-13-01'"},
        Refusal{"NegativeWeight", {"goal", "set", "leads", "--weight", "-1"}, "weight"},
        Refusal{"BadId", {"goal", "add", "Bad Id", "--title", "Run a spring campaign", "--level", "micro"}, "Bad Id"},
        Refusal{"UnknownOwner", {"goal", "set", "leads", "--owner", "ghost"}, "ghost"},
        Refusal{"TeamInUse", {"team", "rm", "marketing"}, "team 'social' (parent)"},
        Refusal{"PersonInUse", {"person", "rm", "dana"}, "goal 'market-share' (owner)"},
        Refusal{"UnknownTeam", {"team", "rm", "nope"}, "nope"},
        Refusal{"MissingSubcommandArg", {"goal", "show"}, "id"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST_F(CliTest, MilestoneAcceptsOnlyZeroOrOne) {
  ApplyLaunch();
  ASSERT_EQ(Run({"kpi", "add", "launch-event", "--goal", "leads", "--name", "Launch event held",
                 "--kind", "milestone"}).exit_code, 0);
  const std::string before = Snapshot();
  const RunResult r = Run({"checkin", "launch-event", "0.5"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("launch-event"));
  EXPECT_EQ(Snapshot(), before);
  EXPECT_EQ(Run({"checkin", "launch-event", "1", "--date", "2026-02-01"}).exit_code, 0);
}

// A mistyped check-in or comment is corrected or removed by its seq, which `checkins list`,
// `comments list` and `goal show` print; refusals exit 2 and change nothing.
// An author is a person of the workspace (spec §1): --author names one, or the command is refused
// with one line and changes nothing. Without --author the record is by $CASCADE_ACTOR.
TEST_F(CliTest, AnAuthorMustBeAPersonOfTheWorkspace) {
  ApplyLaunch();
  const std::string before = Snapshot();
  RunResult r = Run({"checkin", "share", "5", "--date", "2026-02-01", "--author", "nobody"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "error: author 'nobody' is not a person of the workspace; --author takes a person's id "
            "(`cascade person list` shows them)\n");
  r = Run({"comment", "followers", "Looks good", "--author", "nobody"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "error: author 'nobody' is not a person of the workspace; --author takes a person's id "
            "(`cascade person list` shows them)\n");
  EXPECT_EQ(Snapshot(), before);

  // A person of the workspace is taken as given.
  ASSERT_EQ(Run({"checkin", "share", "5", "--date", "2026-02-01", "--author", "sam"}).exit_code, 0);
  ASSERT_EQ(Run({"comment", "followers", "Looks good", "--author", "dana"}).exit_code, 0);
  const nlohmann::json checkins = Run({"--json", "checkins", "list", "--kpi", "share"}).Json();
  EXPECT_EQ(checkins["checkins"].back()["author"], "sam");
  const nlohmann::json comments = Run({"--json", "comments", "list"}).Json();
  EXPECT_EQ(comments["comments"].back()["author"], "dana");
  // Without --author: the actor when it is a person, else nobody (Run sets CASCADE_ACTOR=tester,
  // no person); the history still names the actor.
  ASSERT_EQ(Run({"checkin", "share", "6", "--date", "2026-02-02"}).exit_code, 0);
  EXPECT_TRUE(
      Run({"--json", "checkins", "list", "--kpi", "share"}).Json()["checkins"].back()["author"].is_null());
  const RunResult as_sam =
      RunCommand("NO_COLOR=1 CASCADE_ACTOR=sam " + ShellQuote(CASCADE_BIN) + " --db " + ShellQuote(db_),
                 {"checkin", "share", "7", "--date", "2026-02-03"}, "/dev/null");
  ASSERT_EQ(as_sam.exit_code, 0) << as_sam.err;
  EXPECT_EQ(
      Run({"--json", "checkins", "list", "--kpi", "share"}).Json()["checkins"].back()["author"],
      "sam");
}

// goal show: each KPI with its last check-in in the order recorded (not the latest date), then
// the child goals in the order stored, each with its status and progress: followers 12,000 of
// 10,000 by its due date (100%, achieved), leads 10 + 12 = 22 of 50 (44%) with 59 of its 89 days
// gone (E = 0.663: a gap of 0.223, at_risk).
TEST_F(CliTest, GoalShowListsEachKpisLastCheckinAndTheChildren) {
  ApplyLaunch();
  // Recorded last, dated before the others: the last recorded is #8 all the same.
  ASSERT_EQ(Run({"checkin", "followers-count", "900", "--date", "2026-01-02"}).exit_code, 0);
  RunResult r = Run({"--as-of", "2026-03-01", "goal", "show", "followers"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("    last check-in #8 2026-01-02: 900 (all: checkins list --kpi "
                               "followers-count)\n"));
  r = Run({"--as-of", "2026-03-01", "goal", "show", "market-share"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("    last check-in #2 2026-03-01: 5 (all: checkins list --kpi share)\n"
                               "  child followers: Generate 10,000 social media followers in the "
                               "first month  status achieved  progress 100.0%\n"
                               "  child leads: Collect 50 qualified leads this quarter  status "
                               "at_risk  progress 44.0%\n"));
}

// The list shows a value as entered, to correct it: 1234567.5, not 1.23457e+06.
TEST_F(CliTest, CheckinsListShowsValuesAsEntered) {
  ApplyLaunch();
  ASSERT_EQ(Run({"checkin", "share", "1234567.5", "--date", "2026-02-02"}).exit_code, 0);
  EXPECT_THAT(Run({"checkins", "list", "--kpi", "share"}).out,
              HasSubstr("2026-02-02  share                       1234567.5  "));
}

TEST_F(CliTest, CheckinsAndCommentsAreCorrectedAndRemovedBySeq) {
  ApplyLaunch();
  ASSERT_EQ(Run({"checkin", "share", "35", "--date", "2026-02-01", "--note", "typo"}).exit_code, 0);
  RunResult r = Run({"--json", "checkins", "list", "--kpi", "share"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json listed = r.Json()["checkins"];
  ASSERT_FALSE(listed.empty());
  EXPECT_EQ(listed.back()["value"], 35);
  const std::string seq = listed.back()["seq"].dump();
  EXPECT_THAT(Run({"checkins", "list"}).out, HasSubstr("#" + seq));
  EXPECT_THAT(Run({"goal", "show", "market-share"}).out, HasSubstr("last check-in #" + seq));

  r = Run({"checkins", "set", seq, "--value", "3.5", "--note", "fixed"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("~ check-in #" + seq + ": note typo → fixed, value 35.0 → 3.5"));
  nlohmann::json last = Run({"--json", "checkins", "list", "--kpi", "share"}).Json()["checkins"].back();
  EXPECT_EQ(last["value"], 3.5);
  EXPECT_EQ(last["note"], "fixed");
  EXPECT_EQ(last["date"], "2026-02-01");
  const nlohmann::json history = Run({"--json", "history", "share"}).Json()["history"];
  ASSERT_FALSE(history.empty());
  EXPECT_EQ(history.back()["kind"], "checkin");
  EXPECT_EQ(history.back()["op"], "update");
  EXPECT_EQ(history.back()["before"]["value"], 35);
  EXPECT_EQ(history.back()["after"]["value"], 3.5);

  // Refused: unknown seq, bad value or date, nothing to set, a milestone's value other than 0/1.
  ASSERT_EQ(Run({"kpi", "add", "launch-event", "--goal", "leads", "--name", "Launch event held",
                 "--kind", "milestone"}).exit_code, 0);
  ASSERT_EQ(Run({"checkin", "launch-event", "1", "--date", "2026-02-01"}).exit_code, 0);
  const std::string milestone_seq =
      Run({"--json", "checkins", "list", "--kpi", "launch-event"}).Json()["checkins"][0]["seq"].dump();
  const std::string before = Snapshot();
  for (const auto& [args, says] : std::vector<std::pair<std::vector<std::string>, std::string>>{
           {{"checkins", "set", "999999", "--value", "1"}, "#999999"},
           {{"checkins", "set", "abc", "--value", "1"}, "#abc"},
           {{"checkins", "rm", "999999"}, "#999999"},
           {{"checkins", "set", seq, "--value", "lots"}, "lots"},
           {{"checkins", "set", seq, "--value", "nan"}, "nan"},
           {{"checkins", "set", seq, "--date", "2026-13-01"}, "2026-13-01"},
           {{"checkins", "set", seq}, "--value"},
           {{"checkins", "set", milestone_seq, "--value", "0.5"}, "launch-event"},
           {{"comments", "rm", "999999"}, "#999999"},
           {{"comments", "set", "999999", "--text", "x"}, "#999999"},
       }) {
    r = Run(args);
    EXPECT_EQ(r.exit_code, 2) << args[0] << " " << args[1] << " " << args[2] << ": " << r.err;
    EXPECT_THAT(r.err, HasSubstr(says));
  }
  EXPECT_EQ(Snapshot(), before);

  ASSERT_EQ(Run({"checkins", "rm", seq}).exit_code, 0);
  // The list held in a local: a range-for over a member of a temporary reads freed memory.
  const nlohmann::json remaining = Run({"--json", "checkins", "list"}).Json();
  for (const auto& c : remaining["checkins"]) {
    EXPECT_NE(c["seq"].dump(), seq);
  }
  EXPECT_EQ(Run({"--json", "history", "share"}).Json()["history"].back()["op"], "delete");
  EXPECT_EQ(Run({"checkins", "rm", seq}).exit_code, 2);

  // Comments the same way.
  ASSERT_EQ(Run({"comment", "leads", "Great start"}).exit_code, 0);
  const std::string comment =
      Run({"--json", "comments", "list", "--goal", "leads"}).Json()["comments"].back()["seq"].dump();
  EXPECT_THAT(Run({"goal", "show", "leads"}).out, HasSubstr("#" + comment));
  ASSERT_EQ(Run({"comments", "set", comment, "--text", "Great start!"}).exit_code, 0);
  EXPECT_EQ(Run({"--json", "comments", "list"}).Json()["comments"].back()["text"], "Great start!");
  ASSERT_EQ(Run({"comments", "rm", comment}).exit_code, 0);
  EXPECT_TRUE(Run({"--json", "comments", "list", "--goal", "leads"}).Json()["comments"].empty());
}

TEST_F(CliTest, PlanWithSeveralErrorsListsEachWithItsLine) {
  const std::string plan = WriteFile("bad.yaml", R"(version: 1
goals:
  - id: g1
    title: Grow the newsletter audience
    level: micro
    start: 2026-02-01
    due: 2026-01-15
    kpis:
      - {id: subs, name: Subscribers, kind: level, baseline: 100, target: 100}
      - {id: nps, name: NPS, kind: threshold, target: 50}
  - id: g2
    title: Second goal
    level: micro
    parent: missing
)");
  const RunResult r = Run({"apply", plan});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("bad.yaml:7:"));   // due before start
  EXPECT_THAT(r.err, HasSubstr("bad.yaml:9:"));   // target = baseline
  EXPECT_THAT(r.err, HasSubstr("bad.yaml:10:"));  // threshold without direction
  EXPECT_THAT(r.err, HasSubstr("bad.yaml:14:"));  // unknown parent
  EXPECT_TRUE(Run({"--json", "status"}).Json()["goals"].empty());

  const std::string syntax = WriteFile("syntax.yaml", "version: 1\ngoals:\n  - id: [unclosed\n");
  const RunResult s = Run({"apply", syntax});
  EXPECT_EQ(s.exit_code, 2);
  EXPECT_THAT(s.err, HasSubstr("syntax.yaml:"));
}

TEST_F(CliTest, PlanRefusalsOfSection2EachNameTheirLine) {
  ApplyLaunch();
  const std::string before = Snapshot();
  const std::string plan = WriteFile("refused.yaml", R"(version: 1
goals:
  - id: leads
    title: Collect 50 qualified leads this quarter
    level: micro
    owner: sam
    due: 2026-03-31
    children:
      - id: big-idea
        title: A macro goal under a micro goal
        level: macro
  - id: leads
    title: The same id twice
    level: micro
  - id: launch-day
    title: Hold the launch event on time
    level: micro
    parent: market-share
    due: 2026-04-31
    kpis:
      - {id: event-held, name: Event held, kind: milestone}
      - {id: reach, name: Reach, kind: level, baseline: 0, target: .inf}
checkins:
  - {kpi: event-held, date: 2026-02-01, value: 0.5}
  - {kpi: ghost-kpi, date: 2026-02-01, value: 1}
)");
  const RunResult r = Run({"apply", plan});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("refused.yaml:19:"));  // 2026-04-31 is not a date
  EXPECT_THAT(r.err, HasSubstr("refused.yaml:22:"));  // .inf is not a finite number
  EXPECT_EQ(Snapshot(), before);
  // The same plan with the reader's errors fixed still fails validation, line by line.
  const std::string plan2 = WriteFile("refused2.yaml", R"(version: 1
goals:
  - id: leads
    title: Collect 50 qualified leads this quarter
    level: micro
    owner: sam
    due: 2026-03-31
    children:
      - id: big-idea
        title: A macro goal under a micro goal
        level: macro
  - id: launch-day
    title: Hold the launch event on time
    level: micro
    parent: market-share
    due: 2026-04-30
    kpis:
      - {id: event-held, name: Event held, kind: milestone}
checkins:
  - {kpi: event-held, date: 2026-02-01, value: 0.5}
  - {kpi: ghost-kpi, date: 2026-02-01, value: 1}
)");
  const RunResult r2 = Run({"apply", plan2});
  EXPECT_EQ(r2.exit_code, 2);
  EXPECT_THAT(r2.err, HasSubstr("refused2.yaml:11:"));  // level: macro under a micro goal
  EXPECT_THAT(r2.err, HasSubstr("refused2.yaml:20:"));  // milestone value 0.5
  EXPECT_THAT(r2.err, HasSubstr("ghost-kpi"));          // unknown KPI
  EXPECT_EQ(Snapshot(), before);
  const std::string dup = WriteFile("dup.yaml", R"(version: 1
goals:
  - {id: twin, title: The first of two twins, level: micro}
  - {id: twin, title: The second of two twins, level: micro}
)");
  const RunResult r3 = Run({"apply", dup});
  EXPECT_EQ(r3.exit_code, 2);
  EXPECT_THAT(r3.err, HasSubstr("twin"));
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(CliTest, PlanReadsCheckinsFromItsCsvFile) {
  std::filesystem::create_directories(dir_ / "data");
  WriteFile("data/checkins.csv",
            "kpi,date,value,note\r\nwebinars-held,2026-01-20,1,kick-off\r\n"
            "webinars-held,20260220,1,\"pricing, live\"\r\n");
  const std::string plan = WriteFile("plan.yaml", R"(version: 1
goals:
  - id: webinars
    title: Run three product webinars
    level: micro
    start: 2026-01-01
    due: 2026-03-31
    kpis:
      - {id: webinars-held, name: Webinars held, kind: cumulative, target: 3}
checkins_csv: data/checkins.csv
)");
  const RunResult r = Run({"apply", plan});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("+ 2 check-ins"));
  const auto s = Run({"--json", "--as-of", "2026-03-01", "status"}).Json();
  EXPECT_NEAR(s["goals"][0]["kpis"][0]["value"].get<double>(), 2, 1e-9);
  EXPECT_EQ(Run({"apply", plan}).out, "no changes\n");  // the same rows are not added twice

  WriteFile("data/checkins.csv", "kpi,date,value\nwebinars-held,2026-01-20,1\nwebinars-held,2026-02-30,1\n");
  const std::string before = Snapshot();
  const RunResult bad = Run({"apply", plan});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("checkins.csv:3:"));
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(CliTest, BadAsOfAndUnknownCommandAreUsageErrors) {
  EXPECT_EQ(Run({"--as-of", "yesterday", "status"}).exit_code, 2);
  EXPECT_EQ(Run({"frobnicate"}).exit_code, 2);
  EXPECT_EQ(Run({"apply", "does-not-exist.yaml"}).exit_code, 2);
}

TEST_F(CliTest, DemoLoadsAWorkspaceThatLintsClean) {
  const RunResult demo = Run({"demo"});
  ASSERT_EQ(demo.exit_code, 0) << demo.err;
  const RunResult lint = Run({"lint"});
  EXPECT_EQ(lint.exit_code, 0) << lint.out;
  const auto s = Run({"--json", "status"}).Json();
  for (const char* status :
       {"on_track", "at_risk", "off_track", "achieved", "missed", "not_started", "draft"}) {
    EXPECT_TRUE(s["summary"].contains(status)) << status;
  }
  EXPECT_EQ(Run({"demo"}).exit_code, 2);  // not into a database that holds a workspace
}


// Every control byte a terminal acts on: C0 (ESC, BEL, NUL…), DEL, and the C1 controls as UTF-8
// (U+009B, CSI, is C2 9B). What reaches stdout or stderr must hold none but line breaks.
std::string RawControls(const std::string& text) {
  std::string found;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    const auto next = i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0;
    if ((c < 0x20 && c != '\n') || c == 0x7f || (c == 0xc2 && next >= 0x80 && next <= 0x9f)) {
      found += "byte " + std::to_string(c) + " at " + std::to_string(i) + "; ";
    }
  }
  return found;
}

TEST_F(CliTest, StoredControlCharactersNeverReachTheTerminalRaw) {
  ApplyLaunch();
  // A window-title sequence (OSC … BEL), a screen clear (ESC [ 2 J) and a C1 CSI (U+009B).
  const std::string evil = "Evil\x1b]0;pwned\x07 \x1b[2J\u009b" "31m\x7f end";
  const std::vector<std::vector<std::string>> writes = {
      {"goal", "set", "leads", "--title", "Leads " + evil, "--description", "Why " + evil},
      {"goal", "add", "evil", "--title", "Goal " + evil, "--level", "micro", "--parent",
       "market-share", "--owner", "dana", "--due", "2026-03-31"},
      {"kpi", "add", "evil-kpi", "--goal", "evil", "--name", "KPI " + evil, "--unit", "u" + evil,
       "--kind", "cumulative", "--target", "5"},
      {"checkin", "evil-kpi", "2", "--date", "2026-02-01", "--note", "Note " + evil},
      {"comment", "leads", "Comment " + evil},
      {"team", "add", "evil-team", "--name", "Team " + evil, "--parent", "marketing"},
      {"person", "add", "eve", "--name", "Person " + evil, "--team", "evil-team", "--email",
       "eve@example.com"},
      {"action", "add", "evil-action", "--goal", "evil", "--title", "Action " + evil},
      {"funnel", "add", "evil-funnel", "--stages", "qualified-leads,evil-kpi", "--name",
       "Funnel " + evil},
      {"experiment", "add", "evil-test", "--goal", "evil", "--name", "Test " + evil,
       "--control-visitors", "100", "--control-conversions", "5", "--variant-visitors", "100",
       "--variant-conversions", "9"},
      {"review", "--record", "--notes", "Review " + evil},
  };
  for (const auto& args : writes) {
    const RunResult r = Run(args);
    ASSERT_EQ(r.exit_code, 0) << args[0] << " " << args[1] << ": " << r.err;
    EXPECT_EQ(RawControls(r.out), "") << args[0] << " " << args[1] << ":\n" << r.out;
  }
  ASSERT_EQ(Run({"goal", "set", "evil", "--title", "Goal 2 " + evil}).exit_code, 0);
  const std::vector<std::vector<std::string>> reads = {
      {"goal", "show", "leads"},  {"goal", "show", "evil"},   {"goal", "list"},
      {"comments", "list"},       {"checkins", "list"},       {"history"},
      {"history", "evil"},        {"status"},                 {"lint"},
      {"review"},                 {"review", "--format", "md"}, {"review", "--format", "html"},
      {"review", "list"},         {"review", "show", "1"},    {"scorecard"},
      {"scorecard", "--person", "eve"}, {"scorecard", "--team", "evil-team"},
      {"team", "list"},           {"person", "list"},         {"funnel"},
      {"funnel", "evil-funnel"},  {"experiment", "list"},     {"experiment", "show", "evil-test"},
      {"correlate", "evil-kpi", "qualified-leads"}, {"report", "--format", "md"},
      {"export"},
  };
  for (const auto& args : reads) {
    for (const bool json : {false, true}) {
      std::vector<std::string> full = {"--as-of", "2026-03-01"};
      if (json) full.push_back("--json");
      full.insert(full.end(), args.begin(), args.end());
      const RunResult r = Run(full);
      std::string name;
      for (const auto& a : full) name += a + " ";
      EXPECT_LE(r.exit_code, 1) << name << r.err;
      EXPECT_EQ(RawControls(r.out), "") << name << "\n" << r.out;
      EXPECT_EQ(RawControls(r.err), "") << name << "\n" << r.err;
    }
  }
  // Visible, not dropped: the escapes name the characters.
  const RunResult show = Run({"goal", "show", "evil"});
  EXPECT_THAT(show.out, HasSubstr("Goal 2 Evil\\x1b]0;pwned\\x07 \\x1b[2J\\u009b31m\\x7f end (evil)"));
  EXPECT_THAT(show.out, HasSubstr("Action Evil\\x1b]0;pwned\\x07"));
  const RunResult comments = Run({"comments", "list"});
  EXPECT_THAT(comments.out, HasSubstr("-: Comment Evil\\x1b]0;pwned\\x07 \\x1b[2J\\u009b31m"));
  // The JSON escapes them and reads back as stored.
  const RunResult json = Run({"--json", "goal", "show", "evil"});
  EXPECT_THAT(json.out, HasSubstr(R"(Goal 2 Evil\u001b]0;pwned\u0007 \u001b[2J\u009b31m\u007f end)"));
  EXPECT_EQ(json.Json()["goal"]["title"], "Goal 2 " + evil);
  // An error that echoes what was typed.
  const RunResult missing = Run({"goal", "show", "x\x1b[2J"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(RawControls(missing.err), "") << missing.err;
  EXPECT_THAT(missing.err, HasSubstr("x\\x1b[2J"));
}

TEST_F(CliTest, HistoryOfAnUnknownIdIsRefused) {
  ApplyLaunch();
  const RunResult nope = Run({"history", "nope"});
  EXPECT_EQ(nope.exit_code, 2);
  EXPECT_EQ(nope.out, "");
  EXPECT_EQ(nope.err,
            "error: nothing was ever recorded about 'nope': no team, person, goal, KPI, action, "
            "funnel or experiment has that id; `cascade history` lists every change\n");
  // A removed entity keeps its history.
  ASSERT_EQ(Run({"action", "rm", "publish"}).exit_code, 0);
  const RunResult removed = Run({"history", "publish"});
  EXPECT_EQ(removed.exit_code, 0) << removed.err;
  EXPECT_THAT(removed.out, HasSubstr("delete action publish"));
}

TEST_F(CliTest, OnlyInitDemoAndApplyCreateADatabase) {
  const std::string missing = (dir_ / "typo.db").string();
  const std::string expected =
      "error: no database at '" + missing +
      "' (create one with `cascade init`, or give --db the path of an existing one)\n";
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"status"},
                                             {"--json", "goal", "list"},
                                             {"history"},
                                             {"export"},
                                             {"lint"},
                                             {"checkin", "share", "1"},
                                             {"goal", "add", "g", "--title", "A goal", "--level",
                                              "micro"},
                                             {"serve", "--listen", "127.0.0.1:0"},
                                             {"backup", (dir_ / "copy.db").string()},
                                             {"user", "list"},
                                             {"token", "create", "admin"}}) {
    const RunResult r = RunOn(missing, args);
    EXPECT_EQ(r.exit_code, 2) << args[0] << ": " << r.out << r.err;
    EXPECT_EQ(r.err, expected) << args[0];
    EXPECT_FALSE(std::filesystem::exists(missing)) << args[0];
    EXPECT_FALSE(std::filesystem::exists(dir_ / "copy.db")) << args[0];
  }
  const RunResult add = RunWithInput({"user", "add", "admin", "--password-stdin"}, "long enough\n");
  EXPECT_EQ(add.exit_code, 2) << add.err;
  EXPECT_THAT(add.err, HasSubstr("no database at"));
  EXPECT_FALSE(std::filesystem::exists(db_));
  // $CASCADE_DB and the default ./cascade.db are held to the same rule.
  EXPECT_EQ(RunWithoutDb("CASCADE_DB=env.db", {"status"}).err,
            "error: no database at 'env.db' (create one with `cascade init`, or give --db the path "
            "of an existing one)\n");
  EXPECT_EQ(RunWithoutDb("", {"status"}).exit_code, 2);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "cascade.db"));

  // init, demo and apply create it.
  EXPECT_EQ(RunOn((dir_ / "a.db").string(), {"init"}).exit_code, 0);
  EXPECT_EQ(RunOn((dir_ / "a.db").string(), {"--json", "status"}).exit_code, 0);
  EXPECT_EQ(RunOn((dir_ / "b.db").string(), {"demo"}).exit_code, 0);
  EXPECT_EQ(RunOn((dir_ / "c.db").string(), {"apply", TestData("launch.yaml")}).exit_code, 0);
  EXPECT_EQ(RunOn((dir_ / "c.db").string(), {"--json", "status"}).Json()["goals"].size(), 3u);
}

TEST_F(CliTest, APlanPathThatCannotBeReadSaysWhy) {
  std::filesystem::create_directories(dir_ / "plans");
  const RunResult folder = Run({"apply", (dir_ / "plans").string()});
  EXPECT_EQ(folder.exit_code, 2);
  EXPECT_EQ(folder.err, "error: cannot read '" + (dir_ / "plans").string() +
                            "': it is a directory; give the plan file in it\n");
  const RunResult missing = Run({"apply", "nope.yaml"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(missing.err, "error: cannot read 'nope.yaml': No such file or directory\n");
  EXPECT_FALSE(std::filesystem::exists(db_));
}

// A JSON plan holding a number no double holds (1e812) is refused naming its line, not aborted
// with an escaped parser exception.
TEST_F(CliTest, AJsonPlanWithANumberBeyondAnyDoubleIsRefusedNamingItsLine) {
  const RunResult r = Run({"apply", WriteFile("big.json",
                                              "{\"version\": 1,\n \"goals\": [{\"id\": \"g\",\n"
                                              "  \"weight\": 1e812}]}\n")});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("big.json:3: the number 1e812 is too large to read; numbers must "
                               "be between -1e15 and 1e15"));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST_F(CliTest, AnUnclosedQuoteIsRefusedNamingTheLineItOpensOn) {
  ApplyLaunch();
  const std::string before = Snapshot();
  const std::string goal = "version: 1\ngoals:\n  - id: fresh\n    level: micro\n";
  // At the end of the file yaml-cpp took the text up to the end (with a trailing space).
  const RunResult at_end = Run({"apply", WriteFile("end.yaml", goal + "    title: \"unterminated\n")});
  EXPECT_EQ(at_end.exit_code, 2);
  EXPECT_EQ(at_end.err,
            "error: " + (dir_ / "end.yaml").string() +
                ":5: the quote that opens on this line is never closed; end the text with the "
                "same quote\n");
  // Before the end it swallowed the fields that follow ("missing required field 'level'").
  const RunResult mid = Run(
      {"apply", WriteFile("mid.yaml", "version: 1\ngoals:\n  - id: fresh\n    title: 'it runs on\n"
                                      "    level: micro\n    owner: dana\n")});
  EXPECT_EQ(mid.exit_code, 2);
  EXPECT_EQ(mid.err, "error: " + (dir_ / "mid.yaml").string() +
                         ":4: the quote that opens on this line is not closed before the next "
                         "field; end the text with the same quote (a text running on over lines "
                         "indents them further)\n");
  const RunResult json = Run({"apply", WriteFile("plan.json", "{\"version\": 1,\n \"goals\": [{"
                                                              "\"id\": \"fresh\", \"title\": \"open\n"
                                                              "  , \"level\": \"micro\"}]}\n")});
  EXPECT_EQ(json.exit_code, 2);
  EXPECT_EQ(json.err, "error: " + (dir_ / "plan.json").string() +
                          ":2: the string that opens on this line is not closed; a JSON string "
                          "ends with '\"' on the line it starts\n");
  EXPECT_EQ(Snapshot(), before);
  // Quotes that close, over lines indented further, inside block text and in plain text are fine.
  const RunResult fine = Run({"apply", WriteFile("fine.yaml", goal +
                                                                  "    title: \"Runs on\n"
                                                                  "      over two lines\"\n"
                                                                  "    description: |\n"
                                                                  "      He said \"hello\n"
                                                                  "    channel: it's \"social\n")});
  ASSERT_EQ(fine.exit_code, 0) << fine.err;
  const auto g = Run({"--json", "goal", "show", "fresh"}).Json()["goal"];
  EXPECT_EQ(g["title"], "Runs on over two lines");
  EXPECT_EQ(g["description"], "He said \"hello\n");
  EXPECT_EQ(g["channel"], "it's \"social");
}

TEST_F(CliTest, InvalidJsonPlanNamesItsLineAndColumn) {
  const RunResult r =
      Run({"apply", WriteFile("plan.json", "{\"version\": 1,\n \"goals\": [{\"id\": \"g\",, }]}\n")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, ::testing::StartsWith("error: " + (dir_ / "plan.json").string() +
                                           ":2: JSON syntax error at column "));
  EXPECT_FALSE(std::filesystem::exists(db_));
}

TEST_F(CliTest, TextsAreBoundedAndTitlesNotBlank) {
  ApplyLaunch();
  const std::string before = Snapshot();
  const auto refused = [&](const std::vector<std::string>& args, const std::string& message) {
    const RunResult r = Run(args);
    EXPECT_EQ(r.exit_code, 2) << args[0] << " " << args[1];
    EXPECT_EQ(r.err, "error: " + message + "\n") << args[0] << " " << args[1];
  };
  refused({"goal", "set", "leads", "--title", std::string(201, 't')},
          "goal 'leads': title is 201 characters long; title may hold at most 200 characters");
  // Characters, not bytes: 200 'é' are 400 bytes.
  std::string accents;
  for (int i = 0; i < 201; ++i) accents += "é";
  refused({"goal", "set", "leads", "--title", accents},
          "goal 'leads': title is 201 characters long; title may hold at most 200 characters");
  refused({"goal", "set", "leads", "--title", "   "},
          "goal 'leads': title is empty; every goal needs a title");
  refused({"goal", "add", "g", "--title", "", "--level", "micro"},
          "goal 'g': title is empty; every goal needs a title");
  refused({"goal", "set", "leads", "--description", std::string(10001, 'd')},
          "goal 'leads': description is 10001 characters long; description may hold at most "
          "10000 characters");
  refused({"checkin", "share", "6", "--date", "2026-03-05", "--note", std::string(10001, 'n')},
          "check-in of 2026-03-05 for KPI 'share': note is 10001 characters long; note may hold "
          "at most 10000 characters");
  refused({"comment", "leads", std::string(10001, 'c')},
          "comment on goal 'leads': text is 10001 characters long; text may hold at most 10000 "
          "characters");
  refused({"team", "add", "t", "--name", " \t "},
          "team 't': name is only spaces; write a name or leave it out");
  refused({"action", "add", "a", "--goal", "leads", "--title", " "},
          "action 'a': title is empty; every action needs a title");
  EXPECT_EQ(Snapshot(), before);
  // At the bound: accepted.
  EXPECT_EQ(Run({"goal", "set", "leads", "--title", accents.substr(2)}).exit_code, 0);
  EXPECT_EQ(Run({"goal", "set", "leads", "--description", std::string(10000, 'd')}).exit_code, 0);
}

}  // namespace
}  // namespace cascade::testing
