#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/lint.h"
#include "core/rollup.h"
#include "core/validate.h"
#include "demo/demo_workspace.h"
#include "io/plan.h"

namespace cascade {
namespace {

Date D(const char* text) { return *Date::Parse(text); }

// The demo must look the same whatever day it is loaded on, including a leap day and New Year.
class DemoTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    today_ = D(GetParam());
    ws_ = BuildDemoWorkspace(today_);
    rollup_ = ComputeRollup(ws_, today_);
  }

  GoalStatus StatusOf(const std::string& goal) const {
    const int g = WorkspaceIndex(ws_).goal(goal);
    EXPECT_GE(g, 0) << goal;
    return g < 0 ? GoalStatus::kUnmeasured : rollup_.goals[g].status;
  }

  Date today_;
  Workspace ws_;
  Rollup rollup_;
};

INSTANTIATE_TEST_SUITE_P(Days, DemoTest,
                         ::testing::Values("2026-11-25", "2027-02-28", "2026-01-01", "2028-02-29"));

TEST_P(DemoTest, IsValid) {
  for (const Error& e : ValidateWorkspace(ws_))
    ADD_FAILURE() << e.kind << " " << e.id << ": " << e.message;
}

TEST_P(DemoTest, LintFindsNoErrorsAndOnlyMeaningfulWarnings) {
  std::vector<std::string> warnings;
  for (const Finding& f : LintWorkspace(ws_, rollup_)) {
    if (f.severity == Severity::kError) {
      ADD_FAILURE() << f.code << " " << f.goal << ": " << f.message;
    } else {
      warnings.push_back(f.code + " " + f.goal);
    }
  }
  // The only warnings are the forecasts of the two goals that are genuinely behind.
  std::sort(warnings.begin(), warnings.end());
  EXPECT_EQ(warnings, (std::vector<std::string>{"A1 email-open-rate", "A1 new-designs"}));
}

TEST_P(DemoTest, ShowsEveryStatus) {
  for (GoalStatus s :
       {GoalStatus::kOnTrack, GoalStatus::kAtRisk, GoalStatus::kOffTrack, GoalStatus::kAchieved,
        GoalStatus::kMissed, GoalStatus::kNotStarted, GoalStatus::kDraft, GoalStatus::kCancelled}) {
    EXPECT_GT(rollup_.summary[static_cast<size_t>(s)], 0) << ToString(s);
  }
  EXPECT_EQ(rollup_.summary[static_cast<size_t>(GoalStatus::kUnmeasured)], 0);
  EXPECT_EQ(rollup_.summary[static_cast<size_t>(GoalStatus::kUnscheduled)], 0);
}

TEST_P(DemoTest, GoalsHaveTheDocumentedStatuses) {
  const std::map<std::string, GoalStatus> expected = {
      {"market-share", GoalStatus::kOnTrack},        {"preorders", GoalStatus::kAchieved},
      {"launch-reviews", GoalStatus::kMissed},       {"launch-followers", GoalStatus::kAchieved},
      {"tech-coverage", GoalStatus::kAchieved},      {"rebrand-sales", GoalStatus::kAtRisk},
      {"gen-z-campaigns", GoalStatus::kOnTrack},     {"blogger-collabs", GoalStatus::kAtRisk},
      {"new-designs", GoalStatus::kOffTrack},        {"online-engagement", GoalStatus::kOnTrack},
      {"local-influencers", GoalStatus::kCancelled}, {"smart-plans-adoption", GoalStatus::kOnTrack},
      {"training-guides", GoalStatus::kAchieved},    {"webinars", GoalStatus::kNotStarted},
      {"blog-posts", GoalStatus::kOnTrack},          {"dedicated-support", GoalStatus::kAchieved},
      {"testimonials", GoalStatus::kAtRisk},         {"referral-programme", GoalStatus::kDraft},
      {"three-year-share", GoalStatus::kOnTrack},    {"social-engagement", GoalStatus::kOnTrack},
      {"media-mentions", GoalStatus::kOffTrack},     {"inbound-leads", GoalStatus::kOnTrack},
      {"organic-traffic", GoalStatus::kOnTrack},     {"content-leads", GoalStatus::kAtRisk},
      {"customer-value", GoalStatus::kOnTrack},      {"email-open-rate", GoalStatus::kOffTrack},
  };
  EXPECT_EQ(expected.size(), ws_.goals.size());
  for (const auto& [goal, status] : expected) {
    EXPECT_EQ(ToString(StatusOf(goal)), ToString(status)) << goal;
  }
}

TEST_P(DemoTest, ReviewsCheckedInAfterTheDueDateDoNotCount) {
  const int k = WorkspaceIndex(ws_).kpi("positive-reviews");
  ASSERT_GE(k, 0);
  EXPECT_DOUBLE_EQ(*rollup_.kpis[k].value, 41);
}

TEST_P(DemoTest, OnlyTheMediaMentionsAreStale) {
  std::vector<std::string> stale;
  for (size_t k = 0; k < ws_.kpis.size(); ++k) {
    if (rollup_.kpis[k].stale) stale.push_back(ws_.kpis[k].id);
  }
  EXPECT_EQ(stale, std::vector<std::string>{"media-mention-count"});
}

TEST_P(DemoTest, EverythingIsDatedOnOrBeforeToday) {
  EXPECT_FALSE(ws_.checkins.empty());
  for (const Checkin& c : ws_.checkins) EXPECT_LE(c.date, today_) << c.kpi;
  for (const Comment& c : ws_.comments) EXPECT_LE(c.date, today_) << c.goal;
  for (const Review& r : ws_.reviews) EXPECT_LE(r.date, today_);
  EXPECT_TRUE(std::is_sorted(ws_.checkins.begin(), ws_.checkins.end(),
                             [](const Checkin& a, const Checkin& b) { return a.date < b.date; }));
}

TEST_P(DemoTest, ActiveGoalsAreSmart) {
  const WorkspaceIndex index(ws_);
  for (size_t g = 0; g < ws_.goals.size(); ++g) {
    const Goal& goal = ws_.goals[g];
    EXPECT_FALSE(goal.owner.empty()) << goal.id;
    ASSERT_TRUE(goal.due.has_value()) << goal.id;
    const auto start = rollup_.goals[g].start;
    ASSERT_TRUE(start.has_value()) << goal.id;
    const int span = *goal.due - *start;
    if (goal.level == Level::kMacro) {
      EXPECT_GE(span, 90) << goal.id;
    } else {
      EXPECT_LE(span, 183) << goal.id;
    }
    if (!goal.parent.empty()) {
      EXPECT_LE(*goal.due, *ws_.goals[index.goal(goal.parent)].due) << goal.id;
    }
  }
  for (const Action& a : ws_.actions) {
    EXPECT_LE(*a.due, *ws_.goals[index.goal(a.goal)].due) << a.id;
  }
}

TEST_P(DemoTest, HasTheWholeModel) {
  std::set<KpiKind> kinds;
  std::set<Direction> lines;
  for (const Kpi& k : ws_.kpis) {
    kinds.insert(k.kind);
    if (k.kind == KpiKind::kThreshold) lines.insert(k.direction);
  }
  EXPECT_EQ(kinds.size(), 4u);
  EXPECT_EQ(lines, (std::set<Direction>{Direction::kAbove, Direction::kBelow}));

  std::set<Role> roles;
  for (const Person& p : ws_.people) roles.insert(p.role);
  EXPECT_EQ(roles.size(), 4u);

  EXPECT_TRUE(
      std::any_of(ws_.actions.begin(), ws_.actions.end(), [](const Action& a) { return a.done; }));
  EXPECT_TRUE(std::any_of(ws_.actions.begin(), ws_.actions.end(),
                          [](const Action& a) { return !a.depends_on.empty(); }));
  EXPECT_TRUE(std::any_of(ws_.goals.begin(), ws_.goals.end(), [](const Goal& g) {
    return g.growth_potential > 0 && g.budget_max.has_value();
  }));
  EXPECT_FALSE(ws_.comments.empty());
  ASSERT_EQ(ws_.reviews.size(), 1u);
  EXPECT_EQ(ws_.reviews[0].snapshot.size(), ws_.goals.size());
}

TEST_P(DemoTest, FunnelRunsFromVisitsToCustomers) {
  ASSERT_EQ(ws_.funnels.size(), 1u);
  const Funnel& f = ws_.funnels[0];
  EXPECT_EQ(f.stages, (std::vector<std::string>{"organic-visits", "leads", "qualified-leads",
                                                "new-customers"}));
  // Each stage narrows the one above it.
  const WorkspaceIndex index(ws_);
  double above = INFINITY;
  for (const std::string& stage : f.stages) {
    const double v = *rollup_.kpis[index.kpi(stage)].value;
    EXPECT_GT(v, 0) << stage;
    EXPECT_LT(v, above) << stage;
    above = v;
  }
}

TEST_P(DemoTest, LandingPageExperimentIsSignificant) {
  const auto it = std::find_if(ws_.experiments.begin(), ws_.experiments.end(),
                               [](const Experiment& e) { return e.id == "lp-headline"; });
  ASSERT_NE(it, ws_.experiments.end());
  const double pc = double(it->control.conversions) / it->control.visitors;
  const double pv = double(it->variant.conversions) / it->variant.visitors;
  const double pooled = double(it->control.conversions + it->variant.conversions) /
                        (it->control.visitors + it->variant.visitors);
  const double z = (pv - pc) / std::sqrt(pooled * (1 - pooled) *
                                         (1.0 / it->control.visitors + 1.0 / it->variant.visitors));
  const double p_value = std::erfc(std::fabs(z) / std::sqrt(2.0));
  EXPECT_LT(p_value, 0.05);
}

// Weekly series of one KPI (one check-in a week in the demo).
std::vector<double> Weekly(const Workspace& ws, const std::string& kpi) {
  std::vector<double> out;
  for (const Checkin& c : ws.checkins) {
    if (c.kpi == kpi) out.push_back(c.value);
  }
  return out;
}

double Pearson(const std::vector<double>& a, const std::vector<double>& b) {
  const double n = static_cast<double>(a.size());
  double ma = 0, mb = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    ma += a[i] / n;
    mb += b[i] / n;
  }
  double sab = 0, saa = 0, sbb = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) * (a[i] - ma);
    sbb += (b[i] - mb) * (b[i] - mb);
  }
  return sab / std::sqrt(saa * sbb);
}

TEST_P(DemoTest, OrganicVisitsLeadLeadsByTwoWeeks) {
  const std::vector<double> visits = Weekly(ws_, "organic-visits");
  const std::vector<double> leads = Weekly(ws_, "leads");
  ASSERT_EQ(visits.size(), leads.size());
  ASSERT_GE(visits.size(), 12u);
  int best = -1;
  double best_r = 0;
  for (int lag = 0; lag <= 4; ++lag) {
    const std::vector<double> a(visits.begin(), visits.end() - lag);
    const std::vector<double> b(leads.begin() + lag, leads.end());
    const double r = Pearson(a, b);
    if (std::fabs(r) > std::fabs(best_r) + 1e-9) {
      best = lag;
      best_r = r;
    }
  }
  EXPECT_EQ(best, 2);
  EXPECT_GT(best_r, 0.95);
}

// `cascade demo` and `cascade export` go through the plan format: the demo must survive it.
TEST(DemoWorkspace, RoundTripsThroughAPlanFile) {
  const Workspace ws = BuildDemoWorkspace(D("2026-11-25"));
  const ParsedPlan plan = ParsePlan(WritePlanYaml(ws), "demo.yaml");
  for (const Error& e : plan.errors) ADD_FAILURE() << e.ToString();
  EXPECT_EQ(plan.workspace.teams, ws.teams);
  EXPECT_EQ(plan.workspace.people, ws.people);
  EXPECT_EQ(plan.workspace.goals, ws.goals);
  EXPECT_EQ(plan.workspace.kpis, ws.kpis);
  EXPECT_EQ(plan.workspace.checkins, ws.checkins);
  EXPECT_EQ(plan.workspace.actions, ws.actions);
  EXPECT_EQ(plan.workspace.funnels, ws.funnels);
  EXPECT_EQ(plan.workspace.experiments, ws.experiments);
}

TEST(DemoWorkspace, IsDeterministic) {
  const Workspace a = BuildDemoWorkspace(D("2026-11-25"));
  const Workspace b = BuildDemoWorkspace(D("2026-11-25"));
  EXPECT_EQ(a.teams, b.teams);
  EXPECT_EQ(a.people, b.people);
  EXPECT_EQ(a.goals, b.goals);
  EXPECT_EQ(a.kpis, b.kpis);
  EXPECT_EQ(a.checkins, b.checkins);
  EXPECT_EQ(a.actions, b.actions);
  EXPECT_EQ(a.funnels, b.funnels);
  EXPECT_EQ(a.experiments, b.experiments);
  EXPECT_EQ(a.comments, b.comments);
  EXPECT_EQ(a.reviews, b.reviews);
}

}  // namespace
}  // namespace cascade
