// WorkspaceCache's freshness check: every commit of another connection is seen at once, and
// nothing else looks like a change. How SQLite answers (the WAL index's shared memory, or SQLite
// asked) is tested with the store (src/store/sqlite_data_version_test.cc).
#include "server/workspace_cache.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <algorithm>
#include <random>
#include <set>
#include <span>
#include <string>

#include "core/incremental_rollup.h"
#include "core/rollup.h"
#include "store/store.h"

namespace cascade {
namespace {

class WorkspaceCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cascade-cache-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "w.db").string();
    auto store = OpenStore(path_);  // the schema, in WAL mode
    ASSERT_TRUE(store.ok()) << store.error().message;
    store_ = std::move(*store);
    ASSERT_EQ(sqlite3_open(path_.c_str(), &writer_), SQLITE_OK);
  }
  void TearDown() override {
    sqlite3_close(writer_);
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Exec(const std::string& sql) {
    char* message = nullptr;
    ASSERT_EQ(sqlite3_exec(writer_, sql.c_str(), nullptr, nullptr, &message), SQLITE_OK)
        << (message ? message : "") << " in " << sql;
  }

  std::filesystem::path dir_;
  std::string path_;
  std::unique_ptr<Store> store_;
  sqlite3* writer_ = nullptr;
};

TEST_F(WorkspaceCacheTest, EveryCommitOfAnotherConnectionIsSeenAtOnce) {
  WorkspaceCache cache(path_);
  ASSERT_TRUE(cache.watching());
  uint64_t version = cache.DataVersion();
  EXPECT_NE(version, 0u);
  EXPECT_EQ(cache.DataVersion(), version);
  for (int i = 0; i < 200; ++i) {
    Exec("INSERT INTO login_failures (subject, at) VALUES ('x', " + std::to_string(i) + ")");
    if (i % 50 == 49) Exec("PRAGMA wal_checkpoint(TRUNCATE)");  // the WAL starts over
    const uint64_t now = cache.DataVersion();
    EXPECT_NE(now, version) << "commit " << i;
    version = now;
    EXPECT_EQ(cache.DataVersion(), version) << "after commit " << i;
  }
  // A transaction that changes nothing is not a change; one rolled back neither.
  Exec("BEGIN; SELECT count(*) FROM goals; COMMIT");
  Exec("BEGIN IMMEDIATE; DELETE FROM login_failures; ROLLBACK");
  EXPECT_EQ(cache.DataVersion(), version);
}

// The cache asks its store only: one given to it is the one asked.
TEST_F(WorkspaceCacheTest, AskedThroughTheStoreItWasGiven) {
  auto watcher = OpenStore(path_);
  ASSERT_TRUE(watcher.ok());
  WorkspaceCache cache(std::move(*watcher));
  ASSERT_TRUE(cache.watching());
  const uint64_t version = cache.DataVersion();
  EXPECT_NE(version, 0u);
  Exec("INSERT INTO login_failures (subject, at) VALUES ('x', 1)");
  EXPECT_NE(cache.DataVersion(), version);
  // Nothing to watch: every use is a change.
  WorkspaceCache none(std::unique_ptr<Store>{});
  EXPECT_FALSE(none.watching());
  EXPECT_EQ(none.DataVersion(), 0u);
  WorkspaceCache memory(":memory:");
  EXPECT_FALSE(memory.watching());
}

Date D(const char* text) { return *Date::Parse(text); }

// A few goals two levels deep, KPIs of each kind and some check-ins.
Workspace Small() {
  Workspace ws;
  ws.teams = {{"marketing", "Marketing", "", 0}};
  ws.people = {{"dana", "Dana", "", "marketing", Role::kLead, 0}};
  for (int i = 0; i < 8; ++i) {
    Goal g;
    g.id = "g" + std::to_string(i);
    g.title = g.id;
    g.level = i < 2 ? Level::kMacro : Level::kMicro;
    g.parent = i < 2 ? "" : "g" + std::to_string(i % 2);
    if (i < 2) {
      g.start = D("2026-01-01");
      g.due = D("2026-12-31");
    }
    ws.goals.push_back(g);
  }
  for (int i = 0; i < 12; ++i) {
    Kpi k;
    k.id = "k" + std::to_string(i);
    k.goal = "g" + std::to_string(2 + i % 6);
    k.kind = i % 3 == 0 ? KpiKind::kCumulative : KpiKind::kLevel;
    k.target = 100;
    ws.kpis.push_back(k);
  }
  for (int i = 0; i < 40; ++i) {
    ws.checkins.push_back(
        {"k" + std::to_string(i % 12), D("2026-02-01") + i, double(i), "", "", 0});
  }
  return ws;
}

void ExpectSameWorkspace(const Workspace& got, const Workspace& want) {
  EXPECT_EQ(got.teams, want.teams);
  EXPECT_EQ(got.people, want.people);
  EXPECT_EQ(got.goals, want.goals);
  EXPECT_EQ(got.kpis, want.kpis);
  EXPECT_EQ(got.checkins, want.checkins);
  EXPECT_EQ(got.actions, want.actions);
  EXPECT_EQ(got.funnels, want.funnels);
  EXPECT_EQ(got.experiments, want.experiments);
  EXPECT_EQ(got.comments, want.comments);
  EXPECT_EQ(got.reviews, want.reviews);
}

void ExpectSameRollup(const Rollup& got, const Rollup& want) {
  ASSERT_EQ(got.goals.size(), want.goals.size());
  ASSERT_EQ(got.kpis.size(), want.kpis.size());
  for (size_t g = 0; g < want.goals.size(); ++g) {
    EXPECT_EQ(got.goals[g].start, want.goals[g].start) << g;
    EXPECT_EQ(got.goals[g].progress, want.goals[g].progress) << g;
    EXPECT_EQ(got.goals[g].expected, want.goals[g].expected) << g;
    EXPECT_EQ(got.goals[g].forecast, want.goals[g].forecast) << g;
    EXPECT_EQ(got.goals[g].status, want.goals[g].status) << g;
  }
  for (size_t k = 0; k < want.kpis.size(); ++k) {
    EXPECT_EQ(got.kpis[k].value, want.kpis[k].value) << k;
    EXPECT_EQ(got.kpis[k].progress, want.kpis[k].progress) << k;
    EXPECT_EQ(got.kpis[k].forecast, want.kpis[k].forecast) << k;
    EXPECT_EQ(got.kpis[k].stale, want.kpis[k].stale) << k;
  }
  EXPECT_EQ(std::vector<int>(got.order.begin(), got.order.end()),
            std::vector<int>(want.order.begin(), want.order.end()));
  EXPECT_EQ(got.summary, want.summary);
}

class SnapshotTest : public WorkspaceCacheTest {
 protected:
  void SetUp() override {
    WorkspaceCacheTest::SetUp();
    ASSERT_TRUE(store_->Apply(DiffWorkspaces(Workspace{}, Small()), "test").ok());
  }
  // What a load gives now.
  Workspace Fresh() {
    auto ws = store_->Load();
    EXPECT_TRUE(ws.ok());
    return ws.ok() ? std::move(*ws) : Workspace{};
  }
  void RandomWrites(bool formula);
  const Date as_of_ = D("2026-04-01");
};

TEST_F(SnapshotTest, AWriteOfItsOwnMovesTheCacheToTheNextSnapshotWithoutLoading) {
  WorkspaceCache cache(path_);
  auto first = cache.Current(*store_);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(cache.loads(), 1u);
  const auto rollup_before = (*first)->RollupAsOf(as_of_);
  ChangeSet changes;
  changes.checkins.push_back({"k4", D("2026-03-30"), 70, "on the way", "dana", 0});
  auto applied = cache.Commit(*store_, changes, "dana");
  ASSERT_TRUE(applied.ok()) << applied.error().message;
  EXPECT_EQ(cache.snapshots_made(), 1u);
  auto next = cache.Current(*store_);
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(cache.loads(), 1u);  // not loaded again
  EXPECT_TRUE((*next)->derived());
  EXPECT_NE(next->get(), first->get());
  // The snapshot before is untouched: readers holding it see what they saw.
  EXPECT_EQ((*first)->ws().checkins.size(), 40u);
  EXPECT_EQ((*first)->RollupAsOf(as_of_), rollup_before);
  const Workspace fresh = Fresh();
  ExpectSameWorkspace((*next)->ws(), fresh);
  EXPECT_EQ((*next)->CheckinsOf(4).back().value, 70);
  EXPECT_EQ((*next)->CheckinsOf(4).back().seq, applied->checkin_seqs[0]);
  // The carried roll-up, computed again for k4's goal and its parent, is a whole one's.
  ExpectSameRollup(*(*next)->RollupAsOf(as_of_), ComputeRollup(fresh, as_of_));
  // g6 holds k4 (its last value 28, now 70, of 100) and k10 (34).
  EXPECT_DOUBLE_EQ(*rollup_before->goals[6].progress, (0.28 + 0.34) / 2);
  EXPECT_DOUBLE_EQ(*(*next)->RollupAsOf(as_of_)->goals[6].progress, (0.70 + 0.34) / 2);
}

TEST_F(SnapshotTest, ALoadedSnapshotKeepsTheCheckinsPerKpiInTheOrderRecorded) {
  WorkspaceCache cache(path_);
  auto snap = cache.Current(*store_);
  ASSERT_TRUE(snap.ok());
  const WorkspaceSnapshot& s = **snap;
  EXPECT_TRUE(s.entities().checkins.empty());  // kept per KPI, not twice
  // Small() records check-in i (value i) for KPI k(i % 12): k3's are 3, 15, 27, 39.
  std::vector<double> k3;
  for (const Checkin& c : s.CheckinsOf(3)) k3.push_back(c.value);
  EXPECT_EQ(k3, (std::vector<double>{3, 15, 27, 39}));
  EXPECT_EQ(s.CheckinsOf(11).size(), 3u);  // 11, 23, 35
  const auto order = s.CheckinsInOrder();
  ASSERT_EQ(order.size(), 40u);
  for (size_t i = 0; i < order.size(); ++i) EXPECT_EQ(order[i]->value, double(i)) << i;
  EXPECT_EQ(s.FindCheckin(order[17]->seq), order[17]);
  EXPECT_EQ(s.FindCheckin(order[39]->seq + 1), nullptr);
  ExpectSameWorkspace(s.ws(), Fresh());
  ExpectSameRollup(*s.RollupAsOf(as_of_), ComputeRollup(Fresh(), as_of_));
}

TEST_F(SnapshotTest, AWriteOfAnotherProcessIsStillLoaded) {
  WorkspaceCache cache(path_);
  ASSERT_TRUE(cache.Current(*store_).ok());
  // Another process writes between the snapshot the cache holds and the server's own write.
  Exec("UPDATE goals SET title = 'Renamed elsewhere' WHERE id = 'g3'");
  ChangeSet changes;
  changes.checkins.push_back({"k4", D("2026-03-30"), 70, "", "dana", 0});
  ASSERT_TRUE(cache.Commit(*store_, changes, "dana").ok());
  EXPECT_EQ(cache.snapshots_made(), 0u);
  auto next = cache.Current(*store_);
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(cache.loads(), 2u);
  EXPECT_FALSE((*next)->derived());
  EXPECT_EQ((*next)->ws().goals[3].title, "Renamed elsewhere");
  EXPECT_EQ((*next)->ws().checkins.size(), 41u);
  // And after a snapshot of its own, a write of another process is seen at once.
  changes.checkins[0].value = 71;
  ASSERT_TRUE(cache.Commit(*store_, changes, "dana").ok());
  EXPECT_EQ(cache.snapshots_made(), 1u);
  Exec(
      "INSERT INTO checkins (kpi, date, value, note, author) VALUES ('k5', '2026-03-31', 5, '', "
      "'')");
  auto after = cache.Current(*store_);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(cache.loads(), 3u);
  ExpectSameWorkspace((*after)->ws(), Fresh());
}

// Random writes of every kind through the cache: after each, the snapshot is what a load gives,
// and its roll-up (carried over, computed again for what changed) is a whole roll-up's.
// Random writes through a cache, each checked against what a load gives. With `formula`, the
// workspace holds a formula KPI (reading k1 and k2) that a removal may take away.
void SnapshotTest::RandomWrites(bool formula) {
  if (formula) {
    Workspace ws = Fresh(), edited = ws;
    Kpi f;
    f.id = "f";
    f.goal = "g7";
    f.kind = KpiKind::kFormula;
    f.formula = "{k1} + {k2}";
    f.target = 100;
    edited.kpis.push_back(f);
    ASSERT_TRUE(store_->Apply(DiffWorkspaces(ws, edited), "test").ok());
  }
  // Whether a formula reads the KPI (its removal would be refused).
  const auto read = [](const Workspace& w, const std::string& kpi) {
    return std::any_of(w.kpis.begin(), w.kpis.end(), [&](const Kpi& k) {
      return k.formula.find("{" + kpi + "}") != std::string::npos;
    });
  };
  bool formula_removed = false;
  WorkspaceCache cache(path_);
  std::mt19937 rng(7);
  const auto pick = [&rng](size_t n) {
    return std::uniform_int_distribution<size_t>(0, n - 1)(rng);
  };
  int next_id = 100;
  for (int step = 0; step < 80; ++step) {
    SCOPED_TRACE("step " + std::to_string(step));
    auto snap = cache.Current(*store_);
    ASSERT_TRUE(snap.ok());
    (*snap)->RollupAsOf(as_of_);  // cached, so carried over
    const Workspace& ws = (*snap)->ws();
    Workspace edited = ws;
    switch (pick(11)) {
      case 0:
      case 1:
        edited.checkins.push_back({ws.kpis[pick(ws.kpis.size())].id,
                                   D("2026-01-15") + int(pick(100)), double(pick(120)), "", "", 0});
        break;
      case 2:
        if (!edited.checkins.empty()) edited.checkins[pick(edited.checkins.size())].value += 3;
        break;
      case 3:
        if (!edited.checkins.empty())
          edited.checkins.erase(edited.checkins.begin() + pick(edited.checkins.size()));
        break;
      case 4: {
        Goal& g = edited.goals[pick(edited.goals.size())];
        g.weight = double(1 + pick(3));
        g.due = D("2026-06-01") + int(pick(200));
        break;
      }
      case 5: {  // a leaf moves under a root, or a goal supports others instead
        Goal& g = edited.goals[pick(edited.goals.size())];
        if (pick(2) == 0) {
          g.supports.clear();
          for (size_t n = pick(3); n > 0; --n) {
            const std::string& t = edited.goals[pick(edited.goals.size())].id;
            if (t != g.id && std::find(g.supports.begin(), g.supports.end(), t) == g.supports.end())
              g.supports.push_back(t);
          }
          break;
        }
        const bool leaf = std::none_of(edited.goals.begin(), edited.goals.end(),
                                       [&](const Goal& c) { return c.parent == g.id; });
        if (leaf && !g.parent.empty()) g.parent = g.parent == "g0" ? "g1" : "g0";
        break;
      }
      case 6: {  // a new goal with a KPI
        Goal g;
        g.id = "n" + std::to_string(next_id++);
        g.title = g.id;
        const size_t root = pick(2);
        g.parent = "g" + std::to_string(root);
        if (pick(2) == 0) g.supports = {"g" + std::to_string(1 - root)};  // a cross-team link
        edited.goals.push_back(g);
        Kpi k;
        k.id = "nk" + std::to_string(next_id++);
        k.goal = g.id;
        k.target = 10;
        if (pick(3) == 0) k.benchmark_for = ws.kpis[pick(ws.kpis.size())].id;  // a benchmark
        edited.kpis.push_back(k);
        break;
      }
      case 8:
      case 9: {  // a leaf goal no other supports goes, with its KPIs and their check-ins
        if (edited.goals.size() <= 6) break;
        const std::string id = edited.goals[pick(edited.goals.size())].id;
        const bool referred = std::any_of(
            edited.goals.begin(), edited.goals.end(), [&](const Goal& g) {
              return g.parent == id ||
                     std::find(g.supports.begin(), g.supports.end(), id) != g.supports.end();
            });
        if (referred) break;
        std::set<std::string> kpis;
        for (const Kpi& k : edited.kpis) {
          if (k.goal == id) kpis.insert(k.id);
        }
        if (std::any_of(kpis.begin(), kpis.end(), [&](const auto& k) { return read(ws, k); })) {
          break;
        }
        formula_removed |= kpis.contains("f");
        erase_if(edited.goals, [&](const Goal& g) { return g.id == id; });
        erase_if(edited.kpis, [&](const Kpi& k) { return k.goal == id; });
        erase_if(edited.checkins, [&](const Checkin& c) { return kpis.contains(c.kpi); });
        break;
      }
      case 10: {  // a KPI moves to another goal, or becomes a benchmark of another KPI
        Kpi& k = edited.kpis[pick(edited.kpis.size())];
        if (pick(2) == 0) {
          k.goal = edited.goals[pick(edited.goals.size())].id;
        } else {
          const std::string& other = edited.kpis[pick(edited.kpis.size())].id;
          k.benchmark_for = other == k.id ? "" : other;
        }
        break;
      }
      case 7:
        if (edited.kpis.size() > 6) {
          const std::string id = edited.kpis[pick(edited.kpis.size())].id;
          if (read(ws, id)) break;
          formula_removed |= id == "f";
          erase_if(edited.kpis, [&](const Kpi& k) { return k.id == id; });
          erase_if(edited.checkins, [&](const Checkin& c) { return c.kpi == id; });
        }
        break;
    }
    const ChangeSet changes = DiffWorkspaces(ws, edited);
    if (changes.empty()) continue;
    ASSERT_TRUE(cache.Commit(*store_, changes, "dana").ok());
    auto after = cache.Current(*store_);
    ASSERT_TRUE(after.ok());
    ASSERT_TRUE((*after)->derived());
    const Workspace fresh = Fresh();
    ExpectSameWorkspace((*after)->ws(), fresh);
    // The id index and the goal links it took over and extended are what a load builds.
    const WorkspaceIndex& index = (*after)->Index();
    for (size_t g = 0; g < fresh.goals.size(); ++g) {
      ASSERT_EQ(index.goal(fresh.goals[g].id), static_cast<int>(g)) << fresh.goals[g].id;
    }
    for (size_t k = 0; k < fresh.kpis.size(); ++k) {
      ASSERT_EQ(index.kpi(fresh.kpis[k].id), static_cast<int>(k)) << fresh.kpis[k].id;
    }
    EXPECT_EQ(index.goal("no-such-goal"), -1);
    const WorkspaceIndex fresh_index(fresh);
    const GoalLinks want(fresh, fresh_index);
    const GoalLinks& links = (*after)->Links();
    const auto same = [](std::span<const int> a, std::span<const int> b) {
      return std::equal(a.begin(), a.end(), b.begin(), b.end());
    };
    for (size_t g = 0; g < fresh.goals.size(); ++g) {
      ASSERT_EQ(links.parent(g), want.parent(g)) << fresh.goals[g].id;
      ASSERT_TRUE(same(links.children(g), want.children(g))) << fresh.goals[g].id;
      ASSERT_TRUE(same(links.kpis(g), want.kpis(g))) << fresh.goals[g].id;
      ASSERT_TRUE(same(links.supporters(g), want.supporters(g))) << fresh.goals[g].id;
    }
    for (size_t k = 0; k < fresh.kpis.size(); ++k) {
      ASSERT_EQ(links.kpi_goal(k), want.kpi_goal(k)) << fresh.kpis[k].id;
      // A formula removed leaves the KPIs it read marked (computed whole, not wrongly).
      if (formula_removed) {
        ASSERT_TRUE(links.formula_bound(k) || !want.formula_bound(k)) << fresh.kpis[k].id;
      } else {
        ASSERT_EQ(links.formula_bound(k), want.formula_bound(k)) << fresh.kpis[k].id;
      }
      ASSERT_TRUE(same(links.benchmarks(k), want.benchmarks(k))) << fresh.kpis[k].id;
    }
    ExpectSameRollup(*(*after)->RollupAsOf(as_of_), ComputeRollup(fresh, as_of_));
    // A date not carried over: computed whole from the per-KPI check-ins.
    ExpectSameRollup(*(*after)->RollupAsOf(D("2026-05-05")), ComputeRollup(fresh, D("2026-05-05")));
    if (HasFailure()) return;
  }
  EXPECT_EQ(cache.loads(), 1u);
}

TEST_F(SnapshotTest, AfterEveryRandomWriteTheSnapshotIsWhatALoadGives) { RandomWrites(false); }

TEST_F(SnapshotTest, AfterEveryRandomWriteWithAFormulaTheSnapshotIsWhatALoadGives) {
  RandomWrites(true);
}

}  // namespace
}  // namespace cascade
