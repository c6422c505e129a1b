// Words and numbers as the pictures print them (the SVG chart, the HTML and Markdown reports):
// escaping for XML and Markdown, numbers with thousands separators, quantities with their unit,
// status labels and dates a reader can scan. One place, so a chart and a report never disagree.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/model.h"
#include "core/percent.h"
#include "core/rollup.h"

namespace cascade {

// Text safe inside XML/HTML elements and double- or single-quoted attributes: & < > " ' become
// entities; control characters XML 1.0 forbids become spaces.
std::string XmlEscape(std::string_view text);

// Text safe inside a Markdown table cell or paragraph: the characters that start emphasis, code,
// links, HTML or a cell (\ ` * _ [ ] < > | ~) are backslash-escaped and line breaks become spaces.
std::string MarkdownEscape(std::string_view text);

// "1,140", "10,350", "4.35", "57", "0.0045": with `decimals` < 0, numbers of 1,000 or more are
// rounded to integers, smaller ones get up to two decimals and those below 1 two significant
// digits (up to 8 decimals; trailing zeros dropped); otherwise exactly `decimals` decimals. Thousands separators always; "—" for a non-finite number; from 1e15 on
// (past any entered value: a sum or a forecast) "1.23e+20", never hundreds of digits.
inline constexpr double kLargeNumber = 1e15;
std::string FormatNumber(double v, int decimals = -1);

// "1234567.5" as "1,234,567.5" (a sign kept): the grouping every number printed for people has.
std::string GroupThousands(const std::string& number);

// A number someone entered (a target, a weight, a budget), exactly: the shortest text that reads
// back as it, in fixed notation with thousands separators ("0.125", "1,234,567.5"); from 1e15 on
// as FormatNumber; "—" for a non-finite number.
std::string ExactNumber(double v);

// A value with its unit: "24.6%", "$42,900", and "10,000 followers" when `named` (the unit word
// is written once per line, after the target). `decimals` as FormatNumber.
std::string FormatQuantity(double v, std::string_view unit, bool named, int decimals = -1);

// "$", "€", "£", "¥": units written before the number.
bool IsCurrencyUnit(std::string_view unit);

// A fraction as a percentage for people: core/percent.h's PercentNumber with "%" ("99%" for
// 0.997, "66.6%" for 2/3 with one decimal); "—" for null or what is not a finite number.
std::string PercentText(std::optional<double> fraction, int decimals = 0);
// A change of a fraction in percentage points, signed and truncated the same way: "+12.3 pts",
// "−0.4 pts", "±0 pts" when it truncates to zero; "—" for what is not finite.
std::string PointsText(double change, int decimals = 1);

// "on track", "not started", … (the words the terminal tree prints).
std::string_view StatusLabel(GoalStatus s);

// Every status in the order summaries list them: live first, then finished, then the rest.
extern const std::array<GoalStatus, kGoalStatusCount> kStatusDisplayOrder;

// "6,200 / 10,000 followers", "$42,900 / $46,000", "57 (line ≥ 50, held 4/5)", "done": the KPI's
// value against its target, as the terminal tree prints it. `window_checkins` counts the check-ins
// inside the goal's window (for "held 4/5").
std::string KpiValueText(const Kpi& kpi, const KpiResult& result, int window_checkins);

// "Jan", "Feb", … for month 1…12.
std::string_view MonthAbbrev(unsigned month);
// "Jan 5" and "Jan 5, 2026".
std::string ShortDate(Date d);
std::string LongDate(Date d);
// "Jan 1 – Jun 30, 2026", or "Dec 1, 2025 – Feb 28, 2026" across years.
std::string DateRange(Date from, Date to);

}  // namespace cascade
