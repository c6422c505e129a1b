// End-to-end tests of `chart` and `report`: run the built binary on a plan and read the pictures
// back (the SVG and the HTML parsed as XML).
#include <algorithm>
#include <map>

#include <gmock/gmock.h>

#include "cli_runner.h"
#include "io/test_xml.h"

namespace cascade::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using test_xml::Element;

class PictureTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    const RunResult r = Run({"apply", TestData("launch.yaml")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  Element ParseFile(const std::string& name) const {
    const std::string text = ReadAll(dir_ / name);
    const test_xml::ParseResult r = test_xml::ParseXml(text);
    EXPECT_TRUE(r.root.has_value()) << name << ": " << r.error;
    return r.root ? *r.root : Element{};
  }

  // One clear line on stderr, starting with "error: ".
  static void ExpectOneErrorLine(const RunResult& r, const std::string& says) {
    EXPECT_THAT(r.err, StartsWith("error: "));
    EXPECT_THAT(r.err, HasSubstr(says));
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
};

TEST_F(PictureTest, ChartWritesTheKpiSeries) {
  const RunResult r = Run({"--as-of", "2026-03-01", "chart", "followers-count", "-o", "f.svg"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("wrote f.svg (2 check-in points)"));
  const Element svg = ParseFile("f.svg");
  EXPECT_EQ(svg.name, "svg");
  EXPECT_EQ(svg.Attr("data-kpi"), "followers-count");
  // The window ends at the due date (2026-01-31): the 12,000 of 2026-02-10 is not drawn.
  const auto points = svg.ByClass("series-checkins").at(0)->ByName("circle");
  ASSERT_EQ(points.size(), 2u);
  EXPECT_EQ(points[0]->Attr("data-date"), "2026-01-15");
  EXPECT_EQ(points[0]->Attr("data-value"), "4000");
  EXPECT_EQ(points[1]->Attr("data-date"), "2026-01-31");
  EXPECT_EQ(points[1]->Attr("data-value"), "10500");
  const Element& target = *svg.ByClass("series-target").at(0);
  EXPECT_EQ(target.Attr("data-y0"), "10000");
  const Element& expected = *svg.ByClass("series-expected").at(0);
  EXPECT_EQ(expected.Attr("data-from"), "2026-01-01");  // the start inherited from market-share
  EXPECT_EQ(expected.Attr("data-to"), "2026-01-31");
  EXPECT_EQ(expected.Attr("data-y0"), "0");
  EXPECT_EQ(expected.Attr("data-y1"), "10000");
  // Forecast points (0, 0), (14, 4000), (30, 10500): β = (3·371,000 − 44·14,500) / (3·1,096 −
  // 44²) = 475,000 / 1,352, α = (14,500 − 44β) / 3; the line at x = 30.
  const double beta = 475000.0 / 1352.0;
  const double alpha = (14500 - 44 * beta) / 3;
  const Element& forecast = *svg.ByClass("series-forecast").at(0);
  EXPECT_NEAR(std::stod(*forecast.Attr("data-y0")), alpha, 1e-6);
  EXPECT_NEAR(std::stod(*forecast.Attr("data-y1")), alpha + beta * 30, 1e-6);
  EXPECT_THAT(svg.ByName("title").at(0)->AllText(), HasSubstr("Followers: 10,500 / 10,000 followers"));
}

TEST_F(PictureTest, ChartToStdoutAndAsJson) {
  const RunResult out = Run({"--as-of", "2026-03-01", "chart", "qualified-leads"});
  ASSERT_EQ(out.exit_code, 0) << out.err;
  EXPECT_THAT(out.out, StartsWith("<svg "));
  EXPECT_TRUE(test_xml::ParseXml(out.out).root.has_value());

  const RunResult json =
      Run({"--json", "--as-of", "2026-03-01", "chart", "qualified-leads", "-o", "q.svg"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const auto j = json.Json();
  EXPECT_EQ(j["file"], "q.svg");
  EXPECT_EQ(j["kpi"], "qualified-leads");
  EXPECT_EQ(j["points"], 2);
  // Cumulative: the running total, 10 then 22.
  // The tree held in a local: the pointers ByName returns point into it.
  const auto svg = ParseFile("q.svg");
  const auto points = svg.ByClass("series-checkins").at(0)->ByName("circle");
  ASSERT_EQ(points.size(), 2u);
  EXPECT_EQ(points[1]->Attr("data-value"), "22");
}

TEST_F(PictureTest, ChartRefusals) {
  const RunResult unknown = Run({"chart", "nope", "-o", "x.svg"});
  EXPECT_EQ(unknown.exit_code, 2);
  ExpectOneErrorLine(unknown, "KPI 'nope' does not exist");
  EXPECT_FALSE(std::filesystem::exists(dir_ / "x.svg"));

  const RunResult unwritable = Run({"chart", "share", "-o", "no-such-folder/x.svg"});
  EXPECT_EQ(unwritable.exit_code, 3);
  ExpectOneErrorLine(unwritable, "cannot write 'no-such-folder/x.svg'");

  std::filesystem::create_directories(dir_ / "a-folder");
  const RunResult folder = Run({"chart", "share", "-o", "a-folder"});
  EXPECT_EQ(folder.exit_code, 3);
  ExpectOneErrorLine(folder, "cannot write 'a-folder'");

  const RunResult missing = Run({"chart"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, StartsWith("error: "));
}

TEST_F(PictureTest, HtmlReportHoldsTreeCountsChartsAndAgenda) {
  const RunResult r = Run({"--as-of", "2026-03-01", "report", "-o", "report.html"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("wrote report.html (HTML report of 3 goals and 3 KPIs)"));
  const Element html = ParseFile("report.html");
  EXPECT_EQ(html.name, "html");
  EXPECT_TRUE(html.ByName("script").empty());

  // Counts as `status --json` has them.
  const auto status = Run({"--json", "--as-of", "2026-03-01", "status"}).Json();
  int counted = 0;
  for (const Element* c : html.ByClass("count")) {
    const std::string s = *c->Attr("data-status");
    EXPECT_EQ(std::stoi(*c->Attr("data-count")), status["summary"][s].get<int>()) << s;
    counted += std::stoi(*c->Attr("data-count"));
  }
  EXPECT_EQ(counted, 3);

  // The tree: both micro goals under the macro goal, each with its status in words.
  const auto macro = html.FindAll(
      [](const Element& e) { return e.Attr("data-goal") == std::string("market-share"); });
  ASSERT_EQ(macro.size(), 1u);
  for (const char* child : {"followers", "leads"}) {
    const auto under = macro[0]->FindAll(
        [&](const Element& e) { return e.Attr("data-goal") == std::string(child); });
    ASSERT_EQ(under.size(), 1u) << child;
    for (const auto& g : status["goals"]) {
      if (g["id"] != child) continue;
      std::string words = g["status"].get<std::string>();  // "at_risk" reads "at risk"
      std::replace(words.begin(), words.end(), '_', ' ');
      EXPECT_EQ(under[0]->ByClass("pill").at(0)->AllText(), words) << child;
    }
  }

  // A chart per KPI, each with its check-ins.
  const auto charts = html.ByClass("kpi-chart");
  ASSERT_EQ(charts.size(), 3u);
  std::map<std::string, size_t> points;
  for (const Element* c : charts) {
    points[*c->Attr("data-kpi")] = c->ByClass("series-checkins").at(0)->ByName("circle").size();
  }
  EXPECT_EQ(points["share"], 2u);
  EXPECT_EQ(points["followers-count"], 2u);
  EXPECT_EQ(points["qualified-leads"], 2u);

  // The review agenda.
  const Element* review = html.ById("review");
  ASSERT_NE(review, nullptr);
  EXPECT_THAT(review->AllText(), HasSubstr("Achieved"));
  EXPECT_THAT(review->AllText(), HasSubstr("Generate 10,000 social media followers"));
}

TEST_F(PictureTest, MarkdownReportByFlagOrExtension) {
  const RunResult flag = Run({"--as-of", "2026-03-01", "report", "--format", "md", "-o", "r.txt"});
  ASSERT_EQ(flag.exit_code, 0) << flag.err;
  const RunResult ext = Run({"--as-of", "2026-03-01", "report", "-o", "r.md"});
  ASSERT_EQ(ext.exit_code, 0) << ext.err;
  const std::string md = ReadAll(dir_ / "r.md");
  EXPECT_EQ(md, ReadAll(dir_ / "r.txt"));
  EXPECT_THAT(md, StartsWith("# Cascade report\n"));
  EXPECT_THAT(md, HasSubstr("| **Achieve 20% market share within six months of launch** | `"));
  EXPECT_THAT(md, HasSubstr("## Review agenda"));
  EXPECT_THAT(md, HasSubstr("| Qualified leads | 22 / 50 leads |"));

  const RunResult stdout_md = Run({"--as-of", "2026-03-01", "report", "--format", "md"});
  ASSERT_EQ(stdout_md.exit_code, 0);
  EXPECT_EQ(stdout_md.out, md);
}

TEST_F(PictureTest, ReportRefusals) {
  const RunResult format = Run({"report", "--format", "pdf", "-o", "r.pdf"});
  EXPECT_EQ(format.exit_code, 2);
  ExpectOneErrorLine(format, "--format 'pdf' is not allowed; use html or md");
  EXPECT_FALSE(std::filesystem::exists(dir_ / "r.pdf"));

  const RunResult unwritable = Run({"report", "-o", "no-such-folder/r.html"});
  EXPECT_EQ(unwritable.exit_code, 3);
  ExpectOneErrorLine(unwritable, "cannot write 'no-such-folder/r.html'");

  const RunResult as_of = Run({"--as-of", "March", "report", "-o", "r.html"});
  EXPECT_EQ(as_of.exit_code, 2);
  ExpectOneErrorLine(as_of, "--as-of 'March' is not a date");
}

}  // namespace
}  // namespace cascade::testing
