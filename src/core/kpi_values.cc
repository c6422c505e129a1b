#include "core/kpi_values.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string_view>
#include <utility>

#include "core/id_table.h"
#include "core/rollup.h"

namespace cascade {

KpiValues::KpiValues(const Workspace& ws, std::vector<KpiWindow> windows)
    : KpiValues(ws, std::move(windows), /*all_kpis=*/false) {}

KpiValues KpiValues::ForAllKpis(const Workspace& ws, const Rollup& rollup) {
  std::vector<KpiWindow> windows(ws.kpis.size());
  const IdTable goal_ids(ws.goals);
  for (size_t k = 0; k < ws.kpis.size(); ++k) {
    const int g = goal_ids.Find(ws.kpis[k].goal, ws.goals);
    if (g < 0 || static_cast<size_t>(g) >= rollup.goals.size()) continue;
    const GoalResult& r = rollup.goals[static_cast<size_t>(g)];
    windows[k] = KpiWindow{r.start, r.due};
  }
  return KpiValues(ws, std::move(windows), /*all_kpis=*/true);
}

KpiValues::KpiValues(const Workspace& ws, std::vector<KpiWindow> windows, bool all_kpis)
    : ws_(ws), windows_(std::move(windows)) {
  const size_t nk = ws.kpis.size();
  const IdTable kpi_ids(ws.kpis);
  formulas_.resize(nk);
  inputs_.resize(nk);
  // Which KPIs' check-ins are read: every one, or those formulas read (a nested formula's inputs
  // are marked as its own formula is parsed).
  std::vector<uint8_t> keep(nk, all_kpis ? 1 : 0);
  for (size_t k = 0; k < nk; ++k) {
    const Kpi& kpi = ws.kpis[k];
    if (kpi.kind != KpiKind::kFormula) continue;
    auto f = Formula::Parse(kpi.formula);
    if (!f) continue;  // only in an invalid workspace: the formula's value is then null
    for (const std::string& id : f->inputs()) {
      const int i = kpi_ids.Find(id, ws.kpis);
      inputs_[k].push_back(i);
      if (i >= 0) keep[static_cast<size_t>(i)] = 1;
    }
    formulas_[k] = std::move(*f);
  }

  // The kept check-ins, grouped by KPI (a counting sort), each group by date then order recorded.
  struct Entry {
    int32_t kpi;
    int32_t index;
  };
  std::vector<Entry> entries;
  std::string_view last_id;
  int last_kpi = -1;
  for (size_t i = 0; i < ws.checkins.size(); ++i) {
    const Checkin& c = ws.checkins[i];
    if (i == 0 || c.kpi != last_id) {  // check-ins usually come grouped by KPI
      last_id = c.kpi;
      last_kpi = kpi_ids.Find(c.kpi, ws.kpis);
    }
    if (last_kpi < 0 || !keep[static_cast<size_t>(last_kpi)]) continue;
    entries.push_back({last_kpi, static_cast<int32_t>(i)});
  }
  begin_.assign(nk + 1, 0);
  for (const Entry& e : entries) ++begin_[static_cast<size_t>(e.kpi) + 1];
  for (size_t k = 0; k < nk; ++k) begin_[k + 1] += begin_[k];
  std::vector<int32_t> order(entries.size());
  {
    std::vector<size_t> fill(begin_.begin(), begin_.end() - 1);
    for (const Entry& e : entries) order[fill[static_cast<size_t>(e.kpi)]++] = e.index;
  }
  const auto earlier = [&ws](int32_t x, int32_t y) {
    const Checkin& a = ws.checkins[static_cast<size_t>(x)];
    const Checkin& b = ws.checkins[static_cast<size_t>(y)];
    if (a.date != b.date) return a.date < b.date;
    if (a.seq != b.seq) return a.seq < b.seq;
    return x < y;
  };
  points_.resize(order.size());
  sums_.resize(order.size());
  for (size_t k = 0; k < nk; ++k) {
    std::sort(order.begin() + static_cast<std::ptrdiff_t>(begin_[k]),
              order.begin() + static_cast<std::ptrdiff_t>(begin_[k + 1]), earlier);
    double sum = 0;
    for (size_t i = begin_[k]; i < begin_[k + 1]; ++i) {
      const Checkin& c = ws.checkins[static_cast<size_t>(order[i])];
      points_[i] = Point{c.date, c.value};
      sum += c.value;
      sums_[i] = sum;
    }
  }
}

KpiValues::Reading KpiValues::Leaf(size_t k, Date t) const {
  const Kpi& kpi = ws_.kpis[k];
  const KpiWindow& w = windows_[k];
  const Date until = w.due && *w.due < t ? *w.due : t;
  const Point* first = points_.data() + begin_[k];
  const Point* last = points_.data() + begin_[k + 1];
  const bool bounded_below =
      (kpi.kind == KpiKind::kCumulative || kpi.kind == KpiKind::kThreshold) && w.start;
  const Point* lo =
      bounded_below
          ? std::partition_point(first, last, [&](const Point& p) { return p.date < *w.start; })
          : first;
  const Point* hi = std::partition_point(lo, last, [&](const Point& p) { return p.date <= until; });
  Reading r;
  if (lo != hi) r.last_checkin = (hi - 1)->date;
  const std::optional<double> baseline = kpi.effective_baseline();
  if (kpi.kind == KpiKind::kCumulative) {
    // The sum of [lo, hi): the group's running sum through hi − 1 less the one through lo − 1.
    const auto through = [&](const Point* p) {
      return p == first ? 0.0 : sums_[static_cast<size_t>(p - points_.data()) - 1];
    };
    const double v = baseline.value_or(0.0) + (through(hi) - through(lo));
    if (std::isfinite(v)) r.value = v;
    return r;
  }
  r.value = lo != hi ? std::optional<double>((hi - 1)->value) : baseline;
  return r;
}

KpiValues::Reading KpiValues::AsOf(size_t k, Date t) const {
  if (!formulas_[k]) {
    if (ws_.kpis[k].kind == KpiKind::kFormula) return {};  // a formula that does not parse
    return Leaf(k, t);
  }
  // Formulas nest as deep as the workspace has KPIs: evaluated with a stack of our own, not by
  // recursion. Each frame is a formula at its t′, collecting its inputs' readings in order.
  struct Frame {
    size_t kpi;
    Date at;  // t′
    std::vector<std::optional<double>> values;
    std::optional<Date> last_checkin;
  };
  const auto open = [this](size_t f, Date t) {
    const KpiWindow& w = windows_[f];
    Frame frame{f, w.due && *w.due < t ? *w.due : t, {}, std::nullopt};
    frame.values.reserve(inputs_[f].size());
    return frame;
  };
  std::vector<Frame> stack;
  stack.push_back(open(k, t));
  Reading done;
  for (;;) {
    Frame& top = stack.back();
    const std::vector<int>& inputs = inputs_[top.kpi];
    if (top.values.size() < inputs.size()) {
      const int i = inputs[top.values.size()];
      if (i < 0) {
        top.values.push_back(std::nullopt);
        continue;
      }
      const auto ii = static_cast<size_t>(i);
      if (formulas_[ii]) {
        stack.push_back(open(ii, top.at));
        continue;
      }
      Reading leaf = ws_.kpis[ii].kind == KpiKind::kFormula ? Reading{} : Leaf(ii, top.at);
      top.values.push_back(leaf.value);
      if (leaf.last_checkin && (!top.last_checkin || *leaf.last_checkin > *top.last_checkin)) {
        top.last_checkin = leaf.last_checkin;
      }
      continue;
    }
    // Every input read: evaluate, and hand the reading to the formula that reads this one.
    const Formula& f = *formulas_[top.kpi];
    const std::vector<std::string>& ids = f.inputs();
    const std::vector<std::optional<double>>& values = top.values;
    Reading r;
    r.value = f.Evaluate([&](const std::string& id) -> std::optional<double> {
      for (size_t j = 0; j < ids.size(); ++j) {
        if (ids[j] == id) return values[j];
      }
      return std::nullopt;
    });
    r.last_checkin = top.last_checkin;
    stack.pop_back();
    if (stack.empty()) {
      done = r;
      break;
    }
    Frame& parent = stack.back();
    parent.values.push_back(r.value);
    if (r.last_checkin && (!parent.last_checkin || *r.last_checkin > *parent.last_checkin)) {
      parent.last_checkin = r.last_checkin;
    }
  }
  return done;
}

std::vector<Date> KpiValues::InputDates(size_t k) const {
  std::vector<Date> dates;
  if (!formulas_[k]) return dates;
  std::vector<uint8_t> seen(ws_.kpis.size(), 0);
  std::vector<size_t> todo{k};
  seen[k] = 1;
  while (!todo.empty()) {
    const size_t f = todo.back();
    todo.pop_back();
    for (const int i : inputs_[f]) {
      if (i < 0 || seen[static_cast<size_t>(i)]) continue;
      const auto ii = static_cast<size_t>(i);
      seen[ii] = 1;
      if (formulas_[ii]) {
        todo.push_back(ii);
        continue;
      }
      for (size_t p = begin_[ii]; p < begin_[ii + 1]; ++p) dates.push_back(points_[p].date);
    }
  }
  std::sort(dates.begin(), dates.end());
  dates.erase(std::unique(dates.begin(), dates.end()), dates.end());
  return dates;
}

}  // namespace cascade
