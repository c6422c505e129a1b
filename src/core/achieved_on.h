// When a goal first reached 100% (spec §2 "Recognition", `achieved_on`): the earliest check-in
// date d <= t' of the KPIs counted in its P (through formula inputs, in its subtree) such that P as
// of d >= 1, kept even if P later falls back. The roll-up computes it (core/rollup.cc) from what
// each KPI and goal tells of its history, in this file's terms.
//
// P >= 1 exactly when every item of a goal that has a value is at 100% and at least one has one.
// So each KPI's history is the set of dates on which it is full (and, for a formula, on which it
// has no value), a goal's the intersection of its items': sets of date spans. Most KPIs are full
// from one date on or never, and so are most goals ("exact", one date says it all); only goals
// under a KPI that dipped back, or a formula, need the sets themselves ("complex").
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include "core/date.h"

namespace cascade {

// [from, to): dates d with from <= d < to. kDateSpanOpen at either end leaves it unbounded.
struct DateSpan {
  Date from;
  Date to;
  bool operator==(const DateSpan&) const = default;
};
inline constexpr Date kBeforeAnyDate{INT32_MIN};
inline constexpr Date kAfterAnyDate{INT32_MAX};

// Sorted, disjoint, non-empty spans.
using DateSpans = std::vector<DateSpan>;

DateSpans IntersectSpans(const DateSpans& a, const DateSpans& b);
DateSpans UniteSpans(const DateSpans& a, const DateSpans& b);
DateSpans SubtractSpans(const DateSpans& a, const DateSpans& b);

// Builds the spans of a history told date by date, in ascending order: Set(d, true) from d on
// the dates are in the set, Set(d, false) they are not.
class SpanBuilder {
 public:
  void Set(Date d, bool in) {
    if (in == in_) return;
    in_ = in;
    if (in) {
      spans_.push_back({d, kAfterAnyDate});
    } else if (!spans_.empty()) {
      spans_.back().to = d;
      if (spans_.back().from == d) spans_.pop_back();
    }
  }
  DateSpans Take() { return std::move(spans_); }

 private:
  bool in_ = false;
  DateSpans spans_;
};

// How a goal's history composes into its parent's.
enum class AchievedKind : uint8_t {
  kNoItems,  // P is null on every date: no items, ever (never an item of its parent)
  kExact,    // P has a value on every date, and is >= 1 exactly from `full_from` on (or never)
  kComplex,  // anything else: the sets are computed (ComplexGoalSets)
};

// One item's history: the dates it is at 100% and those it has no value.
struct ItemHistory {
  DateSpans full;
  DateSpans null;
  // The earliest candidate date it brings (a formula's first input check-in), for a set that
  // holds from before any date.
  std::optional<Date> first_date;
};

// What the exact evaluation of complex goals reads.
struct AchievedInputs {
  // A goal's KPIs (positions) and its children (positions).
  std::function<std::span<const int>(size_t goal)> kpis;
  std::function<std::span<const int>(size_t goal)> children;
  // Whether a KPI is an item at all (not a benchmark) and whether a child is active.
  std::function<bool(size_t kpi)> kpi_counts;
  std::function<bool(size_t goal)> child_counts;
  // A goal's kind and full_from as computed (for kExact and kNoItems children).
  std::function<AchievedKind(size_t goal)> kind;
  std::function<std::optional<Date>(size_t goal)> full_from;
  // Any counting KPI's history.
  std::function<ItemHistory(size_t kpi)> kpi_history;
};

// The history of goal `g` (kComplex or not), computing complex descendants as needed and keeping
// them in `memo`.
ItemHistory GoalHistory(size_t g, const AchievedInputs& in,
                        std::unordered_map<size_t, ItemHistory>& memo);

// The earliest candidate date <= until in `h.full`: a span's start, or for a span open before
// any date, its first candidate date (h.first_date). nullopt when none.
std::optional<Date> FirstFullDate(const ItemHistory& h, Date until);

}  // namespace cascade
