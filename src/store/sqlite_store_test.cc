// The Store contract, run against real SQLite databases: a file in a temporary folder and
// ":memory:".
#include "store/sqlite/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <tuple>

#include <nlohmann/json.hpp>

#include "core/operations.h"
#include "io/entity_json.h"
#include "store/migrations.h"
#include "store/sqlite/sqlite_store_impl.h"
#include "store/store.h"

namespace cascade {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

Date D(const char* text) { return *Date::Parse(text); }

// A fresh folder per test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() /
            ("cascade-store-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

// A workspace with every field of every kind set.
Workspace FullWorkspace() {
  Workspace ws;
  ws.teams = {{"marketing", "Marketing", "", 0}, {"social", "Social Media", "marketing", 0}};
  ws.people = {{"dana", "Dana Lee", "dana@example.com", "social", Role::kLead, 0},
               {"sam", "Sam Roe", "sam@example.com", "marketing", Role::kAdmin, 0}};
  Goal macro;
  macro.id = "market-share";
  macro.title = "Achieve 20% market share within six months of launch";
  macro.description = "The launch's headline goal";
  macro.level = Level::kMacro;
  macro.owner = "sam";
  macro.team = "marketing";
  macro.start = D("2026-01-01");
  macro.due = D("2026-06-30");
  macro.weight = 2;
  macro.priority = Priority::kHigh;
  macro.growth_potential = 1.5;
  macro.budget_min = 1000;
  macro.budget_max = 20000;
  macro.channel = "paid";
  macro.stage = Stage::kConversion;
  macro.state = GoalState::kActive;
  macro.tags = {"launch", "h1", "quote\"and\\slash"};
  macro.contributors = {"dana"};
  macro.segment = "smb";
  Goal micro = macro;
  micro.id = "followers";
  micro.title = "Generate 10,000 social media followers in the first month";
  micro.level = Level::kMicro;
  micro.parent = "market-share";
  micro.owner = "dana";
  micro.team = "social";
  micro.due = D("2026-01-31");
  micro.priority = Priority::kLow;
  micro.stage = Stage::kAwareness;
  micro.state = GoalState::kDraft;
  micro.tags = {"social"};
  micro.contributors = {"sam", "dana"};
  micro.segment = "";
  ws.goals = {macro, micro};
  ws.kpis = {
      {"share", "market-share", "Market share", "%", KpiKind::kLevel, 0.5, 20, "+3900%",
       Direction::kNone, 2, 14, "analytics", "", "", 0},
      {"nps", "market-share", "Net promoter score", "pts", KpiKind::kThreshold, 30, 50, "",
       Direction::kAbove, 1, 30, "survey", "", "share", 0},
      {"followers-count", "followers", "Followers", "", KpiKind::kCumulative, 100, 10000, "",
       Direction::kNone, 1, 7, "", "", "", 0},
  };
  ws.actions = {
      {"plan-posts", "followers", "Plan the launch posts", "dana", D("2026-01-05"), true, {}, 0},
      {"publish",
       "followers",
       "Publish the launch posts",
       "dana",
       D("2026-01-10"),
       false,
       {"plan-posts"},
       0},
  };
  ws.funnels = {{"launch", "Launch funnel", {"followers-count", "share"}, 0}};
  ws.experiments = {{"hero-video", "followers", "Video hero post", {1000, 50}, {1000, 70}, 0}};
  ws.checkins = {
      {"share", D("2026-02-01"), 3.5, "first reading", "dana", 0},
      {"followers-count", D("2026-01-03"), 1200, "", "", 0},
      {"share", D("2026-01-15"), 1.25, "", "sam", 0},
  };
  ws.comments = {{0, "followers", "sam", D("2026-01-04"), "Try a giveaway"}};
  ws.reviews = {{0,
                 D("2026-02-01"),
                 "marketing",
                 "Monthly review",
                 {{"market-share", 0.25, "at_risk"}, {"followers", std::nullopt, "draft"}}}};
  return ws;
}

// Every entity with its optional fields absent and references empty where the schema allows.
Workspace SparseWorkspace() {
  Workspace ws;
  ws.teams = {{"solo", "Solo", "", 0}};
  ws.people = {{"ann", "Ann", "", "", Role::kViewer, 0}};
  Goal g;
  g.id = "root";
  g.title = "Grow the business";
  ws.goals = {g};
  Kpi k;
  k.id = "milestone";
  k.goal = "root";
  k.name = "Shipped";
  k.kind = KpiKind::kMilestone;
  k.target = 1;
  ws.kpis = {k};
  ws.actions = {{"todo", "root", "Do it", "", std::nullopt, false, {}, 0}};
  ws.funnels = {{"empty", "Empty", {}, 0}};
  ws.experiments = {{"loose", "", "Unattached pilot", {10, 0}, {10, 1}, 0}};
  ws.checkins = {{"milestone", D("2026-03-01"), 0, "", "", 0}};
  ws.comments = {{0, "root", "", D("2026-03-02"), ""}};
  ws.reviews = {{0, D("2026-03-03"), "", "", {}}};
  return ws;
}

// The ChangeSet that creates everything in `ws`, in its order.
ChangeSet CreateAll(const Workspace& ws) {
  ChangeSet cs;
  auto add = [&](const auto& items) {
    for (const auto& e : items) cs.changes.push_back({EntityChange::Op::kCreate, {}, Entity(e)});
  };
  add(ws.teams);
  add(ws.people);
  add(ws.goals);
  add(ws.kpis);
  add(ws.actions);
  add(ws.funnels);
  add(ws.experiments);
  add(ws.cycles);  // goals refer to them: the references are checked at the commit
  cs.checkins = ws.checkins;
  cs.comments.assign(ws.comments.begin(), ws.comments.end());
  cs.reviews.assign(ws.reviews.begin(), ws.reviews.end());
  cs.spend.assign(ws.spend.begin(), ws.spend.end());
  return cs;
}

// What a store returns for `ws` freshly created: version 1, seq numbered from 1.
Workspace AsStored(Workspace ws) {
  auto stamp = [](auto& items) {
    for (auto& e : items) e.version = 1;
  };
  stamp(ws.teams);
  stamp(ws.people);
  stamp(ws.goals);
  stamp(ws.kpis);
  stamp(ws.actions);
  stamp(ws.funnels);
  stamp(ws.experiments);
  int64_t seq = 0;
  for (auto& c : ws.checkins) c.seq = ++seq;
  seq = 0;
  for (auto& c : ws.comments) c.seq = ++seq;
  seq = 0;
  for (auto& r : ws.reviews) r.seq = ++seq;
  seq = 0;
  for (auto& s : ws.spend) s.seq = ++seq;
  return ws;
}

EntityChange Create(Entity e) { return {EntityChange::Op::kCreate, std::nullopt, std::move(e)}; }
EntityChange Update(Entity before, Entity after) {
  return {EntityChange::Op::kUpdate, std::move(before), std::move(after)};
}
EntityChange Delete(Entity before) {
  return {EntityChange::Op::kDelete, std::move(before), std::nullopt};
}
ChangeSet Changes(std::vector<EntityChange> changes) {
  ChangeSet cs;
  cs.changes = std::move(changes);
  return cs;
}

// A backend under test: opens a fresh, migrated, empty store in a folder of its own. StoreTest
// is the conformance suite: every TEST_P runs on each factory, and a new backend (PostgreSQL)
// passes it by adding its own. It asks nothing of a backend but the Store interface; the SQLite
// backend's own tuning (connections, pragmas) is SqliteStoreTest's, below.
struct StoreFactory {
  std::string name;
  std::function<Result<std::unique_ptr<Store>>(const TempDir& dir, std::string& location)> open;
};

const StoreFactory kSqliteFile{"SqliteFile", [](const TempDir& dir, std::string& location) {
                                 location = dir.File("cascade.db");
                                 return OpenSqliteStore(location);
                               }};
const StoreFactory kSqliteMemory{"SqliteMemory", [](const TempDir&, std::string& location) {
                                   location = ":memory:";
                                   return OpenSqliteStore(location);
                                 }};

void PrintTo(const StoreFactory& factory, std::ostream* os) { *os << factory.name; }

class StoreTest : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override {
    auto store = GetParam().open(dir_, path_);
    ASSERT_TRUE(store.ok()) << store.error().message;
    store_ = std::move(*store);
  }

  Workspace MustLoad(const LoadOptions& options = {}) {
    auto ws = store_->Load(options);
    EXPECT_TRUE(ws.ok()) << ws.error().message;
    return ws.ok() ? std::move(*ws) : Workspace{};
  }
  void MustApply(const ChangeSet& cs, const std::string& actor = "tester") {
    auto r = store_->Apply(cs, actor);
    ASSERT_TRUE(r.ok()) << r.error().message;
  }
  std::vector<HistoryEntry> MustHistory(const std::string& id = "") {
    auto h = store_->History(id);
    EXPECT_TRUE(h.ok()) << h.error().message;
    return h.ok() ? std::move(*h) : std::vector<HistoryEntry>{};
  }

  TempDir dir_;
  std::string path_;  // where the factory opened the store
  std::unique_ptr<Store> store_;
};

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreTest, ::testing::Values(kSqliteFile, kSqliteMemory),
                         [](const auto& info) { return info.param.name; });

// The SQLite backend's own tuning, on the same fixtures: a second connection that reads
// check-ins beside the first, and the connection settings.
class SqliteStoreTest : public StoreTest {
 protected:
  bool file() const { return path_ != ":memory:"; }  // other connections can open it
  SqliteStore& sqlite() { return static_cast<SqliteStore&>(*store_); }
  // Loads that read check-ins on the second connection so far.
  int64_t ParallelLoads() { return sqlite().parallel_loads(); }
};

INSTANTIATE_TEST_SUITE_P(Sqlite, SqliteStoreTest, ::testing::Values(kSqliteFile, kSqliteMemory),
                         [](const auto& info) { return info.param.name; });

void ExpectSameWorkspace(const Workspace& got, const Workspace& want) {
  EXPECT_EQ(got.teams, want.teams);
  EXPECT_EQ(got.people, want.people);
  EXPECT_EQ(got.goals, want.goals);
  EXPECT_EQ(got.kpis, want.kpis);
  EXPECT_EQ(got.actions, want.actions);
  EXPECT_EQ(got.funnels, want.funnels);
  EXPECT_EQ(got.experiments, want.experiments);
  EXPECT_EQ(got.checkins, want.checkins);
  EXPECT_EQ(got.comments, want.comments);
  EXPECT_EQ(got.reviews, want.reviews);
  EXPECT_EQ(got.spend, want.spend);
}

TEST_P(StoreTest, EmptyDatabaseLoadsEmptyAtLatestSchema) {
  const Workspace ws = MustLoad();
  ExpectSameWorkspace(ws, Workspace{});
  auto version = store_->SchemaVersion();
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, LatestSchemaVersion());
  EXPECT_TRUE(MustHistory().empty());
}

TEST_P(StoreTest, HistorySinceGivesTheRowsAfterASeqOldestFirstAtMostLimit) {
  MustApply(CreateAll(FullWorkspace()));
  const std::vector<HistoryEntry> all = MustHistory();
  ASSERT_GE(all.size(), 4u);
  auto since = store_->HistorySince(all[1].seq, 2);
  ASSERT_TRUE(since.ok()) << since.error().message;
  ASSERT_EQ(since->size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ((*since)[i].seq, all[i + 2].seq);
    EXPECT_EQ((*since)[i].kind, all[i + 2].kind);
    EXPECT_EQ((*since)[i].entity, all[i + 2].entity);
    EXPECT_EQ((*since)[i].op, all[i + 2].op);
    EXPECT_EQ((*since)[i].before, "");  // not read: the event stream needs kind and id only
  }
  auto none = store_->HistorySince(all.back().seq, 10);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_P(StoreTest, RoundTripsEveryFieldOfEveryKind) {
  const Workspace ws = FullWorkspace();
  MustApply(CreateAll(ws));
  ExpectSameWorkspace(MustLoad(), AsStored(ws));
}

TEST_P(StoreTest, RoundTripsAbsentOptionals) {
  const Workspace ws = SparseWorkspace();
  MustApply(CreateAll(ws));
  ExpectSameWorkspace(MustLoad(), AsStored(ws));
}

// The workspace of the scoped-load tests: dana of marketing and, for each {id, parent}, a goal
// (macro at a root, micro below it; dated 2026) with one KPI `<id>1` from 0 to 100.
// The ids of `items`, for comparing what a part of the workspace holds.
template <typename Items>
std::set<std::string> Ids(const Items& items) {
  std::set<std::string> out;
  for (const auto& item : items) out.insert(item.id);
  return out;
}

Workspace ScopeWorkspace(std::initializer_list<std::pair<const char*, const char*>> goals) {
  Workspace ws;
  ws.teams = {{"marketing", "Marketing", "", 0}};
  ws.people = {{"dana", "Dana Lee", "dana@example.com", "marketing", Role::kLead, 0}};
  for (const auto& [id, parent] : goals) {
    Goal g;
    g.id = id;
    g.title = std::string("Goal ") + id;
    g.level = *parent == '\0' ? Level::kMacro : Level::kMicro;
    g.parent = parent;
    g.owner = "dana";
    g.start = D("2026-01-01");
    g.due = D("2026-12-31");
    ws.goals.push_back(g);
  }
  for (const auto& [id, parent] : goals) {
    Kpi k;
    k.id = std::string(id) + "1";
    k.goal = id;
    k.name = "KPI";
    k.baseline = 0;
    k.target = 100;
    ws.kpis.push_back(k);
  }
  return ws;
}

// A part of the workspace: every team, the named KPI's goal with its ancestors (without their
// KPIs) and its descendants, their KPIs and check-ins, the people they name; siblings, other
// trees and other people left out.
TEST_P(StoreTest, LoadScopeReadsTheGoalsSubtreeAndAncestorsOnly) {
  Workspace ws = ScopeWorkspace({{"a", ""}, {"b", "a"}, {"c", "a"}, {"d", "b"}, {"e", ""}});
  ws.goals[1].level = Level::kMacro;  // b has a micro child
  // d's formula reads e1, of another tree: e1, its goal and e1's check-ins come with d.
  Kpi rate;
  rate.id = "rate";
  rate.goal = "d";
  rate.name = "Rate";
  rate.kind = KpiKind::kFormula;
  rate.formula = "{e1} * 2";
  rate.baseline = 0;
  rate.target = 100;
  ws.kpis.push_back(rate);
  for (const char* k : {"a1", "b1", "c1", "d1", "e1", "d1", "b1"}) {
    Checkin c;
    c.kpi = k;
    c.date = D("2026-02-01");
    c.value = 10;
    ws.checkins.push_back(c);
  }
  MustApply(CreateAll(ws));
  const Workspace all = MustLoad();

  auto part = store_->LoadScope({.kpis = {"b1"}, .checkins = true});
  ASSERT_TRUE(part.ok()) << part.error().message;
  EXPECT_EQ(part->teams, all.teams);
  EXPECT_EQ(part->people, all.people);  // dana owns them
  std::vector<std::string> ids;
  for (const Goal& g : part->goals) ids.push_back(g.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"a", "b", "d", "e"}));  // e for the formula's input
  ids.clear();
  for (const Kpi& k : part->kpis) ids.push_back(k.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"b1", "d1", "rate", "e1"}));
  std::vector<int64_t> seqs;
  for (const Checkin& c : part->checkins) seqs.push_back(c.seq);
  std::vector<int64_t> want;
  for (const Checkin& c : all.checkins) {
    if (c.kpi == "b1" || c.kpi == "d1" || c.kpi == "e1") want.push_back(c.seq);
  }
  EXPECT_EQ(seqs, want);  // the order recorded
  EXPECT_TRUE(part->actions.empty());

  // By goal, without check-ins; a goal and a KPI that do not exist are simply absent.
  part = store_->LoadScope({.goals = {"d", "nope"}, .kpis = {"nope"}});
  ASSERT_TRUE(part.ok()) << part.error().message;
  ids.clear();
  for (const Goal& g : part->goals) ids.push_back(g.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"a", "b", "d", "e"}));
  EXPECT_EQ(part->kpis.size(), 3u);  // d1, rate, e1
  EXPECT_TRUE(part->checkins.empty());
  // Ids are bound, not spliced: quotes and brackets are just characters of an id no goal has.
  part = store_->LoadScope({.goals = {"a\"]) OR 1=1 --"}});
  ASSERT_TRUE(part.ok()) << part.error().message;
  EXPECT_TRUE(part->goals.empty());
}

// A scoped load reads the people its goals name (owners, contributors) and those the request
// names, not the whole organisation: a large one's people would cost every write.
TEST_P(StoreTest, LoadScopeReadsOnlyThePeopleItsGoalsAndTheWriteName) {
  Workspace ws = ScopeWorkspace({{"a", ""}, {"b", "a"}, {"e", ""}});
  for (const char* id : {"ali", "bo", "cy", "eve", "zed"}) {
    ws.people.push_back({id, id, "", "marketing", Role::kMember, 0});
  }
  ws.goals[0].owner = "ali";
  ws.goals[1].owner = "bo";
  ws.goals[1].contributors = {"cy", "dana"};
  ws.goals[2].owner = "eve";
  MustApply(CreateAll(ws));

  auto part = store_->LoadScope({.kpis = {"b1"}});
  ASSERT_TRUE(part.ok()) << part.error().message;
  EXPECT_EQ(Ids(part->people), (std::set<std::string>{"ali", "bo", "cy", "dana"}));
  EXPECT_EQ(part->teams.size(), 1u);
  // Named by the write (an author, a new owner), even with no goal loaded; one not there is not.
  part = store_->LoadScope({.goal_refs = {"e"}, .people = {"zed", "nobody", ""}});
  ASSERT_TRUE(part.ok()) << part.error().message;
  EXPECT_EQ(Ids(part->people), (std::set<std::string>{"eve", "zed"}));
}

// An action write reads the action, the actions it depends on through chains (validation reads
// each one's dependencies), their goals with their ancestors and their owners; no other action.
TEST_P(StoreTest, LoadScopeReadsTheActionsAWriteNamesWithTheirDependencies) {
  Workspace ws = ScopeWorkspace({{"a", ""}, {"b", "a"}, {"e", ""}, {"f", ""}});
  ws.people.push_back({"bo", "Bo", "", "marketing", Role::kMember, 0});
  ws.actions = {{"plan", "b", "Plan", "bo", std::nullopt, false, {}, 0},
                {"write", "e", "Write", "dana", std::nullopt, false, {"plan"}, 0},
                {"ship", "e", "Ship", "dana", std::nullopt, false, {"write"}, 0},
                {"other", "f", "Other", "dana", std::nullopt, false, {}, 0}};
  MustApply(CreateAll(ws));
  auto part = store_->LoadScope({.actions = {"ship"}});
  ASSERT_TRUE(part.ok()) << part.error().message;
  EXPECT_EQ(Ids(part->actions), (std::set<std::string>{"ship", "write", "plan"}));
  EXPECT_EQ(Ids(part->goals), (std::set<std::string>{"e", "b", "a"}));  // b with its ancestor
  EXPECT_EQ(Ids(part->people), (std::set<std::string>{"dana", "bo"}));
  // A new action names its dependencies; one that does not exist is simply absent.
  part = store_->LoadScope({.actions = {"new", "other", "nothing"}});
  ASSERT_TRUE(part.ok()) << part.error().message;
  EXPECT_EQ(Ids(part->actions), (std::set<std::string>{"other"}));
  EXPECT_EQ(Ids(part->goals), (std::set<std::string>{"f"}));
}

// A cycle's new dates are its goals': a write naming the cycle reads the goals in it with their
// subtrees (and KPIs) and ancestors, not the goals of another cycle or of none.
TEST_P(StoreTest, LoadScopeReadsTheGoalsOfTheCyclesAWriteNames) {
  Workspace ws = ScopeWorkspace({{"a", ""}, {"b", "a"}, {"c", "b"}, {"e", ""}, {"f", ""}});
  ws.cycles = {{"q1", "Q1", D("2026-01-01"), D("2026-03-31"), CycleState::kOpen, 0},
               {"q2", "Q2", D("2026-04-01"), D("2026-06-30"), CycleState::kOpen, 0}};
  for (const int g : {1, 3, 4}) {
    ws.goals[static_cast<size_t>(g)].start.reset();
    ws.goals[static_cast<size_t>(g)].due.reset();
  }
  ws.goals[1].cycle = "q1";  // b, under a, over c
  ws.goals[3].cycle = "q1";  // e
  ws.goals[4].cycle = "q2";  // f
  MustApply(CreateAll(ws));
  auto part = store_->LoadScope({.cycles = {"q1", "nothing"}});
  ASSERT_TRUE(part.ok()) << part.error().message;
  EXPECT_EQ(Ids(part->goals), (std::set<std::string>{"a", "b", "c", "e"}));
  EXPECT_EQ(Ids(part->kpis), (std::set<std::string>{"b1", "c1", "e1"}));  // not a's: an ancestor
  EXPECT_EQ(Ids(part->cycles), (std::set<std::string>{"q1", "q2"}));
}

// `goal copy` reads the goals and KPIs whose ids its copies could take: those starting with
// `<id>-<cycle>` for each goal and KPI of the copied subtree (each a reference, with its goal),
// not the other copies or ids that only look alike.
TEST_P(StoreTest, LoadScopeReadsTheIdsACopyCouldTake) {
  Workspace ws = ScopeWorkspace({{"b", ""},
                                 {"c", "b"},
                                 {"b-q2", ""},
                                 {"b-q2-2", ""},
                                 {"c-q2x", ""},
                                 {"e", ""},
                                 {"b-q3", ""},
                                 {"b-q", ""}});
  Kpi taken = ws.kpis[5];  // e's
  taken.id = "c1-q2";
  ws.kpis.push_back(taken);
  MustApply(CreateAll(ws));
  auto part = store_->LoadScope({.goals = {"b"}, .copy_into = "q2"});
  ASSERT_TRUE(part.ok()) << part.error().message;
  EXPECT_EQ(Ids(part->goals), (std::set<std::string>{"b", "c", "b-q2", "b-q2-2", "c-q2x", "e"}));
  EXPECT_EQ(Ids(part->kpis), (std::set<std::string>{"b1", "c1", "c1-q2"}));
  auto plain = store_->LoadScope({.goals = {"b"}});
  ASSERT_TRUE(plain.ok()) << plain.error().message;
  EXPECT_EQ(Ids(plain->goals), (std::set<std::string>{"b", "c"}));
  // An id that is not UTF-8 (a command line's) names nothing: read as such, not thrown on.
  auto bad = store_->LoadScope({.goals = {"\xff"}, .copy_into = "q\xfe"});
  ASSERT_TRUE(bad.ok()) << bad.error().message;
  EXPECT_TRUE(bad->goals.empty());
}

// A team or person removed comes with the first of each kind of thing still naming it, which is
// what a refusal names: FirstReferrer over the part is FirstReferrer over the whole workspace, for
// every team and person, whichever kind names them first (sub-team, member, goal's team, owner,
// contributor, action owner) and however many do.
TEST_P(StoreTest, LoadScopeReadsTheFirstOfWhatNamesATeamOrPersonRemoved) {
  Workspace ws = ScopeWorkspace({{"a", ""}, {"b", "a"}, {"c", "b"}, {"e", ""}, {"f", "e"}});
  ws.teams.push_back({"brand", "Brand", "marketing", 0});
  ws.teams.push_back({"social", "Social", "brand", 0});
  ws.teams.push_back({"empty", "Empty", "", 0});
  ws.people.push_back({"mo", "Mo", "", "brand", Role::kMember, 0});
  ws.people.push_back({"zed", "Zed", "", "brand", Role::kMember, 0});
  ws.people.push_back({"kim", "Kim", "", "", Role::kMember, 0});
  ws.people.push_back({"ann", "Ann", "", "", Role::kMember, 0});
  ws.people.push_back({"idle", "Idle", "", "", Role::kMember, 0});
  ws.goals[1].team = "social";           // b
  ws.goals[2].owner = "zed";             // c
  ws.goals[3].contributors = {"kim"};    // e
  ws.goals[4].contributors = {"zed", "mo"};  // f
  ws.goals[4].owner = "kim";
  ws.goals[4].team = "brand";
  ws.actions = {{"call", "e", "Call", "ann", std::nullopt, false, {}, 0},
                {"mail", "a", "Mail", "kim", std::nullopt, false, {}, 0}};
  MustApply(CreateAll(ws));
  auto whole = store_->Load();
  ASSERT_TRUE(whole.ok()) << whole.error().message;
  int referred = 0;
  for (const Team& t : whole->teams) {
    SCOPED_TRACE("team " + t.id);
    auto part = store_->LoadScope({.teams = {t.id}, .referrers = true});
    ASSERT_TRUE(part.ok()) << part.error().message;
    EXPECT_EQ(FirstReferrer(*part, t.id, true), FirstReferrer(*whole, t.id, true));
    referred += !FirstReferrer(*whole, t.id, true).empty();
  }
  for (const Person& p : whole->people) {
    SCOPED_TRACE("person " + p.id);
    auto part = store_->LoadScope({.people = {p.id}, .referrers = true});
    ASSERT_TRUE(part.ok()) << part.error().message;
    EXPECT_TRUE(std::ranges::any_of(part->people, [&](const Person& x) { return x.id == p.id; }));
    EXPECT_EQ(FirstReferrer(*part, p.id, false), FirstReferrer(*whole, p.id, false));
    referred += !FirstReferrer(*whole, p.id, false).empty();
  }
  EXPECT_EQ(referred, 3 + 5);  // every team but empty, every person but idle
  // Only the first of each kind, with its ancestors: brand's goal f (under e), not the others.
  auto brand = store_->LoadScope({.teams = {"brand"}, .referrers = true});
  ASSERT_TRUE(brand.ok()) << brand.error().message;
  EXPECT_EQ(Ids(brand->goals), (std::set<std::string>{"e", "f"}));
  auto dana = store_->LoadScope({.people = {"dana"}, .referrers = true});
  ASSERT_TRUE(dana.ok()) << dana.error().message;
  EXPECT_EQ(Ids(dana->goals), (std::set<std::string>{"a"}));
}

// A funnel or experiment written comes with what it refers to: a funnel's stages (each KPI with
// its goal and that goal's ancestors), an experiment's goal (with its ancestors); nothing else of
// the funnels, experiments, goals or KPIs.
TEST_P(StoreTest, LoadScopeReadsTheFunnelsAndExperimentsAWriteNames) {
  Workspace ws = ScopeWorkspace({{"a", ""}, {"b", "a"}, {"c", "b"}, {"e", ""}, {"f", ""}});
  ws.funnels = {{"launch", "Launch", {"c1", "e1"}, 0}, {"other", "Other", {"f1", "a1"}, 0}};
  ws.experiments = {{"pilot", "b", "Pilot", {100, 5}, {100, 9}, 0},
                    {"elsewhere", "f", "Elsewhere", {10, 1}, {10, 2}, 0}};
  MustApply(CreateAll(ws));
  const Workspace all = AsStored(ws);
  auto part = store_->LoadScope({.funnels = {"launch", "nothing"}, .experiments = {"pilot"}});
  ASSERT_TRUE(part.ok()) << part.error().message;
  ASSERT_EQ(part->funnels.size(), 1u);
  EXPECT_EQ(part->funnels[0], all.funnels[0]);
  ASSERT_EQ(part->experiments.size(), 1u);
  EXPECT_EQ(part->experiments[0], all.experiments[0]);
  EXPECT_EQ(Ids(part->kpis), (std::set<std::string>{"c1", "e1"}));
  EXPECT_EQ(Ids(part->goals), (std::set<std::string>{"a", "b", "c", "e"}));
}

// A removal reads what would be left naming what it removes (ScopeRequest::referrers): the goals
// supporting a removed goal, the KPIs benchmarking or reading one of its KPIs (or a KPI removed),
// every funnel, the removed goal's actions and experiments and the actions depending on those or
// on an action removed; each with its goal's ancestors. Nothing else of theirs.
TEST_P(StoreTest, LoadScopeReadsWhatRefersToWhatAWriteRemoves) {
  Workspace ws = ScopeWorkspace(
      {{"a", ""}, {"b", "a"}, {"c", "b"}, {"e", ""}, {"f", ""}, {"h", ""}, {"g", ""}});
  ws.goals[3].supports = {"b"};  // e
  ws.goals[5].supports = {"f"};  // h supports another goal
  Kpi bench = ws.kpis[5];        // h's
  bench.id = "bench";
  bench.benchmark_for = "b1";
  Kpi reads = ws.kpis[5];
  reads.id = "reads";
  reads.kind = KpiKind::kFormula;
  reads.formula = "{b1} * 2";
  Kpi other = reads;
  other.id = "other";
  other.goal = "g";
  other.formula = "{f1} + 1";
  ws.kpis.push_back(bench);
  ws.kpis.push_back(reads);
  ws.kpis.push_back(other);
  ws.funnels = {{"far", "Far", {"f1", "h1"}, 0}};
  ws.actions = {{"draft", "b", "Draft", "dana", std::nullopt, false, {}, 0},
                {"ship", "f", "Ship", "dana", std::nullopt, false, {"draft"}, 0},
                {"alone", "h", "Alone", "dana", std::nullopt, false, {}, 0}};
  ws.experiments = {{"pilot", "b", "Pilot", {100, 5}, {100, 9}, 0},
                    {"elsewhere", "h", "Elsewhere", {10, 1}, {10, 2}, 0}};
  MustApply(CreateAll(ws));
  auto part = store_->LoadScope({.goals = {"b"}, .referrers = true});
  ASSERT_TRUE(part.ok()) << part.error().message;
  // b with its subtree and ancestor; e (supports b); h (its KPIs benchmark and read b's); f (its
  // action depends on b's). Not g.
  EXPECT_EQ(Ids(part->goals), (std::set<std::string>{"a", "b", "c", "e", "f", "h"}));
  EXPECT_EQ(Ids(part->kpis), (std::set<std::string>{"b1", "c1", "bench", "reads"}));
  EXPECT_EQ(Ids(part->actions), (std::set<std::string>{"draft", "ship"}));
  EXPECT_EQ(Ids(part->experiments), (std::set<std::string>{"pilot"}));
  EXPECT_EQ(Ids(part->funnels), (std::set<std::string>{"far"}));
  // A KPI removed: what reads it. An action removed: what depends on it.
  auto kpi = store_->LoadScope({.kpis = {"f1"}, .referrers = true});
  ASSERT_TRUE(kpi.ok()) << kpi.error().message;
  EXPECT_EQ(Ids(kpi->kpis), (std::set<std::string>{"f1", "other"}));
  auto action = store_->LoadScope({.actions = {"draft"}, .referrers = true});
  ASSERT_TRUE(action.ok()) << action.error().message;
  EXPECT_EQ(Ids(action->actions), (std::set<std::string>{"draft", "ship"}));
  // Without `referrers`, none of it.
  auto plain = store_->LoadScope({.goals = {"b"}});
  ASSERT_TRUE(plain.ok()) << plain.error().message;
  EXPECT_EQ(Ids(plain->goals), (std::set<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(plain->actions.empty());
}

// A correction names stored records by seq: each comes with what it reaches (a check-in's KPI, its
// goal and that goal's ancestors; a comment's or spend record's goal and its ancestors), nothing
// else of theirs; a seq that is no record's is simply absent.
TEST_P(StoreTest, LoadScopeReadsTheRecordsACorrectionNames) {
  Workspace ws = ScopeWorkspace({{"a", ""}, {"b", "a"}, {"c", "b"}, {"e", ""}});
  ws.goals[1].level = Level::kMacro;
  for (const char* k : {"b1", "c1", "b1", "e1"}) {
    ws.checkins.push_back({k, D("2026-02-01"), 10, "note", "dana", 0});
  }
  ws.comments = {{0, "c", "dana", D("2026-02-02"), "one"}, {0, "e", "dana", D("2026-02-02"), "two"}};
  ws.spend = {{0, "b", D("2026-02-03"), 50, "", "dana"}};
  MustApply(CreateAll(ws));
  const Workspace all = AsStored(ws);

  auto part = store_->LoadScope({.checkin_seqs = {3, 999}});
  ASSERT_TRUE(part.ok()) << part.error().message;
  ASSERT_EQ(part->checkins.size(), 1u);
  EXPECT_EQ(part->checkins[0], all.checkins[2]);  // its note and author too
  EXPECT_EQ(Ids(part->kpis), (std::set<std::string>{"b1"}));
  EXPECT_EQ(Ids(part->goals), (std::set<std::string>{"a", "b"}));
  EXPECT_TRUE(part->comments.empty());

  part = store_->LoadScope({.comment_seqs = {1}, .spend_seqs = {1}});
  ASSERT_TRUE(part.ok()) << part.error().message;
  EXPECT_EQ(part->comments, std::vector<Comment>{all.comments[0]});
  EXPECT_EQ(part->spend, all.spend);
  EXPECT_EQ(Ids(part->goals), (std::set<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(part->checkins.empty());
}

// What a write's validation reads of other trees comes with a scoped load: the goals a loaded goal
// supports and the KPI a loaded benchmark is for (each with its goal's ancestors, not its
// subtree), and the references a write newly makes (goal_refs, kpi_refs).
TEST_P(StoreTest, LoadScopeFollowsSupportsBenchmarksAndNewReferences) {
  Workspace ws = ScopeWorkspace(
      {{"a", ""}, {"b", "a"}, {"x", ""}, {"y", "x"}, {"w", "y"}, {"z", ""}});
  ws.goals[1].supports = {"y"};
  Kpi bench = ws.kpis[1];
  bench.id = "bench";
  bench.benchmark_for = "z1";
  ws.kpis.push_back(bench);
  MustApply(CreateAll(ws));

  auto part = store_->LoadScope({.goals = {"b"}});
  ASSERT_TRUE(part.ok()) << part.error().message;
  // y for b's supports (with its ancestor x, not its child w); z for the benchmark's KPI z1.
  EXPECT_EQ(Ids(part->goals), (std::set<std::string>{"a", "b", "x", "y", "z"}));
  EXPECT_EQ(Ids(part->kpis), (std::set<std::string>{"b1", "bench", "z1"}));

  part = store_->LoadScope({.goals = {"z"}, .goal_refs = {"w", "nope"}, .kpi_refs = {"a1"}});
  ASSERT_TRUE(part.ok()) << part.error().message;
  EXPECT_EQ(Ids(part->goals), (std::set<std::string>{"z", "w", "y", "x", "a"}));
  EXPECT_EQ(Ids(part->kpis), (std::set<std::string>{"z1", "a1"}));
}

TEST_P(StoreTest, LoadWithoutCheckins) {
  MustApply(CreateAll(FullWorkspace()));
  const Workspace ws = MustLoad({.checkins = false});
  EXPECT_TRUE(ws.checkins.empty());
  EXPECT_EQ(ws.goals.size(), 2u);
}

// Check-ins that more than one connection may read (parallel_checkins: 1 lets every load; the
// most, none) are loaded the same either way, also without their text.
ChangeSet ThirtyCheckins(const Workspace& full) {
  ChangeSet more;
  for (int i = 0; i < 30; ++i) {
    more.checkins.push_back({full.kpis[i % full.kpis.size()].id, D("2026-03-02") + i % 7, i * 1.5,
                             i % 2 ? "note" : "", i % 3 ? "dana" : "", 0});
  }
  return more;
}

TEST_P(StoreTest, ParallelLoadReadsWhatOneConnectionReads) {
  const Workspace full = FullWorkspace();
  MustApply(CreateAll(full));
  MustApply(ThirtyCheckins(full));
  const Workspace one = MustLoad({.parallel_checkins = std::numeric_limits<size_t>::max()});
  ASSERT_EQ(one.checkins.size(), full.checkins.size() + 30);
  ExpectSameWorkspace(MustLoad({.parallel_checkins = 1}), one);
  ExpectSameWorkspace(MustLoad({.parallel_checkins = 1}), one);
}

TEST_P(StoreTest, LoadWithoutCheckinTextLeavesNotesAndAuthorsEmpty) {
  MustApply(CreateAll(FullWorkspace()));
  const Workspace all = MustLoad();
  for (size_t parallel : {size_t{1}, std::numeric_limits<size_t>::max()}) {
    Workspace want = all;
    for (Checkin& c : want.checkins) c.note = c.author = "";
    ExpectSameWorkspace(MustLoad({.checkin_text = false, .parallel_checkins = parallel}), want);
  }
}

// SQLite reads them on a second connection: a file's (a private in-memory database has one),
// from the first parallel load on, again on the connection it opened.
TEST_P(SqliteStoreTest, ParallelLoadReadsOnASecondConnection) {
  const Workspace full = FullWorkspace();
  MustApply(CreateAll(full));
  MustApply(ThirtyCheckins(full));
  const Workspace one = MustLoad({.parallel_checkins = std::numeric_limits<size_t>::max()});
  EXPECT_EQ(ParallelLoads(), 0);
  ExpectSameWorkspace(MustLoad({.parallel_checkins = 1}), one);
  EXPECT_EQ(ParallelLoads(), file() ? 1 : 0);
  ExpectSameWorkspace(MustLoad({.parallel_checkins = 1}), one);
  EXPECT_EQ(ParallelLoads(), file() ? 2 : 0);
  MustLoad({.checkin_text = false, .parallel_checkins = 1});
  EXPECT_EQ(ParallelLoads(), file() ? 3 : 0);
}

// By KPI: the same check-ins, grouped by KPI id, each KPI's by date and then in the order recorded.
TEST_P(StoreTest, LoadByKpiGroupsCheckinsByKpiThenDateThenOrderRecorded) {
  const Workspace full = FullWorkspace();
  MustApply(CreateAll(full));
  ChangeSet more;
  for (int i = 0; i < 30; ++i) {  // dates out of order, several a day, KPIs interleaved
    more.checkins.push_back({full.kpis[i % full.kpis.size()].id, D("2026-03-02") + (i * 5) % 7,
                             i * 1.5, "", "", 0});
  }
  MustApply(more);
  std::vector<Checkin> want = MustLoad({.checkin_text = false}).checkins;
  std::stable_sort(want.begin(), want.end(), [](const Checkin& a, const Checkin& b) {
    return std::tie(a.kpi, a.date, a.seq) < std::tie(b.kpi, b.date, b.seq);
  });
  ASSERT_GT(want.size(), 30u);
  for (size_t parallel : {size_t{1}, std::numeric_limits<size_t>::max()}) {
    const Workspace got =
        MustLoad({.checkin_text = false, .checkins_by_kpi = true, .parallel_checkins = parallel});
    EXPECT_EQ(got.checkins, want) << "parallel_checkins " << parallel;
  }
}

// While another connection writes, a parallel load does not wait for it: it reads everything on
// one connection, from the snapshot before that write.
TEST_P(SqliteStoreTest, ParallelLoadDuringAWriteReadsOnOneConnection) {
  if (!file()) GTEST_SKIP() << "another connection needs a file";
  MustApply(CreateAll(FullWorkspace()));
  const Workspace before = MustLoad();
  sqlite3* writer = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &writer), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(writer, "BEGIN IMMEDIATE; DELETE FROM checkins;", nullptr, nullptr, nullptr),
            SQLITE_OK);
  ExpectSameWorkspace(MustLoad({.parallel_checkins = 1}), before);
  EXPECT_EQ(ParallelLoads(), 0);  // the write lock was taken: one connection read it all
  ASSERT_EQ(sqlite3_exec(writer, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(writer);
  EXPECT_TRUE(MustLoad({.parallel_checkins = 1}).checkins.empty());
  EXPECT_EQ(ParallelLoads(), 0);  // no check-ins left: nothing to read on a second connection
}

TEST_P(StoreTest, KeepsCreationOrderAcrossUpdates) {
  std::vector<std::string> ids = {"zeta", "alpha", "mid", "beta"};
  for (const std::string& id : ids) {
    Goal g;
    g.id = id;
    g.title = "Goal " + id;
    MustApply(Changes({Create(g)}));
  }
  Workspace ws = MustLoad();
  Goal before = ws.goals[0];  // zeta: updating it must not move it to the end
  Goal after = before;
  after.title = "Renamed";
  MustApply(Changes({Update(before, after)}));
  ws = MustLoad();
  ASSERT_EQ(ws.goals.size(), ids.size());
  for (size_t i = 0; i < ids.size(); ++i) EXPECT_EQ(ws.goals[i].id, ids[i]);
  EXPECT_EQ(ws.goals[0].title, "Renamed");

  // Check-ins come back in the order recorded, whatever their dates.
  Kpi k;
  k.id = "k";
  k.goal = "alpha";
  k.target = 10;
  ChangeSet cs = Changes({Create(k)});
  cs.checkins = {{"k", D("2026-03-05"), 1, "", "", 0},
                 {"k", D("2026-01-01"), 2, "", "", 0},
                 {"k", D("2026-02-01"), 3, "", "", 0}};
  MustApply(cs);
  cs.checkins = {{"k", D("2025-12-31"), 4, "", "", 0}};
  cs.changes.clear();
  MustApply(cs);
  ws = MustLoad();
  ASSERT_EQ(ws.checkins.size(), 4u);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(ws.checkins[i].value, static_cast<double>(i + 1));
    if (i > 0) {
      EXPECT_GT(ws.checkins[i].seq, ws.checkins[i - 1].seq);
    }
  }
}

TEST_P(StoreTest, UpdateBumpsVersionAndRecordsBeforeAndAfter) {
  MustApply(CreateAll(FullWorkspace()), "sam");
  Workspace ws = MustLoad();
  const Goal before = ws.goals[1];
  Goal after = before;
  after.title = "Generate 12,000 followers";
  after.budget_max.reset();
  after.tags.clear();
  MustApply(Changes({Update(before, after)}), "dana");

  ws = MustLoad();
  Goal expected = after;
  expected.version = 2;
  EXPECT_EQ(ws.goals[1], expected);

  // The goal's own rows (the comment on it is filed under its id too).
  std::vector<HistoryEntry> history;
  for (const HistoryEntry& h : MustHistory("followers")) {
    if (h.kind == "goal") history.push_back(h);
  }
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].op, "create");
  EXPECT_EQ(history[0].actor, "sam");
  EXPECT_EQ(history[0].before, "");
  EXPECT_EQ(json::parse(history[0].after), ToJson(before));
  const HistoryEntry& h = history[1];
  EXPECT_EQ(h.kind, "goal");
  EXPECT_EQ(h.entity, "followers");
  EXPECT_EQ(h.op, "update");
  EXPECT_EQ(h.actor, "dana");
  EXPECT_EQ(json::parse(h.before), ToJson(before));
  EXPECT_EQ(json::parse(h.after), ToJson(expected));
  EXPECT_EQ(json::parse(h.after).at("version"), 2);
  EXPECT_TRUE(json::parse(h.after).at("budget_max").is_null());
  // "2026-03-01T09:30:00Z"
  ASSERT_EQ(h.at.size(), 20u) << h.at;
  EXPECT_TRUE(Date::Parse(h.at.substr(0, 10)).has_value()) << h.at;
  EXPECT_EQ(h.at[10], 'T');
  EXPECT_EQ(h.at.back(), 'Z');
  EXPECT_GT(history[1].seq, history[0].seq);

  // A second update must carry version 2.
  Goal again = expected;
  again.weight = 3;
  MustApply(Changes({Update(expected, again)}));
  EXPECT_EQ(MustLoad().goals[1].version, 3);
}

TEST_P(StoreTest, StaleVersionIsRefusedAndNothingIsWritten) {
  MustApply(CreateAll(FullWorkspace()));
  const Workspace ws = MustLoad();
  const Kpi stored = ws.kpis[0];
  Kpi theirs = stored;
  theirs.target = 25;
  MustApply(Changes({Update(stored, theirs)}));  // someone else: now at version 2
  const Workspace now = MustLoad();
  const size_t history_count = MustHistory().size();

  Kpi mine = stored;  // still version 1
  mine.target = 30;
  Goal goal_before = ws.goals[0];
  Goal goal_after = goal_before;
  goal_after.title = "Something else entirely";
  auto r = store_->Apply(Changes({Update(goal_before, goal_after), Update(stored, mine)}), "me");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
  EXPECT_EQ(r.error().message,
            "kpi 'share' was changed by someone else (version 1 is no longer current); reload "
            "and try again");
  EXPECT_EQ(r.error().kind, "kpi");
  EXPECT_EQ(r.error().id, "share");

  ExpectSameWorkspace(MustLoad(), now);
  EXPECT_EQ(MustLoad().kpis[0].target, 25);
  EXPECT_EQ(MustLoad().goals[0].title, goal_before.title);
  EXPECT_EQ(MustHistory().size(), history_count);

  // A stale delete is refused the same way.
  r = store_->Apply(Changes({Delete(stored)}), "me");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
  EXPECT_EQ(MustLoad().kpis.size(), now.kpis.size());
}

TEST_P(StoreTest, UpdateOfDeletedEntityIsAConflict) {
  Team t{"t", "T", "", 0};
  MustApply(Changes({Create(t)}));
  t.version = 1;
  MustApply(Changes({Delete(t)}));
  Team renamed = t;
  renamed.name = "New";
  auto r = store_->Apply(Changes({Update(t, renamed)}), "");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
  EXPECT_NE(r.error().message.find("no longer exists"), std::string::npos) << r.error().message;
}

TEST_P(StoreTest, FailingSecondChangeLeavesFirstUnwritten) {
  Team a{"a", "A", "", 0};
  MustApply(Changes({Create(a)}));
  Team b{"b", "B", "", 0};
  ChangeSet cs = Changes({Create(b), Create(a)});  // the second one is a duplicate
  cs.checkins = {};
  auto r = store_->Apply(cs, "");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
  const Workspace ws = MustLoad();
  ASSERT_EQ(ws.teams.size(), 1u);
  EXPECT_EQ(ws.teams[0].id, "a");
  EXPECT_EQ(MustHistory().size(), 1u);

  // The store is still usable afterwards.
  MustApply(Changes({Create(b)}));
  EXPECT_EQ(MustLoad().teams.size(), 2u);
}

TEST_P(StoreTest, DuplicateCreateIsAConflict) {
  Goal g;
  g.id = "dup";
  g.title = "First";
  MustApply(Changes({Create(g)}));
  g.title = "Second";
  auto r = store_->Apply(Changes({Create(g)}), "");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
  EXPECT_EQ(r.error().message, "goal 'dup' already exists; choose another id");
  EXPECT_EQ(r.error().field, "id");
  EXPECT_EQ(MustLoad().goals.at(0).title, "First");
}

TEST_P(StoreTest, DeletingAGoalRemovesItsKpisCheckinsActionsAndExperiments) {
  MustApply(CreateAll(FullWorkspace()));
  Workspace ws = MustLoad();
  // Delete the micro goal, then (in the same set) a KPI that went with it: not a conflict.
  const Goal followers = ws.goals[1];
  const Kpi followers_count = ws.kpis[2];
  MustApply(Changes({Delete(followers), Delete(followers_count)}));
  ws = MustLoad();
  ASSERT_EQ(ws.goals.size(), 1u);
  EXPECT_EQ(ws.goals[0].id, "market-share");
  for (const Kpi& k : ws.kpis) EXPECT_NE(k.goal, "followers");
  EXPECT_EQ(ws.kpis.size(), 2u);
  for (const Checkin& c : ws.checkins) EXPECT_NE(c.kpi, "followers-count");
  EXPECT_EQ(ws.checkins.size(), 2u);
  EXPECT_TRUE(ws.actions.empty());
  EXPECT_TRUE(ws.experiments.empty());
  EXPECT_TRUE(ws.comments.empty());

  const auto history = MustHistory("followers");
  ASSERT_FALSE(history.empty());
  EXPECT_EQ(history.back().op, "delete");
  EXPECT_EQ(history.back().after, "");
  EXPECT_EQ(json::parse(history.back().before), ToJson(followers));

  // Deleting a KPI removes its check-ins.
  MustApply(Changes({Delete(ws.kpis[0])}));
  ws = MustLoad();
  for (const Checkin& c : ws.checkins) EXPECT_NE(c.kpi, "share");
}

TEST_P(StoreTest, DeletingAReferencedTeamOrPersonFails) {
  MustApply(CreateAll(FullWorkspace()));
  Workspace ws = MustLoad();
  const size_t history_count = MustHistory().size();

  auto r = store_->Apply(Changes({Delete(ws.teams[1])}), "");  // social: dana and followers
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
  EXPECT_NE(r.error().message.find("team 'social' cannot be deleted"), std::string::npos)
      << r.error().message;
  EXPECT_EQ(MustLoad().teams.size(), 2u);
  EXPECT_EQ(MustHistory().size(), history_count);

  r = store_->Apply(Changes({Delete(ws.people[1])}), "");  // sam owns market-share
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
  EXPECT_NE(r.error().message.find("person 'sam' cannot be deleted"), std::string::npos)
      << r.error().message;
  EXPECT_EQ(MustLoad().people.size(), 2u);

  // With the referrers moved in the same set it works, in any order.
  Person dana = ws.people[0];
  Person dana_moved = dana;
  dana_moved.team = "marketing";
  Goal followers = ws.goals[1];
  Goal followers_moved = followers;
  followers_moved.team = "marketing";
  MustApply(
      Changes({Delete(ws.teams[1]), Update(dana, dana_moved), Update(followers, followers_moved)}));
  ws = MustLoad();
  ASSERT_EQ(ws.teams.size(), 1u);
  EXPECT_EQ(ws.people[0].team, "marketing");
}

TEST_P(StoreTest, DeletingAParentGoalWithChildrenFails) {
  MustApply(CreateAll(FullWorkspace()));
  const Workspace ws = MustLoad();
  auto r = store_->Apply(Changes({Delete(ws.goals[0])}), "");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
  EXPECT_NE(r.error().message.find("goal 'followers' still refers to it (parent)"),
            std::string::npos)
      << r.error().message;
  // Children first, or both in any order: fine.
  MustApply(Changes({Delete(ws.goals[0]), Delete(ws.goals[1])}));
  EXPECT_TRUE(MustLoad().goals.empty());
}

TEST_P(StoreTest, ReferenceToAMissingEntityIsRefused) {
  Goal g;
  g.id = "orphan";
  g.title = "Orphan";
  g.team = "nowhere";
  auto r = store_->Apply(Changes({Create(g)}), "");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(r.error().message,
            "goal 'orphan' refers to team 'nowhere' (team), which does not exist; reload and try "
            "again");
  EXPECT_EQ(r.error().field, "team");

  ChangeSet cs;
  cs.checkins = {{"no-such-kpi", D("2026-01-01"), 1, "", "", 0}};
  r = store_->Apply(cs, "");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalid);
  EXPECT_NE(r.error().message.find("a check-in of KPI 'no-such-kpi'"), std::string::npos)
      << r.error().message;
  EXPECT_TRUE(MustLoad().goals.empty());
  EXPECT_TRUE(MustHistory().empty());
}

TEST_P(StoreTest, RequiredReferenceMissingIsInvalid) {
  Kpi k;
  k.id = "floating";
  k.target = 1;  // no goal
  auto r = store_->Apply(Changes({Create(k)}), "");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(r.error().field, "goal");
}

TEST_P(StoreTest, FewCheckinsGetOneHistoryRowEach) {
  MustApply(CreateAll(SparseWorkspace()));
  const size_t before = MustHistory().size();
  ChangeSet cs;
  for (int i = 0; i < 20; ++i)
    cs.checkins.push_back({"milestone", D("2026-03-02") + i, 1, "", "ann", 0});
  MustApply(cs, "ann");
  const auto history = MustHistory();
  ASSERT_EQ(history.size(), before + 20);
  const HistoryEntry& last = history.back();
  EXPECT_EQ(last.kind, "checkin");
  EXPECT_EQ(last.entity, "milestone");
  EXPECT_EQ(last.op, "create");
  const json after = json::parse(last.after);
  EXPECT_EQ(after.at("date"), "2026-03-21");
  EXPECT_EQ(after.at("author"), "ann");
  EXPECT_EQ(after.at("seq"), MustLoad().checkins.back().seq);
}

TEST_P(StoreTest, ManyCheckinsGetOneSummaryRow) {
  Workspace ws = SparseWorkspace();
  Kpi second = ws.kpis[0];
  second.id = "second";
  ws.kpis.push_back(second);
  MustApply(CreateAll(ws));
  const size_t before = MustHistory().size();
  ChangeSet cs;
  for (int i = 0; i < 21; ++i) {
    cs.checkins.push_back({i % 3 == 0 ? "second" : "milestone", D("2026-03-02") + i, 0, "", "", 0});
  }
  MustApply(cs, "importer");
  const auto history = MustHistory();
  ASSERT_EQ(history.size(), before + 1);
  const HistoryEntry& h = history.back();
  EXPECT_EQ(h.kind, "checkin");
  EXPECT_EQ(h.entity, "");
  EXPECT_EQ(h.op, "import");
  EXPECT_EQ(h.actor, "importer");
  EXPECT_EQ(h.before, "");
  EXPECT_EQ(json::parse(h.after), json::parse(R"({"count": 21, "kpis": ["second", "milestone"]})"));
  EXPECT_EQ(MustLoad().checkins.size(), 22u);
}

// Apply tells the seqs and versions it gave, in the ChangeSet's order, and they are the stored ones.
TEST_P(StoreTest, ApplyTellsTheSeqsAndVersionsItAssigned) {
  const Workspace ws = FullWorkspace();
  const ChangeSet all = CreateAll(ws);
  auto created = store_->Apply(all, "tester");
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(created->checkin_seqs, (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(created->comment_seqs, (std::vector<int64_t>{1}));
  EXPECT_EQ(created->review_seqs, (std::vector<int64_t>{1}));
  EXPECT_EQ(created->versions, std::vector<int64_t>(all.changes.size(), 1));
  ChangeSet stamped = all;
  StampApplied(stamped, *created);
  const Workspace stored = MustLoad();
  EXPECT_EQ(stamped.checkins, stored.checkins);
  EXPECT_EQ(stamped.comments, stored.comments);
  EXPECT_EQ(stamped.reviews, stored.reviews);
  EXPECT_EQ(std::get<Goal>(*stamped.changes[4].after), stored.goals[0]);

  // An update, a delete and a large batch (history's summary row) in one set.
  Goal goal = stored.goals[1];
  goal.title = "Renamed";
  ChangeSet next = Changes({Update(stored.goals[1], goal), Delete(stored.experiments[0])});
  for (int i = 0; i < 25; ++i) next.checkins.push_back({"share", D("2026-04-01"), 1.0 * i, "", "", 0});
  next.comments.push_back({0, "followers", "sam", D("2026-04-02"), "Second"});
  auto applied = store_->Apply(next, "tester");
  ASSERT_TRUE(applied.ok()) << applied.error().message;
  EXPECT_EQ(applied->versions, (std::vector<int64_t>{2, 0}));
  ASSERT_EQ(applied->checkin_seqs.size(), 25u);
  for (int i = 0; i < 25; ++i) EXPECT_EQ(applied->checkin_seqs[i], 4 + i);
  EXPECT_EQ(applied->comment_seqs, (std::vector<int64_t>{2}));
  EXPECT_TRUE(applied->review_seqs.empty());
  StampApplied(next, *applied);
  const Workspace after = MustLoad();
  EXPECT_EQ(std::get<Goal>(*next.changes[0].after), after.goals[1]);
  EXPECT_EQ(next.checkins.back(), after.checkins.back());
  EXPECT_EQ(next.comments.back(), after.comments.back());

  auto nothing = store_->Apply(ChangeSet{}, "tester");
  ASSERT_TRUE(nothing.ok());
  EXPECT_TRUE(nothing->checkin_seqs.empty() && nothing->versions.empty());
}

TEST_P(StoreTest, CommentsAndReviewsAreRecordedInHistory) {
  MustApply(CreateAll(FullWorkspace()));
  const auto history = MustHistory();
  bool comment = false, review = false;
  for (const HistoryEntry& h : history) {
    if (h.kind == "comment") {
      comment = true;
      EXPECT_EQ(h.entity, "followers");
      EXPECT_EQ(json::parse(h.after).at("text"), "Try a giveaway");
    }
    if (h.kind == "review") {
      review = true;
      EXPECT_EQ(h.entity, "marketing");
      EXPECT_EQ(json::parse(h.after).at("snapshot").size(), 2u);
    }
  }
  EXPECT_TRUE(comment);
  EXPECT_TRUE(review);
}

// Issues 15 and 16: confidence, comment kinds and spend are stored, loaded in every way status
// loads (text-less, by KPI, on a second connection), corrected and removed with history.
TEST_P(StoreTest, RoundTripsConfidenceCommentKindsAndSpend) {
  Workspace ws = FullWorkspace();
  ws.checkins[0].confidence = Confidence::kAtRisk;
  ws.checkins[2].confidence = Confidence::kOffTrack;
  ws.comments.push_back({0, "followers", "dana", D("2026-01-05"), "Video wins", CommentKind::kLesson});
  ws.comments.push_back({0, "market-share", "sam", D("2026-01-06"), "Drop print", CommentKind::kDecision});
  ws.spend = {{0, "followers", D("2026-01-03"), 1200.5, "ads", "dana"},
              {0, "followers", D("2026-01-04"), -200, "", ""},
              {0, "market-share", D("2026-02-01"), 3000, "agency", "sam"}};
  MustApply(CreateAll(ws));
  const Workspace want = AsStored(ws);
  ExpectSameWorkspace(MustLoad(), want);
  for (size_t parallel : {size_t{1}, std::numeric_limits<size_t>::max()}) {
    const Workspace quick =
        MustLoad({.checkin_text = false, .checkins_by_kpi = true, .parallel_checkins = parallel});
    std::map<int64_t, Confidence> got;
    for (const Checkin& c : quick.checkins) got[c.seq] = c.confidence;
    EXPECT_EQ(got, (std::map<int64_t, Confidence>{{1, Confidence::kAtRisk},
                                                  {2, Confidence::kNone},
                                                  {3, Confidence::kOffTrack}}));
    EXPECT_EQ(quick.spend, want.spend);
  }
  const auto history = MustHistory();
  ASSERT_GE(history.size(), 3u);
  // The last spend row (reviews are recorded after spend in the same change set).
  auto last_spend = std::find_if(history.rbegin(), history.rend(),
                                 [](const HistoryEntry& h) { return h.kind == "spend"; });
  ASSERT_NE(last_spend, history.rend());
  const HistoryEntry& last = *last_spend;
  EXPECT_EQ(last.kind, "spend");
  EXPECT_EQ(last.entity, "market-share");
  EXPECT_EQ(last.op, "create");
  EXPECT_EQ(json::parse(last.after), ToJson(want.spend[2]));

  // A correction and a removal by seq, as check-ins are corrected.
  Workspace next = want;
  next.spend[0].amount = 1300;
  next.spend.erase(next.spend.begin() + 1);
  next.checkins[0].confidence = Confidence::kOnTrack;
  next.comments[1].kind = CommentKind::kComment;
  const ChangeSet cs = DiffWorkspaces(want, next);
  ASSERT_EQ(cs.spend_changes.size(), 2u);
  MustApply(cs, "dana");
  ExpectSameWorkspace(MustLoad(), next);
  const auto after = MustHistory();
  ASSERT_EQ(after.size(), history.size() + 4);
  EXPECT_EQ(after.back().kind, "spend");
  EXPECT_EQ(after.back().op, "delete");
  EXPECT_EQ(json::parse(after.back().before), ToJson(want.spend[1]));

  // A stale correction is a conflict.
  auto r = store_->Apply(DiffWorkspaces(want, next), "sam");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
}

TEST_P(StoreTest, CorrectsAndRemovesRecordedCheckinsAndCommentsWithHistory) {
  MustApply(CreateAll(FullWorkspace()));
  const Workspace stored = MustLoad();
  ASSERT_GE(stored.checkins.size(), 2u);
  ASSERT_EQ(stored.comments.size(), 1u);
  Workspace next = stored;
  next.checkins[0].value = 4.25;
  next.checkins[0].note = "typo fixed";
  next.checkins.erase(next.checkins.begin() + 1);
  next.comments[0].text = "Try a bigger giveaway";
  const ChangeSet cs = DiffWorkspaces(stored, next);
  ASSERT_EQ(cs.checkin_changes.size(), 2u);
  ASSERT_EQ(cs.comment_changes.size(), 1u);
  const size_t history_before = MustHistory().size();
  MustApply(cs, "dana");
  ExpectSameWorkspace(MustLoad(), next);

  const auto history = MustHistory();
  ASSERT_EQ(history.size(), history_before + 3);
  const HistoryEntry& corrected = history[history_before];
  EXPECT_EQ(corrected.kind, "checkin");
  EXPECT_EQ(corrected.entity, stored.checkins[0].kpi);
  EXPECT_EQ(corrected.op, "update");
  EXPECT_EQ(corrected.actor, "dana");
  EXPECT_EQ(json::parse(corrected.before), ToJson(stored.checkins[0]));
  EXPECT_EQ(json::parse(corrected.after), ToJson(next.checkins[0]));
  const HistoryEntry& removed = history[history_before + 1];
  EXPECT_EQ(removed.op, "delete");
  EXPECT_EQ(json::parse(removed.before), ToJson(stored.checkins[1]));
  EXPECT_EQ(removed.after, "");
  const HistoryEntry& comment = history[history_before + 2];
  EXPECT_EQ(comment.kind, "comment");
  EXPECT_EQ(comment.op, "update");
  EXPECT_EQ(json::parse(comment.after).at("text"), "Try a bigger giveaway");
}

TEST_P(StoreTest, ACorrectionOfAStaleRecordIsAConflictAndWritesNothing) {
  MustApply(CreateAll(FullWorkspace()));
  const Workspace stored = MustLoad();
  Workspace first = stored;
  first.checkins[0].value = 7;
  MustApply(DiffWorkspaces(stored, first));
  // A second correction made from the same, now stale, read.
  Workspace second = stored;
  second.checkins[0].value = 8;
  second.comments[0].text = "Changed too";
  const size_t history_before = MustHistory().size();
  auto r = store_->Apply(DiffWorkspaces(stored, second), "sam");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
  EXPECT_EQ(r.error().field, "seq");
  EXPECT_NE(r.error().message.find("was changed by someone else"), std::string::npos)
      << r.error().message;
  ExpectSameWorkspace(MustLoad(), first);
  EXPECT_EQ(MustHistory().size(), history_before);
  // Removing what is gone already: a conflict too.
  Workspace removed = first;
  removed.checkins.erase(removed.checkins.begin());
  MustApply(DiffWorkspaces(first, removed));
  r = store_->Apply(DiffWorkspaces(first, removed), "sam");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
  EXPECT_NE(r.error().message.find("no longer exists"), std::string::npos) << r.error().message;
}

TEST_P(StoreTest, HistoryIsOldestFirstAndFiltersByEntity) {
  const Workspace ws = FullWorkspace();
  MustApply(CreateAll(ws), "sam");
  const auto all = MustHistory();
  // 13 entities, 3 check-ins, 1 comment, 1 review.
  ASSERT_EQ(all.size(), 18u);
  for (size_t i = 1; i < all.size(); ++i) EXPECT_GT(all[i].seq, all[i - 1].seq);
  EXPECT_EQ(all[0].kind, "team");
  EXPECT_EQ(all[0].entity, "marketing");

  // Each kind's history row names it as EntityKindName does.
  size_t i = 0;
  for (const EntityChange& c : CreateAll(ws).changes) {
    EXPECT_EQ(all[i].kind, EntityKindName(*c.after));
    EXPECT_EQ(all[i].entity, EntityId(*c.after));
    ++i;
  }

  const auto share = MustHistory("share");  // the KPI and its two check-ins
  ASSERT_EQ(share.size(), 3u);
  EXPECT_EQ(share[0].kind, "kpi");
  EXPECT_EQ(share[1].kind, "checkin");
  EXPECT_EQ(share[2].kind, "checkin");
  EXPECT_TRUE(MustHistory("nothing-here").empty());
}

TEST_P(StoreTest, EmptyChangeSetWritesNothing) {
  MustApply(ChangeSet{});
  EXPECT_TRUE(MustHistory().empty());
}

TEST_P(StoreTest, IdsNeverChange) {
  Team t{"old", "Old", "", 0};
  MustApply(Changes({Create(t)}));
  t.version = 1;
  Team renamed = t;
  renamed.id = "new";
  auto r = store_->Apply(Changes({Update(t, renamed)}), "");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalid);
}

TEST_P(SqliteStoreTest, ConnectionSettings) {
  auto value = [&](std::string_view name) {
    auto v = sqlite().PragmaValue(name);
    EXPECT_TRUE(v.ok());
    return v.ok() ? *v : std::string();
  };
  EXPECT_EQ(value("journal_mode"), file() ? "wal" : "memory");
  EXPECT_EQ(value("foreign_keys"), "1");
  EXPECT_EQ(value("synchronous"), "2");  // FULL
  EXPECT_EQ(value("busy_timeout"), "5000");
  EXPECT_FALSE(sqlite().PragmaValue("user_version; DROP TABLE goals").ok());
}

// ---- File-only behaviour ----

int CountRows(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  int n = -1;
  if (sqlite3_step(stmt) == SQLITE_ROW) n = sqlite3_column_int(stmt, 0);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return n;
}

TEST(SqliteStoreFile, ReopeningKeepsDataAndMigratesNothingNew) {
  TempDir dir;
  const std::string path = dir.File("reopen.db");
  {
    auto store = OpenStore("sqlite:" + path);
    ASSERT_TRUE(store.ok()) << store.error().message;
    ASSERT_TRUE((*store)->Apply(CreateAll(FullWorkspace()), "sam").ok());
  }
  EXPECT_EQ(CountRows(path, "SELECT count(*) FROM schema_version"),
            static_cast<int>(Migrations().size()));
  auto store = OpenStore(path);
  ASSERT_TRUE(store.ok()) << store.error().message;
  ASSERT_TRUE((*store)->Migrate().ok());
  EXPECT_EQ(CountRows(path, "SELECT count(*) FROM schema_version"),
            static_cast<int>(Migrations().size()));
  EXPECT_EQ(*(*store)->SchemaVersion(), LatestSchemaVersion());
  auto ws = (*store)->Load();
  ASSERT_TRUE(ws.ok());
  ExpectSameWorkspace(*ws, AsStored(FullWorkspace()));
  EXPECT_EQ((*(*store)->History("")).size(), 18u);
  EXPECT_EQ(CountRows(path, "SELECT count(*) FROM pragma_journal_mode"), 1);
}

TEST(SqliteStoreFile, TwoConnectionsSeeEachOthersWritesAndConflict) {
  TempDir dir;
  const std::string path = dir.File("shared.db");
  auto a = OpenStore(path);
  auto b = OpenStore(path);
  ASSERT_TRUE(a.ok() && b.ok());
  Team t{"t", "T", "", 0};
  ASSERT_TRUE((*a)->Apply(Changes({Create(t)}), "").ok());
  auto loaded = (*b)->Load();
  ASSERT_TRUE(loaded.ok());
  ASSERT_EQ(loaded->teams.size(), 1u);
  Team v1 = loaded->teams[0];
  Team mine = v1, theirs = v1;
  mine.name = "Mine";
  theirs.name = "Theirs";
  ASSERT_TRUE((*a)->Apply(Changes({Update(v1, theirs)}), "").ok());
  auto r = (*b)->Apply(Changes({Update(v1, mine)}), "");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
  EXPECT_EQ((*(*b)->Load()).teams[0].name, "Theirs");
}

// A database made before goals had contributors, supports and segment (schema version 3) gains
// them as empty, keeps its goals, and stores them from then on.
TEST(SqliteStoreFile, Version3GoalsGainContributorsSupportsAndSegment) {
  TempDir dir;
  const std::string path = dir.File("v3.db");
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    auto exec = [&](const std::string& sql) {
      char* message = nullptr;
      EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message), SQLITE_OK)
          << (message ? message : "") << " in " << sql;
      sqlite3_free(message);
    };
    exec(std::string(SchemaVersionTableSql()));
    for (const Migration& m : Migrations()) {
      if (m.version > 3) break;
      for (std::string_view sql : m.statements) exec(RenderSql(sql, SqlDialect::kSqlite));
      exec("INSERT INTO schema_version VALUES (" + std::to_string(m.version) + ", 'old', 'x')");
    }
    exec("INSERT INTO people (id, name, email, role, version) VALUES ('dana', 'Dana', '', "
         "'lead', 1)");
    for (const char* id : {"brand", "launch"}) {
      exec(std::string("INSERT INTO goals (id, title, description, level, weight, priority, "
                       "growth_potential, budget_min, channel, state, tags, version) VALUES ('") +
           id + "', 'Goal', '', 'macro', 1, 'medium', 0, 0, '', 'active', '[]', 1)");
    }
    sqlite3_close(db);
  }
  auto store = OpenStore(path);
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ(*(*store)->SchemaVersion(), LatestSchemaVersion());
  auto ws = (*store)->Load();
  ASSERT_TRUE(ws.ok()) << ws.error().message;
  ASSERT_EQ(ws->goals.size(), 2u);
  EXPECT_TRUE(ws->goals[1].contributors.empty());
  EXPECT_TRUE(ws->goals[1].supports.empty());
  EXPECT_EQ(ws->goals[1].segment, "");

  Goal changed = ws->goals[1];
  changed.contributors = {"dana"};
  changed.supports = {"brand"};
  changed.segment = "gen-z";
  ASSERT_TRUE((*store)->Apply(Changes({Update(ws->goals[1], changed)}), "sam").ok());
  auto again = OpenStore(path);
  ASSERT_TRUE(again.ok());
  auto reloaded = (*again)->Load();
  ASSERT_TRUE(reloaded.ok());
  changed.version = 2;
  EXPECT_EQ(reloaded->goals[1], changed);
  EXPECT_EQ(CountRows(path, "SELECT count(*) FROM goals WHERE contributors = '[\"dana\"]' AND "
                            "supports = '[\"brand\"]' AND segment = 'gen-z'"),
            1);
}

// A database made before cycles (schema version 6) keeps its goals, which have no cycle; cycles
// and goals in them are stored from then on, and a cycle goals are in cannot be deleted.
TEST(SqliteStoreFile, Version6GoalsGainCyclesAndCloseNotesAreHistory) {
  TempDir dir;
  const std::string path = dir.File("v6.db");
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    auto exec = [&](const std::string& sql) {
      char* message = nullptr;
      EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message), SQLITE_OK)
          << (message ? message : "") << " in " << sql;
      sqlite3_free(message);
    };
    exec(std::string(SchemaVersionTableSql()));
    for (const Migration& m : Migrations()) {
      if (m.version > 6) break;
      for (std::string_view sql : m.statements) exec(RenderSql(sql, SqlDialect::kSqlite));
      exec("INSERT INTO schema_version VALUES (" + std::to_string(m.version) + ", 'old', 'x')");
    }
    exec("INSERT INTO goals (id, title, description, level, start, due, weight, priority, "
         "growth_potential, budget_min, channel, state, tags, version) VALUES ('brand', 'Brand', "
         "'', 'macro', '2026-01-01', '2026-06-30', 1, 'medium', 0, 0, '', 'active', '[]', 3)");
    sqlite3_close(db);
  }
  auto store = OpenStore(path);
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ(*(*store)->SchemaVersion(), LatestSchemaVersion());
  auto ws = (*store)->Load();
  ASSERT_TRUE(ws.ok()) << ws.error().message;
  ASSERT_EQ(ws->goals.size(), 1u);
  EXPECT_EQ(ws->goals[0].cycle, "");
  EXPECT_EQ(ws->goals[0].start, D("2026-01-01"));
  EXPECT_EQ(ws->goals[0].version, 3);
  EXPECT_TRUE(ws->cycles.empty());

  const Cycle q2{"2026-q2", "Q2 2026", D("2026-04-01"), D("2026-06-30"), CycleState::kOpen, 0};
  Goal in_q2 = ws->goals[0];
  in_q2.cycle = "2026-q2";
  ChangeSet set = Changes({Create(q2), Update(ws->goals[0], in_q2)});
  set.notes.push_back({"goal", "brand", "close", R"({"progress":0.5,"status":"on_track"})"});
  ASSERT_TRUE((*store)->Apply(set, "sam").ok());
  auto again = OpenStore(path);
  ASSERT_TRUE(again.ok());
  auto reloaded = (*again)->Load();
  ASSERT_TRUE(reloaded.ok());
  ASSERT_EQ(reloaded->cycles.size(), 1u);
  Cycle stored = q2;
  stored.version = 1;
  EXPECT_EQ(reloaded->cycles[0], stored);
  EXPECT_EQ(reloaded->goals[0].cycle, "2026-q2");
  EXPECT_EQ(CountRows(path, "SELECT count(*) FROM goals WHERE cycle = '2026-q2'"), 1);
  auto history = (*again)->History("brand");
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[1].op, "close");
  EXPECT_EQ((*history)[1].kind, "goal");
  EXPECT_EQ((*history)[1].before, "");
  EXPECT_EQ((*history)[1].after, R"({"progress":0.5,"status":"on_track"})");
  auto cycle_history = (*again)->History("2026-q2");
  ASSERT_TRUE(cycle_history.ok());
  ASSERT_EQ(cycle_history->size(), 1u);
  EXPECT_EQ((*cycle_history)[0].kind, "cycle");
  EXPECT_EQ(json::parse((*cycle_history)[0].after)["end"], "2026-06-30");

  // Still referred to: deleting it is refused, and nothing changes.
  auto gone = (*again)->Apply(Changes({Delete(stored)}), "sam");
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().code, ErrorCode::kConflict);
  EXPECT_NE(gone.error().message.find("cycle '2026-q2' cannot be deleted"), std::string::npos)
      << gone.error().message;
  EXPECT_EQ(CountRows(path, "SELECT count(*) FROM cycles"), 1);
}

TEST(SqliteStoreFile, NewerSchemaIsRefused) {
  TempDir dir;
  const std::string path = dir.File("future.db");
  ASSERT_TRUE(OpenStore(path).ok());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "INSERT INTO schema_version (version, description, applied_at) "
                         "VALUES (999, 'future', 'x')",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto store = OpenStore(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::kStorage);
  EXPECT_NE(store.error().message.find("upgrade cascade"), std::string::npos);
}

TEST(SqliteStoreFile, UnopenableFileIsAStorageError) {
  auto store = OpenStore("/nonexistent-dir/for/sure/cascade.db");
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::kStorage);
}

TEST(Migrations, RenderForEachDialect) {
  EXPECT_EQ(RenderSql("CREATE TABLE t (seq {serial}, x TEXT)", SqlDialect::kSqlite),
            "CREATE TABLE t (seq INTEGER PRIMARY KEY, x TEXT)");
  EXPECT_EQ(RenderSql("CREATE TABLE t (seq {serial})", SqlDialect::kPostgres),
            "CREATE TABLE t (seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY)");
  for (size_t i = 0; i < Migrations().size(); ++i) {
    EXPECT_EQ(Migrations()[i].version, static_cast<int>(i) + 1);
  }
}

size_t Count(std::string_view text, std::string_view word) {
  size_t n = 0;
  for (size_t pos = text.find(word); pos != std::string_view::npos;
       pos = text.find(word, pos + 1)) {
    ++n;
  }
  return n;
}

// The schema must also run on PostgreSQL: portable types, deferred foreign keys, and the
// auto-numbered key written as {serial}.
TEST(Migrations, StayPortable) {
  for (const Migration& m : Migrations()) {
    for (std::string_view sql : m.statements) {
      EXPECT_EQ(Count(sql, "REFERENCES"), Count(sql, "DEFERRABLE INITIALLY DEFERRED")) << sql;
      for (std::string_view sqlite_only :
           {"AUTOINCREMENT", "INTEGER PRIMARY KEY", " REAL", "BLOB", "BOOLEAN", "DATETIME",
            "WITHOUT ROWID", "IF NOT EXISTS", "STRICT"}) {
        EXPECT_EQ(Count(sql, sqlite_only), 0u) << sqlite_only << " in " << sql;
      }
      EXPECT_EQ(Count(RenderSql(sql, SqlDialect::kPostgres), "{"), 0u) << sql;
    }
  }
}

}  // namespace
}  // namespace cascade
