#include "core/rollup.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <unordered_map>
#include <string>
#include <unordered_map>
#include <utility>

#include "core/big_vector.h"
#include "core/id_table.h"
#include "core/kpi_values.h"

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

// Puts one KPI's points in the order the formulas read them: by date, then in the order recorded
// (seq), then by position in the workspace. Points arrive in workspace order; when seq grows with
// the position (check-ins load in the order recorded) position alone breaks ties of date and seq
// need not be read back from the workspace.
void SortPoints(Point* first, Point* last, const Workspace& ws, bool seq_follows_position) {
  const auto earlier = [&ws, seq_follows_position](const Point& x, const Point& y) {
    if (x.date != y.date) return x.date < y.date;
    if (seq_follows_position) return x.index < y.index;
    const int64_t sx = ws.checkins[static_cast<size_t>(x.index)].seq;
    const int64_t sy = ws.checkins[static_cast<size_t>(y.index)].seq;
    if (sx != sy) return sx < sy;
    return x.index < y.index;
  };
  if (!std::is_sorted(first, last, earlier)) std::sort(first, last, earlier);
}

// Check-ins grouped by KPI position, each group in the order SortPoints gives.
struct CheckinBuckets {
  // By KPI position, size KPIs + 1: group k is points[begin[k], begin[k + 1]).
  BigVector<int32_t> begin;
  BigVector<Point> points;
  const Point* first(size_t k) const { return points.data() + begin[k]; }
  const Point* last(size_t k) const { return points.data() + begin[k + 1]; }
};

// Groups check-ins that come in any order: one pass copies each into a compact point and notes
// its KPI, a counting sort by KPI makes the groups.
CheckinBuckets BucketCheckins(const Workspace& ws, const IdTable& kpi_ids) {
  const size_t nk = ws.kpis.size();
  const size_t nc = ws.checkins.size();
  BigVector<Point> points;
  points.reserve(nc);
  BigVector<int32_t> kpi_of;
  kpi_of.reserve(nc);
  // Check-ins usually come in the order recorded; then SortPoints need not read seq back.
  bool seq_follows_position = true;
  int64_t last_seq = std::numeric_limits<int64_t>::min();
  LookupAll(
      nc, [&ws](size_t i) { return std::string_view(ws.checkins[i].kpi); }, kpi_ids, ws.kpis,
      [&](size_t i, int k) {
        if (k < 0) return;
        const Checkin& c = ws.checkins[i];
        if (c.seq < last_seq) seq_follows_position = false;
        last_seq = c.seq;
        points.push_back(Point{c.date, static_cast<int32_t>(i), c.value});
        kpi_of.push_back(k);
      });
  CheckinBuckets b;
  b.begin.assign(nk + 1, 0);
  for (const int32_t k : kpi_of) ++b.begin[static_cast<size_t>(k) + 1];
  for (size_t k = 0; k < nk; ++k) b.begin[k + 1] += b.begin[k];
  b.points.resize(points.size());
  BigVector<int32_t> fill(b.begin.begin(), b.begin.end() - 1);
  for (size_t j = 0; j < points.size(); ++j) {
    b.points[static_cast<size_t>(fill[static_cast<size_t>(kpi_of[j])]++)] = points[j];
  }
  for (size_t k = 0; k < nk; ++k) {
    SortPoints(b.points.data() + b.begin[k], b.points.data() + b.begin[k + 1], ws,
               seq_follows_position);
  }
  return b;
}

// Passes that reach goals at random bring the data of the one kAhead positions on into the cache
// first: the misses overlap, which matters once a workspace outgrows the caches (1,000,000 goals).
constexpr size_t kAhead = 16;
template <typename Vector>
void PrefetchAt(const Vector& v, int i) {
  if (i >= 0) __builtin_prefetch(&v[static_cast<size_t>(i)]);
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

// The same order and depths when every goal comes after its parent in the vector (goals are
// created parents first, and stay so unless one is moved under a later goal): each goal's place
// follows from the sizes of its subtree and of its earlier siblings', in three passes over the
// vector that reach only 4-byte-a-goal arrays, where a depth-first walk jumps from goal to goal.
// Returns false, having done nothing, when a goal comes before its parent.
bool OrderGoalsParentsFirst(const BigVector<int>& parent, BigVector<int>& order,
                            BigVector<int>& depth) {
  const size_t n = parent.size();
  for (size_t g = 0; g < n; ++g) {
    if (parent[g] >= static_cast<int>(g)) return false;
  }
  // Subtree sizes, children before parents.
  BigVector<int> place(n, 1);
  for (size_t g = n; g-- > 0;) {
    if (g >= kAhead) PrefetchAt(place, parent[g - kAhead]);
    if (parent[g] >= 0) place[static_cast<size_t>(parent[g])] += place[g];
  }
  // Places, parents before children: a goal's place is where its parent's next child goes (the
  // place after the parent's, then past each earlier sibling's subtree); place[g] then becomes
  // where g's own first child goes.
  depth.assign(n, 0);
  order.assign(n, 0);
  int next_root = 0;
  for (size_t g = 0; g < n; ++g) {
    if (g + kAhead < n) {
      PrefetchAt(place, parent[g + kAhead]);
      PrefetchAt(depth, parent[g + kAhead]);
    }
    const int size = place[g];
    const int p = parent[g];
    int at;
    if (p < 0) {
      at = next_root;
      next_root += size;
    } else {
      const auto pi = static_cast<size_t>(p);
      at = place[pi];
      place[pi] += size;
      depth[g] = depth[pi] + 1;
    }
    place[g] = at + 1;
    order[static_cast<size_t>(at)] = static_cast<int>(g);
  }
  return true;
}

// Depth-first order of the goal tree (parents first, siblings in vector order) and each goal's
// depth. Goals unreachable from a root (only in an invalid workspace with a cycle) are appended as
// if they were roots, so every goal appears exactly once.
void OrderGoals(const BigVector<int>& parent, const Groups& children, BigVector<int>& order,
                BigVector<int>& depth) {
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

// What the formulas read of one KPI and its goal, copied out in KPI order: KPIs are computed in
// the order their check-ins come (by KPI id, as status loads them) and each reaches one record.
struct KpiFacts {
  std::optional<Date> start;  // the goal's effective start
  std::optional<Date> due;
  std::optional<double> baseline;  // effective (Kpi::effective_baseline)
  double target = 0;
  double weight = 1;
  int32_t goal = -1;  // position
  int32_t cadence_days = 7;
  KpiKind kind = KpiKind::kLevel;
  Direction direction = Direction::kNone;
  bool benchmark = false;  // benchmark_for set: a reference series, in no item (spec §2)
};

// Notes a KPI's progress on each date it may change, in date order: its first date at 100%,
// whether it fell back after it, and (when asked for) every span at 100%.
class FullTracker {
 public:
  explicit FullTracker(DateSpans* spans) : spans_(spans) {
    if (spans_ != nullptr) spans_->clear();
  }
  void On(Date d, bool full, KpiResult& r) {
    if (full == full_) return;
    full_ = full;
    if (full && !r.first_full) r.first_full = d;
    if (!full) r.full_dips = true;
    if (spans_ == nullptr) return;
    if (full) {
      spans_->push_back({d, kAfterAnyDate});
    } else {
      spans_->back().to = d;
    }
  }

 private:
  DateSpans* spans_;
  bool full_ = false;
};

// Value, attainment, progress, last check-in and forecast of one KPI from its sorted check-ins.
// `full_spans`, when given, receives the dates it is at 100%.
KpiResult ComputeKpi(const KpiFacts& kpi, const Point* first, const Point* last, Date as_of,
                     DateSpans* full_spans = nullptr) {
  KpiResult r;
  const Date until = kpi.due && *kpi.due < as_of ? *kpi.due : as_of;
  const bool bounded_below =
      (kpi.kind == KpiKind::kCumulative || kpi.kind == KpiKind::kThreshold) && kpi.start;
  // The counted check-ins: [lo, hi) of the bucket, which is sorted by date.
  const Point* lo =
      bounded_below
          ? std::partition_point(first, last, [&](const Point& p) { return p.date < *kpi.start; })
          : first;
  const Point* hi = std::partition_point(lo, last, [&](const Point& p) { return p.date <= until; });
  if (lo != hi) r.last_checkin = (hi - 1)->date;

  const std::optional<double>& baseline = kpi.baseline;
  if (kpi.kind == KpiKind::kThreshold) {
    r.value = lo != hi ? std::optional<double>((hi - 1)->value) : baseline;
    int held = 0;
    FullTracker full(full_spans);
    for (const Point* p = lo; p != hi; ++p) {
      const bool ok = kpi.direction == Direction::kBelow ? p->value <= kpi.target + kEps
                                                         : p->value >= kpi.target - kEps;
      held += ok;
      if (p + 1 == hi || p[1].date != p->date) full.On(p->date, held == p - lo + 1, r);
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
  FullTracker full(full_spans);
  for (const Point* p = lo; p != hi;) {
    const Date d = p->date;
    for (; p != hi && p->date == d; ++p) v = cumulative ? v + p->value : p->value;
    full.On(d, attain(v) >= 1 - kEps, r);
    if (kpi.start) {
      if (d == *kpi.start) on_start = true;
      fit.Add(static_cast<double>(d - *kpi.start), v);
    }
  }
  // Entry keeps every value within ±1e15, so a sum is finite; one past the largest double can
  // only come from values stored before that bound, and leaves V null rather than infinite.
  if (!std::isfinite(v)) return r;
  r.value = v;
  r.attainment = attain(v);
  r.progress = Clamp01(r.attainment);

  if (kpi.start && kpi.due) {
    if (!on_start) fit.Add(0.0, b);
    if (auto y = fit.Project(static_cast<double>(*kpi.due - *kpi.start)); y && std::isfinite(*y)) {
      r.forecast = Clamp01(attain(*y));
    }
  }
  return r;
}

// A formula KPI (spec §2): V on its inputs' V as of its t′, its last check-in the latest of theirs;
// forecast points on the dates of its inputs' check-ins in [start, t′] where it has a value. A
// null V leaves it out of its goal's items (counted false).
KpiResult ComputeFormulaKpi(const KpiFacts& kpi, const KpiValues& values, size_t k, Date as_of) {
  KpiResult r;
  const KpiValues::Reading now = values.AsOf(k, as_of);
  r.last_checkin = now.last_checkin;
  if (!now.value) {
    r.counted = false;
    return r;
  }
  const double b = kpi.baseline.value_or(0.0);
  const double span = kpi.target - b;
  auto attain = [&](double v) { return span != 0 ? (v - b) / span : 0.0; };
  r.value = now.value;
  r.attainment = attain(*now.value);
  r.progress = Clamp01(r.attainment);
  if (!kpi.start || !kpi.due) return r;
  const Date until = *kpi.due < as_of ? *kpi.due : as_of;
  LineFit fit;
  bool on_start = false;
  for (const Date d : values.InputDates(k)) {
    if (d < *kpi.start || d > until) continue;
    const std::optional<double> v = values.AsOf(k, d).value;
    if (!v) continue;  // no value that day: no point
    if (d == *kpi.start) on_start = true;
    fit.Add(static_cast<double>(d - *kpi.start), *v);
  }
  if (!on_start) fit.Add(0.0, b);
  if (auto y = fit.Project(static_cast<double>(*kpi.due - *kpi.start)); y && std::isfinite(*y)) {
    r.forecast = Clamp01(attain(*y));
  }
  return r;
}

// The spans at 100% of the KPIs whose progress fell back below 1 after reaching it (the others'
// follow from first_full), kept as the KPIs are computed for the goals that need them.
class DippedSpans {
 public:
  void Keep(size_t k, size_t kpis, const DateSpans& spans) {
    if (where_.empty()) where_.assign(kpis, {0, 0});
    where_[k] = {static_cast<uint32_t>(pool_.size()), static_cast<uint32_t>(spans.size())};
    pool_.insert(pool_.end(), spans.begin(), spans.end());
  }
  DateSpans Of(size_t k) const {
    if (where_.empty()) return {};
    const auto [begin, count] = where_[k];
    return DateSpans(pool_.begin() + begin, pool_.begin() + begin + count);
  }

 private:
  std::vector<std::pair<uint32_t, uint32_t>> where_;  // by KPI: begin, count in pool_
  std::vector<DateSpan> pool_;
};

// A formula KPI's history (core/achieved_on.h): at 100% or without a value on each date its
// inputs' check-ins change it (through t), and before the first of them.
ItemHistory FormulaHistory(const KpiFacts& kpi, const KpiValues& values, size_t k, Date as_of) {
  const double b = kpi.baseline.value_or(0.0);
  const double span = kpi.target - b;
  SpanBuilder full, none;
  const auto at = [&](Date when, Date d) {
    const std::optional<double> v = values.AsOf(k, d).value;
    none.Set(when, !v);
    full.Set(when, v && span != 0 && (*v - b) / span >= 1 - kEps);
  };
  std::vector<Date> dates = values.InputDates(k);
  std::erase_if(dates, [as_of](Date d) { return d > as_of; });
  at(kBeforeAnyDate, dates.empty() ? as_of : dates.front() - 1);
  for (const Date d : dates) at(d, d);
  ItemHistory h{full.Take(), none.Take(), std::nullopt};
  if (!dates.empty()) h.first_date = dates.front();
  return h;
}

// Computes each KPI as its run of check-ins ends, while they are still in the cache, when every
// KPI's check-ins come in one run (as status loads them: LoadOptions::checkins_by_kpi), in any
// order within the run. Returns false, part done, once a KPI's check-ins come in a second run.
// done[k] says which KPIs it computed: those without check-ins are left to the caller.
bool ComputeKpisByRun(const Workspace& ws, const IdTable& kpi_ids, const BigVector<KpiFacts>& facts,
                      Date as_of, BigVector<KpiResult>& out, BigVector<uint8_t>& done,
                      DippedSpans& dipped) {
  std::vector<Point> run;
  DateSpans spans;
  int run_kpi = -1;
  const auto end_run = [&] {
    if (run_kpi < 0) return;
    const auto k = static_cast<size_t>(run_kpi);
    SortPoints(run.data(), run.data() + run.size(), ws, /*seq_follows_position=*/false);
    out[k] = ComputeKpi(facts[k], run.data(), run.data() + run.size(), as_of, &spans);
    if (out[k].full_dips) dipped.Keep(k, facts.size(), spans);
    done[k] = 1;
    run.clear();
  };
  bool runs = true;
  LookupAll(
      ws.checkins.size(), [&ws](size_t i) { return std::string_view(ws.checkins[i].kpi); }, kpi_ids,
      ws.kpis,
      [&](size_t i, int k) {
        if (k < 0) return true;
        if (k != run_kpi) {
          end_run();
          if (done[static_cast<size_t>(k)]) return runs = false;
          // What the run's end reads and writes, fetched while its check-ins stream in.
          __builtin_prefetch(&facts[static_cast<size_t>(k)]);
          __builtin_prefetch(&out[static_cast<size_t>(k)], 1);
          run_kpi = k;
        }
        const Checkin& c = ws.checkins[i];
        run.push_back(Point{c.date, static_cast<int32_t>(i), c.value});
        return true;
      });
  if (runs) end_run();
  return runs;
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

// on_track 0, at_risk 1, off_track 2 (spec §2 "Confidence"); -1 for any other status.
int TrackRank(GoalStatus s) {
  switch (s) {
    case GoalStatus::kOnTrack:
      return 0;
    case GoalStatus::kAtRisk:
      return 1;
    case GoalStatus::kOffTrack:
      return 2;
    default:
      return -1;
  }
}

int TrackRank(Confidence c) {
  switch (c) {
    case Confidence::kOnTrack:
      return 0;
    case Confidence::kAtRisk:
      return 1;
    case Confidence::kOffTrack:
      return 2;
    case Confidence::kNone:
      break;
  }
  return -1;
}

// Each goal's confidence (spec §2): the judgement of the latest check-in of its own KPIs dated
// <= t' that carries one, by date, then order recorded (seq, then position), and how far the
// numbers' status is from it. A pass of its own over the check-ins, after the statuses are known.
void ComputeConfidence(const Workspace& ws, const IdTable& kpi_ids,
                       const BigVector<KpiFacts>& facts, Date as_of, BigVector<GoalResult>& goals) {
  struct Judgement {
    int64_t checkin = -1;  // position of the goal's latest judgement, -1
    int kpi = -1;
  };
  BigVector<Judgement> latest;  // by goal; sized at the first judgement met
  for (size_t i = 0; i < ws.checkins.size(); ++i) {
    const Checkin& c = ws.checkins[i];
    if (c.confidence == Confidence::kNone) continue;
    const int k = kpi_ids.Find(c.kpi, ws.kpis);
    if (k < 0) continue;
    const KpiFacts& f = facts[static_cast<size_t>(k)];
    if (f.goal < 0) continue;
    const Date until = f.due && *f.due < as_of ? *f.due : as_of;
    if (until < c.date) continue;
    if (latest.empty()) latest.assign(goals.size(), Judgement{});
    Judgement& best = latest[static_cast<size_t>(f.goal)];
    if (best.checkin >= 0 &&
        !RollupLaterJudgement(c, ws.checkins[static_cast<size_t>(best.checkin)])) {
      continue;
    }
    best = Judgement{static_cast<int64_t>(i), k};
  }
  if (latest.empty()) return;
  for (size_t g = 0; g < goals.size(); ++g) {
    if (latest[g].checkin < 0) continue;
    RollupJudge(goals[g], &ws.checkins[static_cast<size_t>(latest[g].checkin)], latest[g].kpi);
  }
}

// Each goal's spent and budget_left (spec §2 "Spend and breakdowns"): its spend dated in
// [start, t'], every one dated <= t' when it has no start.
void ComputeSpend(const Workspace& ws, const IdTable& goal_ids, Date as_of,
                  BigVector<GoalResult>& goals) {
  for (const Spend& s : ws.spend) {
    const int g = goal_ids.Find(s.goal, ws.goals);
    if (g < 0) continue;
    GoalResult& r = goals[static_cast<size_t>(g)];
    const Date until = r.due && *r.due < as_of ? *r.due : as_of;
    if (until < s.date || (r.start && s.date < *r.start)) continue;
    r.spent += s.amount;
  }
  for (size_t g = 0; g < goals.size(); ++g) {
    if (ws.goals[g].budget_max) goals[g].budget_left = *ws.goals[g].budget_max - goals[g].spent;
  }
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
  BigVector<KpiResult> kpis(nk);  // out.kpis once computed

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
  // A goal in a cycle starts from the cycle's dates where it sets none (GoalOwnDates).
  std::unordered_map<std::string_view, const Cycle*> cycles;
  for (const Cycle& c : ws.cycles) cycles.emplace(c.id, &c);
  const auto cycle_of = [&cycles](const Goal& g) -> const Cycle* {
    if (g.cycle.empty()) return nullptr;
    auto it = cycles.find(g.cycle);
    return it == cycles.end() ? nullptr : it->second;
  };
  LookupAll(
      ng, [&ws](size_t g) { return std::string_view(ws.goals[g].parent); }, goal_ids, ws.goals,
      [&](size_t g, int p) {
        const Goal& goal = ws.goals[g];
        const OwnDates own = GoalOwnDates(goal, cycle_of(goal));
        facts[g] = GoalFacts{own.start, own.due, goal.weight, goal.state};
        if (!goal.parent.empty()) parent[g] = p;
      });
  BigVector<int> order, depth;  // out.order and out.depth once computed
  if (!OrderGoalsParentsFirst(parent, order, depth)) {
    OrderGoals(parent, Group(ng, parent), order, depth);
  }

  // Goal positions by depth, shallowest first, each depth in vector order (a counting sort): the
  // passes below go down or up the tree a depth at a time, reading each goal's data in vector
  // order where a depth-first walk would jump all over it.
  BigVector<int> level_begin;  // depth d is by_depth[level_begin[d], level_begin[d + 1])
  BigVector<int> by_depth(ng);
  {
    int max_depth = 0;
    for (const int d : depth) max_depth = std::max(max_depth, d);
    level_begin.assign(static_cast<size_t>(max_depth) + 2, 0);
    for (const int d : depth) ++level_begin[static_cast<size_t>(d) + 1];
    for (size_t d = 1; d < level_begin.size(); ++d) level_begin[d] += level_begin[d - 1];
    BigVector<int> fill(level_begin.begin(), level_begin.end() - 1);
    for (size_t g = 0; g < ng; ++g) {
      by_depth[static_cast<size_t>(fill[static_cast<size_t>(depth[g])]++)] =
          static_cast<int>(g);
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

  // What each KPI's formulas read, its goal's window included, in KPI order.
  BigVector<KpiFacts> kpi_facts(nk);
  bool has_formulas = false;
  LookupAll</*kIdsFollowItems=*/true>(
      nk, [&ws](size_t k) { return std::string_view(ws.kpis[k].goal); }, goal_ids, ws.goals,
      [&](size_t k, int g) {
        if (k + kAhead < nk) PrefetchAt(ws.kpis, static_cast<int>(k + kAhead));
        const Kpi& kpi = ws.kpis[k];
        const auto gi = static_cast<size_t>(g);
        kpi_facts[k] = KpiFacts{.start = g >= 0 ? start[gi] : std::nullopt,
                                .due = g >= 0 ? facts[gi].due : std::nullopt,
                                .baseline = kpi.effective_baseline(),
                                .target = kpi.target,
                                .weight = kpi.weight,
                                .goal = g,
                                .cadence_days = kpi.cadence_days,
                                .kind = kpi.kind,
                                .direction = kpi.direction,
                                .benchmark = !kpi.benchmark_for.empty()};
        has_formulas |= kpi.kind == KpiKind::kFormula;
      });

  // Each KPI from its check-ins: as they come when they come a KPI at a time, else bucketed.
  BigVector<uint8_t> done(nk, 0);
  DippedSpans dipped;
  if (!ComputeKpisByRun(ws, kpi_ids, kpi_facts, as_of, kpis, done, dipped)) {
    dipped = DippedSpans();
    const CheckinBuckets buckets = BucketCheckins(ws, kpi_ids);
    DateSpans spans;
    for (size_t k = 0; k < nk; ++k) {
      kpis[k] = ComputeKpi(kpi_facts[k], buckets.first(k), buckets.last(k), as_of, &spans);
      if (kpis[k].full_dips) dipped.Keep(k, nk, spans);
    }
    done.assign(nk, 1);
  }
  // Formula KPIs read other KPIs as of other dates: computed apart, only when there are any, so
  // the pass above stays what it is for a workspace without them.
  std::optional<KpiValues> values;
  if (has_formulas) {
    std::vector<KpiWindow> windows(nk);
    for (size_t k = 0; k < nk; ++k) windows[k] = KpiWindow{kpi_facts[k].start, kpi_facts[k].due};
    values.emplace(ws, std::move(windows));
    for (size_t k = 0; k < nk; ++k) {
      if (kpi_facts[k].kind != KpiKind::kFormula) continue;
      kpis[k] = ComputeFormulaKpi(kpi_facts[k], *values, k, as_of);
      done[k] = 1;
    }
  }

  // KPIs in vector order add their weighted progress and forecast to their goals' sums (so a
  // goal's KPIs are added in vector order, before its children).
  struct Sums {
    double w = 0, p = 0, f = 0;
  };
  BigVector<Sums> sums(ng);
  BigVector<AchievedAccumulator> achieved(ng);
  for (size_t k = 0; k < nk; ++k) {
    if (k + kAhead < nk) PrefetchAt(sums, kpi_facts[k + kAhead].goal);
    const KpiFacts& f = kpi_facts[k];
    if (!done[k]) kpis[k] = ComputeKpi(f, nullptr, nullptr, as_of);
    if (f.goal < 0) continue;
    KpiResult& kr = kpis[k];
    if (f.benchmark) {  // shown with its value and last check-in, counted nowhere
      kr.attainment = kr.progress = 0;
      kr.forecast.reset();
      kr.counted = false;
      kr.first_full.reset();
      kr.full_dips = false;
    } else {
      achieved[static_cast<size_t>(f.goal)].AddKpi(kr, f.kind == KpiKind::kFormula);
    }
    if (!kr.counted) continue;
    Sums& s = sums[static_cast<size_t>(f.goal)];
    s.w += f.weight;
    s.p += f.weight * kr.progress;
    s.f += f.weight * kr.forecast.value_or(kr.progress);
  }

  // Goals, children before parents: the deepest first, each depth in vector order, each goal's
  // P and forecast going into its parent's sums, after the parent's KPIs and in the order of the
  // goal vector.
  BigVector<GoalResult> results(ng);
  std::vector<int> complex;  // goals whose achieved_on needs their history's spans
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
      if (achieved[g].Finish(f.state, as_of, r)) complex.push_back(static_cast<int>(g));
      const int p = parent[g];
      if (p >= 0 && f.state == GoalState::kActive) achieved[static_cast<size_t>(p)].AddChild(r);
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
    if (k + kAhead < nk) PrefetchAt(results, kpi_facts[k + kAhead].goal);
    const KpiFacts& f = kpi_facts[k];
    if (f.goal < 0 || f.benchmark) continue;
    const GoalResult& gr = results[static_cast<size_t>(f.goal)];
    if (!CanGoStale(gr.status)) continue;
    KpiResult& kr = kpis[k];
    const std::optional<Date> since = kr.last_checkin ? kr.last_checkin : gr.start;
    if (since) kr.stale = as_of - *since > f.cadence_days;
  }
  if (!complex.empty()) {
    const Groups children = Group(ng, parent);
    BigVector<int> kpi_goal(nk);
    for (size_t k = 0; k < nk; ++k) kpi_goal[k] = kpi_facts[k].goal;
    const Groups goal_kpis = Group(ng, kpi_goal);
    const AchievedInputs in{
        .kpis = [&](size_t g) { return std::span<const int>(goal_kpis.first(static_cast<int>(g)),
                                                            goal_kpis.last(static_cast<int>(g))); },
        .children = [&](size_t g) { return std::span<const int>(children.first(static_cast<int>(g)),
                                                                children.last(static_cast<int>(g))); },
        .kpi_counts = [&](size_t k) { return !kpi_facts[k].benchmark; },
        .child_counts = [&](size_t g) { return facts[g].state == GoalState::kActive; },
        .kind = [&](size_t g) { return results[g].achieved_kind; },
        .full_from = [&](size_t g) { return results[g].full_from; },
        .kpi_history =
            [&](size_t k) {
              const KpiFacts& f = kpi_facts[k];
              if (f.kind == KpiKind::kFormula) return FormulaHistory(f, *values, k, as_of);
              const KpiResult& kr = kpis[k];
              ItemHistory h;
              if (kr.full_dips) {
                h.full = dipped.Of(k);
              } else if (kr.first_full) {
                h.full.push_back({*kr.first_full, kAfterAnyDate});
              }
              return h;
            },
    };
    std::unordered_map<size_t, ItemHistory> memo;
    for (const int g : complex) {
      const auto gi = static_cast<size_t>(g);
      GoalResult& r = results[gi];
      const ItemHistory h = GoalHistory(gi, in, memo);
      if (facts[gi].state == GoalState::kActive) r.achieved_on = FirstFullDate(h, AchievedUntil(r, as_of));
    }
  }
  ComputeConfidence(ws, kpi_ids, kpi_facts, as_of, results);
  ComputeSpend(ws, goal_ids, as_of, results);
  out.order = std::move(order);
  out.depth = std::move(depth);
  out.kpis = std::move(kpis);
  out.goals = std::move(results);
  return out;
}

}  // namespace cascade

namespace cascade {

KpiResult RollupKpi(const Kpi& kpi, std::optional<Date> start, std::optional<Date> due,
                    std::span<const Checkin> checkins, Date as_of, DateSpans* full_spans) {
  std::vector<Point> points;
  points.reserve(checkins.size());
  for (size_t i = 0; i < checkins.size(); ++i) {
    points.push_back(Point{checkins[i].date, static_cast<int32_t>(i), checkins[i].value});
  }
  // SortPoints' order: by date, then seq, then position.
  const auto earlier = [&checkins](const Point& x, const Point& y) {
    if (x.date != y.date) return x.date < y.date;
    const int64_t sx = checkins[static_cast<size_t>(x.index)].seq;
    const int64_t sy = checkins[static_cast<size_t>(y.index)].seq;
    if (sx != sy) return sx < sy;
    return x.index < y.index;
  };
  if (!std::is_sorted(points.begin(), points.end(), earlier)) {
    std::sort(points.begin(), points.end(), earlier);
  }
  const KpiFacts facts{.start = start,
                       .due = due,
                       .baseline = kpi.effective_baseline(),
                       .target = kpi.target,
                       .weight = kpi.weight,
                       .goal = -1,
                       .cadence_days = kpi.cadence_days,
                       .kind = kpi.kind,
                       .direction = kpi.direction};
  return ComputeKpi(facts, points.data(), points.data() + points.size(), as_of, full_spans);
}

bool AchievedAccumulator::Finish(GoalState state, Date as_of, GoalResult& r) const {
  r.achieved_on.reset();
  r.full_from.reset();
  if (!any_) {
    r.achieved_kind = AchievedKind::kNoItems;
    return false;
  }
  if (complex_ && !never_) {
    r.achieved_kind = AchievedKind::kComplex;
    return true;
  }
  r.achieved_kind = AchievedKind::kExact;
  if (never_) return false;
  r.full_from = from_;
  if (state == GoalState::kActive && from_ <= AchievedUntil(r, as_of)) r.achieved_on = from_;
  return false;
}

void RollupFinishGoal(GoalState state, Date as_of, GoalResult& r) {
  r.expected.reset();
  if (r.start && r.due) r.expected = Expected(*r.start, *r.due, as_of);
  r.status = StatusOf(state, r, as_of);
}

void RollupJudge(GoalResult& r, const Checkin* c, int kpi) {
  r.confidence = c ? c->confidence : Confidence::kNone;
  r.confidence_kpi = c ? kpi : -1;
  r.confidence_date = c ? c->date : Date();
  r.confidence_seq = c ? c->seq : 0;
  r.disagrees = false;
  r.disagreement.reset();
  const int status = TrackRank(r.status);
  if (!c || status < 0) return;
  r.disagreement = std::abs(status - TrackRank(r.confidence));
  r.disagrees = *r.disagreement != 0;
}

bool RollupKpiStale(const KpiResult& kpi, int cadence_days, const GoalResult& goal, Date as_of) {
  if (!CanGoStale(goal.status)) return false;
  const std::optional<Date> since = kpi.last_checkin ? kpi.last_checkin : goal.start;
  return since && as_of - *since > cadence_days;
}

}  // namespace cascade
