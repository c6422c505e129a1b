// End-to-end: relative targets, formula KPIs and benchmark KPIs (issue 15) as a user meets them
// through the command line, plan files and the HTTP API: what they compute, and that every
// refusal exits 2 (or answers 4xx) naming the field and changes nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli_runner.h"
#include "http_client.h"
#include "server/auth.h"
#include "server_process.h"
#include "store/store.h"

namespace cascade::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

// As of 2026-01-20: leads 40, customers 6, so conversion = 6 / 40 · 100 = 15 against baseline 10
// and target +100% (20): attainment 0.5. share 126 against 120 → +10% = 132: 0.5. The goal's P
// is (0.4 + 0.12 + 0.5 + 0.5) / 4 = 0.38: the benchmark rival-share is in no item.
constexpr const char* kPlan = R"(version: 1
people:
  - {id: dana, name: Dana Lee, role: admin}
goals:
  - id: growth
    title: Grow the customer base this quarter
    level: macro
    owner: dana
    start: 2026-01-01
    due: 2026-03-31
    kpis:
      - {id: leads, name: Leads, kind: cumulative, baseline: 0, target: 100}
      - {id: customers, name: Customers, kind: level, baseline: 0, target: 50}
      - {id: conversion, name: Conversion rate, unit: "%", kind: formula, formula: "{customers} / {leads} * 100", baseline: 10, target: "+100%"}
      - {id: share, name: Market share, kind: level, baseline: 120, target: "+10%"}
      - {id: rival-share, name: Rival share, kind: level, baseline: 0, target: 100, benchmark_for: share}
checkins:
  - {kpi: leads, date: 2026-01-10, value: 40}
  - {kpi: customers, date: 2026-01-12, value: 6}
  - {kpi: share, date: 2026-01-15, value: 126}
  - {kpi: rival-share, date: 2026-01-02, value: 140}
)";

class KpiKindsTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    const RunResult applied = Run({"apply", WriteFile("plan.yaml", kPlan)});
    ASSERT_EQ(applied.exit_code, 0) << applied.err;
  }
  // Everything a refused command must leave alone: the workspace and its history.
  std::string Snapshot() const {
    return Run({"export", "--format", "json"}).out + Run({"--json", "history"}).out;
  }
  json Status() const {
    const RunResult r = Run({"--json", "--as-of", "2026-01-20", "status"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.Json();
  }
  static json Kpi(const json& status, const std::string& id) {
    for (const json& g : status["goals"]) {
      for (const json& k : g["kpis"]) {
        if (k["id"] == id) return k;
      }
    }
    ADD_FAILURE() << "no kpi " << id;
    return json();
  }
  // Runs a command that must be refused: exit 2, one error line naming `field_text`, nothing
  // changed.
  void ExpectRefused(const std::vector<std::string>& args, const std::string& says) {
    const std::string before = Snapshot();
    const RunResult r = Run(args);
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_THAT(r.err, HasSubstr(says));
    EXPECT_THAT(r.err, ::testing::StartsWith("error: "));
    EXPECT_EQ(Snapshot(), before);
  }
};

// `checkin` reads only the KPI's goal with its subtree and ancestors — and, for a formula among
// their KPIs, the KPIs it reads in other trees: the confirmation's progress is status's.
// As of 2026-01-20: rate = signups / visits · 100 = 20 / 500 · 100 = 4 of 10 (0.4), signups 20 of
// 100 (0.2): P = 0.3. With 10 more signups: rate 6 (0.6), signups 0.3: P = 0.45.
TEST_F(KpiKindsTest, CheckinConfirmationFollowsFormulaInputsInOtherGoals) {
  const RunResult applied = Run({"apply", WriteFile("more.yaml", R"(version: 1
people:
  - {id: dana, name: Dana Lee, role: admin}
goals:
  - id: traffic
    title: Bring a thousand visitors to the site
    level: macro
    owner: dana
    start: 2026-01-01
    due: 2026-03-31
    kpis:
      - {id: visits, name: Visits, kind: level, baseline: 0, target: 1000}
  - id: signup-funnel
    title: Turn visitors into signups this quarter
    level: macro
    owner: dana
    start: 2026-01-01
    due: 2026-03-31
    kpis:
      - {id: signups, name: Signups, kind: cumulative, baseline: 0, target: 100}
      - {id: signup-rate, name: Signup rate, kind: formula, formula: "{signups} / {visits} * 100", baseline: 0, target: 10}
checkins:
  - {kpi: visits, date: 2026-01-10, value: 500}
  - {kpi: signups, date: 2026-01-10, value: 20}
)")});
  ASSERT_EQ(applied.exit_code, 0) << applied.err;
  const RunResult r = Run({"--json", "--as-of", "2026-01-20", "checkin", "signups", "10"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = r.Json();
  EXPECT_EQ(j["goal"]["id"], "signup-funnel");
  EXPECT_NEAR(j["goal"]["previous_progress"].get<double>(), (0.2 + 0.4) / 2, 1e-9);
  EXPECT_NEAR(j["goal"]["progress"].get<double>(), (0.3 + 0.6) / 2, 1e-9);
  // The status kept in a variable: a range-for over a member of a temporary reads freed memory
  // (AddressSanitizer found it).
  const json status = Status();
  for (const json& g : status["goals"]) {
    if (g["id"] == "signup-funnel") {
      EXPECT_NEAR(g["progress"].get<double>(), j["goal"]["progress"].get<double>(), 1e-12);
    }
  }
}

TEST_F(KpiKindsTest, StatusJsonComputesFormulaRelativeTargetAndBenchmark) {
  const json status = Status();
  ASSERT_EQ(status["goals"].size(), 1u);
  EXPECT_NEAR(status["goals"][0]["progress"].get<double>(), 0.38, 1e-9);

  const json conversion = Kpi(status, "conversion");
  EXPECT_EQ(conversion["kind"], "formula");
  EXPECT_NEAR(conversion["value"].get<double>(), 15, 1e-9);
  EXPECT_NEAR(conversion["target"].get<double>(), 20, 1e-9);
  EXPECT_NEAR(conversion["attainment"].get<double>(), 0.5, 1e-9);
  EXPECT_EQ(conversion["last_checkin"], "2026-01-12");
  EXPECT_TRUE(conversion["benchmark_for"].is_null());

  const json share = Kpi(status, "share");
  EXPECT_EQ(share["target"].get<double>(), 132);
  EXPECT_NEAR(share["progress"].get<double>(), 0.5, 1e-9);

  const json rival = Kpi(status, "rival-share");
  EXPECT_EQ(rival["benchmark_for"], "share");
  EXPECT_EQ(rival["value"].get<double>(), 140);
  EXPECT_EQ(rival["last_checkin"], "2026-01-02");
  EXPECT_TRUE(rival["attainment"].is_null());
  EXPECT_TRUE(rival["progress"].is_null());
  EXPECT_TRUE(rival["forecast"].is_null());
  EXPECT_EQ(rival["stale"], false);  // 18 days since its check-in, cadence 7
}

TEST_F(KpiKindsTest, ExportKeepsTheWrittenFormsAndApplyingItChangesNothing) {
  const RunResult exported = Run({"export", "-o", "out.yaml"});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  const std::string text = ReadAll(dir_ / "out.yaml");
  EXPECT_THAT(text, HasSubstr("target: \"+10%\""));
  EXPECT_THAT(text, HasSubstr("target: \"+100%\""));
  EXPECT_THAT(text, HasSubstr("formula: \"{customers} / {leads} * 100\""));
  EXPECT_THAT(text, HasSubstr("benchmark_for: share"));
  EXPECT_EQ(Run({"apply", "--dry-run", "--prune", "out.yaml"}).out, "no changes\n");
  ASSERT_EQ(Run({"export", "--format", "json", "-o", "out.json"}).exit_code, 0);
  EXPECT_EQ(Run({"apply", "--dry-run", "--prune", "out.json"}).out, "no changes\n");
  // Into an empty database: the same workspace.
  const std::string other = (dir_ / "other.db").string();
  ASSERT_EQ(RunOn(other, {"apply", "out.yaml"}).exit_code, 0);
  EXPECT_EQ(RunOn(other, {"export"}).out, Run({"export"}).out);
}

TEST_F(KpiKindsTest, ANewBaselineReResolvesTheRelativeTarget) {
  const RunResult set = Run({"kpi", "set", "share", "--baseline", "200"});
  ASSERT_EQ(set.exit_code, 0) << set.err;
  EXPECT_EQ(Kpi(Status(), "share")["target"].get<double>(), 220);
  EXPECT_THAT(Run({"export"}).out, HasSubstr("target: \"+10%\""));
  // A number replaces the relative form.
  ASSERT_EQ(Run({"kpi", "set", "share", "--target", "250"}).exit_code, 0);
  EXPECT_EQ(Kpi(Status(), "share")["target"].get<double>(), 250);
  EXPECT_THAT(Run({"export"}).out, ::testing::Not(HasSubstr("+10%")));
  ASSERT_EQ(Run({"kpi", "set", "share", "--target=-5%"}).exit_code, 0);
  EXPECT_EQ(Kpi(Status(), "share")["target"].get<double>(), 190);
}

TEST_F(KpiKindsTest, GoalShowPutsTheBenchmarkBesideItsKpiAndTheFormulaUnderIts) {
  const RunResult show = Run({"--as-of", "2026-01-20", "goal", "show", "growth"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_THAT(show.out, HasSubstr("KPI Market share (share, level): value 126 target 132 (+10%)"));
  EXPECT_THAT(show.out, HasSubstr("    benchmark Rival share (rival-share): value 140 (2026-01-02)"));
  EXPECT_THAT(show.out, HasSubstr("    = {customers} / {leads} * 100"));
  EXPECT_THAT(show.out,
              HasSubstr("KPI Rival share (rival-share, level, benchmark for share): value 140 "
                        "target 100  progress —"));
}

TEST_F(KpiKindsTest, ChartDrawsTheBenchmarkBesideTheKpiAndAFormulaFromItsInputs) {
  ASSERT_EQ(Run({"--as-of", "2026-01-20", "chart", "share", "-o", "share.svg"}).exit_code, 0);
  const std::string share = ReadAll(dir_ / "share.svg");
  EXPECT_THAT(share, HasSubstr("class=\"series series-benchmark\" id=\"chart-share-benchmark\" "
                               "data-kpi=\"rival-share\" data-count=\"1\""));
  EXPECT_THAT(share, HasSubstr("data-date=\"2026-01-02\" data-value=\"140\""));
  const RunResult chart = Run({"--as-of", "2026-01-20", "chart", "conversion", "-o", "c.svg"});
  ASSERT_EQ(chart.exit_code, 0) << chart.err;
  const std::string conversion = ReadAll(dir_ / "c.svg");
  // Jan 10: 0 customers of 40 leads = 0; Jan 12: 6 of 40 = 15.
  EXPECT_THAT(conversion, HasSubstr("data-date=\"2026-01-10\" data-value=\"0\""));
  EXPECT_THAT(conversion, HasSubstr("data-date=\"2026-01-12\" data-value=\"15\""));
}

// An edit reads only the part of the workspace it touches (Store::LoadScope), and that part holds
// what its KPIs refer to in other trees: a benchmark's KPI and a formula's inputs, as written now
// or as stored. As of 2026-01-20 the formula on another tree reads 6 / 40 · 100 = 15.
TEST_F(KpiKindsTest, EditsReachTheKpisTheirBenchmarksAndFormulasReadInOtherTrees) {
  ASSERT_EQ(Run({"goal", "add", "rival", "--title", "Watch the rival this quarter", "--level",
                 "macro", "--owner", "dana", "--start", "2026-01-01", "--due", "2026-03-31"})
                .exit_code,
            0);
  RunResult r = Run({"kpi", "add", "rival-reach", "--goal", "rival", "--name", "Rival reach",
                     "--kind", "level", "--baseline", "0", "--target", "100", "--benchmark-for",
                     "share"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = Run({"kpi", "add", "rate", "--goal", "rival", "--name", "Our rate", "--kind", "formula",
           "--formula", "{customers} / {leads} * 100", "--baseline", "0", "--target", "30"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Later edits of that goal and those KPIs load the other tree's KPIs they refer to as stored.
  r = Run({"kpi", "set", "rival-reach", "--name", "Rival's reach"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = Run({"goal", "set", "rival", "--title", "Watch the rival closely this quarter"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = Run({"kpi", "set", "rate", "--target", "20"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json status = Status();
  EXPECT_NEAR(Kpi(status, "rate")["value"].get<double>(), 15.0, 1e-9);
  EXPECT_NEAR(Kpi(status, "rate")["progress"].get<double>(), 0.75, 1e-9);
  EXPECT_EQ(Kpi(status, "rival-reach")["benchmark_for"], "share");
  ExpectRefused({"kpi", "set", "rate", "--formula", "{customers} / {nobody}"}, "nobody");
  ExpectRefused({"kpi", "set", "rival-reach", "--benchmark-for", "nothing-here"}, "nothing-here");
}

TEST_F(KpiKindsTest, CheckinsOnAFormulaAreRefusedEverywhere) {
  ExpectRefused({"checkin", "conversion", "12"}, "KPI 'conversion' is a formula KPI");
  WriteFile("rows.csv", "kpi,date,value\nleads,2026-01-11,5\nconversion,2026-01-11,12\n");
  ExpectRefused({"import", "checkins", "rows.csv"}, "KPI 'conversion' is a formula KPI");
  std::string plan = kPlan;
  plan += "  - {kpi: conversion, date: 2026-01-11, value: 12}\n";
  ExpectRefused({"apply", WriteFile("bad.yaml", plan)}, "KPI 'conversion' is a formula KPI");
}

// A KPI with check-ins does not become a formula (which takes none): one refusal naming the KPI,
// how many check-ins it has and what to do, on the plan's line, instead of one per check-in.
TEST_F(KpiKindsTest, AKpiWithCheckinsIsNotMadeAFormula) {
  ASSERT_EQ(Run({"checkin", "customers", "8", "--date", "2026-01-14"}).exit_code, 0);
  const std::string says =
      "kpi 'customers': kind formula is not allowed while it has 2 check-ins; a formula KPI's "
      "value is computed from other KPIs and takes none: keep kind level, or remove its "
      "check-ins first (`cascade checkins list --kpi customers`)";
  std::string plan = kPlan;
  const std::string level = "{id: customers, name: Customers, kind: level, baseline: 0, target: 50}";
  plan.replace(plan.find(level), level.size(),
               "{id: customers, name: Customers, kind: formula, formula: \"{leads} / 10\", "
               "baseline: 0, target: 50}");
  const std::string file = WriteFile("formula.yaml", plan);
  ExpectRefused({"apply", file}, "error: " + file + ":13: " + says + "\n");
  EXPECT_EQ(Run({"apply", file, "--dry-run"}).err, "error: " + file + ":13: " + says + "\n");
  ExpectRefused({"kpi", "set", "customers", "--kind", "formula", "--formula", "{leads} / 10"},
                "error: " + says + "\n");
}

TEST_F(KpiKindsTest, BadFormulasAreRefusedNamingTheField) {
  ExpectRefused({"kpi", "add", "f", "--goal", "growth", "--name", "F", "--kind", "formula",
                 "--formula", "{leads} / {nope}", "--target", "5"},
                "formula reads {nope}, but KPI 'nope' does not exist");
  ExpectRefused({"kpi", "add", "f", "--goal", "growth", "--name", "F", "--kind", "formula",
                 "--formula", "{leads} /", "--target", "5"},
                "KPI 'f': formula, character 10: expected a number, a {kpi-id} or '(', but the "
                "formula ends");
  ExpectRefused({"kpi", "add", "f", "--goal", "growth", "--name", "F", "--kind", "formula",
                 "--formula", "{f} * 2", "--target", "5"},
                "formula reads {f}, itself");
  ExpectRefused({"kpi", "add", "f", "--goal", "growth", "--name", "F", "--kind", "formula",
                 "--target", "5"},
                "formula is missing");
  ASSERT_EQ(Run({"kpi", "add", "f", "--goal", "growth", "--name", "F", "--kind", "formula",
                 "--formula", "{conversion} * 2", "--target", "5"})
                .exit_code,
            0);
  ExpectRefused({"kpi", "set", "conversion", "--formula", "{f} / 2"},
                "formula reads itself through other formulas (conversion → f → conversion)");
  ExpectRefused({"kpi", "set", "leads", "--kind", "formula", "--formula", "{customers}"},
                "kpi 'leads': kind formula is not allowed while it has 1 check-in");
  ExpectRefused({"kpi", "rm", "customers"},
                "kpi 'customers' is still used: kpi 'conversion' reads it in its formula");
}

TEST_F(KpiKindsTest, BadRelativeTargetsAndBenchmarksAreRefused) {
  ExpectRefused({"kpi", "add", "x", "--goal", "growth", "--name", "X", "--kind", "level",
                 "--target", "+10%"},
                "target '+10%' is relative to the baseline, but baseline is not set");
  ExpectRefused({"kpi", "set", "share", "--baseline", "0"},
                "target '+10%' is relative to the baseline, but baseline is 0");
  ExpectRefused({"kpi", "set", "share", "--target", "+ten%"}, "--target '+ten%' is not a number");
  ExpectRefused({"kpi", "add", "x", "--goal", "growth", "--name", "X", "--kind", "level",
                 "--target", "5", "--benchmark-for", "nope"},
                "benchmark_for 'nope' does not exist");
  ExpectRefused({"kpi", "add", "x", "--goal", "growth", "--name", "X", "--kind", "level",
                 "--target", "5", "--benchmark-for", "rival-share"},
                "benchmark_for 'rival-share' is itself a benchmark");
  ExpectRefused({"kpi", "set", "share", "--benchmark-for", "share"},
                "benchmark_for 'share' is the KPI itself");
  ExpectRefused({"kpi", "rm", "share"}, "kpi 'rival-share' is a benchmark for it");
  std::string plan = kPlan;
  const std::string from = "baseline: 120, target: \"+10%\"";
  plan.replace(plan.find(from), from.size(), "target: \"+10%\"");
  const std::string before = Snapshot();
  const RunResult r = Run({"apply", WriteFile("bad.yaml", plan)});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("bad.yaml:15:"));
  EXPECT_THAT(r.err, HasSubstr("baseline is not set"));
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(KpiKindsTest, TodoAsksForNoCheckinOfAFormulaOrABenchmark) {
  const RunResult r = Run({"--json", "--as-of", "2026-02-20", "todo", "--person", "dana"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json todo = r.Json();
  std::vector<std::string> due;
  for (const json& c : todo["checkins_due"]) due.push_back(c["kpi"]);
  EXPECT_EQ(due, (std::vector<std::string>{"leads", "customers", "share"}));
}

// ---- HTTP ----

class KpiKindsHttpTest : public KpiKindsTest {
 protected:
  void SetUp() override {
    KpiKindsTest::SetUp();
    auto store = OpenStore(db_);
    ASSERT_TRUE(store.ok());
    auto ws = (*store)->Load();
    ASSERT_TRUE(ws.ok());
    AuthService auth((*store)->accounts());
    ASSERT_TRUE(auth.AddUser(*ws, "admin", "", Role::kAdmin, "dana").ok());
    auto token = auth.CreateToken("admin", "tests", 1'700'000'000);
    ASSERT_TRUE(token.ok());
    server_ = std::make_unique<ServerProcess>(db_, dir_, std::vector<std::string>{"--no-access-log"});
    ASSERT_GT(server_->port(), 0) << server_->Out() << server_->Log();
    api_ = std::make_unique<HttpClient>(server_->port());
    api_->defaults["Authorization"] = "Bearer " + token->secret;
  }
  void TearDown() override {
    server_.reset();
    KpiKindsTest::TearDown();
  }
  // A request that must be refused with `status`, naming `field`, changing nothing.
  void ExpectRefused(const std::function<HttpResult()>& request, int status,
                     const std::string& field, const std::string& says) {
    const std::string before = Snapshot();
    const HttpResult r = request();
    EXPECT_EQ(r.status, status) << r.body;
    const json j = r.Json();
    EXPECT_EQ(j["error"]["field"], field) << r.body;
    EXPECT_THAT(j["error"]["message"].get<std::string>(), HasSubstr(says));
    EXPECT_EQ(Snapshot(), before);
  }
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<HttpClient> api_;
};

TEST_F(KpiKindsHttpTest, CheckinsOnAFormulaAreRefusedSingleAndBatch) {
  ExpectRefused([&] {
    return api_->Post("/api/v1/checkins",
                      json{{"kpi", "conversion"}, {"date", "2026-01-11"}, {"value", 12}});
  }, 422, "kpi", "KPI 'conversion' is a formula KPI");
  ExpectRefused([&] {
    return api_->Post("/api/v1/checkins/batch",
                      json{{"checkins",
                            {{{"kpi", "leads"}, {"date", "2026-01-11"}, {"value", 5}},
                             {{"kpi", "conversion"}, {"date", "2026-01-11"}, {"value", 12}}}}});
  }, 422, "kpi", "KPI 'conversion' is a formula KPI");
}

TEST_F(KpiKindsHttpTest, KpisTakeRelativeTargetsFormulasAndBenchmarks) {
  HttpResult r = api_->Post("/api/v1/kpis", json{{"id", "ratio"},
                                                {"goal", "growth"},
                                                {"name", "Customers per lead"},
                                                {"kind", "formula"},
                                                {"formula", "{customers} / {leads}"},
                                                {"baseline", 0.1},
                                                {"target", "+50%"}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_NEAR(r.Json()["target"].get<double>(), 0.15, 1e-12);
  EXPECT_EQ(r.Json()["target_written"], "+50%");
  EXPECT_EQ(r.Json()["formula"], "{customers} / {leads}");
  // A new baseline re-resolves it; the GET body PUT back changes nothing.
  r = api_->Patch("/api/v1/kpis/share", json{{"baseline", 200}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json()["target"].get<double>(), 220);
  json share = api_->Get("/api/v1/kpis/share").Json();
  EXPECT_EQ(share["target_written"], "+10%");
  const std::string before = Snapshot();
  share.erase("version");
  r = api_->Put("/api/v1/kpis/share", share);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Snapshot(), before);
  const json goals = api_->Get("/api/v1/goals?as_of=2026-01-20").Json();
  bool found = false;
  for (const json& k : goals["goals"][0]["kpis"]) {
    if (k["id"] != "rival-share") continue;
    found = true;
    EXPECT_EQ(k["benchmark_for"], "share");
    EXPECT_TRUE(k["progress"].is_null());
  }
  EXPECT_TRUE(found);
}

TEST_F(KpiKindsHttpTest, BadKpisAreRefusedNamingTheField) {
  const json base = {{"goal", "growth"}, {"name", "X"}, {"kind", "level"}};
  auto post = [&](json extra) {
    json body = base;
    body.update(extra);
    return api_->Post("/api/v1/kpis", body);
  };
  ExpectRefused([&] { return post({{"id", "x"}, {"target", "+10%"}}); }, 422, "target",
                "baseline is not set");
  ExpectRefused([&] { return post({{"id", "x"}, {"baseline", 5}, {"target", "ten"}}); }, 400,
                "target", "'target' \"ten\" is not a target relative to the baseline");
  ExpectRefused([&] {
    return post({{"id", "x"}, {"kind", "formula"}, {"formula", "{leads} * "}, {"target", 3}});
  }, 422, "formula", "KPI 'x': formula, character 11: expected a number");
  ExpectRefused([&] {
    return post({{"id", "x"}, {"kind", "formula"}, {"formula", "{nope}"}, {"target", 3}});
  }, 422, "formula", "KPI 'nope' does not exist");
  ExpectRefused([&] { return post({{"id", "x"}, {"target", 3}, {"benchmark_for", "x"}}); }, 422,
                "benchmark_for", "is the KPI itself");
  ExpectRefused([&] { return api_->Delete("/api/v1/kpis/leads"); }, 409, "id",
                "kpi 'conversion' reads it in its formula");
}

}  // namespace
}  // namespace cascade::testing
