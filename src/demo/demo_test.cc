#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "analytics/review.h"
#include "core/changeset.h"
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
  // The only warnings are the forecasts of the three goals that are genuinely behind.
  std::sort(warnings.begin(), warnings.end());
  EXPECT_EQ(warnings, (std::vector<std::string>{"A1 email-open-rate", "A1 new-designs",
                                                "A1 review-roundups"}));
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
      {"leading-tracker", GoalStatus::kOnTrack},     {"review-roundups", GoalStatus::kOffTrack},
      {"web-conversion", GoalStatus::kOnTrack},      {"brand-awareness", GoalStatus::kOnTrack},
      {"running-events", GoalStatus::kAchieved},     {"brand-film-views", GoalStatus::kMissed},
      {"branded-search", GoalStatus::kMissed},
      {"brand-film-views-this-quarter", GoalStatus::kDraft},
      {"branded-search-this-quarter", GoalStatus::kDraft},
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
    // A goal of a cycle takes its dates from the cycle.
    const auto due = rollup_.goals[g].due;
    ASSERT_TRUE(due.has_value()) << goal.id;
    const auto start = rollup_.goals[g].start;
    ASSERT_TRUE(start.has_value()) << goal.id;
    const int span = *due - *start;
    if (goal.level == Level::kMacro) {
      EXPECT_GE(span, 90) << goal.id;
    } else {
      EXPECT_LE(span, 183) << goal.id;
    }
    if (!goal.parent.empty()) {
      EXPECT_LE(*due, *rollup_.goals[index.goal(goal.parent)].due) << goal.id;
    }
  }
  for (const Action& a : ws_.actions) {
    EXPECT_LE(*a.due, *rollup_.goals[index.goal(a.goal)].due) << a.id;
  }
}

TEST_P(DemoTest, HasTheWholeModel) {
  std::set<KpiKind> kinds;
  std::set<Direction> lines;
  for (const Kpi& k : ws_.kpis) {
    kinds.insert(k.kind);
    if (k.kind == KpiKind::kThreshold) lines.insert(k.direction);
  }
  EXPECT_EQ(kinds.size(), 5u);  // level, cumulative, milestone, threshold, formula
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
  // Every goal but the two carried over after the review (last quarter ended after it).
  EXPECT_EQ(ws_.reviews[0].snapshot.size(), ws_.goals.size() - 2);
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

// ---- The model's newer features, each where the worked examples call for it ------------------

const Kpi& KpiById(const Workspace& ws, const std::string& id) {
  const int k = WorkspaceIndex(ws).kpi(id);
  EXPECT_GE(k, 0) << id;
  return ws.kpis[static_cast<size_t>(std::max(k, 0))];
}
const Goal& GoalById(const Workspace& ws, const std::string& id) {
  const int g = WorkspaceIndex(ws).goal(id);
  EXPECT_GE(g, 0) << id;
  return ws.goals[static_cast<size_t>(std::max(g, 0))];
}
// The check-ins of one KPI as (days before today, value, confidence).
std::vector<std::tuple<int, double, Confidence>> Series(const Workspace& ws, const std::string& kpi,
                                                        Date today) {
  std::vector<std::tuple<int, double, Confidence>> out;
  for (const Checkin& c : ws.checkins) {
    if (c.kpi == kpi) out.emplace_back(today - c.date, c.value, c.confidence);
  }
  return out;
}

// 1. Brand awareness: a macro goal on the quarterly survey, micro goals under it.
TEST_P(DemoTest, BrandAwarenessIsAMacroGoalWithMicroGoalsUnderIt) {
  const Goal& g = GoalById(ws_, "brand-awareness");
  EXPECT_EQ(g.level, Level::kMacro);
  EXPECT_TRUE(g.parent.empty());
  EXPECT_EQ(g.supports, std::vector<std::string>{"three-year-share"});  // brand → marketing
  const Kpi& k = KpiById(ws_, "aided-awareness");
  EXPECT_EQ(k.goal, "brand-awareness");
  EXPECT_EQ(k.unit, "%");
  EXPECT_EQ(k.source, "Quarterly brand survey");
  using S = std::tuple<int, double, Confidence>;
  EXPECT_EQ(Series(ws_, "aided-awareness", today_),
            (std::vector<S>{{109, 19.0, Confidence::kOnTrack}, {18, 20.1, Confidence::kOnTrack}}));
  std::vector<std::string> micro;
  for (const Goal& c : ws_.goals) {
    if (c.parent == "brand-awareness") {
      EXPECT_EQ(c.level, Level::kMicro) << c.id;
      micro.push_back(c.id);
    }
  }
  EXPECT_EQ(micro, (std::vector<std::string>{"running-events", "brand-film-views", "branded-search",
                                             "brand-film-views-this-quarter",
                                             "branded-search-this-quarter"}));
  // P = (2 · 2.1/7 + 1 + 0.7 + 0.6) / 5, the drafts left out; E = 200/730.
  const GoalResult& r = rollup_.goals[WorkspaceIndex(ws_).goal("brand-awareness")];
  EXPECT_NEAR(*r.progress, (2 * 2.1 / 7 + 1 + 0.7 + 0.6) / 5, 1e-9);
  EXPECT_NEAR(*r.expected, 200.0 / 730, 1e-9);
  EXPECT_EQ(r.confidence, Confidence::kOnTrack);
  EXPECT_FALSE(r.disagrees);
}

// 2. The launch's "leading solution" goal, measured against the segment leader's share.
TEST_P(DemoTest, TheLeadingSolutionGoalHasACompetitorBenchmarkBesideOurShare) {
  const Goal& g = GoalById(ws_, "leading-tracker");
  EXPECT_EQ(g.title, "Establish Pulse 2 as the leading solution in mid-range fitness trackers");
  const Kpi& rival = KpiById(ws_, "rival-share");
  EXPECT_EQ(rival.goal, "leading-tracker");
  EXPECT_EQ(rival.benchmark_for, "mid-range-share");
  EXPECT_EQ(KpiById(ws_, "mid-range-share").goal, "leading-tracker");
  using S = std::tuple<int, double, Confidence>;
  const auto none = Confidence::kNone;
  EXPECT_EQ(Series(ws_, "rival-share", today_),
            (std::vector<S>{{33, 31.5, none}, {26, 31.0, none}, {19, 30.4, none}, {12, 29.8, none},
                            {5, 29.1, none}}));
  const WorkspaceIndex index(ws_);
  const KpiResult& b = rollup_.kpis[index.kpi("rival-share")];
  EXPECT_DOUBLE_EQ(*b.value, 29.1);
  EXPECT_EQ(b.last_checkin, today_ - 5);
  EXPECT_FALSE(b.counted);
  EXPECT_FALSE(b.stale);
  // The benchmark counts in nothing: P = (2 · 9.6/30 + P(review-roundups) 0) / 3.
  EXPECT_NEAR(*rollup_.goals[index.goal("leading-tracker")].progress, 2 * 9.6 / 30 / 3, 1e-9);
}

// 3. A formula KPI computed from the inbound funnel's KPIs.
TEST_P(DemoTest, TheWebsiteConversionRateIsAFormulaOfLeadsAndCustomers) {
  const Kpi& k = KpiById(ws_, "web-conversion-rate");
  EXPECT_EQ(k.kind, KpiKind::kFormula);
  EXPECT_EQ(k.formula, "{new-customers} / {leads} * 100");
  for (const Checkin& c : ws_.checkins) EXPECT_NE(c.kpi, "web-conversion-rate");
  // Its inputs' check-ins: twelve weeks, 3,967 leads and 92 customers in all.
  double leads = 0, customers = 0;
  for (const Checkin& c : ws_.checkins) {
    if (c.kpi == "leads") leads += c.value;
    if (c.kpi == "new-customers") customers += c.value;
  }
  EXPECT_EQ(leads, 3967);
  EXPECT_EQ(customers, 92);
  const WorkspaceIndex index(ws_);
  const KpiResult& r = rollup_.kpis[index.kpi("web-conversion-rate")];
  EXPECT_NEAR(*r.value, 92.0 / 3967 * 100, 1e-9);  // 2.3191…%
  EXPECT_NEAR(r.progress, (92.0 / 3967 * 100 - 2.2) / (2.8 - 2.2), 1e-9);
  EXPECT_EQ(r.last_checkin, today_ - 1);
  const GoalResult& g = rollup_.goals[index.goal("web-conversion")];
  EXPECT_EQ(g.start, today_ - 7);  // this quarter's
  EXPECT_EQ(g.due, today_ + 83);
}

// 4. Goals shared across teams: contributors from other teams, and cross-team supports.
TEST_P(DemoTest, GoalsAreSharedAcrossTeams) {
  std::map<std::string, std::string> team_of;
  for (const Person& p : ws_.people) team_of[p.id] = p.team;
  std::vector<std::string> shared;
  for (const Goal& g : ws_.goals) {
    for (const std::string& p : g.contributors) {
      if (team_of[p] != g.team) shared.push_back(g.id + " " + p);
    }
  }
  EXPECT_EQ(shared, (std::vector<std::string>{"web-conversion marcus", "leading-tracker maya",
                                              "review-roundups omar", "brand-film-views sam",
                                              "brand-film-views-this-quarter sam"}));
  std::vector<std::string> links;
  for (const Goal& g : ws_.goals) {
    for (const std::string& s : g.supports) {
      if (GoalById(ws_, s).team != g.team) links.push_back(g.id + " → " + s);
    }
  }
  EXPECT_EQ(links, (std::vector<std::string>{"brand-awareness → three-year-share",
                                             "running-events → leading-tracker"}));
}

// 5. Last quarter is closed; what it did not achieve is carried over into this quarter.
TEST_P(DemoTest, LastQuarterIsClosedAndItsUnfinishedGoalsAreCarriedOver) {
  ASSERT_EQ(ws_.cycles.size(), 2u);
  EXPECT_EQ(ws_.cycles[0], (Cycle{.id = "last-quarter",
                                  .name = "Last quarter",
                                  .start = today_ - 98,
                                  .end = today_ - 8,
                                  .state = CycleState::kClosed}));
  EXPECT_EQ(ws_.cycles[1], (Cycle{.id = "this-quarter",
                                  .name = "This quarter",
                                  .start = today_ - 7,
                                  .end = today_ + 83,
                                  .state = CycleState::kOpen}));
  std::map<std::string, std::vector<std::string>> in;
  for (const Goal& g : ws_.goals) {
    if (!g.cycle.empty()) in[g.cycle].push_back(g.id);
  }
  EXPECT_EQ(in["last-quarter"],
            (std::vector<std::string>{"running-events", "brand-film-views", "branded-search"}));
  EXPECT_EQ(in["this-quarter"],
            (std::vector<std::string>{"web-conversion", "brand-film-views-this-quarter",
                                      "branded-search-this-quarter"}));
  // The copies: drafts under the same parent, without dates of their own; each KPI's baseline is
  // its value at the end (the window froze then), the target kept, "+25%" re-resolved.
  for (const char* id : {"brand-film-views-this-quarter", "branded-search-this-quarter"}) {
    const Goal& g = GoalById(ws_, id);
    EXPECT_EQ(g.state, GoalState::kDraft) << id;
    EXPECT_EQ(g.parent, "brand-awareness") << id;
    EXPECT_FALSE(g.start.has_value()) << id;
    EXPECT_FALSE(g.due.has_value()) << id;
  }
  EXPECT_EQ(GoalById(ws_, "brand-film-views-this-quarter").owner, "jules");
  const Kpi& views = KpiById(ws_, "brand-film-view-count-this-quarter");
  EXPECT_EQ(views.goal, "brand-film-views-this-quarter");
  EXPECT_EQ(views.baseline, 1400000);  // 420,000 + 310,000 + 220,000 + 180,000 + 150,000 + 120,000
  EXPECT_EQ(views.target, 2000000);
  const Kpi& searches = KpiById(ws_, "branded-searches-this-quarter");
  EXPECT_EQ(searches.baseline, 46000);
  EXPECT_EQ(searches.target_written, "+25%");
  EXPECT_DOUBLE_EQ(searches.target, 57500);  // 46,000 × 1.25
  EXPECT_EQ(KpiById(ws_, "branded-searches").target, 50000);  // the original keeps its own
}

// What `cascade demo` writes: the creates, then `cycle close last-quarter` as the command runs it.
TEST_P(DemoTest, LoadingClosesLastQuarterAsCycleCloseDoes) {
  auto changes = DemoChangeSet(Workspace{}, today_);
  ASSERT_TRUE(changes) << changes.error().ToString();
  // The cycle is created open, then updated to closed from the version storing it made.
  const EntityChange& last = changes->changes.back();
  ASSERT_EQ(last.op, EntityChange::Op::kUpdate);
  const Cycle& before = std::get<Cycle>(*last.before);
  const Cycle& after = std::get<Cycle>(*last.after);
  EXPECT_EQ(before.id, "last-quarter");
  EXPECT_EQ(before.state, CycleState::kOpen);
  EXPECT_EQ(before.version, 1);
  EXPECT_EQ(after.state, CycleState::kClosed);
  int created_open = 0;
  for (const EntityChange& c : changes->changes) {
    const Cycle* cy = c.after ? std::get_if<Cycle>(&*c.after) : nullptr;
    if (c.op == EntityChange::Op::kCreate && cy && cy->id == "last-quarter") {
      created_open += cy->state == CycleState::kOpen;
    }
  }
  EXPECT_EQ(created_open, 1);
  // The history rows the close records: each goal's numbers as of the end, then the cycle's.
  const std::string end = (today_ - 8).ToString();
  const std::string achieved = (today_ - 14).ToString();
  ASSERT_EQ(changes->notes.size(), 4u);
  EXPECT_EQ(changes->notes[0],
            (HistoryNote{"goal", "running-events", "close",
                         "{\"cycle\":\"last-quarter\",\"as_of\":\"" + end +
                             "\",\"progress\":1,\"status\":\"achieved\",\"achieved_on\":\"" +
                             achieved + "\"}"}));
  EXPECT_EQ(changes->notes[1],
            (HistoryNote{"goal", "brand-film-views", "close",
                         "{\"cycle\":\"last-quarter\",\"as_of\":\"" + end +
                             "\",\"progress\":0.7,\"status\":\"off_track\",\"achieved_on\":null}"}));
  EXPECT_EQ(changes->notes[2],
            (HistoryNote{"goal", "branded-search", "close",
                         "{\"cycle\":\"last-quarter\",\"as_of\":\"" + end +
                             "\",\"progress\":0.6,\"status\":\"off_track\",\"achieved_on\":null}"}));
  EXPECT_EQ(changes->notes[3].kind, "cycle");
  EXPECT_EQ(changes->notes[3].entity, "last-quarter");
  EXPECT_EQ(changes->notes[3].op, "close");
  const nlohmann::json cycle = nlohmann::json::parse(changes->notes[3].after);
  EXPECT_EQ(cycle["as_of"], end);
  EXPECT_NEAR(cycle["score"].get<double>(), (1 + 0.7 + 0.6) / 3, 1e-9);
  EXPECT_EQ(cycle["counts"], (nlohmann::json{{"achieved", 1}, {"off_track", 2}}));
}

// 6. Owners' judgement on check-ins, and one that the numbers contradict.
TEST_P(DemoTest, TheReviewListsTheOwnerWhoseJudgementTheNumbersContradict) {
  const WorkspaceIndex index(ws_);
  const GoalResult& g = rollup_.goals[index.goal("review-roundups")];
  EXPECT_EQ(g.status, GoalStatus::kOffTrack);  // P 0 of E 40/60
  EXPECT_EQ(g.confidence, Confidence::kOnTrack);
  EXPECT_TRUE(g.disagrees);
  EXPECT_EQ(g.disagreement, 2);
  auto agenda = BuildReviewAgenda(ws_, rollup_, "");
  ASSERT_TRUE(agenda);
  ASSERT_EQ(agenda->disagreements.size(), 1u);
  EXPECT_EQ(ws_.goals[agenda->disagreements[0].goal].id, "review-roundups");
  EXPECT_EQ(agenda->disagreements[0].text, "Sofia Rossi says on track; the numbers say off track");
  // The other judgements agree with the numbers.
  std::vector<std::string> judged;
  for (size_t i = 0; i < ws_.goals.size(); ++i) {
    if (rollup_.goals[i].confidence != Confidence::kNone) judged.push_back(ws_.goals[i].id);
  }
  EXPECT_EQ(judged, (std::vector<std::string>{"leading-tracker", "review-roundups",
                                              "brand-awareness"}));
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
  EXPECT_EQ(plan.workspace.cycles, ws.cycles);
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
  EXPECT_EQ(a.cycles, b.cycles);
}

}  // namespace
}  // namespace cascade
