#include "analytics/review.h"

#include <gtest/gtest.h>

namespace cascade {
namespace {

Date D(const char* text) { return *Date::Parse(text); }

// As of 2026-03-01: marketing (with social under it) runs the brand cascade, sales the pipeline.
class ReviewTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ws_.teams = {{"company", "Company", "", 1},
                 {"marketing", "Marketing", "company", 1},
                 {"social", "Social", "marketing", 1},
                 {"sales", "Sales", "company", 1}};
    Goal("brand", Level::kMacro, "", "ava", "marketing", "2026-01-01", "2026-12-31");
    Kpi("share", "brand", KpiKind::kLevel, 20, 30);
    Checkin("share", "2026-02-20", 2);  // progress 0.1
    Goal("followers", Level::kMicro, "brand", "dana", "social", nullptr, "2026-01-31");
    Kpi("fol", "followers", KpiKind::kLevel, 1000, 7);
    Checkin("fol", "2026-01-30", 1000);  // achieved
    Goal("posts", Level::kMicro, "brand", "dana", "social", "2026-02-01", "2026-03-31");
    Kpi("post-count", "posts", KpiKind::kCumulative, 10, 14);
    Checkin("post-count", "2026-02-10", 1);  // 0.1 of 28/58 expected: off track, and stale
    Goal("ads", Level::kMicro, "brand", "ava", "marketing", "2026-02-01", "2026-03-31");
    Kpi("clicks", "ads", KpiKind::kCumulative, 100, 7);
    Checkin("clicks", "2026-02-25", 30);  // 0.3: at risk
    Goal("launch", Level::kMicro, "brand", "dana", "social", "2026-01-01", "2026-02-15");
    Kpi("mentions", "launch", KpiKind::kCumulative, 3, 7);
    Checkin("mentions", "2026-01-10", 1);                                             // missed
    Goal("plan", Level::kMicro, "brand", "ava", "marketing", nullptr, "2026-06-30");  // no KPI: M1
    Goal("video", Level::kMicro, "brand", "dana", "social", "2026-02-01", "2026-03-31");
    Kpi("views", "video", KpiKind::kCumulative, 100, 30);
    Checkin("views", "2026-02-27", 20);  // 0.2: off track
    Goal("pipeline", Level::kMacro, "", "sam", "sales", "2026-01-01", "2026-06-30");
    Kpi("deals", "pipeline", KpiKind::kCumulative, 100, 7);
    Checkin("deals", "2026-01-05", 5);  // 0.05 of 59/180 expected: off track, and stale

    ws_.reviews.push_back({1,
                           D("2026-01-20"),
                           "marketing",
                           "January",
                           {{"brand", 0.0, "on_track"},
                            {"followers", 0.5, "on_track"},
                            {"launch", 1.0 / 3, "on_track"},
                            {"pipeline", 0.01, "on_track"}}});
    ws_.reviews.push_back({2,
                           D("2026-02-15"),
                           "sales",
                           "Sales February",
                           {{"pipeline", 0.05, "on_track"}, {"followers", 1.0, "achieved"}}});
    ws_.reviews.push_back({3, D("2026-03-05"), "", "After t", {}});

    ws_.comments.push_back({1, "followers", "ava", D("2026-01-10"), "Before January"});
    ws_.comments.push_back({2, "pipeline", "ava", D("2026-02-10"), "Between the reviews"});
    ws_.comments.push_back({3, "posts", "ava", D("2026-02-20"), "Post more"});
    ws_.comments.push_back({4, "ads", "sam", D("2026-03-02"), "After t"});
    rollup_ = ComputeRollup(ws_, D("2026-03-01"));
  }

  void Goal(const char* id, Level level, const char* parent, const char* owner, const char* team,
            const char* start, const char* due) {
    cascade::Goal g;
    g.id = id;
    g.title = std::string("Goal ") + id + " for the review";
    g.level = level;
    g.parent = parent;
    g.owner = owner;
    g.team = team;
    if (start != nullptr) g.start = D(start);
    if (due != nullptr) g.due = D(due);
    ws_.goals.push_back(g);
  }
  void Kpi(const char* id, const char* goal, KpiKind kind, double target, int cadence) {
    cascade::Kpi k;
    k.id = id;
    k.goal = goal;
    k.name = id;
    k.kind = kind;
    k.baseline = 0;
    k.target = target;
    k.cadence_days = cadence;
    ws_.kpis.push_back(k);
  }
  void Checkin(const char* kpi, const char* date, double v) {
    ws_.checkins.push_back(
        {kpi, D(date), v, "", "", static_cast<int64_t>(ws_.checkins.size()) + 1});
  }
  int G(const char* id) const {
    for (size_t i = 0; i < ws_.goals.size(); ++i) {
      if (ws_.goals[i].id == id) return static_cast<int>(i);
    }
    return -1;
  }
  int K(const char* id) const {
    for (size_t i = 0; i < ws_.kpis.size(); ++i) {
      if (ws_.kpis[i].id == id) return static_cast<int>(i);
    }
    return -1;
  }
  const ProgressChange& Change(const ReviewAgenda& a, const char* goal) const {
    for (const ProgressChange& c : a.changes) {
      if (c.goal == G(goal)) return c;
    }
    ADD_FAILURE() << goal << " has no change";
    static const ProgressChange kNone;
    return kNone;
  }

  Workspace ws_;
  Rollup rollup_;
};

TEST_F(ReviewTest, LastReviewCoversTheTeam) {
  const Date t = D("2026-03-01");
  EXPECT_EQ(LastReview(ws_, "", t), 1);           // any team: the sales review of 02-15
  EXPECT_EQ(LastReview(ws_, "marketing", t), 0);  // its own
  EXPECT_EQ(LastReview(ws_, "social", t), 0);     // its parent's
  EXPECT_EQ(LastReview(ws_, "sales", t), 1);
  EXPECT_EQ(LastReview(ws_, "company", t), std::nullopt);  // nobody reviewed the whole company
  EXPECT_EQ(LastReview(ws_, "", D("2026-03-05")), 2);      // a whole-workspace review covers all
  EXPECT_EQ(LastReview(ws_, "social", D("2026-03-05")), 2);
  EXPECT_EQ(LastReview(ws_, "", D("2026-01-19")), std::nullopt);
}

TEST_F(ReviewTest, WholeWorkspaceAgenda) {
  auto a = BuildReviewAgenda(ws_, rollup_, "");
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->as_of, D("2026-03-01"));
  EXPECT_EQ(a->since, 1);
  // Largest gap first: posts 28/58 − 0.1, video 28/58 − 0.2, pipeline 59/180 − 0.05.
  ASSERT_EQ(a->off_track.size(), 3u);
  EXPECT_EQ(a->off_track[0].goal, G("posts"));
  EXPECT_NEAR(a->off_track[0].gap, 28.0 / 58 - 0.1, 1e-12);
  EXPECT_EQ(a->off_track[1].goal, G("video"));
  EXPECT_NEAR(a->off_track[1].gap, 28.0 / 58 - 0.2, 1e-12);
  EXPECT_EQ(a->off_track[2].goal, G("pipeline"));
  EXPECT_NEAR(a->off_track[2].gap, 59.0 / 180 - 0.05, 1e-12);
  ASSERT_EQ(a->at_risk.size(), 1u);
  EXPECT_EQ(a->at_risk[0].goal, G("ads"));
  EXPECT_NEAR(a->at_risk[0].gap, 28.0 / 58 - 0.3, 1e-12);
  EXPECT_EQ(a->missed, std::vector<int>{G("launch")});
  ASSERT_EQ(a->stale.size(), 2u);
  EXPECT_EQ(a->stale[0].kpi, K("post-count"));
  EXPECT_EQ(a->stale[0].days_since, 19);
  EXPECT_EQ(a->stale[1].kpi, K("deals"));
  EXPECT_EQ(a->stale[1].days_since, 55);
  // followers was already achieved in the sales review of 02-15.
  EXPECT_TRUE(a->achieved.empty());
  ASSERT_EQ(a->lint_errors.size(), 1u);
  EXPECT_EQ(a->lint_errors[0].code, "M1");
  EXPECT_EQ(a->lint_errors[0].goal, "plan");
  // Every goal, cascade order.
  ASSERT_EQ(a->changes.size(), ws_.goals.size());
  EXPECT_EQ(a->changes[0].goal, G("brand"));
  EXPECT_EQ(a->changes.back().goal, G("pipeline"));
  EXPECT_NEAR(*Change(*a, "pipeline").change, 0, 1e-12);
  EXPECT_EQ(Change(*a, "pipeline").status_before, "on_track");
  EXPECT_NEAR(*Change(*a, "followers").change, 0, 1e-12);
  EXPECT_FALSE(Change(*a, "brand").before);  // not in the sales snapshot
  EXPECT_FALSE(Change(*a, "brand").change);
  EXPECT_FALSE(Change(*a, "plan").after);
  // Comments after 02-15 and up to t.
  EXPECT_EQ(a->comments, std::vector<int>{2});
}

TEST_F(ReviewTest, TeamAgendaCoversSubteamsAndComparesWithItsLastReview) {
  auto a = BuildReviewAgenda(ws_, rollup_, "marketing");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->team, "marketing");
  EXPECT_EQ(a->since, 0);
  ASSERT_EQ(a->off_track.size(), 2u);  // not sales' pipeline
  EXPECT_EQ(a->off_track[0].goal, G("posts"));
  EXPECT_EQ(a->off_track[1].goal, G("video"));
  EXPECT_EQ(a->at_risk.size(), 1u);
  EXPECT_EQ(a->missed, std::vector<int>{G("launch")});
  ASSERT_EQ(a->stale.size(), 1u);
  EXPECT_EQ(a->stale[0].kpi, K("post-count"));
  // followers was on track in January's review: celebrate it.
  EXPECT_EQ(a->achieved, std::vector<int>{G("followers")});
  EXPECT_EQ(a->lint_errors.size(), 1u);
  EXPECT_EQ(a->changes.size(), 7u);
  // brand: (0.1 + 1 + 0.1 + 0.3 + 1/3 + 0.2) / 6 now, 0 in January.
  const double brand = (0.1 + 1 + 0.1 + 0.3 + 1.0 / 3 + 0.2) / 6;
  EXPECT_NEAR(*Change(*a, "brand").after, brand, 1e-12);
  EXPECT_NEAR(*Change(*a, "brand").change, brand, 1e-12);
  EXPECT_NEAR(*Change(*a, "followers").before, 0.5, 1e-12);
  EXPECT_NEAR(*Change(*a, "followers").change, 0.5, 1e-12);
  EXPECT_NEAR(*Change(*a, "launch").change, 0, 1e-12);
  EXPECT_FALSE(Change(*a, "posts").change);  // created after January's review
  EXPECT_EQ(a->comments, std::vector<int>{2});
}

// `report --owner ava` (or any filter): the agenda holds only the goals the report shows, ads
// (at risk) and plan (its M1 lint error), compared with the last review of any team.
TEST_F(ReviewTest, AFilteredAgendaHoldsOnlyTheGoalsShown) {
  std::vector<char> shown(ws_.goals.size(), 0);
  shown[static_cast<size_t>(G("ads"))] = 1;
  shown[static_cast<size_t>(G("plan"))] = 1;
  auto a = BuildReviewAgenda(ws_, rollup_, "", &shown);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->since, 1);
  EXPECT_TRUE(a->off_track.empty());
  ASSERT_EQ(a->at_risk.size(), 1u);
  EXPECT_EQ(a->at_risk[0].goal, G("ads"));
  EXPECT_TRUE(a->missed.empty());
  EXPECT_TRUE(a->stale.empty());
  EXPECT_TRUE(a->achieved.empty());
  ASSERT_EQ(a->lint_errors.size(), 1u);
  EXPECT_EQ(a->lint_errors[0].goal, "plan");
  ASSERT_EQ(a->changes.size(), 2u);
  EXPECT_EQ(a->changes[0].goal, G("ads"));
  EXPECT_EQ(a->changes[1].goal, G("plan"));
  EXPECT_TRUE(a->comments.empty());  // the one after 02-15 is on pipeline
  // With a team too, both apply: social shows none of them.
  auto social = BuildReviewAgenda(ws_, rollup_, "social", &shown);
  ASSERT_TRUE(social);
  EXPECT_TRUE(social->at_risk.empty());
  EXPECT_TRUE(social->lint_errors.empty());
  EXPECT_TRUE(social->changes.empty());
}

TEST_F(ReviewTest, SalesAgenda) {
  auto a = BuildReviewAgenda(ws_, rollup_, "sales");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->since, 1);
  ASSERT_EQ(a->off_track.size(), 1u);
  EXPECT_EQ(a->off_track[0].goal, G("pipeline"));
  EXPECT_TRUE(a->at_risk.empty());
  EXPECT_TRUE(a->missed.empty());
  EXPECT_TRUE(a->lint_errors.empty());
  EXPECT_TRUE(a->comments.empty());
  EXPECT_EQ(a->changes.size(), 1u);
}

TEST_F(ReviewTest, WithoutAnEarlierReviewEverythingAchievedIsCelebrated) {
  ws_.reviews.clear();
  auto a = BuildReviewAgenda(ws_, rollup_, "");
  ASSERT_TRUE(a);
  EXPECT_FALSE(a->since);
  EXPECT_EQ(a->achieved, std::vector<int>{G("followers")});
  for (const ProgressChange& c : a->changes) {
    EXPECT_FALSE(c.before);
    EXPECT_FALSE(c.change);
  }
  EXPECT_EQ(a->comments, (std::vector<int>{0, 1, 2}));  // every comment up to t
}

TEST_F(ReviewTest, CommentsComeOldestFirst) {
  ws_.reviews.clear();
  // Made later but dated earlier: 2026-01-05 comes before the comments 0 (01-10) and 1 (02-10);
  // the second comment of 02-20 keeps its place after the first of that day (2).
  ws_.comments.push_back({5, "posts", "sam", D("2026-01-05"), "Backdated"});
  ws_.comments.push_back({6, "posts", "sam", D("2026-02-20"), "Same day, made later"});
  auto a = BuildReviewAgenda(ws_, rollup_, "");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->comments, (std::vector<int>{4, 0, 1, 2, 5}));
}

TEST_F(ReviewTest, DisagreementsLargestFirstInWordsAndLessonsApart) {
  ws_.people.push_back({"dana", "Dana Lee", "", "social", Role::kMember, 1});
  auto judge = [&](const char* kpi, const char* date, const char* author, Confidence c) {
    cascade::Checkin x{kpi, D(date), 0, "", author, static_cast<int64_t>(ws_.checkins.size()) + 1};
    x.confidence = c;
    ws_.checkins.push_back(x);
  };
  judge("clicks", "2026-02-26", "sam", Confidence::kOffTrack);     // at risk: 1 apart
  judge("views", "2026-02-28", "dana", Confidence::kOnTrack);      // off track: 2 apart
  judge("post-count", "2026-02-11", "dana", Confidence::kOffTrack);  // off track: agrees
  judge("deals", "2026-03-02", "sam", Confidence::kOnTrack);       // after t: not counted
  ws_.comments.push_back({5, "posts", "dana", D("2026-02-25"), "Shorter posts", CommentKind::kLesson});
  ws_.comments.push_back({6, "pipeline", "sam", D("2026-02-26"), "Stop cold calls",
                          CommentKind::kDecision});
  ws_.comments.push_back({7, "pipeline", "sam", D("2026-02-01"), "Before the review",
                          CommentKind::kLesson});
  rollup_ = ComputeRollup(ws_, D("2026-03-01"));
  auto a = BuildReviewAgenda(ws_, rollup_, "");
  ASSERT_TRUE(a);
  ASSERT_EQ(a->disagreements.size(), 2u);
  EXPECT_EQ(a->disagreements[0].goal, G("video"));
  EXPECT_EQ(a->disagreements[0].disagreement, 2);
  EXPECT_EQ(a->disagreements[0].author, "Dana Lee");
  EXPECT_EQ(a->disagreements[0].text, "Dana Lee says on track; the numbers say off track");
  EXPECT_EQ(a->disagreements[1].goal, G("ads"));
  EXPECT_EQ(a->disagreements[1].disagreement, 1);
  EXPECT_EQ(a->disagreements[1].text, "sam says off track; the numbers say at risk");
  {
    // A judgement by nobody (an account or actor that is no person) is not put in anyone's mouth.
    Workspace nobody = ws_;
    for (size_t i = 0; i < nobody.checkins.size(); ++i) {
      if (nobody.checkins[i].kpi == "clicks" && nobody.checkins[i].author == "sam") {
        nobody.checkins[i].author.clear();
      }
    }
    const Rollup r = ComputeRollup(nobody, D("2026-03-01"));
    auto b = BuildReviewAgenda(nobody, r, "");
    ASSERT_TRUE(b);
    ASSERT_EQ(b->disagreements.size(), 2u);
    EXPECT_EQ(b->disagreements[1].text, "A check-in says off track; the numbers say at risk");
  }
  EXPECT_EQ(a->comments, (std::vector<int>{2}));  // since the review of 02-15
  EXPECT_EQ(a->lessons, (std::vector<int>{4, 5}));
  // A team's agenda lists its goals' only.
  auto sales = BuildReviewAgenda(ws_, rollup_, "sales");
  ASSERT_TRUE(sales);
  EXPECT_TRUE(sales->disagreements.empty());
  EXPECT_EQ(sales->lessons, (std::vector<int>{5}));
}

TEST_F(ReviewTest, RefusesAnUnknownTeam) {
  auto a = BuildReviewAgenda(ws_, rollup_, "nope");
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().code, ErrorCode::kNotFound);
}

TEST_F(ReviewTest, SnapshotHoldsEveryGoal) {
  const Review r = SnapshotReview(ws_, rollup_, "social", "Notes");
  EXPECT_EQ(r.seq, 0);
  EXPECT_EQ(r.date, D("2026-03-01"));
  EXPECT_EQ(r.team, "social");
  EXPECT_EQ(r.notes, "Notes");
  ASSERT_EQ(r.snapshot.size(), ws_.goals.size());
  EXPECT_EQ(r.snapshot[G("followers")].goal, "followers");
  EXPECT_NEAR(*r.snapshot[G("followers")].progress, 1, 1e-12);
  EXPECT_EQ(r.snapshot[G("followers")].status, "achieved");
  EXPECT_EQ(r.snapshot[G("plan")].progress, std::nullopt);
  EXPECT_EQ(r.snapshot[G("plan")].status, "unmeasured");
  EXPECT_EQ(r.snapshot[G("posts")].status, "off_track");
}

// Spec §2: an action is overdue when not done and due before t. The agenda lists those of the
// goals in scope, oldest due date first (ties: the order made).
TEST_F(ReviewTest, OverdueActionsOfTheGoalsInScopeOldestFirst) {
  auto action = [&](const char* id, const char* goal, std::optional<Date> due, bool done) {
    ws_.actions.push_back({.id = id, .goal = goal, .title = "Do", .due = due, .done = done});
  };
  action("yesterday", "posts", D("2026-02-28"), false);  // overdue by a day
  action("today", "posts", D("2026-03-01"), false);      // due today: not overdue
  action("done", "posts", D("2026-02-01"), true);        // done: not overdue
  action("undated", "ads", std::nullopt, false);         // no due date: never overdue
  action("early", "pipeline", D("2026-02-10"), false);   // sales
  action("tie", "ads", D("2026-02-28"), false);          // same day as "yesterday", made later
  auto all = BuildReviewAgenda(ws_, rollup_, "");
  ASSERT_TRUE(all);
  std::vector<std::string> ids;
  for (int a : all->overdue_actions) ids.push_back(ws_.actions[static_cast<size_t>(a)].id);
  EXPECT_EQ(ids, (std::vector<std::string>{"early", "yesterday", "tie"}));
  auto social = BuildReviewAgenda(ws_, rollup_, "social");
  ASSERT_TRUE(social);
  ids.clear();
  for (int a : social->overdue_actions) ids.push_back(ws_.actions[static_cast<size_t>(a)].id);
  EXPECT_EQ(ids, std::vector<std::string>{"yesterday"});
}

}  // namespace
}  // namespace cascade
