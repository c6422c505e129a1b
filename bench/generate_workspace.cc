// generate_workspace: a deterministic synthetic workspace for the benchmarks (spec §8). N goals in
// a cascade up to five levels deep (macro goals at the top, micro goals below), 1.25 KPIs a goal
// of every kind, M check-ins dated through the first half of 2026, written to a SQLite database
// through the Store interface; optionally a long check-in CSV over the same KPIs for the import
// benchmark. The same arguments always give the same workspace.
//
//   generate_workspace --goals N --checkins M --db PATH [--csv PATH --csv-rows R] [--seed S]
//
// `--checkins 0 --csv F` makes the import benchmark's base: goals and KPIs, no check-ins yet.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/changeset.h"
#include "core/model.h"
#include "core/validate.h"
#include "store/store.h"

namespace cascade::bench {
namespace {

// The date the benchmarks compute status as of; check-ins run from the year's start to a little
// past it, so some are in the future and ignored, as in a real workspace.
const Date kYearStart = *Date::FromCivil(2026, 1, 1);
const Date kYearEnd = *Date::FromCivil(2026, 12, 31);
const Date kAsOf = *Date::FromCivil(2026, 6, 30);

Date MonthStart(int month) { return *Date::FromCivil(2026, static_cast<unsigned>(month), 1); }
Date MonthEnd(int month) { return month == 12 ? kYearEnd : MonthStart(month + 1) - 1; }

// Share of goals at each depth (0 = roots); depth 0 and 1 are macro, depth 2 a third macro.
constexpr double kDepthShare[] = {0.005, 0.045, 0.15, 0.30, 0.50};
constexpr int kDepths = 5;

// splitmix64: small, fast and the same on every platform.
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n).
  uint64_t Below(uint64_t n) { return n == 0 ? 0 : Next() % n; }
  // Uniform in [0, 1).
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

 private:
  uint64_t state_;
};

struct Options {
  size_t goals = 10000;
  size_t checkins = 100000;
  std::string db;
  std::string csv;
  size_t csv_rows = 0;
  uint64_t seed = 20260101;
};

[[noreturn]] void Usage(const char* why) {
  std::fprintf(stderr,
               "generate_workspace: %s\nusage: generate_workspace --goals N --checkins M --db PATH "
               "[--csv PATH --csv-rows R] [--seed S]\n",
               why);
  std::exit(2);
}

Options ParseArgs(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (i + 1 >= argc) Usage("every option takes a value");
    const char* v = argv[++i];
    if (a == "--goals") {
      o.goals = std::strtoull(v, nullptr, 10);
    } else if (a == "--checkins") {
      o.checkins = std::strtoull(v, nullptr, 10);
    } else if (a == "--db") {
      o.db = v;
    } else if (a == "--csv") {
      o.csv = v;
    } else if (a == "--csv-rows") {
      o.csv_rows = std::strtoull(v, nullptr, 10);
    } else if (a == "--seed") {
      o.seed = std::strtoull(v, nullptr, 10);
    } else {
      Usage("unknown option");
    }
  }
  if (o.db.empty()) Usage("--db is required");
  if (o.goals == 0) Usage("--goals must be at least 1");
  if (!o.csv.empty() && o.csv_rows == 0) Usage("--csv needs --csv-rows");
  return o;
}

const char* const kChannels[] = {"social", "content", "email", "seo", "pr", "paid", "events"};
const char* const kVerbs[] = {"Grow", "Raise", "Win", "Double", "Lift", "Build", "Reach"};
const char* const kThings[] = {"qualified leads", "social engagement",  "newsletter sign-ups",
                               "organic traffic", "brand awareness",    "trial conversions",
                               "press mentions",  "webinar attendance", "customer retention",
                               "share of voice"};

// The workspace without check-ins, and the dates each KPI's check-ins fall between.
struct Generated {
  Workspace ws;
  std::vector<std::pair<Date, Date>> kpi_dates;
};

// The org chart, goals parents first, KPIs.
Generated MakeWorkspace(const Options& o, Random& rnd) {
  Generated out;
  Workspace& ws = out.ws;
  const size_t n_teams = std::max<size_t>(5, o.goals / 1000);
  const size_t n_people = std::max<size_t>(10, o.goals / 50);
  ws.teams.push_back(Team{.id = "company", .name = "Company", .parent = ""});
  ws.teams.push_back(Team{.id = "marketing", .name = "Marketing", .parent = "company"});
  for (size_t t = 0; t < n_teams; ++t) {
    ws.teams.push_back(Team{.id = "team-" + std::to_string(t),
                            .name = "Team " + std::to_string(t),
                            .parent = "marketing"});
  }
  for (size_t p = 0; p < n_people; ++p) {
    ws.people.push_back(Person{.id = "p" + std::to_string(p),
                               .name = "Person " + std::to_string(p),
                               .email = "p" + std::to_string(p) + "@example.com",
                               .team = "team-" + std::to_string(p % n_teams),
                               .role = p % 10 == 0 ? Role::kLead : Role::kMember});
  }

  // Goals depth by depth, so every parent is created before its children.
  std::vector<size_t> per_depth(kDepths);
  size_t assigned = 0;
  for (int d = 1; d < kDepths; ++d) {
    per_depth[d] = static_cast<size_t>(static_cast<double>(o.goals) * kDepthShare[d]);
    assigned += per_depth[d];
  }
  per_depth[0] = o.goals > assigned ? o.goals - assigned : 1;
  if (per_depth[0] > o.goals) per_depth[0] = o.goals;
  std::vector<size_t> depth_begin(kDepths + 1, 0);
  std::vector<std::pair<int, int>> window;  // per goal: first and last month of 2026
  window.reserve(o.goals);
  ws.goals.reserve(o.goals);
  for (int d = 0; d < kDepths; ++d) {
    depth_begin[d] = ws.goals.size();
    for (size_t i = 0; i < per_depth[d] && ws.goals.size() < o.goals; ++i) {
      const size_t n = ws.goals.size();
      Goal g;
      g.id = "g" + std::to_string(n);
      g.title = std::string(kVerbs[rnd.Below(7)]) + " " + kThings[rnd.Below(10)] + " by " +
                std::to_string(5 + rnd.Below(40)) + "% (" + std::to_string(n) + ")";
      g.owner = "p" + std::to_string(rnd.Below(n_people));
      g.team = "team-" + std::to_string(rnd.Below(n_teams));
      g.channel = kChannels[rnd.Below(7)];
      g.weight = 1 + static_cast<double>(rnd.Below(3));
      g.priority = static_cast<Priority>(rnd.Below(3));
      const uint64_t state = rnd.Below(100);
      g.state = state < 2 ? GoalState::kDraft : (state < 3 ? GoalState::kCancelled : g.state);
      const size_t lo = d == 0 ? 0 : depth_begin[d - 1];
      const size_t parents = d == 0 ? 0 : depth_begin[d] - lo;
      if (parents == 0) {  // a root (or, in a tiny workspace, a level left without parents)
        g.level = Level::kMacro;
        g.start = kYearStart;
        g.due = kYearEnd;
        window.emplace_back(1, 12);
      } else {
        const size_t p = lo + rnd.Below(parents);
        const Goal& parent = ws.goals[p];
        g.parent = parent.id;
        const bool macro = parent.level == Level::kMacro && (d == 1 || (d == 2 && n % 3 == 0));
        g.level = macro ? Level::kMacro : Level::kMicro;
        // A window of whole months inside the parent's: macro goals a half year, micro goals a
        // quarter or a month. Some children leave their start to be inherited.
        const int first = window[p].first, last = window[p].second;
        const int want = macro ? 6 : (rnd.Below(3) == 0 ? 1 : 3);
        const int len = std::min(want, last - first + 1);
        const int from =
            first + static_cast<int>(rnd.Below(static_cast<uint64_t>(last - first + 2 - len)));
        const int to = from + len - 1;
        g.start = MonthStart(from);
        g.due = MonthEnd(to);
        if (d >= 2 && from == first && rnd.Below(2) == 0) g.start.reset();
        if (!macro) {
          if (rnd.Below(50) == 0) g.due.reset();  // unscheduled
          g.growth_potential = static_cast<double>(rnd.Below(10));
        }
        window.emplace_back(from, to);
      }
      if (rnd.Below(5) == 0) g.tags = {"q" + std::to_string(1 + rnd.Below(4)), g.channel};
      ws.goals.push_back(std::move(g));
    }
  }
  depth_begin[kDepths] = ws.goals.size();

  // 1 KPI per goal, a second for every fourth.
  ws.kpis.reserve(ws.goals.size() * 5 / 4 + 1);
  for (size_t gi = 0; gi < ws.goals.size(); ++gi) {
    const int count = gi % 4 == 3 ? 2 : 1;
    for (int j = 0; j < count; ++j) {
      Kpi k;
      k.id = "k" + std::to_string(ws.kpis.size());
      k.goal = ws.goals[gi].id;
      k.name = std::string(kThings[rnd.Below(10)]);
      const uint64_t kind = rnd.Below(100);
      if (kind < 40) {
        k.kind = KpiKind::kLevel;
        k.baseline = static_cast<double>(100 + rnd.Below(900));
        k.target = *k.baseline * (1.1 + rnd.Unit());
        k.unit = "followers";
      } else if (kind < 75) {
        k.kind = KpiKind::kCumulative;
        k.target = static_cast<double>(50 + rnd.Below(500));
        k.unit = "leads";
      } else if (kind < 85) {
        k.kind = KpiKind::kMilestone;
        k.target = 1;
      } else {
        k.kind = KpiKind::kThreshold;
        k.direction = rnd.Below(2) == 0 ? Direction::kAbove : Direction::kBelow;
        k.target = 50;
        k.unit = "%";
        if (rnd.Below(2) == 0) k.baseline = 45;
      }
      k.weight = 1 + static_cast<double>(rnd.Below(2));
      k.cadence_days = rnd.Below(2) == 0 ? 7 : 30;
      k.source = rnd.Below(3) == 0 ? "ga4" : "";
      ws.kpis.push_back(std::move(k));
      // Check-ins within the goal's months up to two weeks past the as-of date (those are
      // ignored by status, as future-dated ones are in real workspaces).
      const Date from = MonthStart(window[gi].first);
      const Date to = std::min(MonthEnd(window[gi].second), kAsOf + 14);
      out.kpi_dates.emplace_back(from, to < from ? from : to);
    }
  }
  return out;
}

// One check-in of KPI `k`: a date in its goal's window and a value its kind allows, drifting
// towards the target as the window goes on.
Checkin MakeCheckin(const Generated& g, size_t k, Random& rnd) {
  const Kpi& kpi = g.ws.kpis[k];
  const auto [from, to] = g.kpi_dates[k];
  Checkin c;
  c.kpi = kpi.id;
  const int days = (to - from) + 1;
  c.date = from + static_cast<int>(rnd.Below(static_cast<uint64_t>(days)));
  const double t = static_cast<double>(c.date - from) / days;
  switch (kpi.kind) {
    case KpiKind::kLevel: {
      const double b = *kpi.baseline;
      c.value = std::round(b + (kpi.target - b) * t * (0.6 + 0.8 * rnd.Unit()));
      break;
    }
    case KpiKind::kCumulative:
      c.value = static_cast<double>(rnd.Below(10));
      break;
    case KpiKind::kMilestone:
      c.value = t > 0.5 && rnd.Below(2) == 0 ? 1 : 0;
      break;
    case KpiKind::kThreshold:
      c.value = 30 + 0.5 * static_cast<double>(rnd.Below(81));
      break;
  }
  if (rnd.Below(10) == 0) c.note = "weekly export";
  if (rnd.Below(2) == 0) c.author = "p" + std::to_string(rnd.Below(g.ws.people.size()));
  return c;
}

// `count` check-ins over random KPIs, in date order (the order a team records them in).
std::vector<Checkin> MakeCheckins(const Generated& g, size_t count, Random& rnd) {
  std::vector<Checkin> out;
  out.reserve(count);
  for (size_t i = 0; i < count; ++i)
    out.push_back(MakeCheckin(g, rnd.Below(g.ws.kpis.size()), rnd));
  std::stable_sort(out.begin(), out.end(),
                   [](const Checkin& a, const Checkin& b) { return a.date < b.date; });
  return out;
}

template <typename T>
void AddCreates(ChangeSet& cs, const CowVector<T>& items, size_t begin, size_t end) {
  for (size_t i = begin; i < end; ++i) {
    cs.changes.push_back(EntityChange{EntityChange::Op::kCreate, std::nullopt, Entity(items[i])});
  }
}

void Check(const Result<void>& r, const char* what) {
  if (!r) {
    std::fprintf(stderr, "generate_workspace: %s: %s\n", what, r.error().ToString().c_str());
    std::exit(1);
  }
}

void WriteCsv(const std::string& path, const std::vector<Checkin>& rows) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << "kpi,date,value,note,author\n";
  char value[64];
  for (const Checkin& c : rows) {
    std::snprintf(value, sizeof value, "%.17g", c.value);
    out << c.kpi << ',' << c.date.ToString() << ',' << value << ',' << c.note << ',' << c.author
        << '\n';
  }
  if (!out) {
    std::fprintf(stderr, "generate_workspace: cannot write %s\n", path.c_str());
    std::exit(1);
  }
}

double SecondsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

int Run(const Options& o) {
  const auto t0 = std::chrono::steady_clock::now();
  Random rnd(o.seed);
  const Generated generated = MakeWorkspace(o, rnd);
  const Workspace& ws = generated.ws;
  if (Errors errors = ValidateWorkspace(ws); !errors.empty()) {
    std::fprintf(stderr, "generate_workspace: the generated workspace is invalid: %s\n",
                 errors.front().ToString().c_str());
    return 1;
  }

  std::filesystem::remove(o.db);
  std::filesystem::remove(o.db + "-wal");
  std::filesystem::remove(o.db + "-shm");
  auto store = OpenStore(o.db);
  if (!store) {
    std::fprintf(stderr, "generate_workspace: %s\n", store.error().ToString().c_str());
    return 1;
  }
  // The org chart, then goals and KPIs in batches (a ChangeSet of a million goals would hold
  // gigabytes), then check-ins a million at a time.
  {
    ChangeSet org;
    AddCreates(org, ws.teams, 0, ws.teams.size());
    AddCreates(org, ws.people, 0, ws.people.size());
    Check((*store)->Apply(org, "bench"), "writing the org chart");
  }
  constexpr size_t kBatch = 50000;
  for (size_t b = 0; b < ws.goals.size(); b += kBatch) {
    ChangeSet cs;
    AddCreates(cs, ws.goals, b, std::min(ws.goals.size(), b + kBatch));
    Check((*store)->Apply(cs, "bench"), "writing goals");
  }
  for (size_t b = 0; b < ws.kpis.size(); b += kBatch) {
    ChangeSet cs;
    AddCreates(cs, ws.kpis, b, std::min(ws.kpis.size(), b + kBatch));
    Check((*store)->Apply(cs, "bench"), "writing KPIs");
  }
  // Check-ins come from their own stream, so the goals and KPIs do not depend on M: a workspace
  // with --checkins 0 is the same workspace without its check-ins.
  Random checkin_rnd(o.seed * 31 + 7);
  std::vector<Checkin> checkins = MakeCheckins(generated, o.checkins, checkin_rnd);
  constexpr size_t kCheckinBatch = 1000000;
  for (size_t b = 0; b < checkins.size(); b += kCheckinBatch) {
    ChangeSet cs;
    const size_t end = std::min(checkins.size(), b + kCheckinBatch);
    cs.checkins.assign(checkins.begin() + static_cast<std::ptrdiff_t>(b),
                       checkins.begin() + static_cast<std::ptrdiff_t>(end));
    Check((*store)->Apply(cs, "bench"), "writing check-ins");
  }
  checkins.clear();
  checkins.shrink_to_fit();

  if (!o.csv.empty()) {
    // The import file's rows are in file order as an analytics export gives them: not by date.
    Random csv_rnd(o.seed * 17 + 3);
    std::vector<Checkin> rows;
    rows.reserve(o.csv_rows);
    for (size_t i = 0; i < o.csv_rows; ++i) {
      rows.push_back(MakeCheckin(generated, csv_rnd.Below(ws.kpis.size()), csv_rnd));
    }
    WriteCsv(o.csv, rows);
  }
  std::fprintf(
      stderr, "generate_workspace: %zu goals, %zu KPIs, %zu check-ins in %s%s%s (%.1f s)\n",
      ws.goals.size(), ws.kpis.size(), o.checkins, o.db.c_str(), o.csv.empty() ? "" : ", CSV of ",
      o.csv.empty() ? "" : o.csv.c_str(), SecondsSince(t0));
  return 0;
}

}  // namespace
}  // namespace cascade::bench

int main(int argc, char** argv) {
  return cascade::bench::Run(cascade::bench::ParseArgs(argc, argv));
}
