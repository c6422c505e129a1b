// KPI values as of any date, formula KPIs included (spec §2, "KPI value V"): what the roll-up
// reads of the KPIs a formula uses, and what charts and correlation read of a formula over time.
// Built only where formulas are met, so a workspace without them never pays for it.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "core/date.h"
#include "core/formula.h"
#include "core/model.h"

namespace cascade {

struct Rollup;

// The window a KPI is measured in: its goal's effective start and due (spec §2, "The goal's
// window").
struct KpiWindow {
  std::optional<Date> start;
  std::optional<Date> due;
};

class KpiValues {
 public:
  // `ws` must be valid (ValidateWorkspace), outlive this and not change. `windows` is parallel to
  // ws.kpis. Only the check-ins of formula KPIs' inputs (through nested formulas) are kept, so
  // AsOf answers for a KPI that is neither a formula nor read by one as if it had no check-ins.
  KpiValues(const Workspace& ws, std::vector<KpiWindow> windows);
  // Every KPI's check-ins kept, the windows taken from a roll-up of `ws` (its goals' start, due).
  static KpiValues ForAllKpis(const Workspace& ws, const Rollup& rollup);

  struct Reading {
    std::optional<double> value;       // V; null as spec §2 says
    std::optional<Date> last_checkin;  // a formula: the latest of its inputs'
  };
  // V of the KPI at position `k` as of `t`: measured as of t′ = min(t, due) by its own kind and
  // window; a formula is its expression on each input's V as of the same t′.
  Reading AsOf(size_t k, Date t) const;

  // A formula's forecast dates: the distinct dates of the check-ins of the KPIs it reads (through
  // nested formulas, whatever their windows), ascending. Empty for any other KPI.
  std::vector<Date> InputDates(size_t k) const;

  bool IsFormula(size_t k) const { return formulas_[k].has_value(); }

 private:
  KpiValues(const Workspace& ws, std::vector<KpiWindow> windows, bool all_kpis);

  struct Point {
    Date date;
    double value;
  };
  Reading Leaf(size_t k, Date t) const;

  const Workspace& ws_;
  std::vector<KpiWindow> windows_;
  std::vector<std::optional<Formula>> formulas_;  // by KPI position: set for formula KPIs
  std::vector<std::vector<int>> inputs_;          // by KPI position: the formula's inputs' positions
  // Kept check-ins by KPI, by date then order recorded: points_[begin_[k], begin_[k + 1]), with
  // sums_[i] the sum of the values of the group's points through i (cumulative KPIs).
  std::vector<size_t> begin_;
  std::vector<Point> points_;
  std::vector<double> sums_;
};

}  // namespace cascade
