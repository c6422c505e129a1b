// End-to-end tests of `cascade import checkins`: the built binary on real SQLite files.
#include <gmock/gmock.h>

#include "cli_runner.h"

namespace cascade::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// A level, a cumulative and a milestone KPI under one goal, and a person to author check-ins.
constexpr const char* kPlan = R"(version: 1
people:
  - {id: dana, name: Dana Lee, email: dana@example.com, role: lead}
goals:
  - id: launch
    title: Launch the fitness tracker strongly
    level: macro
    owner: dana
    start: 2026-01-01
    due: 2026-06-30
    kpis:
      - {id: share, name: Market share, unit: "%", kind: level, baseline: 0, target: 20}
      - {id: leads, name: Qualified leads, kind: cumulative, target: 5000}
      - {id: launched, name: Product launched, kind: milestone, target: 1}
)";

class ImportTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    CreateWorkspace();
  }
  void CreateWorkspace() {
    const RunResult r = Run({"apply", WriteFile("plan.yaml", kPlan)});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  // Everything a refused import must leave alone: the workspace and its history.
  std::string Snapshot() const {
    return Run({"export", "--format", "json"}).out + Run({"--json", "history"}).out;
  }
  // The stored check-ins as `export` writes them (it leaves the key out when there are none).
  nlohmann::json Checkins() const {
    return Run({"export", "--format", "json"}).Json().value("checkins", nlohmann::json::array());
  }
  nlohmann::json Status() const {
    const RunResult r = Run({"--json", "--as-of", "2026-03-01", "status"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.Json();
  }
  RunResult Import(const std::string& csv, std::vector<std::string> extra = {}) const {
    std::vector<std::string> args = {"import", "checkins", WriteFile("in.csv", csv)};
    args.insert(args.end(), extra.begin(), extra.end());
    return Run(args);
  }
  std::string CsvPath() const { return (dir_ / "in.csv").string(); }
};

nlohmann::json Checkin(const std::string& kpi, const std::string& date, double value,
                       const std::string& note = "", const std::string& author = "") {
  nlohmann::json c = {{"kpi", kpi}, {"date", date}, {"value", value}};
  if (!note.empty()) c["note"] = note;
  if (!author.empty()) c["author"] = author;
  return c;
}

TEST_F(ImportTest, LongFileWithEverythingSpreadsheetsWrite) {
  // BOM, CRLF, a quoted note with a comma, a line break and escaped quotes, YYYYMMDD, "1,234",
  // "12%", surrounding spaces, an author.
  const RunResult r = Import(
      "\xEF\xBB\xBFkpi,date,value,note,author\r\n"
      "share,2026-02-01,12%,\"after launch, \"\"big\"\" week\r\nsecond line\",dana\r\n"
      "leads,20260205,\"1,234\",,\r\n"
      "leads,2026-02-20, 766 ,,dana\r\n"
      "launched,2026-02-10,1,,\r\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "imported 4 check-ins (0 skipped)\n");
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(
      Checkins(),
      nlohmann::json::array(
          {Checkin("share", "2026-02-01", 12, "after launch, \"big\" week\r\nsecond line", "dana"),
           Checkin("leads", "2026-02-05", 1234), Checkin("leads", "2026-02-20", 766, "", "dana"),
           Checkin("launched", "2026-02-10", 1)}));

  // share 12 of 20; leads 0 + 1,234 + 766 = 2,000 of 5,000; launched done.
  const auto kpis = Status()["goals"][0]["kpis"];
  ASSERT_EQ(kpis.size(), 3u);
  EXPECT_NEAR(kpis[0]["value"].get<double>(), 12, 1e-9);
  EXPECT_NEAR(kpis[0]["progress"].get<double>(), 0.6, 1e-9);
  EXPECT_NEAR(kpis[1]["value"].get<double>(), 2000, 1e-9);
  EXPECT_NEAR(kpis[1]["progress"].get<double>(), 0.4, 1e-9);
  EXPECT_NEAR(kpis[2]["progress"].get<double>(), 1, 1e-9);
}

TEST_F(ImportTest, JsonOutput) {
  const RunResult r = Run({"--json", "import", "checkins",
                           WriteFile("in.csv", "kpi,date,value\nshare,2026-02-01,3\n")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.Json(), nlohmann::json({{"imported", 1},
                                      {"skipped", 0},
                                      {"problems", nlohmann::json::array()},
                                      {"problem_count", 0}}));
}

TEST_F(ImportTest, EachBadRowIsNamedAndTheFileChangesNothing) {
  const struct {
    const char* name;
    std::string row;
    std::string error;  // what stderr says about line 3, after the file name
  } cases[] = {
      {"unknown kpi", "followers,2026-02-01,1", ":3: column kpi: KPI 'followers' does not exist"},
      {"malformed date", "share,2026-02-30,1",
       ":3: column date: '2026-02-30' is not a date; use YYYY-MM-DD or YYYYMMDD"},
      {"short date", "share,2026-2-1,1", ":3: column date: '2026-2-1' is not a date"},
      {"not a number", "share,2026-02-01,abc", ":3: column value: 'abc' is not a number"},
      {"not finite", "share,2026-02-01,inf", ":3: column value: 'inf' is not a finite number"},
      {"beyond the bound", "leads,2026-02-01,1e307",
       ":3: column value: '1e307' is out of range; a value must be between -1e15 and 1e15"},
      {"date before 1900", "leads,00010101,1",
       ":3: column date: '00010101' is outside the dates Cascade accepts; use a date from "
       "1900-01-01 to 2199-12-31"},
      {"milestone", "launched,2026-02-01,0.5",
       ":3: column value: '0.5' for milestone KPI 'launched'"},
      {"field count", "leads,2026-02-01,1,234", ":3: 4 fields where the header has 3"},
      {"bad separators", "leads,2026-02-01,\"12,34\"", ":3: column value: '12,34' is not a number"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string before = Snapshot();
    const RunResult r =
        Import("kpi,date,value\nshare,2026-02-01,3\n" + c.row + "\nleads,2026-02-02,5\n");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.out, "");
    EXPECT_THAT(r.err, HasSubstr("error: " + CsvPath() + c.error));
    EXPECT_THAT(r.err, HasSubstr("1 of 3 rows refused; nothing was imported"));
    EXPECT_EQ(Snapshot(), before);
  }
  EXPECT_EQ(Checkins(), nlohmann::json::array());
}

TEST_F(ImportTest, AuthorsAreFreeText) {
  // Exports from analytics tools name people the workspace need not know.
  const RunResult r =
      Import("kpi,date,value,author\nshare,2026-02-01,3,dana\nshare,2026-02-02,4,GA4 export\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Checkins(),
            nlohmann::json::array({Checkin("share", "2026-02-01", 3, "", "dana"),
                                   Checkin("share", "2026-02-02", 4, "", "GA4 export")}));
}

TEST_F(ImportTest, AtMostTwentyProblemsAreListed) {
  std::string csv = "kpi,date,value\n";
  for (int i = 0; i < 25; ++i) csv += "share,2026-02-01,x" + std::to_string(i) + "\n";
  const std::string before = Snapshot();
  const RunResult r = Import(csv);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("in.csv:21: column value: 'x19' is not a number\n"));
  EXPECT_THAT(r.err, Not(HasSubstr("'x20'")));
  EXPECT_THAT(r.err, HasSubstr("… and 5 more problems\n"));
  EXPECT_THAT(r.err, HasSubstr("25 of 25 rows refused"));
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(ImportTest, RejectionWithJsonListsTheProblems) {
  const RunResult r =
      Run({"--json", "import", "checkins",
           WriteFile("in.csv", "kpi,date,value\nshare,2026-02-01,3\nnope,x,1,2\n")});
  EXPECT_EQ(r.exit_code, 2);
  const auto j = r.Json();
  EXPECT_EQ(j["imported"], 0);
  EXPECT_EQ(j["problem_count"], 1);
  EXPECT_EQ(j["problems"], nlohmann::json::parse(
                               R"j([{"line": 3, "column": null,
                                    "reason": "4 fields where the header has 3; quote values that hold a comma (\"1,234\")"}])j"));
}

TEST_F(ImportTest, SkipBadImportsTheGoodRowsAndReportsTheRest) {
  const std::string csv =
      "kpi,date,value\n"
      "share,2026-02-01,3\n"
      "nope,2026-02-01,1\n"
      "leads,2026-02-01,10\n"
      "share,someday,4\n"
      "launched,2026-02-01,2\n"
      "leads,2026-02-02,\"1,000\"\n";
  const RunResult r = Import(csv, {"--skip-bad"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "imported 3 check-ins (3 skipped)\n");
  EXPECT_THAT(r.err, HasSubstr("skipped: " + CsvPath() + ":3: column kpi: KPI 'nope'"));
  EXPECT_THAT(r.err, HasSubstr("skipped: " + CsvPath() + ":5: column date: 'someday'"));
  EXPECT_THAT(r.err, HasSubstr("skipped: " + CsvPath() + ":6: column value: '2' for milestone"));
  EXPECT_THAT(r.err, HasSubstr("skipped 3 rows of 6"));
  EXPECT_EQ(Checkins(), nlohmann::json::array({Checkin("share", "2026-02-01", 3),
                                               Checkin("leads", "2026-02-01", 10),
                                               Checkin("leads", "2026-02-02", 1000)}));

  const RunResult j =
      Run({"--json", "import", "checkins", WriteFile("in2.csv", csv), "--skip-bad"});
  ASSERT_EQ(j.exit_code, 0) << j.err;
  EXPECT_EQ(j.Json()["imported"], 3);
  EXPECT_EQ(j.Json()["skipped"], 3);
  ASSERT_EQ(j.Json()["problems"].size(), 3u);
  EXPECT_EQ(j.Json()["problems"][1],
            nlohmann::json({{"line", 5},
                            {"column", "date"},
                            {"reason", "'someday' is not a date; use YYYY-MM-DD or YYYYMMDD"}}));
  EXPECT_EQ(Checkins().size(), 6u);
}

TEST_F(ImportTest, WideFileEqualsItsLongForm) {
  const std::string wide =
      "Date,share,leads,launched\r\n"
      "2026-01-15,2.5,\"1,200\",0\r\n"
      "20260201,,300,\r\n"
      "2026-02-15,6%,,1\r\n";
  const std::string long_form =
      "kpi,date,value\n"
      "share,2026-01-15,2.5\nleads,2026-01-15,1200\nlaunched,2026-01-15,0\n"
      "leads,2026-02-01,300\n"
      "share,2026-02-15,6\nlaunched,2026-02-15,1\n";
  const RunResult w = Import(wide, {"--wide"});
  ASSERT_EQ(w.exit_code, 0) << w.err;
  EXPECT_EQ(w.out, "imported 6 check-ins (0 skipped)\n");
  const nlohmann::json wide_status = Status();
  const nlohmann::json wide_checkins = Checkins();

  db_ = (dir_ / "long.db").string();
  CreateWorkspace();
  const RunResult l = Import(long_form);
  ASSERT_EQ(l.exit_code, 0) << l.err;
  EXPECT_EQ(Status(), wide_status);
  EXPECT_EQ(Checkins(), wide_checkins);
  EXPECT_NEAR(wide_status["goals"][0]["kpis"][1]["value"].get<double>(), 1500, 1e-9);
}

TEST_F(ImportTest, WideFileErrors) {
  const std::string before = Snapshot();
  RunResult r = Import("date,share,Sessions\n2026-02-01,1,2\n", {"--wide"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("in.csv:1: column 'Sessions' is not a KPI id"));
  r = Import("date,share,leads\n2026-02-01,1,2\n2026-02-02,1,many\n", {"--wide"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("in.csv:3: column leads: 'many' is not a number"));
  EXPECT_EQ(Snapshot(), before);
  // With --skip-bad the bad row goes whole: none of its cells is imported.
  r = Import("date,share,leads\n2026-02-01,1,2\n2026-02-02,1,many\n", {"--wide", "--skip-bad"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "imported 2 check-ins (1 skipped)\n");
}

TEST_F(ImportTest, MapNamesOtherColumns) {
  RunResult r = Import("Metric,Day,Count,Comment\nleads,2026-02-03,\"2,500\",from the CRM\n",
                       {"--map", "kpi=Metric,date=Day,value=Count,note=Comment"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Checkins(),
            nlohmann::json::array({Checkin("leads", "2026-02-03", 2500, "from the CRM")}));

  r = Import("Day,Market share\n20260204,7\n", {"--wide", "--map", "date=Day,share=Market share"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Checkins().back(), Checkin("share", "2026-02-04", 7));

  const std::string before = Snapshot();
  r = Import("Metric,Day,Count\nleads,2026-02-03,1\n", {"--map", "kpi=Metric,date=Day"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("in.csv:1: the header has no column 'value'"));
  r = Import("kpi,date,value\n", {"--map", "amount=Count"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("error: --map names 'amount'"));
  r = Import("kpi,date,value\n", {"--map", "kpi"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--map 'kpi' is not FIELD=COLUMN"));
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(ImportTest, FileLevelErrorsRefuseEvenWithSkipBad) {
  const std::string before = Snapshot();
  RunResult r = Import("kpi,date,amount\nshare,2026-02-01,1\n", {"--skip-bad"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("in.csv:1: the header has no column 'value'"));
  r = Import("kpi,date,value\nshare,2026-02-01,1\nshare,2026-02-02,\"5\nshare,2026-02-03,1\n",
             {"--skip-bad"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("in.csv:3: a quoted field is never closed"));
  r = Import("");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("the file is empty"));
  r = Run({"import", "checkins", (dir_ / "missing.csv").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("error: cannot open"));
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(ImportTest, HeaderOnlyImportsNothing) {
  const RunResult r = Import("kpi,date,value\r\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "imported 0 check-ins (0 skipped)\n");
}

// 250,000 rows of 19 bytes: 4.75 MB, above the 4 MiB from which a terminal shows a bar.
std::string LargeCsv() {
  std::string csv = "kpi,date,value\n";
  for (int i = 0; i < 250000; ++i) csv += "leads,2026-02-01,1\n";
  return csv;
}

TEST_F(ImportTest, LargeFileIsOneWriteWithNoProgressBarOffATerminal) {
  const RunResult r = Import(LargeCsv());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "imported 250000 check-ins (0 skipped)\n");
  EXPECT_EQ(r.err, "");
  EXPECT_NEAR(Status()["goals"][0]["kpis"][1]["value"].get<double>(), 250000, 1e-9);
}

TEST_F(ImportTest, LargeFileOnATerminalShowsABarThatIsClearedBeforeTheResult) {
  const std::string path = WriteFile("large.csv", LargeCsv());
  const RunResult r = RunOnTerminal({"import", "checkins", path}, "1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  // The bar, redrawn in place as the file is read, up to 100%.
  EXPECT_THAT(r.out, HasSubstr("\rreading " + path + " "));
  EXPECT_THAT(r.out, HasSubstr("██████████████████████████████ 100%"));
  EXPECT_THAT(r.out, HasSubstr("\r\x1b[Kwriting 250000 check-ins…"));
  // Cleared before the result, which is the last line.
  const std::string result = "\r\x1b[Kimported 250000 check-ins (0 skipped)\r\n";
  ASSERT_GE(r.out.size(), result.size());
  EXPECT_EQ(r.out.substr(r.out.size() - result.size()), result);
  // A small file finishes before a bar would be worth drawing.
  const std::string small_csv = WriteFile("small.csv", "kpi,date,value\nleads,2026-02-02,5\n");
  const RunResult small = RunOnTerminal({"import", "checkins", small_csv}, "1");
  ASSERT_EQ(small.exit_code, 0) << small.out;
  EXPECT_EQ(small.out, "imported 1 check-in (0 skipped)\r\n");
  EXPECT_NEAR(Status()["goals"][0]["kpis"][1]["value"].get<double>(), 250005, 1e-9);
}

}  // namespace
}  // namespace cascade::testing
