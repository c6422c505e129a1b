#include "core/incremental_rollup.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <set>
#include <string>

#include "core/apply_changes.h"

// Fixtures name only the fields that differ from the model's defaults.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace cascade {
namespace {

Date D(const char* text) { return *Date::Parse(text); }

void ExpectSameRollup(const Rollup& got, const Rollup& want, const std::string& where) {
  SCOPED_TRACE(where);
  ASSERT_EQ(got.goals.size(), want.goals.size());
  ASSERT_EQ(got.kpis.size(), want.kpis.size());
  EXPECT_EQ(got.as_of, want.as_of);
  for (size_t g = 0; g < want.goals.size(); ++g) {
    SCOPED_TRACE("goal " + std::to_string(g));
    EXPECT_EQ(got.goals[g].start, want.goals[g].start);
    EXPECT_EQ(got.goals[g].due, want.goals[g].due);
    EXPECT_EQ(got.goals[g].progress, want.goals[g].progress);  // exactly: same sums, same order
    EXPECT_EQ(got.goals[g].expected, want.goals[g].expected);
    EXPECT_EQ(got.goals[g].forecast, want.goals[g].forecast);
    EXPECT_EQ(got.goals[g].status, want.goals[g].status);
    EXPECT_EQ(got.goals[g].achieved_on, want.goals[g].achieved_on);
    EXPECT_EQ(got.goals[g].confidence, want.goals[g].confidence);
    EXPECT_EQ(got.goals[g].confidence_kpi, want.goals[g].confidence_kpi);
    EXPECT_EQ(got.goals[g].confidence_date, want.goals[g].confidence_date);
    EXPECT_EQ(got.goals[g].confidence_seq, want.goals[g].confidence_seq);
    EXPECT_EQ(got.goals[g].disagrees, want.goals[g].disagrees);
    EXPECT_EQ(got.goals[g].disagreement, want.goals[g].disagreement);
    EXPECT_EQ(got.goals[g].spent, want.goals[g].spent);  // exactly: same records, same order
    EXPECT_EQ(got.goals[g].budget_left, want.goals[g].budget_left);
  }
  for (size_t k = 0; k < want.kpis.size(); ++k) {
    SCOPED_TRACE("kpi " + std::to_string(k));
    EXPECT_EQ(got.kpis[k].value, want.kpis[k].value);
    EXPECT_EQ(got.kpis[k].attainment, want.kpis[k].attainment);
    EXPECT_EQ(got.kpis[k].progress, want.kpis[k].progress);
    EXPECT_EQ(got.kpis[k].forecast, want.kpis[k].forecast);
    EXPECT_EQ(got.kpis[k].last_checkin, want.kpis[k].last_checkin);
    EXPECT_EQ(got.kpis[k].stale, want.kpis[k].stale);
    EXPECT_EQ(got.kpis[k].counted, want.kpis[k].counted);
  }
  EXPECT_EQ(std::vector<int>(got.order.begin(), got.order.end()),
            std::vector<int>(want.order.begin(), want.order.end()));
  EXPECT_EQ(std::vector<int>(got.depth.begin(), got.depth.end()),
            std::vector<int>(want.depth.begin(), want.depth.end()));
  EXPECT_EQ(got.summary, want.summary);
}

// Each KPI's check-ins, in workspace order.
std::vector<std::vector<Checkin>> ByKpi(const Workspace& ws) {
  const WorkspaceIndex index(ws);
  std::vector<std::vector<Checkin>> out(ws.kpis.size());
  for (const Checkin& c : ws.checkins) {
    if (int k = index.kpi(c.kpi); k >= 0) out[static_cast<size_t>(k)].push_back(c);
  }
  return out;
}

// The roll-up of `after` computed from `before`'s the way the server does; nullopt when the
// change set moves positions (the server computes it whole then).
std::optional<Rollup> Incremental(const Workspace& before, const Rollup& rollup,
                                  const Workspace& after, const ChangeSet& changes,
                                  Affected* affected_out = nullptr) {
  const WorkspaceIndex index(after);
  const GoalLinks links(after, index);
  auto affected = AffectedGoals(before, after, index, links, changes);
  if (!affected) return std::nullopt;
  if (affected_out) *affected_out = *affected;
  const auto by_kpi = ByKpi(after);
  return UpdateRollup(
      rollup, after, links, [&](size_t k) { return std::span<const Checkin>(by_kpi[k]); },
      *affected);
}

class RandomWorkspace {
 public:
  explicit RandomWorkspace(uint32_t seed) : rng_(seed) {}

  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool Coin(int percent) { return Int(0, 99) < percent; }
  Date Day() { return D("2026-01-01") + Int(0, 180); }
  std::optional<Date> MaybeDay() { return Coin(60) ? std::optional<Date>(Day()) : std::nullopt; }

  Goal NewGoal(const Workspace& ws) {
    Goal g;
    g.id = "g" + std::to_string(next_id_++);
    g.title = g.id;
    if (!ws.goals.empty() && Coin(80)) g.parent = ws.goals[Int(0, ws.goals.size() - 1)].id;
    g.start = MaybeDay();
    g.due = g.start && Coin(80) ? std::optional<Date>(*g.start + Int(0, 120)) : MaybeDay();
    g.weight = Int(1, 3);
    g.state =
        Coin(85) ? GoalState::kActive : (Coin(50) ? GoalState::kDraft : GoalState::kCancelled);
    EditMoney(ws, g);
    return g;
  }
  // A cycle (its dates where the goal sets none) and a budget, each on some goals.
  void EditMoney(const Workspace& ws, Goal& g) {
    g.cycle = !ws.cycles.empty() && Coin(30) ? ws.cycles[Int(0, ws.cycles.size() - 1)].id : "";
    g.budget_max = Coin(30) ? std::optional<double>(Int(0, 500)) : std::nullopt;
  }
  Cycle NewCycle() {
    Cycle c;
    c.id = "c" + std::to_string(next_id_++);
    c.name = c.id;
    c.start = Day();
    c.end = c.start + Int(10, 90);
    c.version = 1;
    return c;
  }
  Spend NewSpend(const Workspace& ws) {
    Spend s;
    s.goal = ws.goals[Int(0, ws.goals.size() - 1)].id;
    s.date = Day();
    s.amount = Int(-20, 200) + 0.25;
    return s;
  }
  // Two KPIs: the second a benchmark of the first, or a formula reading two others.
  void AddKpiPair(Workspace& ws) {
    Kpi ours = NewKpi(ws);
    Kpi theirs = NewKpi(ws);
    if (Coin(50)) {
      theirs.benchmark_for = ours.id;
    } else if (ws.kpis.size() >= 2) {
      theirs.kind = KpiKind::kFormula;
      theirs.direction = Direction::kNone;
      theirs.formula = "{" + ws.kpis[Int(0, ws.kpis.size() - 1)].id + "} + {" + ours.id + "} / 2";
    }
    ws.kpis.push_back(ours);
    ws.kpis.push_back(theirs);
  }
  bool FormulaBound(const Workspace& ws, const std::string& kpi) {
    for (const Kpi& k : ws.kpis) {
      if (k.kind != KpiKind::kFormula) continue;
      if (k.id == kpi || k.formula.find("{" + kpi + "}") != std::string::npos) return true;
    }
    return false;
  }
  Kpi NewKpi(const Workspace& ws) {
    Kpi k;
    k.id = "k" + std::to_string(next_id_++);
    k.goal = ws.goals[Int(0, ws.goals.size() - 1)].id;
    EditKpi(k);
    return k;
  }
  void EditKpi(Kpi& k) {
    k.kind = static_cast<KpiKind>(Int(0, 3));
    k.baseline = Coin(70) ? std::optional<double>(Int(0, 20)) : std::nullopt;
    k.target = Int(0, 100);
    k.direction = k.kind == KpiKind::kThreshold ? (Coin(50) ? Direction::kAbove : Direction::kBelow)
                                                : Direction::kNone;
    k.weight = Int(1, 4);
    k.cadence_days = Int(1, 30);
  }
  Checkin NewCheckin(const Workspace& ws) {
    const Kpi* pick = &ws.kpis[Int(0, ws.kpis.size() - 1)];
    while (pick->kind == KpiKind::kFormula) pick = &ws.kpis[Int(0, ws.kpis.size() - 1)];
    const Kpi& k = *pick;
    const double v = k.kind == KpiKind::kMilestone ? Int(0, 1) : Int(-10, 120);
    Checkin c{k.id, Day(), v, "", "", 0};
    if (Coin(30)) c.confidence = static_cast<Confidence>(Int(1, 3));
    return c;
  }

  Workspace Make() {
    Workspace ws;
    for (int i = 0; i < 3; ++i) ws.cycles.push_back(NewCycle());
    for (int i = 0; i < 30; ++i) ws.goals.push_back(NewGoal(ws));
    for (int i = 0; i < 40; ++i) ws.kpis.push_back(NewKpi(ws));
    for (int i = 0; i < 2; ++i) AddKpiPair(ws);
    for (int i = 0; i < 200; ++i) {
      ws.checkins.push_back(NewCheckin(ws));
      ws.checkins.back().seq = ++seq_;
    }
    for (int i = 0; i < 20; ++i) {
      ws.spend.push_back(NewSpend(ws));
      ws.spend.back().seq = ++seq_;
    }
    for (Goal& g : ws.goals) g.version = 1;
    for (Kpi& k : ws.kpis) k.version = 1;
    return ws;
  }

  bool IsBelow(const Workspace& ws, const std::string& id, const std::string& ancestor) {
    const WorkspaceIndex index(ws);
    for (std::string at = id; !at.empty();) {
      if (at == ancestor) return true;
      at = ws.goals[static_cast<size_t>(index.goal(at))].parent;
    }
    return false;
  }

  // One to three random edits of `ws`.
  Workspace Edit(const Workspace& ws) {
    Workspace next = ws;
    for (int n = Int(1, 3); n-- > 0;) {
      const int what = Int(0, 99);
      Goal& goal = next.goals[Int(0, next.goals.size() - 1)];
      if (what < 35) {
        next.checkins.push_back(NewCheckin(next));
      } else if (what < 42 && !next.checkins.empty()) {
        Checkin& c = next.checkins[Int(0, next.checkins.size() - 1)];
        c.value += Int(1, 5);
        if (Coin(50)) c.date = Day();
      } else if (what < 46 && !next.checkins.empty()) {
        next.checkins.erase(next.checkins.begin() + Int(0, next.checkins.size() - 1));
      } else if (what < 56) {
        goal.start = MaybeDay();
        goal.due = MaybeDay();
      } else if (what < 62) {
        goal.weight = Int(1, 3);
        goal.state = Coin(70) ? GoalState::kActive : GoalState::kDraft;
        if (Coin(50)) EditMoney(next, goal);
      } else if (what < 72) {  // re-parent, never under itself
        const Goal& to = next.goals[Int(0, next.goals.size() - 1)];
        const std::string id = goal.id;
        if (Coin(20)) {
          goal.parent.clear();
        } else if (!IsBelow(next, to.id, id)) {
          goal.parent = to.id;
        }
      } else if (what < 82) {
        Kpi& k = next.kpis[Int(0, next.kpis.size() - 1)];
        if (k.kind == KpiKind::kFormula) continue;  // formulas stay, to be walked past
        if (Coin(30)) {
          k.goal = next.goals[Int(0, next.goals.size() - 1)].id;
        } else {
          EditKpi(k);
          // Milestone values must stay 0 or 1 for ComputeRollup's formulas to mean anything; any
          // value still computes, so this is not needed for the comparison.
        }
      } else if (what < 86) {  // remove a leaf goal with its KPIs and their check-ins
        const WorkspaceIndex index(next);
        std::vector<size_t> leaves;
        std::vector<int> children(next.goals.size(), 0);
        for (const Goal& g : next.goals) {
          if (!g.parent.empty()) ++children[static_cast<size_t>(index.goal(g.parent))];
        }
        for (size_t g = 0; g < next.goals.size(); ++g) {
          if (children[g] == 0) leaves.push_back(g);
        }
        if (leaves.size() > 5) {
          const std::string id = next.goals[leaves[Int(0, leaves.size() - 1)]].id;
          const bool bound = std::any_of(next.kpis.begin(), next.kpis.end(), [&](const Kpi& k) {
            return k.goal == id && FormulaBound(next, k.id);
          });
          if (bound) continue;
          erase_if(next.spend, [&](const Spend& s) { return s.goal == id; });
          erase_if(next.kpis, [&](const Kpi& k) {
            if (k.goal != id) return false;
            erase_if(next.checkins, [&](const Checkin& c) { return c.kpi == k.id; });
            return true;
          });
          erase_if(next.goals, [&](const Goal& g) { return g.id == id; });
        }
      } else if (what < 90 && next.kpis.size() > 10) {
        const std::string id = next.kpis[Int(0, next.kpis.size() - 1)].id;
        if (FormulaBound(next, id)) continue;
        erase_if(next.checkins, [&](const Checkin& c) { return c.kpi == id; });
        erase_if(next.kpis, [&](const Kpi& k) { return k.id == id; });
      } else if (what < 93) {
        next.goals.push_back(NewGoal(next));
      } else if (what < 95) {
        next.kpis.push_back(NewKpi(next));
      } else if (what < 97) {
        next.spend.push_back(NewSpend(next));
      } else if (what < 98 && !next.spend.empty()) {  // a correction of a stored record
        Spend& sp = next.spend[Int(0, next.spend.size() - 1)];
        sp.amount += Int(1, 50);
        if (Coin(50)) sp.date = Day();
      } else {
        Cycle& c = next.cycles[Int(0, next.cycles.size() - 1)];
        c.end = c.start + Int(10, 90);
      }
    }
    return next;
  }

  // What the store gives: the seqs of the appended check-ins.
  AssignedSeqs Seqs(const ChangeSet& changes) {
    AssignedSeqs seqs;
    for (size_t i = 0; i < changes.checkins.size(); ++i) seqs.checkins.push_back(++seq_);
    seqs.comments.resize(changes.comments.size());
    seqs.reviews.resize(changes.reviews.size());
    for (size_t i = 0; i < changes.spend.size(); ++i) seqs.spend.push_back(++seq_);
    return seqs;
  }

 private:
  std::mt19937 rng_;
  int next_id_ = 0;
  int64_t seq_ = 0;
};

TEST(IncrementalRollupTest, EqualsAWholeRollupAfterEveryRandomWrite) {
  int incremental = 0;
  int whole_from_parts = 0;
  for (uint32_t seed = 1; seed <= 20; ++seed) {
    RandomWorkspace random(seed);
    Workspace ws = random.Make();
    const Date as_of = D("2026-03-15");
    Rollup rollup = ComputeRollup(ws, as_of);
    for (int step = 0; step < 60; ++step) {
      const Workspace edited = random.Edit(ws);
      const ChangeSet changes = DiffWorkspaces(ws, edited);
      auto after = ApplyChanges(ws, changes, random.Seqs(changes));
      ASSERT_TRUE(after) << after.error().message;
      const Rollup want = ComputeRollup(*after, as_of);
      if (UpdateRollupCovers(*after)) {
        ++whole_from_parts;
        const WorkspaceIndex index(*after);
        const GoalLinks links(*after, index);
        const auto by_kpi = ByKpi(*after);
        ExpectSameRollup(RollupFromParts(
                             *after, links,
                             [&](size_t k) { return std::span<const Checkin>(by_kpi[k]); }, as_of),
                         want,
                         "whole, seed " + std::to_string(seed) + ", step " + std::to_string(step));
      }
      if (auto got = Incremental(ws, rollup, *after, changes)) {
        ++incremental;
        ExpectSameRollup(*got, want,
                         "seed " + std::to_string(seed) + ", step " + std::to_string(step));
        if (::testing::Test::HasFailure()) return;
        rollup = std::move(*got);
      } else {
        rollup = want;
      }
      ws = std::move(*after);
    }
  }
  EXPECT_GT(incremental, 600);  // most writes went the incremental way
  EXPECT_GT(whole_from_parts, 100);  // and many workspaces had no formula left to read
  std::printf("incremental %d, whole from parts %d\n", incremental, whole_from_parts);
}

// Goals (id, parent) and KPIs (id, goal; target 10), each at version 1.
void AddGoals(Workspace& ws, std::initializer_list<std::pair<const char*, const char*>> goals) {
  for (const auto& [id, parent] : goals) {
    Goal g;
    g.id = id;
    g.parent = parent;
    g.version = 1;
    ws.goals.push_back(g);
  }
}
void AddKpis(Workspace& ws, std::initializer_list<std::pair<const char*, const char*>> kpis) {
  for (const auto& [id, goal] : kpis) {
    Kpi k;
    k.id = id;
    k.goal = goal;
    k.target = 10;
    k.version = 1;
    ws.kpis.push_back(k);
  }
}

Workspace Chain() {
  Workspace ws;
  for (const char* id : {"top", "mid", "leaf", "other"}) {
    Goal g;
    g.id = id;
    g.version = 1;
    ws.goals.push_back(g);
  }
  ws.goals[0].start = D("2026-01-01");
  ws.goals[0].due = D("2026-12-31");
  ws.goals[1].parent = "top";
  ws.goals[2].parent = "mid";
  ws.goals[2].start = D("2026-02-01");
  AddKpis(ws, {{"reach", "leaf"}, {"fans", "mid"}, {"calls", "other"}});
  return ws;
}

// AffectedGoals of `edited` written over `ws` (a diff), on the workspace after it.
std::optional<Affected> AffectedByEdit(const Workspace& ws, const Workspace& edited) {
  const ChangeSet changes = DiffWorkspaces(ws, edited);
  auto after = ApplyChanges(ws, changes, AssignedSeqs{});
  if (!after) {
    ADD_FAILURE() << after.error().message;
    return std::nullopt;
  }
  const WorkspaceIndex index(*after);
  const GoalLinks links(*after, index);
  return AffectedGoals(ws, *after, index, links, changes);
}

TEST(AffectedGoalsTest, ACheckinTouchesItsKpiAndItsGoalWithItsAncestors) {
  const Workspace ws = Chain();
  ChangeSet changes;
  changes.checkins.push_back({"reach", D("2026-03-01"), 4, "", "", 0});
  auto after = ApplyChanges(ws, changes, AssignedSeqs{{1}, {}, {}});
  ASSERT_TRUE(after);
  const WorkspaceIndex index(*after);
  const GoalLinks links(*after, index);
  auto affected = AffectedGoals(ws, *after, index, links, changes);
  ASSERT_TRUE(affected);
  EXPECT_EQ(affected->kpis, (std::vector<int>{0}));
  EXPECT_EQ(affected->goals, (std::vector<int>{2, 1, 0}));  // leaf, mid, top; not "other"
  EXPECT_FALSE(affected->order);
}

TEST(AffectedGoalsTest, AMovedStartReachesTheGoalsThatInheritIt) {
  const Workspace ws = Chain();
  Workspace edited = ws;
  edited.goals[0].start = D("2026-01-15");
  auto affected = AffectedByEdit(ws, edited);
  ASSERT_TRUE(affected);
  // top and mid (inherits top's start) with mid's KPI; leaf has a start of its own.
  EXPECT_EQ(affected->goals, (std::vector<int>{0, 1}));
  EXPECT_EQ(affected->kpis, (std::vector<int>{1}));
}

// One write removes a goal and moves another (a plan applied with prune can): positions after it
// are not those before, so the walk of the moved goal's ancestors before the write maps them. Here
// it read c (position 2 before the write) for p (position 2 after) and went round forever.
TEST(AffectedGoalsTest, ARemovalAndAMoveInOneWriteWalkTheTreeBeforeByItsOwnPositions) {
  Workspace ws;
  AddGoals(ws, {{"r", "p"}, {"m", ""}, {"c", "p"}, {"p", ""}});  // c made before its parent p
  for (Goal& g : ws.goals) {
    g.start = D("2026-01-01");
    g.due = D("2026-12-31");
  }
  AddKpis(ws, {{"rk", "r"}, {"mk", "m"}, {"ck", "c"}});
  ws.checkins = {{"mk", D("2026-02-01"), 4, "", "", 1}, {"ck", D("2026-02-01"), 8, "", "", 2}};
  const Date as_of = D("2026-03-01");
  const Rollup before = ComputeRollup(ws, as_of);
  Workspace edited = ws;
  erase_if(edited.goals, [](const Goal& g) { return g.id == "r"; });
  erase_if(edited.kpis, [](const Kpi& k) { return k.id == "rk"; });
  edited.goals[0].parent = "p";  // m
  const ChangeSet changes = DiffWorkspaces(ws, edited);
  auto after = ApplyChanges(ws, changes, AssignedSeqs{});
  ASSERT_TRUE(after) << after.error().message;
  const WorkspaceIndex index(*after);
  const GoalLinks links(*after, index);
  WorkspaceIndex::Removed removed;
  removed[WorkspaceIndex::kGoals] = {0};
  removed[WorkspaceIndex::kKpis] = {0};
  auto affected = AffectedGoals(ws, *after, index, links, changes, &removed);
  ASSERT_TRUE(affected);
  EXPECT_TRUE(affected->moved);
  const auto by_kpi = ByKpi(*after);
  auto got = UpdateRollup(RemoveFromRollup(before, removed[WorkspaceIndex::kGoals],
                                           removed[WorkspaceIndex::kKpis]),
                          *after, links,
                          [&](size_t k) { return std::span<const Checkin>(by_kpi[k]); }, *affected);
  ASSERT_TRUE(got);
  ExpectSameRollup(*got, ComputeRollup(*after, as_of), "removal and move");
  // p (after: position 2) holds c and now m: (0.8 + 0.4) / 2.
  EXPECT_DOUBLE_EQ(*got->goals[2].progress, 0.6);
}

// Stored data with a cycle (a under b, b under a: validation refuses it, a database may still
// hold it): the order before reached a and b from no root. The write that breaks the cycle makes
// b a root with a under it, which the order is walked again for, not rotated into.
TEST(AffectedGoalsTest, AMoveOutOfACycleGivesTheOrderOfAWholeRollup) {
  Workspace ws;
  AddGoals(ws, {{"a", "b"}, {"b", "a"}, {"r", ""}});
  AddKpis(ws, {{"ak", "a"}});
  ws.checkins = {{"ak", D("2026-02-01"), 5, "", "", 1}};
  const Date as_of = D("2026-03-01");
  const Rollup before = ComputeRollup(ws, as_of);
  Workspace edited = ws;
  edited.goals[1].parent.clear();  // b
  const ChangeSet changes = DiffWorkspaces(ws, edited);
  auto after = ApplyChanges(ws, changes, AssignedSeqs{});
  ASSERT_TRUE(after) << after.error().message;
  auto got = Incremental(ws, before, *after, changes);
  ASSERT_TRUE(got);
  const Rollup want = ComputeRollup(*after, as_of);
  ExpectSameRollup(*got, want, "out of a cycle");
  EXPECT_EQ(std::vector<int>(got->order.begin(), got->order.end()), (std::vector<int>{1, 0, 2}));
  EXPECT_EQ(got->depth[0], 1);
  EXPECT_DOUBLE_EQ(*got->goals[1].progress, 0.5);  // b: its child a's
}

TEST(AffectedGoalsTest, AMoveTouchesTheOldAndTheNewAncestorsAndTheOrder) {
  const Workspace ws = Chain();
  Workspace edited = ws;
  edited.goals[2].parent = "other";
  const ChangeSet changes = DiffWorkspaces(ws, edited);
  auto after = ApplyChanges(ws, changes, AssignedSeqs{});
  ASSERT_TRUE(after);
  const WorkspaceIndex index(*after);
  const GoalLinks links(*after, index);
  auto affected = AffectedGoals(ws, *after, index, links, changes);
  ASSERT_TRUE(affected);
  EXPECT_TRUE(affected->order);
  std::vector<int> goals = affected->goals;
  std::sort(goals.begin(), goals.end());
  EXPECT_EQ(goals, (std::vector<int>{0, 1, 2, 3}));
}

TEST(AffectedGoalsTest, CreatingOrRemovingWhatTheRollupDoesNotReadTouchesNothing) {
  Workspace ws = Chain();
  ws.actions = {{"brief", "leaf", "Brief", "", std::nullopt, false, {}, 1}};
  Workspace edited = ws;
  edited.actions.clear();
  edited.teams.push_back({"social", "Social", "", 0});
  const ChangeSet changes = DiffWorkspaces(ws, edited);
  ASSERT_EQ(changes.changes.size(), 2u);
  auto after = ApplyChanges(ws, changes, AssignedSeqs{});
  ASSERT_TRUE(after);
  const WorkspaceIndex index(*after);
  const GoalLinks links(*after, index);
  auto affected = AffectedGoals(ws, *after, index, links, changes);
  ASSERT_TRUE(affected);
  EXPECT_TRUE(affected->goals.empty());
  EXPECT_TRUE(affected->kpis.empty());
}

TEST(AffectedGoalsTest, CreatingOrRemovingAGoalOrKpiIsLeftToAWholeRollup) {
  const Workspace ws = Chain();
  Workspace edited = ws;
  edited.kpis.pop_back();
  const ChangeSet changes = DiffWorkspaces(ws, edited);
  auto after = ApplyChanges(ws, changes, AssignedSeqs{});
  ASSERT_TRUE(after);
  const WorkspaceIndex index(*after);
  const GoalLinks links(*after, index);
  EXPECT_FALSE(AffectedGoals(ws, *after, index, links, changes));
}

// A whole roll-up from check-ins kept per KPI covers everything but formula KPIs.
TEST(UpdateRollupCovers, AllButFormulas) {
  Workspace ws;
  ws.goals.push_back({.id = "g", .title = "A goal"});
  ws.kpis.push_back({.id = "a", .goal = "g", .name = "A", .target = 10});
  ws.kpis.push_back({.id = "b", .goal = "g", .name = "B", .target = 10});
  ws.kpis.back().benchmark_for = "a";
  EXPECT_TRUE(UpdateRollupCovers(ws));
  ws.kpis.push_back(
      {.id = "f", .goal = "g", .name = "F", .kind = KpiKind::kFormula, .target = 10});
  ws.kpis.back().formula = "{a} * 2";
  EXPECT_FALSE(UpdateRollupCovers(ws));
}

// A check-in on a KPI a formula reads, or a formula's own edit, is left to a whole roll-up; one on
// a KPI no formula reads is not, nor are a cycle's new dates.
TEST(AffectedGoalsTest, FormulasAreLeftToAWholeRollup) {
  Workspace ws = Chain();
  ws.kpis.push_back({.id = "rate", .goal = "other", .name = "Rate", .kind = KpiKind::kFormula,
                     .target = 10, .version = 1});
  ws.kpis.back().formula = "{calls} / 2";
  ws.cycles.push_back({.id = "q1", .name = "Q1", .start = D("2026-01-01"),
                       .end = D("2026-03-31"), .version = 1});
  const auto affected = [&](const ChangeSet& changes) {
    AssignedSeqs seqs;
    for (size_t i = 0; i < changes.checkins.size(); ++i) seqs.checkins.push_back(1 + i);
    auto after = ApplyChanges(ws, changes, seqs);
    if (!after) {
      ADD_FAILURE() << after.error().message;
      return false;
    }
    const WorkspaceIndex index(*after);
    const GoalLinks links(*after, index);
    EXPECT_TRUE(links.formula_bound(2));   // calls
    EXPECT_TRUE(links.formula_bound(3));   // rate
    EXPECT_FALSE(links.formula_bound(0));  // reach
    return AffectedGoals(ws, *after, index, links, changes).has_value();
  };
  ChangeSet read;
  read.checkins.push_back({"calls", D("2026-03-01"), 4, "", "", 0});
  EXPECT_FALSE(affected(read));
  ChangeSet unread;
  unread.checkins.push_back({"reach", D("2026-03-01"), 4, "", "", 0});
  EXPECT_TRUE(affected(unread));
  Workspace moved = ws;
  moved.cycles[0].end = D("2026-04-30");
  EXPECT_TRUE(affected(DiffWorkspaces(ws, moved)));  // computed again for the cycle's goals
  Workspace closed = ws;
  closed.cycles[0].state = CycleState::kClosed;  // the dates stay: nothing to compute again
  EXPECT_TRUE(affected(DiffWorkspaces(ws, closed)));
}

// A cycle's new dates reach the goals in it, the goals below them that inherit their start (not
// one that sets its own) and their ancestors; not a goal of another cycle.
TEST(AffectedGoalsTest, ACyclesNewDatesReachItsGoalsAndWhatInheritsFromThem) {
  Workspace ws = Chain();
  ws.cycles.push_back({.id = "q1", .name = "Q1", .start = D("2026-01-01"),
                       .end = D("2026-03-31"), .version = 1});
  ws.cycles.push_back({.id = "q2", .name = "Q2", .start = D("2026-04-01"),
                       .end = D("2026-06-30"), .version = 1});
  ws.goals[0].start.reset();
  ws.goals[0].due.reset();
  ws.goals[1].cycle = "q1";   // mid, under top; leaf below it sets its own start
  ws.goals[3].cycle = "q2";   // other
  Workspace edited = ws;
  edited.cycles[0].start = D("2026-01-15");
  auto affected = AffectedByEdit(ws, edited);
  ASSERT_TRUE(affected);
  std::vector<int> goals = affected->goals;
  std::sort(goals.begin(), goals.end());
  EXPECT_EQ(goals, (std::vector<int>{0, 1}));  // top (an ancestor), mid
  std::vector<int> kpis = affected->kpis;
  EXPECT_EQ(kpis, (std::vector<int>{1}));  // fans, mid's
  EXPECT_FALSE(affected->order);
}

}  // namespace
}  // namespace cascade

namespace cascade {
namespace {

// The links after removals, made from the links before (what moves found in their groups, the
// chunks before it kept), are those built from the workspace after, on a tree of 3,000 goals: the
// removed positions in the first, second and last chunk of 1,024 goals, so that groups in chunks
// before the first removed owner hold items that move (which a workspace of a few goals never has).
// Links kept up by a write equal those built whole on the workspace after it.
void ExpectSameLinks(const GoalLinks& got, const GoalLinks& want, const Workspace& after) {
  const auto same = [](std::span<const int> a, std::span<const int> b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end());
  };
  for (size_t g = 0; g < after.goals.size(); ++g) {
    ASSERT_EQ(got.parent(g), want.parent(g)) << g;
    ASSERT_TRUE(same(got.children(g), want.children(g))) << g;
    ASSERT_TRUE(same(got.kpis(g), want.kpis(g))) << g;
    ASSERT_TRUE(same(got.supporters(g), want.supporters(g))) << g;
  }
  for (size_t k = 0; k < after.kpis.size(); ++k) {
    ASSERT_EQ(got.kpi_goal(k), want.kpi_goal(k)) << k;
    ASSERT_TRUE(same(got.benchmarks(k), want.benchmarks(k))) << k;
  }
}

// 3,000 goals and 4,500 KPIs linked at random: parents anywhere before, so that a goal's children
// sit in every chunk; a few supports and benchmarks.
Workspace LinkedAtRandom(std::mt19937& rng) {
  const auto pick = [&rng](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
  Workspace ws;
  for (int g = 0; g < 3000; ++g) {
    Goal goal;
    goal.id = "g" + std::to_string(g);
    if (g > 0 && pick(10) != 0) goal.parent = "g" + std::to_string(pick(static_cast<size_t>(g)));
    if (g > 0 && pick(20) == 0) goal.supports = {"g" + std::to_string(pick(3000))};
    ws.goals.push_back(goal);
  }
  for (int k = 0; k < 4500; ++k) {
    Kpi kpi;
    kpi.id = "k" + std::to_string(k);
    kpi.goal = "g" + std::to_string(pick(3000));
    if (pick(30) == 0) kpi.benchmark_for = "k" + std::to_string(pick(4500));
    ws.kpis.push_back(kpi);
  }
  return ws;
}

TEST(GoalLinksTest, AfterRemovalsTheyAreTheLinksOfTheWorkspaceAfter) {
  std::mt19937 rng(11);
  Workspace ws = LinkedAtRandom(rng);
  const WorkspaceIndex index(ws);
  const GoalLinks before(ws, index);
  for (const std::vector<int>& goals_removed :
       {std::vector<int>{5, 1500, 2999}, std::vector<int>{2998}, std::vector<int>{},
        std::vector<int>{1100, 1101}}) {
    SCOPED_TRACE("goals removed: " + std::to_string(goals_removed.size()));
    std::set<std::string> gone_goals;
    for (const int g : goals_removed) gone_goals.insert(ws.goals[static_cast<size_t>(g)].id);
    // Their KPIs go with them, and a few others.
    std::vector<int> kpis_removed;
    for (size_t k = 0; k < ws.kpis.size(); ++k) {
      if (gone_goals.contains(ws.kpis[k].goal) || k == 4499 || k == 2000) {
        kpis_removed.push_back(static_cast<int>(k));
      }
    }
    Workspace after = ws;
    erase_if(after.goals, [&](const Goal& g) { return gone_goals.contains(g.id); });
    std::set<int> gone_kpis(kpis_removed.begin(), kpis_removed.end());
    CowVector<Kpi> kept;
    for (size_t k = 0; k < ws.kpis.size(); ++k) {
      if (!gone_kpis.contains(static_cast<int>(k))) kept.push_back(ws.kpis[k]);
    }
    after.kpis = std::move(kept);
    const GoalLinks got(before, goals_removed, kpis_removed);
    const WorkspaceIndex after_index(after);
    const GoalLinks want(after, after_index);
    ExpectSameLinks(got, want, after);
  }
}

TEST(GoalLinksTest, AfterRelinksTheyAreTheLinksOfTheWorkspaceAfter) {
  std::mt19937 rng(17);
  const auto pick = [&rng](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
  Workspace ws = LinkedAtRandom(rng);
  // The index's keys are views of the ids of the workspace it is built on: that one stays as it
  // is (the writes below clone the chunks they change), as the server keeps it.
  const Workspace original = ws;
  const WorkspaceIndex index(original);
  auto links = std::make_shared<const GoalLinks>(ws, index);
  for (int write = 0; write < 20; ++write) {
    SCOPED_TRACE("write " + std::to_string(write));
    // A few goals moved or re-supported and KPIs moved or re-benchmarked, anywhere.
    const Workspace before = ws;
    std::vector<GoalLinks::Relinked> goals;
    std::vector<GoalLinks::RelinkedKpi> kpis;
    for (size_t n = 1 + pick(3); n > 0; --n) {
      const size_t g = pick(ws.goals.size());
      if (std::any_of(goals.begin(), goals.end(), [&](const auto& r) { return r.goal == int(g); }))
        continue;
      Goal& goal = ws.goals[g];
      if (g > 0 && pick(2) == 0) {
        goal.parent = "g" + std::to_string(pick(g));
      } else {
        goal.supports = {"g" + std::to_string(pick(3000))};
      }
      goals.push_back({static_cast<int>(g), &before.goals[g]});
    }
    for (size_t n = 1 + pick(3); n > 0; --n) {
      const size_t k = pick(ws.kpis.size());
      if (std::any_of(kpis.begin(), kpis.end(), [&](const auto& r) { return r.kpi == int(k); }))
        continue;
      Kpi& kpi = ws.kpis[k];
      if (pick(2) == 0) {
        kpi.goal = "g" + std::to_string(pick(3000));
      } else {
        kpi.benchmark_for = pick(3) == 0 ? "" : "k" + std::to_string(pick(4500));
      }
      kpis.push_back({static_cast<int>(k), &before.kpis[k]});
    }
    const GoalLinks* was = links.get();
    auto got = std::make_shared<const GoalLinks>(*was, ws, index, goals, kpis);
    ExpectSameLinks(*got, GoalLinks(ws, index), ws);
    links = std::move(got);
  }
}

}  // namespace
}  // namespace cascade
