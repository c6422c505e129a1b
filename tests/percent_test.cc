// End-to-end: percentages shown to people are truncated toward zero in every view (SPEC §5): a goal
// at 99.7% or 99.99% never reads 100%, 0.49% reads 0%, a fall of 0.49 points reads −0.4 pts.
#include <string>

#include <gmock/gmock.h>

#include "cli_runner.h"

namespace cascade::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// almost 997/1000, nearly 999.9/1000, barely 4.9/1000 of goals running 2026-01-01 to 06-30; a
// review recorded on 2026-03-01, then almost falls to 992.1 (−0.49 points) on 2026-03-02, when
// 60/180 of the time is gone: barely is 33.33 − 0.49 = 32.84 points behind.
class PercentTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    ASSERT_EQ(Run({"apply", TestData("percent.yaml")}).exit_code, 0);
    ASSERT_EQ(Run({"--as-of", "2026-03-01", "review", "--record", "--notes", "first"}).exit_code,
              0);
    ASSERT_EQ(Run({"checkin", "almost-kpi", "992.1", "--date", "2026-03-02"}).exit_code, 0);
  }
  RunResult At(std::vector<std::string> args) const {
    args.insert(args.begin(), {"--as-of", "2026-03-02"});
    const RunResult r = Run(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r;
  }
};

TEST_F(PercentTest, TerminalTreeAndGoalListTruncate) {
  const RunResult status = At({"status"});
  EXPECT_THAT(status.out, HasSubstr("██████│████████████░  99%  on track\n   Nearly"));
  EXPECT_THAT(status.out, HasSubstr("░░░░░░│░░░░░░░░░░░░░   0%  off track\n   Barely"));
  EXPECT_THAT(status.out, Not(HasSubstr("100%")));
  EXPECT_EQ(At({"goal", "list"}).out,
            "almost                   macro   99% on_track    2026-06-30 Almost there\n"
            "nearly                   macro   99% on_track    2026-06-30 Nearly there\n"
            "barely                   macro    0% off_track   2026-06-30 Barely started\n");
}

TEST_F(PercentTest, GoalShowAndReviewSnapshotTruncateToOneDecimal) {
  EXPECT_THAT(At({"goal", "show", "nearly"}).out,
              HasSubstr("status on_track  progress 99.9%  expected 33.3%  forecast 100.0%\n"));
  EXPECT_THAT(At({"goal", "show", "barely"}).out, HasSubstr("progress 0.4%  expected 33.3%"));
  EXPECT_EQ(At({"review", "show", "1"}).out,
            "Review #1 of 2026-03-01\nNotes: first\n\n"
            "  goal                         progress  status\n"
            "  almost                          99.7%  on track\n"
            "  nearly                          99.9%  on track\n"
            "  barely                           0.4%  off track\n");
}

TEST_F(PercentTest, ReviewGapsAndChangesTruncate) {
  const RunResult text = At({"review"});
  EXPECT_THAT(text.out,
              HasSubstr("  barely                   0% of  33% expected,  32 pts behind  kim"));
  EXPECT_THAT(text.out, HasSubstr("  almost                  99% → 99%   −0.4 pts    on track\n"));
  const RunResult md = At({"review", "--format", "md"});
  EXPECT_THAT(md.out, HasSubstr("| barely | Barely started | kim | 0% | 33% | 32 pts |\n"));
  EXPECT_THAT(md.out, HasSubstr("| almost | 99% | 99% | −0.4 pts | on track |\n"));
  const RunResult html = At({"review", "--format", "html"});
  EXPECT_THAT(html.out, HasSubstr("<td>32 pts</td>"));
  EXPECT_THAT(html.out, HasSubstr("<td>−0.4 pts</td>"));
}

TEST_F(PercentTest, MarkdownAndHtmlReportsTruncate) {
  ASSERT_EQ(At({"report", "--format", "md", "-o", "r.md"}).exit_code, 0);
  const std::string md = ReadAll(dir_ / "r.md");
  EXPECT_THAT(md, HasSubstr("| **Nearly there** | `███│█████░` | 99% | on track |"));
  EXPECT_THAT(md, HasSubstr("- Barely started — at 0%, expected 33%: 32 points behind (Kim Park)"));
  EXPECT_THAT(md, HasSubstr("| Almost there | 99% | 99% | no change | on track |"));
  ASSERT_EQ(At({"report", "--format", "html", "-o", "r.html"}).exit_code, 0);
  const std::string html = ReadAll(dir_ / "r.html");
  EXPECT_THAT(html, HasSubstr("aria-label=\"progress 99%, expected 33%\"><span class=\"fill\" "
                              "style=\"width:99.9%\">"));
  EXPECT_THAT(html, HasSubstr(" — at 0%, expected 33%: 32 points behind (Kim Park)"));
  EXPECT_THAT(html, Not(HasSubstr("width:100%")));
}

TEST_F(PercentTest, NumbersPastTheEntryBoundPrintShort) {
  // 1e15 is the largest value a check-in takes; what reaches it prints in three digits, never
  // as a line of digits (a sum or a forecast past it could be hundreds long).
  ASSERT_EQ(Run({"checkin", "almost-kpi", "1e15", "--date", "2026-03-02"}).exit_code, 0);
  const RunResult status = At({"status"});
  EXPECT_THAT(status.out, HasSubstr("   Almost  1.00e+15 / 1,000 signups\n"));
  EXPECT_THAT(status.out, HasSubstr("   Nearly  999.9 / 1,000 signups"));
}

}  // namespace
}  // namespace cascade::testing
