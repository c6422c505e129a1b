#include "io/checkin_csv.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace cascade {
namespace {

using ::testing::HasSubstr;

Workspace TestWorkspace() {
  Workspace ws;
  ws.people.push_back(Person{"dana", "Dana Lee", "dana@example.com", "", Role::kLead, 1});
  ws.people.push_back(Person{"Zoë", "Zoë", "", "", Role::kMember, 2});
  const auto kpi = [&ws](const char* id, KpiKind kind, double target) {
    Kpi k;
    k.id = id;
    k.goal = "g";
    k.kind = kind;
    k.target = target;
    if (kind == KpiKind::kThreshold) k.direction = Direction::kAbove;
    ws.kpis.push_back(k);
  };
  kpi("share", KpiKind::kLevel, 20);
  kpi("leads", KpiKind::kCumulative, 50);
  kpi("launched", KpiKind::kMilestone, 1);
  kpi("nps", KpiKind::kThreshold, 50);
  return ws;
}

Checkin C(const char* kpi, const char* date, double value, const char* note = "",
          const char* author = "") {
  return Checkin{kpi, *Date::Parse(date), value, note, author, 0};
}

CheckinCsv MustRead(const std::string& text, const CheckinCsvOptions& options = {}) {
  auto r = ReadCheckinCsv(text, options, TestWorkspace());
  if (!r) {
    ADD_FAILURE() << "refused: line " << r.error().line << ": " << r.error().message;
    return {};
  }
  return std::move(*r);
}

CheckinCsvOptions Wide() {
  CheckinCsvOptions o;
  o.wide = true;
  return o;
}

CheckinCsvOptions Mapped(const char* map, bool wide = false) {
  CheckinCsvOptions o;
  o.wide = wide;
  EXPECT_TRUE(ParseColumnMap(map, o).ok()) << map;
  return o;
}

TEST(CheckinCsvTest, AcceptedFiles) {
  const struct {
    const char* name;
    std::string text;
    CheckinCsvOptions options;
    std::vector<Checkin> want;
  } cases[] = {
      {"long",
       "kpi,date,value\nshare,2026-02-01,3.5\nleads,2026-02-02,10\n",
       {},
       {C("share", "2026-02-01", 3.5), C("leads", "2026-02-02", 10)}},
      {"bom and crlf",
       "\xEF\xBB\xBFkpi,date,value\r\nshare,2026-02-01,3.5\r\n",
       {},
       {C("share", "2026-02-01", 3.5)}},
      {"YYYYMMDD", "kpi,date,value\nshare,20260201,1\n", {}, {C("share", "2026-02-01", 1)}},
      {"thousands separators",
       "kpi,date,value\nleads,2026-02-01,\"1,234\"\n"
       "share,2026-02-01,\"1,234,567.5\"\n",
       {},
       {C("leads", "2026-02-01", 1234), C("share", "2026-02-01", 1234567.5)}},
      {"percent",
       "kpi,date,value\nshare,2026-02-01,12.5%\nshare,2026-02-02,\" 12 % \"\n",
       {},
       {C("share", "2026-02-01", 12.5), C("share", "2026-02-02", 12)}},
      {"spaces, sign, exponent",
       "kpi,date,value\nnps, 2026-02-01 , -20 \nnps,2026-02-02,+1e1\n",
       {},
       {C("nps", "2026-02-01", -20), C("nps", "2026-02-02", 10)}},
      {"quoted everything",
       "\"kpi\",\"date\",\"value\"\n\"share\",\"2026-02-01\",\"4\"\n",
       {},
       {C("share", "2026-02-01", 4)}},
      {"note and author",
       "kpi,date,value,note,author\n"
       "share,2026-02-01,4,\"after the launch, \"\"big\"\" day\",dana\n"
       "share,2026-02-02,5,\"two\nlines\",\n",
       {},
       {C("share", "2026-02-01", 4, "after the launch, \"big\" day", "dana"),
        C("share", "2026-02-02", 5, "two\nlines")}},
      {"columns in any order, case and spaces",
       " Value ,NOTE,Date,KPI\n7,hi,2026-02-01,leads\n",
       {},
       {C("leads", "2026-02-01", 7, "hi")}},
      {"other columns ignored",
       "source,kpi,date,value\nGA4,share,2026-02-01,1\n",
       {},
       {C("share", "2026-02-01", 1)}},
      {"empty rows skipped",
       "kpi,date,value\n,,\nshare,2026-02-01,1\n , ,\n",
       {},
       {C("share", "2026-02-01", 1)}},
      {"milestone 0 and 1",
       "kpi,date,value\nlaunched,2026-02-01,0\nlaunched,2026-02-09,1.0\n",
       {},
       {C("launched", "2026-02-01", 0), C("launched", "2026-02-09", 1)}},
      {"header only", "kpi,date,value\n", {}, {}},
      {"mapped columns",
       "Metric,Day,Count,Comment\nleads,20260203,\"2,000\",ok\n",
       Mapped("kpi=Metric,date=Day,value=Count,note=Comment"),
       {C("leads", "2026-02-03", 2000, "ok")}},
      {"wide",
       "date,share,leads\n2026-02-01,3.5,10\n20260202,,\"1,200\"\n2026-02-03,4%,\n",
       Wide(),
       {C("share", "2026-02-01", 3.5), C("leads", "2026-02-01", 10), C("leads", "2026-02-02", 1200),
        C("share", "2026-02-03", 4)}},
      {"wide, headers in any case",
       "\xEF\xBB\xBF"
       "Date,SHARE\r\n2026-02-01,1\r\n",
       Wide(),
       {C("share", "2026-02-01", 1)}},
      {"wide, mapped",
       "Day,Market share,leads\n2026-02-01,2,3\n",
       Mapped("date=Day,share=Market share", true),
       {C("share", "2026-02-01", 2), C("leads", "2026-02-01", 3)}},
      {"wide, row of empty cells", "date,share\n2026-02-01,\n,\n", Wide(), {}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const CheckinCsv got = MustRead(c.text, c.options);
    EXPECT_EQ(got.checkins, c.want);
    EXPECT_EQ(got.problem_count, 0u);
    EXPECT_EQ(got.bad_rows, 0u);
    for (const CsvProblem& p : got.problems) {
      ADD_FAILURE() << "line " << p.line << ": column " << p.column << ": " << p.reason;
    }
  }
}

struct Want {
  int line;
  std::string column;
  std::string reason;  // a part of the reason
};

TEST(CheckinCsvTest, BadRowsAreListedWithLineColumnAndReason) {
  const std::string header = "kpi,date,value,note,author\n";
  const struct {
    const char* name;
    std::string text;
    CheckinCsvOptions options;
    std::vector<Want> problems;
    size_t good = 1;  // check-ins of the good rows (each file has one good row)
  } cases[] = {
      {"unknown kpi",
       header + "share,2026-02-01,1,,\nnope,2026-02-01,1,,\n",
       {},
       {{3, "kpi", "KPI 'nope' does not exist"}}},
      {"no kpi", header + "share,2026-02-01,1,,\n,2026-02-01,1,,\n", {}, {{3, "kpi", "no KPI"}}},
      {"impossible date",
       header + "share,2026-02-30,1,,\nshare,2026-02-01,1,,\n",
       {},
       {{2, "date", "'2026-02-30' is not a date; use YYYY-MM-DD or YYYYMMDD"}}},
      {"slashed date",
       header + "share,2026-02-01,1,,\nshare,02/01/2026,1,,\n",
       {},
       {{3, "date", "'02/01/2026' is not a date"}}},
      {"no date", header + "share,2026-02-01,1,,\nshare,,1,,\n", {}, {{3, "date", "no date"}}},
      {"not a number",
       header + "share,2026-02-01,1,,\nshare,2026-02-01,abc,,\n",
       {},
       {{3, "value", "'abc' is not a number"}}},
      {"no value",
       header + "share,2026-02-01,1,,\nshare,2026-02-01,,,\n",
       {},
       {{3, "value", "no value"}}},
      {"infinite",
       header + "share,2026-02-01,1,,\nshare,2026-02-01,inf,,\n",
       {},
       {{3, "value", "'inf' is not a finite number"}}},
      {"nan",
       header + "share,2026-02-01,1,,\nshare,2026-02-01,NaN,,\n",
       {},
       {{3, "value", "'NaN' is not a finite number"}}},
      {"overflow",
       header + "share,2026-02-01,1,,\nshare,2026-02-01,1e999,,\n",
       {},
       {{3, "value", "'1e999' is out of range"}}},
      {"bad grouping",
       header + "share,2026-02-01,1,,\nshare,2026-02-01,\"1,23\",,\n",
       {},
       {{3, "value", "thousands separators"}}},
      {"milestone value",
       header + "launched,2026-02-01,1,,\nlaunched,2026-02-02,0.5,,\n",
       {},
       {{3, "value", "'0.5' for milestone KPI 'launched': a milestone is 0"}}},
      {"milestone percent",
       header + "launched,2026-02-01,1,,\nlaunched,2026-02-02,100%,,\n",
       {},
       {{3, "value", "'100%' for milestone KPI 'launched'"}}},
      {"unquoted thousands",
       header + "share,2026-02-01,1,,\nleads,2026-02-01,1,234,,\n",
       {},
       {{3, "", "6 fields where the header has 5"}}},
      {"too few fields",
       header + "share,2026-02-01\nshare,2026-02-01,1,,\n",
       {},
       {{2, "", "2 fields where the header has 5"}}},
      {"text after a quote",
       header + "share,2026-02-01,\"1\"2,,\nshare,2026-02-01,1,,\n",
       {},
       {{2, "value", "text after the closing quote"}}},
      {"every problem of a row",
       header + "nope,2026-13-01,x,,zed\nshare,2026-02-01,1,,\n",
       {},
       {{2, "kpi", "'nope'"},
        {2, "date", "'2026-13-01'"},
        {2, "value", "'x'"},
        {2, "author", "author 'zed' is not a person of the workspace"}}},
      {"line numbers count quoted line breaks",
       header + "share,2026-02-01,1,\"one\ntwo\nthree\",\nshare,2026-02-01,?,,\n",
       {},
       {{5, "value", "'?'"}}},
      {"line numbers count blank lines",
       header + "\n\nshare,2026-02-01,1,,\n\nnope,2026-02-01,1,,\n",
       {},
       {{6, "kpi", "'nope'"}}},
      {"mapped columns are named as in the file",
       "Metric,Day,Count\nshare,2026-02-01,1\nshare,yesterday,1\n",
       Mapped("kpi=Metric,date=Day,value=Count"),
       {{3, "Day", "'yesterday' is not a date"}}},
      {"wide: bad cell rejects its row",
       "date,share,leads\n2026-02-01,1,\n2026-02-02,2,x\n",
       Wide(),
       {{3, "leads", "'x' is not a number"}}},
      {"wide: bad date",
       "date,share,leads\n2026-02-01,1,\nsoon,2,3\n",
       Wide(),
       {{3, "date", "'soon' is not a date"}}},
      {"wide: milestone",
       "date,share,launched\n2026-02-01,1,\n2026-02-02,,2\n",
       Wide(),
       {{3, "launched", "milestone"}}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const CheckinCsv got = MustRead(c.text, c.options);
    EXPECT_EQ(got.checkins.size(), c.good);
    EXPECT_EQ(got.bad_rows, 1u);
    EXPECT_EQ(got.problem_count, c.problems.size());
    ASSERT_EQ(got.problems.size(), c.problems.size());
    for (size_t i = 0; i < c.problems.size(); ++i) {
      EXPECT_EQ(got.problems[i].line, c.problems[i].line) << i;
      EXPECT_EQ(got.problems[i].column, c.problems[i].column) << i;
      EXPECT_THAT(got.problems[i].reason, HasSubstr(c.problems[i].reason)) << i;
    }
  }
}

TEST(CheckinCsvTest, FileErrors) {
  const struct {
    const char* name;
    std::string text;
    CheckinCsvOptions options;
    int line;
    std::string field;
    std::string message;  // a part of it
  } cases[] = {
      {"empty", "", {}, 0, "", "the file is empty"},
      {"only a bom", "\xEF\xBB\xBF\r\n", {}, 0, "", "the file is empty"},
      {"no value column",
       "kpi,date,amount\nshare,2026-02-01,1\n",
       {},
       1,
       "value",
       "the header has no column 'value'"},
      {"header lists what it has", "kpi,date\n", {}, 1, "value", "(it has: kpi, date)"},
      {"mapped column missing", "kpi,date,value\n", Mapped("value=Count"), 1, "Count",
       "no column 'Count' (mapped to value by --map)"},
      {"mapped optional column missing", "kpi,date,value\n", Mapped("note=Comment"), 1, "Comment",
       "no column 'Comment'"},
      {"unknown map key", "kpi,date,value\n", Mapped("kpi=Metric,amount=Count"), 0, "map",
       "--map names 'amount'"},
      {"two fields from one column", "kpi,date,value\n", Mapped("value=date"), 1, "date",
       "two fields from column 'date'"},
      {"duplicate column", "kpi,date,value,Date\n", {}, 1, "Date", "names column 'Date' twice"},
      {"unterminated quote",
       "kpi,date,value\nshare,2026-02-01,1\nshare,\"2026-02-02,1\n",
       {},
       3,
       "",
       "never closed"},
      {"wide: no date column", "day,share\n", Wide(), 1, "date", "no column 'date'"},
      {"wide: column that is no kpi", "date,share,Sessions\n", Wide(), 1, "Sessions",
       "column 'Sessions' is not a KPI id"},
      {"wide: kpi twice", "date,share,SHARE\n", Wide(), 1, "SHARE", "KPI 'share' has two columns"},
      {"wide: map to an unknown kpi", "date,Visits\n", Mapped("visits=Visits", true), 0, "map",
       "KPI 'visits', which does not exist"},
      {"wide: mapped column missing", "date,share\n", Mapped("leads=Leads", true), 1, "Leads",
       "no column 'Leads'"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = ReadCheckinCsv(c.text, c.options, TestWorkspace());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalid);
    EXPECT_EQ(r.error().line, c.line);
    EXPECT_EQ(r.error().field, c.field);
    EXPECT_THAT(r.error().message, HasSubstr(c.message));
  }
}

CheckinCsvOptions Encoded(CsvEncoding encoding) {
  CheckinCsvOptions o;
  o.encoding = encoding;
  return o;
}

std::string Utf16Le(std::u16string_view text) {
  std::string out = "\xFF\xFE";
  for (const char16_t u : text) {
    out += static_cast<char>(u & 0xFF);
    out += static_cast<char>(u >> 8);
  }
  return out;
}

std::string Utf16Be(std::u16string_view text) {
  std::string out = "\xFE\xFF";
  for (const char16_t u : text) {
    out += static_cast<char>(u >> 8);
    out += static_cast<char>(u & 0xFF);
  }
  return out;
}

TEST(CheckinCsvTest, EncodingsAreReadAsUtf8) {
  const std::vector<Checkin> cafe = {C("share", "2026-02-01", 3, "café", "Zoë")};
  EXPECT_EQ(MustRead("kpi,date,value,note,author\nshare,2026-02-01,3,caf\xE9,Zo\xEB\n",
                     Encoded(CsvEncoding::kLatin1))
                .checkins,
            cafe);
  EXPECT_EQ(MustRead("kpi,date,value,note,author\nshare,2026-02-01,3,caf\xE9,Zo\xEB\n",
                     Encoded(CsvEncoding::kCp1252))
                .checkins,
            cafe);
  EXPECT_EQ(MustRead("kpi,date,value,note\nleads,2026-02-01,5,\"\x80 5,000 \x96 \x93won\x94\"\n",
                     Encoded(CsvEncoding::kCp1252))
                .checkins,
            (std::vector<Checkin>{C("leads", "2026-02-01", 5, "€ 5,000 – “won”")}));
  const std::u16string text = u"kpi,date,value,note,author\r\nshare,2026-02-01,3,café,Zoë\r\n";
  EXPECT_EQ(MustRead(Utf16Le(text)).checkins, cafe);
  EXPECT_EQ(MustRead(Utf16Be(text)).checkins, cafe);
  // Wide files too, header names included.
  EXPECT_EQ(MustRead(Utf16Le(u"date,share\n2026-02-01,7\n"), Wide()).checkins,
            (std::vector<Checkin>{C("share", "2026-02-01", 7)}));
}

TEST(CheckinCsvTest, BytesTheEncodingDoesNotAllowRefuseTheFileWithTheirLine) {
  // A file-level Error, not a row problem: `--skip-bad` cannot import around it.
  auto r =
      ReadCheckinCsv("kpi,date,value,note\nshare,2026-02-01,3,ok\nshare,2026-02-02,4,caf\xE9\n", {},
                     TestWorkspace());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().line, 3);
  EXPECT_EQ(r.error().field, "note");
  EXPECT_EQ(r.error().message,
            "column note: 'caf\\xe9' is not UTF-8 text (byte \\xe9); save the file as UTF-8, or "
            "name its encoding: --encoding latin1 or --encoding cp1252");
  r = ReadCheckinCsv("kpi,date,value\nshare,2026-02-01,\x9D\n", Encoded(CsvEncoding::kCp1252),
                     TestWorkspace());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().line, 2);
  EXPECT_EQ(r.error().field, "value");
}

TEST(CheckinCsvTest, TextFromTheFileIsShownWithControlCharactersVisible) {
  const CheckinCsv got = MustRead(
      "kpi,date,value,\"no\x1Bte\"\n"
      "sh\x1B[2Jare,2026-02-01,1,\n"
      "share,2026\t02\t01,1,\n"
      "share,2026-02-01,\x07,\n");
  ASSERT_EQ(got.problems.size(), 3u);
  EXPECT_EQ(got.problems[0], (CsvProblem{2, "kpi", "KPI 'sh\\x1b[2Jare' does not exist"}));
  EXPECT_EQ(got.problems[1],
            (CsvProblem{3, "date", "'2026\\t02\\t01' is not a date; use YYYY-MM-DD or YYYYMMDD"}));
  EXPECT_EQ(got.problems[2], (CsvProblem{4, "value", "'\\x07' is not a number"}));
  auto r = ReadCheckinCsv("kpi,date,val\x1Bue\n", {}, TestWorkspace());
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("(it has: kpi, date, val\\x1bue)"));
  r = ReadCheckinCsv("date,share,\xC2\x85x\n", Wide(), TestWorkspace());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "\\u0085x");
  EXPECT_THAT(r.error().message, HasSubstr("column '\\u0085x' is not a KPI id"));
}

TEST(CheckinCsvTest, KpisAndDatesTheRowsSpeakFor) {
  CheckinCsv got =
      MustRead("kpi,date,value\nleads,2026-02-03,1\nshare,2026-02-01,2\nleads,2026-01-30,3\n");
  EXPECT_EQ(got.kpis, (std::vector<std::string>{"share", "leads"}));  // the workspace's order
  EXPECT_EQ(got.first_date, Date::Parse("2026-01-30"));
  EXPECT_EQ(got.last_date, Date::Parse("2026-02-03"));
  // A bad row speaks for nothing.
  got = MustRead("kpi,date,value\nleads,2026-02-03,1\nnps,2026-03-01,x\n");
  EXPECT_EQ(got.kpis, (std::vector<std::string>{"leads"}));
  EXPECT_EQ(got.last_date, Date::Parse("2026-02-03"));
  // A wide file speaks for each of its KPI columns, and for the dates of rows without values.
  got = MustRead("date,nps,share\n2026-02-01,,1\n2026-02-05,,\n", Wide());
  EXPECT_EQ(got.kpis, (std::vector<std::string>{"share", "nps"}));
  EXPECT_EQ(got.first_date, Date::Parse("2026-02-01"));
  EXPECT_EQ(got.last_date, Date::Parse("2026-02-05"));
  got = MustRead("kpi,date,value\n");
  EXPECT_TRUE(got.kpis.empty());
  EXPECT_FALSE(got.first_date);
}

TEST(CheckinCsvTest, WideEqualsLong) {
  const CheckinCsv wide = MustRead(
      "date,share,leads,launched\n2026-02-01,3.5,10,0\n2026-02-08,,5,\n2026-02-15,4.25,,1\n",
      Wide());
  const CheckinCsv long_form = MustRead(
      "kpi,date,value\nshare,2026-02-01,3.5\nleads,2026-02-01,10\nlaunched,2026-02-01,0\n"
      "leads,2026-02-08,5\nshare,2026-02-15,4.25\nlaunched,2026-02-15,1\n");
  EXPECT_EQ(wide.checkins, long_form.checkins);
  EXPECT_EQ(wide.rows, 3u);
  EXPECT_EQ(long_form.rows, 6u);
}

TEST(CheckinCsvTest, AnAuthorMustBeAPersonOfTheWorkspace) {
  const CheckinCsv got = MustRead(
      "kpi,date,value,author\nshare,2026-02-01,1,Dana L.\nshare,2026-02-02,2,dana\n"
      "share,2026-02-03,3,\nshare,2026-02-04,4,\x1b[2J\n");
  EXPECT_EQ(got.checkins, (std::vector<Checkin>{C("share", "2026-02-02", 2, "", "dana"),
                                                C("share", "2026-02-03", 3)}));
  EXPECT_EQ(got.problems,
            (std::vector<CsvProblem>{
                {2, "author",
                 "author 'Dana L.' is not a person of the workspace; name a person's id, or leave "
                 "it empty"},
                {5, "author",
                 "author '\\x1b[2J' is not a person of the workspace; name a person's id, or "
                 "leave it empty"}}));
  EXPECT_EQ(got.bad_rows, 2u);
}

TEST(CheckinCsvTest, KeepsTheFirstProblemsAndCountsThemAll) {
  std::string text = "kpi,date,value\n";
  for (int i = 0; i < 50; ++i) text += "nope,2026-02-01,1\nshare,2026-02-01,1\n";
  CheckinCsvOptions o;
  o.max_problems = 20;
  const CheckinCsv got = MustRead(text, o);
  EXPECT_EQ(got.problems.size(), 20u);
  EXPECT_EQ(got.problem_count, 50u);
  EXPECT_EQ(got.bad_rows, 50u);
  EXPECT_EQ(got.rows, 100u);
  EXPECT_EQ(got.checkins.size(), 50u);
  EXPECT_EQ(got.problems[0].line, 2);
  EXPECT_EQ(got.problems[19].line, 40);
}

TEST(CheckinCsvTest, ReportsProgressToTheEnd) {
  std::string text = "kpi,date,value\n";
  for (int i = 0; i < 200000; ++i) text += "leads,2026-02-01,1\n";
  std::vector<std::pair<size_t, size_t>> calls;
  CheckinCsvOptions o;
  o.progress = [&calls](size_t done, size_t total) { calls.emplace_back(done, total); };
  const CheckinCsv got = MustRead(text, o);
  EXPECT_EQ(got.checkins.size(), 200000u);
  ASSERT_GE(calls.size(), 3u);
  for (size_t i = 1; i < calls.size(); ++i) EXPECT_LE(calls[i - 1].first, calls[i].first);
  EXPECT_EQ(calls.back(), std::make_pair(text.size(), text.size()));
}

TEST(CheckinCsvTest, ParseColumnMap) {
  CheckinCsvOptions o;
  ASSERT_TRUE(ParseColumnMap("kpi=Metric, date = Day ,value=Unique visitors", o).ok());
  EXPECT_EQ(o.columns, (std::map<std::string, std::string, std::less<>>{
                           {"kpi", "Metric"}, {"date", "Day"}, {"value", "Unique visitors"}}));
  for (const char* bad : {"kpi", "kpi=", "=Metric", "kpi=A,,date=B", "kpi=A,kpi=B"}) {
    CheckinCsvOptions fresh;
    auto r = ParseColumnMap(bad, fresh);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().field, "map") << bad;
  }
}

TEST(CheckinCsvTest, ParseCsvNumber) {
  const struct {
    const char* text;
    double want;
  } good[] = {
      {"0", 0},
      {"42", 42},
      {" 42 ", 42},
      {"-3.5", -3.5},
      {"+7", 7},
      {".5", 0.5},
      {"1e3", 1000},
      {"1,234", 1234},
      {"12,345", 12345},
      {"123,456", 123456},
      {"1,234,567.5", 1234567.5},
      {"-1,000", -1000},
      {"12.5%", 12.5},
      {"12 %", 12},
      {"0.25%", 0.25},
      {"1,000%", 1000},
  };
  for (const auto& c : good) {
    auto v = ParseCsvNumber(c.text);
    ASSERT_TRUE(v.ok()) << c.text << ": " << v.error().message;
    EXPECT_EQ(*v, c.want) << c.text;
  }
  for (const char* bad :
       {"",       " ",        "%",       "abc",   "1.2.3", "1,23", "1234,567", ",123",
        "1,2345", "12,34.5",  "1.234,5", "1e",    "--1",   "+-1",  "0x10",     "inf",
        "-inf",   "Infinity", "nan",     "1e400", "$5",    "5$",   "1 000",    "12%%"}) {
    auto v = ParseCsvNumber(bad);
    EXPECT_FALSE(v.ok()) << "'" << bad << "' gave " << (v.ok() ? *v : 0);
  }
}

}  // namespace
}  // namespace cascade
