// `cascade demo` end to end: the model's newer features as a user meets them in the demo
// workspace — the review's disagreement, last quarter closed with its numbers in the history and
// this quarter open, the carried-over drafts, and the formula KPI.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "cli_runner.h"
#include "core/date.h"

namespace cascade::testing {
namespace {

class DemoCliTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    const RunResult demo = Run({"demo"});
    ASSERT_EQ(demo.exit_code, 0) << demo.err;
    // `cascade demo` dates everything from today (UTC).
    const auto days = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
    today_ = Date(static_cast<int32_t>(days.time_since_epoch().count()));
  }
  std::string Day(int offset) const { return (today_ + offset).ToString(); }

  Date today_;
};

// The lines of `text` from the one equal to `first` up to the next empty line (excluded).
std::vector<std::string> Section(const std::string& text, const std::string& first) {
  std::vector<std::string> out;
  size_t at = 0;
  bool in = false;
  while (at < text.size()) {
    const size_t end = text.find('\n', at);
    const std::string line = text.substr(at, end == std::string::npos ? end : end - at);
    at = end == std::string::npos ? text.size() : end + 1;
    if (!in && line == first) in = true;
    if (in && line.empty()) break;
    if (in) out.push_back(line);
  }
  return out;
}

TEST_F(DemoCliTest, TheReviewListsTheOwnerWhoseJudgementTheNumbersContradict) {
  const RunResult review = Run({"review"});
  ASSERT_EQ(review.exit_code, 0) << review.err;
  EXPECT_EQ(Section(review.out, "Judgement and numbers disagree (1)"),
            (std::vector<std::string>{
                "Judgement and numbers disagree (1)",
                "  review-roundups        Sofia Rossi says on track; the numbers say off track"}));
  // Last quarter's unfinished goals are missed, at their numbers of its end.
  EXPECT_EQ(Section(review.out, "Missed (3)"),
            (std::vector<std::string>{
                "Missed (3)",
                "  launch-reviews          82% by " + Day(-26) +
                    "  omar       Earn 50 positive reviews in t…",
                "  brand-film-views        70% by " + Day(-8) +
                    "  jules      Reach 2 million views of the …",
                "  branded-search          60% by " + Day(-8) +
                    "  leo        Grow monthly branded searches…"}));
  const auto j = Run({"--json", "review"}).Json();
  ASSERT_EQ(j["disagreements"].size(), 1u);
  EXPECT_EQ(j["disagreements"][0],
            (nlohmann::json{{"author", "Sofia Rossi"},
                            {"confidence", "on_track"},
                            {"disagreement", 2},
                            {"goal", "review-roundups"},
                            {"status", "off_track"},
                            {"text", "Sofia Rossi says on track; the numbers say off track"}}));
}

TEST_F(DemoCliTest, LastQuarterIsClosedAndThisQuarterOpen) {
  const RunResult list = Run({"cycle", "list"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  // Last quarter's score (1 + 0.7 + 0.6) / 3 = 76.7%, as of its end; this quarter's is the
  // conversion goal's 19.8% (the two carried-over drafts count in no score, and are told apart).
  EXPECT_EQ(list.out, "last-quarter     closed " + Day(-98) + " to " + Day(-8) +
                          "  score   76%  1 achieved, 2 off_track  Last quarter\n"
                          "this-quarter     open   " +
                          Day(-7) + " to " + Day(83) +
                          "  score   19%  1 on_track, 2 drafts  This quarter\n");
  const RunResult show = Run({"cycle", "show", "last-quarter"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_EQ(show.out, "Last quarter (last-quarter)  closed  " + Day(-98) + " to " + Day(-8) +
                          "\n  score 76% as of " + Day(-8) +
                          "  (1 achieved, 2 off_track)\n"
                          "  running-events            100% achieved    Sponsor 4 city running "
                          "events\n"
                          "  brand-film-views           70% off_track   Reach 2 million views of "
                          "the brand film\n"
                          "  branded-search             60% off_track   Grow monthly branded "
                          "searches by 25%\n");
  // Closed: its goals change only after reopening it.
  const RunResult frozen = Run({"checkin", "branded-searches", "47000"});
  EXPECT_EQ(frozen.exit_code, 2);
  EXPECT_NE(frozen.err.find("cascade cycle reopen last-quarter"), std::string::npos)
      << frozen.err;
}

// The history holds what `cycle close` records, and closing it by hand again records the same.
TEST_F(DemoCliTest, TheCloseIsInTheHistoryAsCycleCloseRecordsIt) {
  const auto close_rows = [&](const std::string& id) {
    std::vector<nlohmann::json> rows;
    const nlohmann::json history = Run({"--json", "history", id}).Json();
    for (const auto& h : history["history"]) {
      if (h["op"] == "close") rows.push_back(h["after"]);
    }
    return rows;
  };
  const nlohmann::json running = {{"achieved_on", Day(-14)}, {"as_of", Day(-8)},
                                  {"cycle", "last-quarter"}, {"progress", 1},
                                  {"status", "achieved"}};
  const nlohmann::json views = {{"achieved_on", nullptr}, {"as_of", Day(-8)},
                                {"cycle", "last-quarter"}, {"progress", 0.7},
                                {"status", "off_track"}};
  EXPECT_EQ(close_rows("running-events"), std::vector<nlohmann::json>{running});
  EXPECT_EQ(close_rows("brand-film-views"), std::vector<nlohmann::json>{views});
  const std::vector<nlohmann::json> cycle = close_rows("last-quarter");
  ASSERT_EQ(cycle.size(), 1u);
  EXPECT_EQ(cycle[0]["counts"], (nlohmann::json{{"achieved", 1}, {"off_track", 2}}));
  EXPECT_NEAR(cycle[0]["score"].get<double>(), 2.3 / 3, 1e-9);

  ASSERT_EQ(Run({"cycle", "reopen", "last-quarter"}).exit_code, 0);
  const RunResult again = Run({"cycle", "close", "last-quarter"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(close_rows("running-events"), (std::vector<nlohmann::json>{running, running}));
  EXPECT_EQ(close_rows("brand-film-views"), (std::vector<nlohmann::json>{views, views}));
  const std::vector<nlohmann::json> twice = close_rows("last-quarter");
  ASSERT_EQ(twice.size(), 2u);
  EXPECT_EQ(twice[1], twice[0]);
}

TEST_F(DemoCliTest, UnfinishedGoalsAreCarriedOverAsDrafts) {
  const auto s = Run({"--json", "goal", "list", "--cycle", "this-quarter"}).Json();
  std::vector<std::string> ids;
  for (const auto& g : s["goals"]) ids.push_back(g["id"].get<std::string>() + " " +
                                                 g["status"].get<std::string>());
  EXPECT_EQ(ids, (std::vector<std::string>{"web-conversion on_track",
                                           "brand-film-views-this-quarter draft",
                                           "branded-search-this-quarter draft"}));
  const RunResult show = Run({"goal", "show", "branded-search-this-quarter"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  // The baseline is where last quarter left it; "+25%" re-resolved against it: 46,000 × 1.25.
  EXPECT_NE(show.out.find("  KPI Monthly branded searches (branded-searches-this-quarter, level): "
                          "value 46,000 target 57,500 (+25%) searches  progress 0.0%\n"),
            std::string::npos)
      << show.out;
}

// Numbers in goal show read as in status: 1,400,000 views, not 1.4e+06.
TEST_F(DemoCliTest, GoalShowWritesNumbersAsStatusDoes) {
  const RunResult show = Run({"goal", "show", "brand-film-views"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_NE(show.out.find("  KPI Brand film views (brand-film-view-count, cumulative): value "
                          "1,400,000 target 2,000,000 views  progress 70.0%\n"),
            std::string::npos)
      << show.out;
  EXPECT_NE(show.out.find(": 120,000 (all: checkins list --kpi brand-film-view-count)\n"),
            std::string::npos)
      << show.out;
}

TEST_F(DemoCliTest, TheWebsiteConversionRateIsComputedFromLeadsAndCustomers) {
  const RunResult show = Run({"goal", "show", "web-conversion"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  // 92 customers of 3,967 leads: 2.31913% (shown 2.32); progress (2.31913 − 2.2) / 0.6 = 19.8%;
  // expected 7 / 90 days of this quarter = 7.7%.
  EXPECT_EQ(show.out,
            "Lift the website's lead-to-customer conversion rate to 2.8% (web-conversion)\n"
            "  micro\n"
            "  owner priya  team email  " + Day(-7) + " → " + Day(83) + "\n"
            "  status on_track  progress 19.8%  expected 7.7%  forecast 100.0%\n"
            "  priority medium  channel web  segment —  stage conversion  state active\n"
            "  cycle this-quarter\n"
            "  weight 1  growth potential 0  budget 0 to unbounded\n"
            "  tags inbound\n"
            "  contributors marcus\n"
            "  supports —\n"
            "  supported by —\n"
            "  KPI Website conversion rate (web-conversion-rate, formula): value 2.32 target "
            "2.8 %  progress 19.8%\n"
            "    = {new-customers} / {leads} * 100\n");
  const RunResult checkin = Run({"checkin", "web-conversion-rate", "3"});
  EXPECT_EQ(checkin.exit_code, 2);
  // A check-in of an input moves it: one more customer, 93 / 3,967 = 2.34434%.
  ASSERT_EQ(Run({"checkin", "new-customers", "1"}).exit_code, 0);
  const auto j = Run({"--json", "goal", "show", "web-conversion"}).Json();
  EXPECT_NEAR(j["status"]["kpis"][0]["value"].get<double>(), 93.0 / 3967 * 100, 1e-9);
}

}  // namespace
}  // namespace cascade::testing
