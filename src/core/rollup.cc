#include "core/rollup.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <utility>

#include "core/big_vector.h"
#include "core/id_table.h"

namespace cascade {
namespace {

constexpr double kEps = 1e-9;

constexpr std::array<std::pair<GoalStatus, std::string_view>, kGoalStatusCount> kStatusNames{{
    {GoalStatus::kCancelled, "cancelled"},
    {GoalStatus::kDraft, "draft"},
    {GoalStatus::kUnmeasured, "unmeasured"},
    {GoalStatus::kAchieved, "achieved"},
    {GoalStatus::kUnscheduled, "unscheduled"},
    {GoalStatus::kMissed, "missed"},
    {GoalStatus::kNotStarted, "not_started"},
    {GoalStatus::kOnTrack, "on_track"},
    {GoalStatus::kAtRisk, "at_risk"},
    {GoalStatus::kOffTrack, "off_track"},
}};

double Clamp01(double x) { return x < 0 ? 0 : (x > 1 ? 1 : x); }

// One check-in as the formulas read it, copied out of the workspace into its KPI's bucket so the
// per-KPI passes scan contiguous memory. `index` is the position in Workspace::checkins.
struct Point {
  Date date;
  int32_t index;
  double value;
};

// Check-ins grouped by KPI position, each group ordered by (date, seq) and, for equal (date, seq),
// by position in the workspace.
struct CheckinBuckets {
  struct Group {
    int32_t first = 0, last = 0;  // points[first, last)
    int64_t last_seq = std::numeric_limits<int64_t>::min();  // min: no check-in seen yet
  };
  BigVector<Group> groups;  // by KPI position
  BigVector<Point> points;
  const Point* begin(size_t k) const { return points.data() + groups[k].first; }
  const Point* end(size_t k) const { return points.data() + groups[k].last; }
};

CheckinBuckets BucketCheckins(const Workspace& ws, const IdTable& kpi_ids) {
  const size_t nk = ws.kpis.size();
  const size_t nc = ws.checkins.size();
  // One pass reads each check-in (the workspace's check-ins are large: that read is most of the
  // cost) and appends it as a compact point in the order given. When each KPI's check-ins come in
  // one run, as status loads them (LoadOptions::checkins_by_kpi), the runs are the groups;
  // otherwise a counting sort of the compact points by KPI makes them.
  CheckinBuckets b;
  b.groups.assign(nk, CheckinBuckets::Group{});
  b.points.reserve(nc);
  BigVector<int> kpi_of;  // for the counting sort: each point's KPI
  kpi_of.reserve(nc);
  // Usually each KPI's seq grows with the position (check-ins load in the order recorded, or
  // grouped by KPI in that order); then position alone breaks ties of date, and sorting need not
  // read seq back from the workspace.
  bool seq_follows_position = true;
  bool runs = true;
  int run_kpi = -1;
  int64_t prev_seq = 0;  // of the run's KPI
  const auto end_run = [&] {
    if (run_kpi < 0) return;
    CheckinBuckets::Group& g = b.groups[static_cast<size_t>(run_kpi)];
    g.last = static_cast<int32_t>(b.points.size());
    g.last_seq = prev_seq;
  };
  LookupAll(
      nc, [&ws](size_t i) { return std::string_view(ws.checkins[i].kpi); }, kpi_ids, ws.kpis,
      [&](size_t i, int k) {
        if (k < 0) return;
        const Checkin& c = ws.checkins[i];
        if (k != run_kpi) {  // a run starts: the group is touched once a run, not once a point
          end_run();
          CheckinBuckets::Group& g = b.groups[static_cast<size_t>(k)];
          if (g.last_seq != std::numeric_limits<int64_t>::min()) runs = false;
          g.first = static_cast<int32_t>(b.points.size());
          prev_seq = g.last_seq;
          run_kpi = k;
        }
        if (c.seq < prev_seq) seq_follows_position = false;
        prev_seq = c.seq;
        b.points.push_back(Point{c.date, static_cast<int32_t>(i), c.value});
        kpi_of.push_back(k);
      });
  end_run();
  if (!runs) {
    BigVector<int> count(nk + 1, 0);
    for (const int k : kpi_of) ++count[static_cast<size_t>(k) + 1];
    for (size_t k = 0; k < nk; ++k) count[k + 1] += count[k];
    BigVector<Point> sorted(b.points.size());
    for (size_t k = 0; k < nk; ++k) b.groups[k].first = b.groups[k].last = count[k];
    for (size_t j = 0; j < b.points.size(); ++j) {
      sorted[static_cast<size_t>(b.groups[static_cast<size_t>(kpi_of[j])].last++)] = b.points[j];
    }
    b.points = std::move(sorted);
  }
  // Within a group, points are in workspace order, so (date, seq, index) is the order to reach.
  const auto earlier = [&ws, seq_follows_position](const Point& x, const Point& y) {
    if (x.date != y.date) return x.date < y.date;
    if (seq_follows_position) return x.index < y.index;
    const int64_t sx = ws.checkins[static_cast<size_t>(x.index)].seq;
    const int64_t sy = ws.checkins[static_cast<size_t>(y.index)].seq;
    if (sx != sy) return sx < sy;
    return x.index < y.index;
  };
  for (const CheckinBuckets::Group& g : b.groups) {
    auto from = b.points.begin() + g.first;
    auto to = b.points.begin() + g.last;
    if (!std::is_sorted(from, to, earlier)) std::sort(from, to, earlier);
  }
  return b;
}

// Passes that reach goals at random bring the data of the one kAhead positions on into the cache
// first: the misses overlap, which matters once a workspace outgrows the caches (1,000,000 goals).
constexpr size_t kAhead = 16;
template <typename Vector>
void PrefetchAt(const Vector& v, int i) {
  if (i >= 0) __builtin_prefetch(v.data() + i);
}

// Compressed adjacency: for each owner position, the member positions in vector order.
struct Groups {
  BigVector<int> begin;  // size owners + 1
  BigVector<int> items;
  const int* first(int owner) const { return items.data() + begin[static_cast<size_t>(owner)]; }
  const int* last(int owner) const { return items.data() + begin[static_cast<size_t>(owner) + 1]; }
};

Groups Group(size_t owners, const BigVector<int>& owner_of) {
  Groups g;
  g.begin.assign(owners + 1, 0);
  for (size_t i = 0; i < owner_of.size(); ++i) {
    if (i + kAhead < owner_of.size()) PrefetchAt(g.begin, owner_of[i + kAhead] + 1);
    const int o = owner_of[i];
    if (o >= 0) ++g.begin[static_cast<size_t>(o) + 1];
  }
  for (size_t i = 0; i < owners; ++i) g.begin[i + 1] += g.begin[i];
  g.items.resize(static_cast<size_t>(g.begin[owners]));
  BigVector<int> fill(g.begin.begin(), g.begin.end() - 1);
  for (size_t i = 0; i < owner_of.size(); ++i) {
    const int o = owner_of[i];
    if (o >= 0) g.items[static_cast<size_t>(fill[static_cast<size_t>(o)]++)] = static_cast<int>(i);
  }
  return g;
}

// Depth-first order of the goal tree (parents first, siblings in vector order) and each goal's
// depth. Goals unreachable from a root (only in an invalid workspace with a cycle) are appended as
// if they were roots, so every goal appears exactly once.
void OrderGoals(const BigVector<int>& parent, const Groups& children, std::vector<int>& order,
                std::vector<int>& depth) {
  const size_t n = parent.size();
  order.clear();
  order.reserve(n);
  depth.assign(n, -1);  // -1: not reached yet
  BigVector<int> stack;
  auto visit_from = [&](int root) {
    stack.push_back(root);
    depth[static_cast<size_t>(root)] = 0;
    while (!stack.empty()) {
      const int g = stack.back();
      stack.pop_back();
      order.push_back(g);
      // Push children in reverse so the first child is visited first; where each one's children
      // are listed is fetched now, ahead of its visit.
      for (const int* c = children.last(g); c != children.first(g);) {
        --c;
        const auto ci = static_cast<size_t>(*c);
        if (depth[ci] >= 0) continue;
        depth[ci] = depth[static_cast<size_t>(g)] + 1;
        PrefetchAt(children.begin, *c);
        stack.push_back(*c);
      }
    }
  };
  for (size_t g = 0; g < n; ++g) {
    if (parent[g] < 0) visit_from(static_cast<int>(g));
  }
  for (size_t g = 0; g < n; ++g) {
    if (depth[g] < 0) visit_from(static_cast<int>(g));
  }
}

// Ordinary least squares over (x, y) points fed one at a time (Welford's updates, stable for the
// large values KPIs carry), projected to x = at.
class LineFit {
 public:
  void Add(double x, double y) {
    ++n_;
    const double dx = x - mean_x_;
    mean_x_ += dx / n_;
    mean_y_ += (y - mean_y_) / n_;
    sxx_ += dx * (x - mean_x_);
    sxy_ += dx * (y - mean_y_);
  }
  // Null with fewer than 2 points or when every x is the same.
  std::optional<double> Project(double at) const {
    if (n_ < 2 || sxx_ <= 0) return std::nullopt;
    return mean_y_ + sxy_ / sxx_ * (at - mean_x_);
  }

 private:
  int n_ = 0;
  double mean_x_ = 0, mean_y_ = 0, sxx_ = 0, sxy_ = 0;
};

struct GoalWindow {
  std::optional<Date> start;  // effective start
  std::optional<Date> due;
};

// Value, attainment, progress, last check-in and forecast of one KPI from its sorted check-ins.
KpiResult ComputeKpi(const Kpi& kpi, const Point* first, const Point* last, const GoalWindow& w,
                     Date as_of) {
  KpiResult r;
  const Date until = w.due && *w.due < as_of ? *w.due : as_of;
  const bool bounded_below =
      (kpi.kind == KpiKind::kCumulative || kpi.kind == KpiKind::kThreshold) && w.start;
  // The counted check-ins: [lo, hi) of the bucket, which is sorted by date.
  const Point* lo =
      bounded_below
          ? std::partition_point(first, last, [&](const Point& p) { return p.date < *w.start; })
          : first;
  const Point* hi = std::partition_point(lo, last, [&](const Point& p) { return p.date <= until; });
  if (lo != hi) r.last_checkin = (hi - 1)->date;

  const std::optional<double> baseline = kpi.effective_baseline();
  if (kpi.kind == KpiKind::kThreshold) {
    r.value = lo != hi ? std::optional<double>((hi - 1)->value) : baseline;
    int held = 0;
    for (const Point* p = lo; p != hi; ++p) {
      const bool ok = kpi.direction == Direction::kBelow ? p->value <= kpi.target + kEps
                                                         : p->value >= kpi.target - kEps;
      held += ok;
    }
    r.attainment = lo != hi ? static_cast<double>(held) / static_cast<double>(hi - lo) : 0.0;
    r.progress = r.attainment;
    return r;
  }

  const double b = baseline.value_or(0.0);
  const double span = kpi.target - b;
  const bool cumulative = kpi.kind == KpiKind::kCumulative;
  auto attain = [&](double v) { return span != 0 ? (v - b) / span : 0.0; };

  // One pass: V, and the forecast's points (one per distinct date, V as of that date).
  LineFit fit;
  bool on_start = false;
  double v = b;
  for (const Point* p = lo; p != hi;) {
    const Date d = p->date;
    for (; p != hi && p->date == d; ++p) v = cumulative ? v + p->value : p->value;
    if (w.start) {
      if (d == *w.start) on_start = true;
      fit.Add(static_cast<double>(d - *w.start), v);
    }
  }
  r.value = v;
  r.attainment = attain(v);
  r.progress = Clamp01(r.attainment);

  if (w.start && w.due) {
    if (!on_start) fit.Add(0.0, b);
    if (auto y = fit.Project(static_cast<double>(*w.due - *w.start))) {
      r.forecast = Clamp01(attain(*y));
    }
  }
  return r;
}

double Expected(Date start, Date due, Date t) {
  if (due == start) return t >= due ? 1.0 : 0.0;
  return Clamp01(static_cast<double>(t - start) / static_cast<double>(due - start));
}

GoalStatus StatusOf(GoalState state, const GoalResult& r, Date t) {
  if (state == GoalState::kCancelled) return GoalStatus::kCancelled;
  if (state == GoalState::kDraft) return GoalStatus::kDraft;
  if (!r.progress) return GoalStatus::kUnmeasured;
  const double p = *r.progress;
  if (p >= 1 - kEps) return GoalStatus::kAchieved;
  if (!r.due || !r.start) return GoalStatus::kUnscheduled;
  if (t > *r.due) return GoalStatus::kMissed;
  if (t < *r.start) return GoalStatus::kNotStarted;
  const double gap = r.expected.value_or(0.0) - p;
  if (gap <= 0.10 + kEps) return GoalStatus::kOnTrack;
  if (gap <= 0.25 + kEps) return GoalStatus::kAtRisk;
  return GoalStatus::kOffTrack;
}

bool CanGoStale(GoalStatus s) {
  return s == GoalStatus::kOnTrack || s == GoalStatus::kAtRisk || s == GoalStatus::kOffTrack ||
         s == GoalStatus::kUnscheduled;
}

}  // namespace

std::string_view ToString(GoalStatus s) {
  for (const auto& [value, name] : kStatusNames) {
    if (value == s) return name;
  }
  return "";
}

std::optional<GoalStatus> ParseGoalStatus(std::string_view s) {
  for (const auto& [value, name] : kStatusNames) {
    if (name == s) return value;
  }
  return std::nullopt;
}

Rollup ComputeRollup(const Workspace& ws, Date as_of) {
  const IdTable goal_ids(ws.goals);
  const IdTable kpi_ids(ws.kpis);
  const size_t ng = ws.goals.size();
  const size_t nk = ws.kpis.size();

  Rollup out;
  out.as_of = as_of;
  out.kpis.resize(nk);

  // The passes below walk the tree a depth at a time and reach parents at random: they read
  // compact copies of what they need, taken in one pass in vector order.
  struct GoalFacts {
    std::optional<Date> start;  // as entered
    std::optional<Date> due;
    double weight;
    GoalState state;
  };
  BigVector<GoalFacts> facts(ng);
  BigVector<int> parent(ng, -1);
  LookupAll(
      ng, [&ws](size_t g) { return std::string_view(ws.goals[g].parent); }, goal_ids, ws.goals,
      [&](size_t g, int p) {
        const Goal& goal = ws.goals[g];
        facts[g] = GoalFacts{goal.start, goal.due, goal.weight, goal.state};
        if (!goal.parent.empty()) parent[g] = p;
      });
  const Groups children = Group(ng, parent);
  OrderGoals(parent, children, out.order, out.depth);

  // Goal positions by depth, shallowest first, each depth in vector order (a counting sort): the
  // passes below go down or up the tree a depth at a time, reading each goal's data in vector
  // order where a depth-first walk would jump all over it.
  BigVector<int> level_begin;  // depth d is by_depth[level_begin[d], level_begin[d + 1])
  BigVector<int> by_depth(ng);
  {
    int max_depth = 0;
    for (const int d : out.depth) max_depth = std::max(max_depth, d);
    level_begin.assign(static_cast<size_t>(max_depth) + 2, 0);
    for (const int d : out.depth) ++level_begin[static_cast<size_t>(d) + 1];
    for (size_t d = 1; d < level_begin.size(); ++d) level_begin[d] += level_begin[d - 1];
    BigVector<int> fill(level_begin.begin(), level_begin.end() - 1);
    for (size_t g = 0; g < ng; ++g) {
      by_depth[static_cast<size_t>(fill[static_cast<size_t>(out.depth[g])]++)] = static_cast<int>(g);
    }
  }

  // Effective start (inherited down the tree), parents first.
  BigVector<std::optional<Date>> start(ng);
  for (size_t i = 0; i < ng; ++i) {
    if (i + kAhead < ng) PrefetchAt(start, parent[static_cast<size_t>(by_depth[i + kAhead])]);
    const auto gi = static_cast<size_t>(by_depth[i]);
    const int p = parent[gi];
    start[gi] = facts[gi].start;
    if (!start[gi] && p >= 0) start[gi] = start[static_cast<size_t>(p)];
  }

  // KPIs, in vector order, each adding its weighted progress and forecast to its goal's sums
  // (so a goal's KPIs are added in vector order, before its children).
  struct Sums {
    double w = 0, p = 0, f = 0;
  };
  BigVector<Sums> sums(ng);
  BigVector<int> goal_of_kpi(nk, -1);
  BigVector<int> cadence(nk);
  LookupAll(
      nk, [&ws](size_t k) { return std::string_view(ws.kpis[k].goal); }, goal_ids, ws.goals,
      [&](size_t k, int g) { goal_of_kpi[k] = g; });
  {
    const CheckinBuckets buckets = BucketCheckins(ws, kpi_ids);
    for (size_t k = 0; k < nk; ++k) {
      if (k + kAhead < nk) {
        const int ahead = goal_of_kpi[k + kAhead];
        PrefetchAt(start, ahead);
        PrefetchAt(facts, ahead);
        PrefetchAt(sums, ahead);
      }
      GoalWindow w;
      const int g = goal_of_kpi[k];
      if (g >= 0) {
        w.start = start[static_cast<size_t>(g)];
        w.due = facts[static_cast<size_t>(g)].due;
      }
      const Kpi& kpi = ws.kpis[k];
      cadence[k] = kpi.cadence_days;
      const KpiResult& kr = out.kpis[k] =
          ComputeKpi(kpi, buckets.begin(k), buckets.end(k), w, as_of);
      if (g >= 0) {
        Sums& s = sums[static_cast<size_t>(g)];
        s.w += kpi.weight;
        s.p += kpi.weight * kr.progress;
        s.f += kpi.weight * kr.forecast.value_or(kr.progress);
      }
    }
  }

  // Goals, children before parents: the deepest first, each depth in vector order, each goal's
  // P and forecast going into its parent's sums, after the parent's KPIs and in the order of the
  // goal vector.
  BigVector<GoalResult> results(ng);
  for (size_t d = level_begin.size() - 1; d-- > 0;) {
    for (int i = level_begin[d]; i < level_begin[d + 1]; ++i) {
      if (static_cast<size_t>(i) + kAhead < ng) {
        PrefetchAt(sums, parent[static_cast<size_t>(by_depth[static_cast<size_t>(i) + kAhead])]);
      }
      const auto g = static_cast<size_t>(by_depth[static_cast<size_t>(i)]);
      const GoalFacts& f = facts[g];
      GoalResult& r = results[g];
      r.start = start[g];
      r.due = f.due;
      const Sums& s = sums[g];
      if (s.w != 0) {  // weights are > 0, so this means "has items"
        r.progress = s.p / s.w;
        r.forecast = s.f / s.w;
      }
      if (r.start && r.due) r.expected = Expected(*r.start, *r.due, as_of);
      r.status = StatusOf(f.state, r, as_of);
      ++out.summary[static_cast<size_t>(r.status)];
      const int p = parent[g];
      if (p >= 0 && f.state == GoalState::kActive && r.progress) {
        Sums& ps = sums[static_cast<size_t>(p)];
        ps.w += f.weight;
        ps.p += f.weight * *r.progress;
        ps.f += f.weight * r.forecast.value_or(*r.progress);
      }
    }
  }

  // Staleness depends on the goal's status.
  for (size_t k = 0; k < nk; ++k) {
    if (k + kAhead < nk) PrefetchAt(results, goal_of_kpi[k + kAhead]);
    const int g = goal_of_kpi[k];
    if (g < 0) continue;
    const GoalResult& gr = results[static_cast<size_t>(g)];
    if (!CanGoStale(gr.status)) continue;
    KpiResult& kr = out.kpis[k];
    const std::optional<Date> since = kr.last_checkin ? kr.last_checkin : gr.start;
    if (since) kr.stale = as_of - *since > cadence[k];
  }
  out.goals = std::move(results);
  return out;
}

}  // namespace cascade
