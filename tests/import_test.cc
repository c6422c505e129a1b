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
                                      {"already_stored", 0},
                                      {"removed", 0},
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

TEST_F(ImportTest, AnAuthorMustBeAPersonOfTheWorkspace) {
  // SPEC §1: authors cannot be forged and an unknown person is refused. Empty is the importer.
  const std::string csv =
      "kpi,date,value,author\nshare,2026-02-01,3,dana\nshare,2026-02-02,4,GA4 export\n"
      "share,2026-02-03,5,\n";
  const std::string before = Snapshot();
  RunResult r = Import(csv);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr("error: " + CsvPath() +
                               ":3: column author: author 'GA4 export' is not a person of the "
                               "workspace; name a person's id, or leave it empty\n"));
  EXPECT_THAT(r.err, HasSubstr("1 of 3 rows refused; nothing was imported"));
  EXPECT_EQ(Snapshot(), before);
  r = Import(csv, {"--skip-bad"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "imported 2 check-ins (1 skipped)\n");
  EXPECT_THAT(r.err, HasSubstr("skipped: " + CsvPath() + ":3: column author: author 'GA4 export'"));
  EXPECT_EQ(Checkins(), nlohmann::json::array({Checkin("share", "2026-02-01", 3, "", "dana"),
                                               Checkin("share", "2026-02-03", 5)}));
}

TEST_F(ImportTest, APlanCheckinsAuthorMustBeAPersonNamingItsLine) {
  const std::string before = Snapshot();
  const std::string plan =
      WriteFile("authored.yaml", std::string(kPlan) +
                                     "checkins:\n"
                                     "  - {kpi: share, date: 2026-02-01, value: 3, author: dana}\n"
                                     "  - kpi: share\n"
                                     "    date: 2026-02-02\n"
                                     "    value: 4\n"
                                     "    author: nobody\n");
  // kPlan is 14 lines: the check-ins start on 15, the second's author is on 20.
  const RunResult r = Run({"apply", plan});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err,
              HasSubstr("authored.yaml:20: check-in of 2026-02-02 for KPI 'share': author 'nobody' "
                        "is not a person of the workspace; name a person's id (the plan's people "
                        "or `cascade person list`)"));
  EXPECT_EQ(Snapshot(), before);
  // Without the unknown author the plan applies; a plan's CSV is held to the same rule, by line.
  ASSERT_EQ(Run({"apply", WriteFile("ok.yaml", std::string(kPlan) +
                                                   "checkins:\n  - {kpi: share, date: 2026-02-01, "
                                                   "value: 3, author: dana}\n")})
                .exit_code,
            0);
  WriteFile("rows.csv",
            "kpi,date,value,author\nshare,2026-02-03,5,dana\nshare,2026-02-04,6,ghost\n");
  const RunResult csv =
      Run({"apply", WriteFile("csv.yaml", std::string(kPlan) + "checkins_csv: rows.csv\n")});
  EXPECT_EQ(csv.exit_code, 2);
  EXPECT_THAT(csv.err, HasSubstr(":3: column author: author 'ghost' is not a person"));
  EXPECT_EQ(Checkins(), nlohmann::json::array({Checkin("share", "2026-02-01", 3, "", "dana")}));
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

  // The same file again: its good rows are stored already, so nothing is added.
  const RunResult j =
      Run({"--json", "import", "checkins", WriteFile("in2.csv", csv), "--skip-bad"});
  ASSERT_EQ(j.exit_code, 0) << j.err;
  EXPECT_EQ(j.Json()["imported"], 0);
  EXPECT_EQ(j.Json()["already_stored"], 3);
  EXPECT_EQ(j.Json()["skipped"], 3);
  ASSERT_EQ(j.Json()["problems"].size(), 3u);
  EXPECT_EQ(j.Json()["problems"][1],
            nlohmann::json({{"line", 5},
                            {"column", "date"},
                            {"reason", "'someday' is not a date; use YYYY-MM-DD or YYYYMMDD"}}));
  EXPECT_EQ(Checkins().size(), 3u);
  const RunResult text = Import(csv, {"--skip-bad"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_EQ(text.out,
            "imported 0 check-ins, skipped 3 already stored, skipped 3 rows with problems\n");
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

// True when `text` holds a byte of 0x80 or above that is not part of valid UTF-8, or a control
// character other than a line end: what a file must never put raw on a terminal.
bool HasRawBytes(const std::string& text) {
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\n') || c == 0x7F) return true;
    if (c < 0x80) continue;
    size_t n = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC2 ? 1 : 0;
    if (n == 0 || c > 0xF4 || i + n >= text.size()) return true;
    for (size_t k = 1; k <= n; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return true;
    }
    i += n;
  }
  return false;
}

// A note longer than `checkin` takes (10,000 characters) is refused by its line, and --skip-bad
// skips that row alone.
TEST_F(ImportTest, ANoteTooLongIsRefusedNamingItsLine) {
  const std::string csv = "kpi,date,value,note\nshare,2026-02-01,3,ok\nshare,2026-02-02,4," +
                          std::string(10001, 'x') + "\n";
  const std::string before = Snapshot();
  RunResult r = Import(csv);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr(":3: column note: check-in of 2026-02-02 for KPI 'share': note is "
                               "10001 characters long; note may hold at most 10000 characters\n"));
  EXPECT_EQ(Snapshot(), before);
  r = Import(csv, {"--skip-bad"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("imported 1 check-in (1 skipped)"));
}

TEST_F(ImportTest, ALatin1FileIsRefusedNamingItsLineAndNothingIsEchoedRaw) {
  const std::string csv =
      "kpi,date,value,note\n"
      "share,2026-02-01,3,ok\n"
      "share,2026-02-02,4,caf\xE9 \x1B[2J\n";
  const std::string before = Snapshot();
  for (const std::vector<std::string>& extra :
       {std::vector<std::string>{}, std::vector<std::string>{"--skip-bad"}}) {
    SCOPED_TRACE(extra.size());
    const RunResult r = Import(csv, extra);
    EXPECT_EQ(r.exit_code, 2);  // not 134: nothing throws
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err,
              "error: " + CsvPath() +
                  ":3: column note: 'caf\\xe9 \\x1b[2J' is not UTF-8 text (byte \\xe9); save "
                  "the file as UTF-8, or name its encoding: --encoding latin1 or "
                  "--encoding cp1252\n");
    EXPECT_FALSE(HasRawBytes(r.err));
  }
  // A bad byte in the header, or in a KPI cell, is shown escaped as well.
  RunResult r = Import("kpi,d\xE4te,value\nshare,2026-02-01,1\n");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "error: " + CsvPath() +
                       ":1: the header: 'd\\xe4te' is not UTF-8 text (byte \\xe4); save the file "
                       "as UTF-8, or name its encoding: --encoding latin1 or --encoding cp1252\n");
  r = Import("kpi,date,value\nsh\xC2\x85\x1B[31mare,2026-02-01,1\n");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr(":2: column kpi: KPI 'sh\\u0085\\x1b[31mare' does not exist\n"));
  EXPECT_FALSE(HasRawBytes(r.err));
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(ImportTest, Latin1AndCp1252AndUtf16FilesAreImportedAsUtf8) {
  RunResult r = Import("kpi,date,value,note,author\nshare,2026-02-02,4,caf\xE9 na\xEFve,dana\n",
                       {"--encoding", "latin1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "imported 1 check-in (0 skipped)\n");
  EXPECT_EQ(Checkins(),
            nlohmann::json::array({Checkin("share", "2026-02-02", 4, "café naïve", "dana")}));
  EXPECT_EQ(Run({"--json", "history", "share"}).Json()["history"].back()["after"]["note"],
            "café naïve");

  r = Import("kpi,date,value,note\nleads,2026-02-03,5,\"\x80 5,000 \x96 \x93won\x94\"\n",
             {"--encoding", "cp1252"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Checkins().back(), Checkin("leads", "2026-02-03", 5, "€ 5,000 – “won”"));

  // UTF-16 little endian with its byte-order mark, as Excel's "Unicode text" writes it.
  std::string utf16 = "\xFF\xFE";
  for (const char16_t u : std::u16string(u"kpi,date,value,note\r\nleads,2026-02-04,6,été\r\n")) {
    utf16 += static_cast<char>(u & 0xFF);
    utf16 += static_cast<char>(u >> 8);
  }
  r = Import(utf16);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Checkins().back(), Checkin("leads", "2026-02-04", 6, "été"));

  const std::string before = Snapshot();
  r = Import("kpi,date,value\nshare,2026-02-05,\x81\n", {"--encoding", "cp1252"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr(CsvPath() + ":2: column value: '\\x81' holds byte \\x81, which "
                                           "cp1252 does not define"));
  r = Import("kpi,date,value\nshare,2026-02-05,1\n", {"--encoding", "utf16"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(
      r.err,
      "error: --encoding 'utf16' is not known; use utf8 (the default, which also reads UTF-16 "
      "with a byte-order mark), latin1 or cp1252\n");
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(ImportTest, APlanFilesCsvIsCheckedForItsEncodingToo) {
  WriteFile("latin1.csv", "kpi,date,value,note\nshare,2026-02-01,3,caf\xE9\n");
  const std::string plan =
      WriteFile("plan2.yaml", std::string(kPlan) + "checkins_csv: latin1.csv\n");
  const std::string before = Snapshot();
  const RunResult r = Run({"apply", plan});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("latin1.csv:2: column note: 'caf\\xe9' is not UTF-8 text"));
  EXPECT_FALSE(HasRawBytes(r.err));
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(ImportTest, ImportingAFileTwiceChangesNothingTheSecondTime) {
  const std::string csv =
      "kpi,date,value,note\n"
      "leads,2026-02-01,100,from the CRM\n"
      "leads,2026-02-02,50,\n"
      "leads,2026-02-02,50,\n"  // a second, equal reading of the same day: both are kept
      "share,2026-02-02,4,\n";
  RunResult r = Import(csv);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "imported 4 check-ins (0 skipped)\n");
  EXPECT_NEAR(Status()["goals"][0]["kpis"][1]["value"].get<double>(), 200, 1e-9);
  const std::string before = Snapshot();

  r = Import(csv);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "imported 0 check-ins, skipped 4 already stored\n");
  EXPECT_NEAR(Status()["goals"][0]["kpis"][1]["value"].get<double>(), 200, 1e-9);
  EXPECT_EQ(Snapshot(), before);  // history included

  // A file that adds to what is stored imports only what is new.
  r = Run({"--json", "import", "checkins",
           WriteFile("more.csv", csv + "leads,2026-02-03,25,\nleads,2026-02-01,100,other note\n")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.Json()["imported"], 2);
  EXPECT_EQ(r.Json()["already_stored"], 4);
  EXPECT_EQ(r.Json()["removed"], 0);
  EXPECT_NEAR(Status()["goals"][0]["kpis"][1]["value"].get<double>(), 325, 1e-9);
}

TEST_F(ImportTest, ReplaceRangeReplacesExactlyTheFilesKpisAndDates) {
  RunResult r = Import(
      "kpi,date,value\n"
      "leads,2026-01-31,10\n"    // before the range: stays
      "leads,2026-02-01,20\n"    // in the range, in the corrected file too: stays as it is
      "leads,2026-02-02,30\n"    // in the range, corrected to 35
      "leads,2026-02-03,40\n"    // in the range, not in the corrected file: goes
      "share,2026-02-02,5\n"     // a KPI the corrected file does not hold: stays
      "leads,2026-02-05,50\n");  // after the range: stays
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const size_t history_before = Run({"--json", "history"}).Json()["history"].size();

  r = Import("kpi,date,value\nleads,2026-02-01,20\nleads,2026-02-02,35\nleads,2026-02-04,45\n",
             {"--replace-range"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "imported 2 check-ins, skipped 1 already stored, removed 2 stored from 2026-02-01 to "
            "2026-02-04 (1 KPI)\n");
  EXPECT_EQ(Checkins(),
            nlohmann::json::array(
                {Checkin("leads", "2026-01-31", 10), Checkin("leads", "2026-02-01", 20),
                 Checkin("share", "2026-02-02", 5), Checkin("leads", "2026-02-05", 50),
                 Checkin("leads", "2026-02-02", 35), Checkin("leads", "2026-02-04", 45)}));
  // 10 + 20 + 35 + 45 + 50
  EXPECT_NEAR(Status()["goals"][0]["kpis"][1]["value"].get<double>(), 160, 1e-9);

  // History records each check-in removed (with what it was) and each one added.
  const nlohmann::json history = Run({"--json", "history"}).Json()["history"];
  ASSERT_EQ(history.size(), history_before + 4);
  std::vector<std::string> ops;
  for (size_t i = history_before; i < history.size(); ++i) {
    const nlohmann::json& h = history[i];
    ops.push_back(h["op"].get<std::string>() + " " + h["kind"].get<std::string>() + " " +
                  h["entity"].get<std::string>());
  }
  EXPECT_THAT(ops, ::testing::ElementsAre("delete checkin leads", "delete checkin leads",
                                          "create checkin leads", "create checkin leads"));
  EXPECT_EQ(history[history_before]["before"]["value"], 30);
  EXPECT_EQ(history[history_before + 1]["before"]["value"], 40);

  // Replacing with the same file again changes nothing.
  const std::string before = Snapshot();
  r = Import("kpi,date,value\nleads,2026-02-01,20\nleads,2026-02-02,35\nleads,2026-02-04,45\n",
             {"--replace-range"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "imported 0 check-ins, skipped 3 already stored, removed 0 stored from 2026-02-01 to "
            "2026-02-04 (1 KPI)\n");
  EXPECT_EQ(Snapshot(), before);
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
