#include "core/achieved_on.h"

#include <algorithm>
#include <utility>

namespace cascade {
namespace {

void Append(DateSpans& out, Date from, Date to) {
  if (!(from < to)) return;
  if (!out.empty() && out.back().to >= from) {
    out.back().to = std::max(out.back().to, to);
    return;
  }
  out.push_back({from, to});
}

std::optional<Date> EarlierOf(std::optional<Date> a, std::optional<Date> b) {
  if (!a) return b;
  if (!b) return a;
  return std::min(*a, *b);
}

}  // namespace

DateSpans IntersectSpans(const DateSpans& a, const DateSpans& b) {
  DateSpans out;
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    Append(out, std::max(a[i].from, b[j].from), std::min(a[i].to, b[j].to));
    if (a[i].to < b[j].to) {
      ++i;
    } else {
      ++j;
    }
  }
  return out;
}

DateSpans UniteSpans(const DateSpans& a, const DateSpans& b) {
  DateSpans out;
  size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    const bool take_a = j == b.size() || (i < a.size() && a[i].from <= b[j].from);
    const DateSpan& s = take_a ? a[i++] : b[j++];
    Append(out, s.from, s.to);
  }
  return out;
}

DateSpans SubtractSpans(const DateSpans& a, const DateSpans& b) {
  DateSpans out;
  size_t j = 0;
  for (const DateSpan& s : a) {
    Date from = s.from;
    while (j < b.size() && b[j].to <= from) ++j;
    for (size_t k = j; k < b.size() && b[k].from < s.to; ++k) {
      Append(out, from, std::min(b[k].from, s.to));
      from = std::max(from, b[k].to);
    }
    Append(out, from, s.to);
  }
  return out;
}

ItemHistory GoalHistory(size_t g, const AchievedInputs& in,
                        std::unordered_map<size_t, ItemHistory>& memo) {
  switch (in.kind(g)) {
    case AchievedKind::kNoItems:
      return ItemHistory{{}, {{kBeforeAnyDate, kAfterAnyDate}}, std::nullopt};
    case AchievedKind::kExact: {
      ItemHistory h;
      if (const std::optional<Date> from = in.full_from(g)) h.full.push_back({*from, kAfterAnyDate});
      return h;
    }
    case AchievedKind::kComplex:
      break;
  }
  if (auto it = memo.find(g); it != memo.end()) return it->second;
  // P >= 1 on d: every item with a value is full on d, and some item has one.
  DateSpans full_or_null{{kBeforeAnyDate, kAfterAnyDate}};
  DateSpans all_null{{kBeforeAnyDate, kAfterAnyDate}};
  std::optional<Date> first_date;
  const auto add = [&](const ItemHistory& item) {
    full_or_null = IntersectSpans(full_or_null, UniteSpans(item.full, item.null));
    all_null = IntersectSpans(all_null, item.null);
    first_date = EarlierOf(first_date, item.first_date);
  };
  for (const int k : in.kpis(g)) {
    if (in.kpi_counts(static_cast<size_t>(k))) add(in.kpi_history(static_cast<size_t>(k)));
  }
  for (const int c : in.children(g)) {
    if (in.child_counts(static_cast<size_t>(c))) add(GoalHistory(static_cast<size_t>(c), in, memo));
  }
  ItemHistory h{SubtractSpans(full_or_null, all_null), std::move(all_null), first_date};
  memo.emplace(g, h);
  return h;
}

std::optional<Date> FirstFullDate(const ItemHistory& h, Date until) {
  for (const DateSpan& s : h.full) {
    Date d = s.from;
    if (d == kBeforeAnyDate) {
      if (!h.first_date || *h.first_date >= s.to) continue;
      d = *h.first_date;
    }
    if (d > until) return std::nullopt;
    return d;
  }
  return std::nullopt;
}

}  // namespace cascade
