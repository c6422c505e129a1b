#include "analytics/recognition.h"

#include <gtest/gtest.h>

namespace cascade {
namespace {

Date D(const char* text) { return *Date::Parse(text); }

TEST(CheckinStreakTest, PeriodsEndAtTAndIncludeTheirLastDay) {
  const Date t = D("2026-03-01");
  // Period k covers (t − 7(k+1), t − 7k]: 03-01 → 0, 02-22 (t − 7) → 1, 02-15 → 2, 02-08 → 3.
  EXPECT_EQ(CheckinStreak({D("2026-03-01"), D("2026-02-22"), D("2026-02-15")}, 7, t), 3);
  EXPECT_EQ(CheckinStreak({D("2026-02-23"), D("2026-02-16"), D("2026-02-09")}, 7, t), 3);
  // 02-22 is the last day of period 1, so period 0 (02-23 … 03-01) is empty.
  EXPECT_EQ(CheckinStreak({D("2026-02-22"), D("2026-02-15")}, 7, t), 0);
  // A gap in period 2 ends the streak.
  EXPECT_EQ(CheckinStreak({D("2026-02-28"), D("2026-02-20"), D("2026-02-08")}, 7, t), 2);
  // Several check-ins in one period count once; later ones are ignored.
  EXPECT_EQ(CheckinStreak({D("2026-02-28"), D("2026-02-27"), D("2026-03-02")}, 7, t), 1);
  EXPECT_EQ(CheckinStreak({}, 7, t), 0);
  EXPECT_EQ(CheckinStreak({D("2026-03-01")}, 0, t), 0);
  // Monthly cadence: (t − 30, t], (t − 60, t − 30].
  EXPECT_EQ(CheckinStreak({D("2026-02-01"), D("2026-01-01")}, 30, t), 2);
}

// As of 2026-03-01. ava owns an achieved macro goal (weight 2), dana an achieved micro goal
// (weight 1.5), a live one and a missed one, sam a stale macro goal; zoe only checks in.
class RecognitionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ws_.teams = {{"marketing", "Marketing", "", 1},
                 {"social", "Social", "marketing", 1},
                 {"sales", "Sales", "", 1}};
    ws_.people = {{"ava", "Ava", "", "marketing", Role::kLead, 1},
                  {"dana", "Dana", "", "social", Role::kMember, 1},
                  {"sam", "Sam", "", "sales", Role::kMember, 1},
                  {"zoe", "Zoe", "", "sales", Role::kMember, 1}};
    AddGoal("brand", Level::kMacro, "ava", 2, "2026-01-01", "2026-02-28");
    AddKpi("share", "brand", KpiKind::kLevel, 10, 7);
    AddCheckin("share", "2026-02-20", 10, "ava");
    AddGoal("followers", Level::kMicro, "dana", 1.5, "2026-01-01", "2026-02-15");
    AddKpi("fol", "followers", KpiKind::kLevel, 100, 7);
    AddCheckin("fol", "2026-02-10", 100, "dana");
    AddGoal("posts", Level::kMicro, "dana", 1, "2026-02-01", "2026-03-31");
    AddKpi("post-count", "posts", KpiKind::kCumulative, 10, 7);
    AddCheckin("post-count", "2026-02-05", 1, "dana");
    AddCheckin("post-count", "2026-02-12", 1, "dana");
    AddCheckin("post-count", "2026-02-22", 1, "dana");  // t − 7: the last day of period 1
    AddCheckin("post-count", "2026-02-27", 2, "dana");
    AddCheckin("post-count", "2026-03-02", 5, "dana");  // after t
    AddGoal("launch", Level::kMicro, "dana", 1, "2026-01-01", "2026-01-31");
    AddKpi("mentions", "launch", KpiKind::kCumulative, 3, 30);
    AddCheckin("mentions", "2026-01-10", 1, "sam");
    AddGoal("later", Level::kMicro, "dana", 1, "2026-04-01", "2026-04-30");
    ws_.goals.back().state = GoalState::kDraft;
    AddKpi("later-kpi", "later", KpiKind::kCumulative, 3, 1);  // a draft's cadence does not count
    // An achieved goal's KPI is not live: this check-in would fill period 4 of dana's streak.
    AddCheckin("fol", "2026-01-28", 50, "dana");
    AddGoal("pipeline", Level::kMacro, "sam", 1, "2026-01-01", "2026-06-30");
    AddKpi("deals", "pipeline", KpiKind::kCumulative, 100, 7);
    AddCheckin("deals", "2026-01-05", 5, "sam");
    AddCheckin("deals", "2026-01-20", 0, "zoe");
    AddCheckin("deals", "2026-01-25", 0, "zoe");
    rollup_ = ComputeRollup(ws_, D("2026-03-01"));
  }

  void AddGoal(const char* id, Level level, const char* owner, double weight, const char* start,
               const char* due) {
    Goal g;
    g.id = id;
    g.title = id;
    g.level = level;
    g.owner = owner;
    g.weight = weight;
    g.start = D(start);
    g.due = D(due);
    ws_.goals.push_back(g);
  }
  void AddKpi(const char* id, const char* goal, KpiKind kind, double target, int cadence) {
    Kpi k;
    k.id = id;
    k.goal = goal;
    k.name = id;
    k.kind = kind;
    k.baseline = 0;
    k.target = target;
    k.cadence_days = cadence;
    ws_.kpis.push_back(k);
  }
  void AddCheckin(const char* kpi, const char* date, double v, const char* author) {
    ws_.checkins.push_back(
        {kpi, D(date), v, "", author, static_cast<int64_t>(ws_.checkins.size()) + 1});
  }

  Workspace ws_;
  Rollup rollup_;
};

TEST_F(RecognitionTest, PersonScorecard) {
  auto dana = PersonScorecard(ws_, rollup_, "dana");
  ASSERT_TRUE(dana) << dana.error().message;
  EXPECT_EQ(dana->id, "dana");
  EXPECT_EQ(dana->name, "Dana");
  EXPECT_EQ(dana->goals_owned, 3);  // the draft does not count
  EXPECT_EQ(dana->achieved, 1);
  EXPECT_EQ(dana->missed, 1);
  // followers 1, posts 5/10, launch 1/3.
  EXPECT_NEAR(*dana->mean_progress, (1 + 0.5 + 1.0 / 3) / 3, 1e-12);
  EXPECT_EQ(dana->kpis, 3);
  EXPECT_NEAR(*dana->kpis_not_stale, 1, 1e-12);
  EXPECT_EQ(dana->checkins, 6);  // the one after t does not count
  EXPECT_NEAR(dana->goal_points, 10 * 1.5, 1e-12);
  EXPECT_NEAR(dana->points, 15 + 6, 1e-12);
  // Only posts is live (followers achieved, launch missed, later a draft): weekly periods hold
  // 02-27, 02-22, 02-12, 02-05; nothing in (01-25, 02-01].
  EXPECT_EQ(dana->streak_cadence_days, 7);
  EXPECT_EQ(dana->streak, 4);
}

TEST_F(RecognitionTest, MacroGoalsEarnFiftyTimesTheirWeight) {
  auto ava = PersonScorecard(ws_, rollup_, "ava");
  ASSERT_TRUE(ava);
  EXPECT_EQ(ava->achieved, 1);
  EXPECT_NEAR(ava->goal_points, 50 * 2, 1e-12);
  EXPECT_EQ(ava->checkins, 1);
  EXPECT_NEAR(ava->points, 101, 1e-12);
  // brand is over: no live KPI, no rhythm to keep.
  EXPECT_EQ(ava->streak, 0);
  EXPECT_EQ(ava->streak_cadence_days, 0);
}

TEST_F(RecognitionTest, StaleKpisAndPeopleWithoutGoals) {
  auto sam = PersonScorecard(ws_, rollup_, "sam");
  ASSERT_TRUE(sam);
  EXPECT_EQ(sam->goals_owned, 1);
  EXPECT_NEAR(*sam->mean_progress, 0.05, 1e-12);
  EXPECT_NEAR(*sam->kpis_not_stale, 0, 1e-12);  // deals: last check-in 01-25, cadence 7
  EXPECT_EQ(sam->checkins, 2);
  EXPECT_NEAR(sam->points, 2, 1e-12);

  auto zoe = PersonScorecard(ws_, rollup_, "zoe");
  ASSERT_TRUE(zoe);
  EXPECT_EQ(zoe->goals_owned, 0);
  EXPECT_FALSE(zoe->mean_progress);
  EXPECT_FALSE(zoe->kpis_not_stale);
  EXPECT_EQ(zoe->checkins, 2);
  EXPECT_EQ(zoe->streak, 0);
  EXPECT_EQ(zoe->streak_cadence_days, 0);

  auto nobody = PersonScorecard(ws_, rollup_, "nobody");
  ASSERT_FALSE(nobody);
  EXPECT_EQ(nobody.error().code, ErrorCode::kNotFound);
}

TEST_F(RecognitionTest, TeamScorecardAddsUpItsPeopleAndSubteams) {
  auto marketing = TeamScorecard(ws_, rollup_, "marketing");
  ASSERT_TRUE(marketing);
  EXPECT_EQ(marketing->name, "Marketing");
  EXPECT_EQ(marketing->goals_owned, 4);
  EXPECT_EQ(marketing->achieved, 2);
  EXPECT_EQ(marketing->missed, 1);
  EXPECT_NEAR(*marketing->mean_progress, (1 + 1 + 0.5 + 1.0 / 3) / 4, 1e-12);
  EXPECT_NEAR(*marketing->kpis_not_stale, 1, 1e-12);
  EXPECT_EQ(marketing->checkins, 7);
  EXPECT_NEAR(marketing->points, 100 + 15 + 7, 1e-12);
  EXPECT_EQ(marketing->streak, 4);

  auto social = TeamScorecard(ws_, rollup_, "social");
  ASSERT_TRUE(social);
  EXPECT_NEAR(social->points, 21, 1e-12);

  auto sales = TeamScorecard(ws_, rollup_, "sales");
  ASSERT_TRUE(sales);
  EXPECT_EQ(sales->checkins, 4);
  EXPECT_NEAR(sales->points, 4, 1e-12);

  EXPECT_FALSE(TeamScorecard(ws_, rollup_, "nope"));
}

TEST_F(RecognitionTest, LeaderboardByPointsWithSharedRanks) {
  auto board = Leaderboard(ws_, rollup_);
  ASSERT_TRUE(board);
  ASSERT_EQ(board->size(), 4u);
  EXPECT_EQ((*board)[0].id, "ava");
  EXPECT_EQ((*board)[0].rank, 1);
  EXPECT_EQ((*board)[1].id, "dana");
  EXPECT_EQ((*board)[1].rank, 2);
  // sam and zoe tie on 2 points and a streak of 0: by id, sharing third place.
  EXPECT_EQ((*board)[2].id, "sam");
  EXPECT_EQ((*board)[2].rank, 3);
  EXPECT_EQ((*board)[3].id, "zoe");
  EXPECT_EQ((*board)[3].rank, 3);

  auto marketing = Leaderboard(ws_, rollup_, "marketing");
  ASSERT_TRUE(marketing);
  ASSERT_EQ(marketing->size(), 2u);
  EXPECT_EQ((*marketing)[1].id, "dana");
  EXPECT_FALSE(Leaderboard(ws_, rollup_, "nope"));
}

// Contributors earn a goal's achievement points as its owner does (spec §2 Recognition). zoe
// contributes to ava's achieved brand (macro, weight 2) and dana's achieved followers (micro,
// weight 1.5), and to sam's pipeline: by hand, 50·2 + 10·1.5 = 115 goal points, plus her 2
// check-ins. ava's own card is unchanged.
TEST_F(RecognitionTest, ContributorsEarnTheGoalsAchievementPoints) {
  ws_.goals[0].contributors = {"zoe"};             // brand
  ws_.goals[1].contributors = {"zoe", "ava"};      // followers
  ws_.goals[5].contributors = {"zoe"};             // pipeline
  rollup_ = ComputeRollup(ws_, D("2026-03-01"));
  auto zoe = PersonScorecard(ws_, rollup_, "zoe");
  ASSERT_TRUE(zoe);
  EXPECT_EQ(zoe->goals_owned, 0);  // she owns none: she contributes to the three
  EXPECT_EQ(zoe->goals_contributed, 3);
  EXPECT_EQ(zoe->achieved, 2);
  EXPECT_EQ(zoe->missed, 0);
  EXPECT_NEAR(zoe->goal_points, 115, 1e-12);
  EXPECT_EQ(zoe->checkins, 2);
  EXPECT_NEAR(zoe->points, 117, 1e-12);
  // brand 1, followers 1, pipeline 5/100.
  EXPECT_NEAR(*zoe->mean_progress, (1 + 1 + 0.05) / 3, 1e-12);
  // ava: her own brand (100) and followers as a contributor (15), her 1 check-in.
  auto ava = PersonScorecard(ws_, rollup_, "ava");
  ASSERT_TRUE(ava);
  EXPECT_NEAR(ava->points, 100 + 15 + 1, 1e-12);
  EXPECT_EQ(ava->goals_owned, 1);
  EXPECT_EQ(ava->goals_contributed, 1);
  EXPECT_EQ(ava->achieved, 2);
  // A team counts a goal once, however many of its people it credits: marketing (ava, dana)
  // holds followers through both.
  auto marketing = TeamScorecard(ws_, rollup_, "marketing");
  ASSERT_TRUE(marketing);
  EXPECT_EQ(marketing->goals_owned, 4);  // brand, followers, posts, launch: all its own
  EXPECT_EQ(marketing->goals_contributed, 0);
  EXPECT_NEAR(marketing->points, 100 + 15 + 7, 1e-12);
  // sales (sam, zoe): pipeline once, brand and followers through zoe.
  auto sales = TeamScorecard(ws_, rollup_, "sales");
  ASSERT_TRUE(sales);
  EXPECT_EQ(sales->goals_owned, 1);  // pipeline
  EXPECT_EQ(sales->goals_contributed, 2);  // brand and followers, through zoe
  EXPECT_EQ(sales->achieved, 2);
  EXPECT_NEAR(sales->points, 115 + 4, 1e-12);
}

}  // namespace
}  // namespace cascade

namespace cascade {
namespace {

TEST_F(RecognitionTest, PeriodScorecardCountsWhatFellInThePeriod) {
  // February: followers reached 100% on 02-10 (achieved_on), launch was due 01-31; dana's
  // check-ins dated in February: fol 02-10, post-count 02-05, 02-12, 02-22, 02-27.
  auto feb = PersonScorecard(ws_, rollup_, "dana", ScorePeriod{D("2026-02-01"), D("2026-02-28")});
  ASSERT_TRUE(feb) << feb.error().message;
  EXPECT_EQ(feb->achieved, 1);
  EXPECT_EQ(feb->missed, 0);
  EXPECT_EQ(feb->checkins, 5);
  EXPECT_NEAR(feb->points, 15 + 5, 1e-12);
  EXPECT_EQ(feb->goals_owned, 3);  // as of t
  EXPECT_NEAR(*feb->mean_progress, (1 + 0.5 + 1.0 / 3) / 3, 1e-12);
  // January: launch missed (due 01-31), one check-in (fol 01-28), nothing achieved.
  auto jan = PersonScorecard(ws_, rollup_, "dana", ScorePeriod{D("2026-01-01"), D("2026-01-31")});
  ASSERT_TRUE(jan);
  EXPECT_EQ(jan->achieved, 0);
  EXPECT_EQ(jan->missed, 1);
  EXPECT_EQ(jan->checkins, 1);
  EXPECT_NEAR(jan->points, 1, 1e-12);
  // The last day counts: followers' 02-10 alone.
  auto one_day = Leaderboard(ws_, rollup_, "", ScorePeriod{D("2026-02-10"), D("2026-02-10")});
  ASSERT_TRUE(one_day);
  EXPECT_EQ(one_day->front().id, "dana");
  EXPECT_NEAR(one_day->front().points, 15 + 1, 1e-12);
}

TEST(ScorePeriodTest, BothEndsInOrder) {
  auto none = MakeScorePeriod(std::nullopt, std::nullopt);
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());
  auto same = MakeScorePeriod(D("2026-02-01"), D("2026-02-01"));
  ASSERT_TRUE(same && same->has_value());
  auto reversed = MakeScorePeriod(D("2026-03-01"), D("2026-02-01"));
  ASSERT_FALSE(reversed);
  EXPECT_EQ(reversed.error().message,
            "from 2026-03-01 is after to 2026-02-01; an appraisal period runs from its first day "
            "to its last");
  auto half = MakeScorePeriod(D("2026-03-01"), std::nullopt);
  ASSERT_FALSE(half);
  EXPECT_EQ(half.error().message, "an appraisal period needs both from and to; to is missing");
}

}  // namespace
}  // namespace cascade
