#include "io/render_text.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace cascade {

const std::array<GoalStatus, kGoalStatusCount> kStatusDisplayOrder = {
    GoalStatus::kOnTrack,     GoalStatus::kAtRisk,     GoalStatus::kOffTrack,
    GoalStatus::kAchieved,    GoalStatus::kMissed,     GoalStatus::kNotStarted,
    GoalStatus::kUnscheduled, GoalStatus::kUnmeasured, GoalStatus::kDraft,
    GoalStatus::kCancelled,
};

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default: {
        const auto u = static_cast<unsigned char>(c);
        out += (u < 0x20 && c != '\t' && c != '\n' && c != '\r') ? ' ' : c;
      }
    }
  }
  return out;
}

std::string MarkdownEscape(std::string_view text) {
  static constexpr std::string_view kSpecial = "\\`*_[]<>|~";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (c == '\n' || c == '\r' || c == '\t') {
      out += ' ';
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += ' ';
    } else {
      if (kSpecial.find(c) != std::string_view::npos) out += '\\';
      out += c;
    }
  }
  return out;
}

std::string GroupThousands(const std::string& number) {
  const bool negative = !number.empty() && number.front() == '-';
  const std::string digits = negative ? number.substr(1) : number;
  const size_t point = std::min(digits.find('.'), digits.size());
  std::string grouped;
  for (size_t i = 0; i < point; ++i) {
    if (i > 0 && (point - i) % 3 == 0) grouped += ',';
    grouped += digits[i];
  }
  grouped += digits.substr(point);
  return (negative ? "-" : "") + grouped;
}

std::string FormatNumber(double v, int decimals) {
  if (!std::isfinite(v)) return "—";
  if (std::fabs(v) >= kLargeNumber) {
    // Past what any entered value reaches (sums and forecasts can): three significant digits,
    // never a line of hundreds of digits.
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2e", v);
    return buf;
  }
  const bool automatic = decimals < 0;
  if (automatic) {
    // Below 1, two significant digits (0.0045 stays 0.0045, not 0), as far as 8 decimals.
    const double a = std::fabs(v);
    decimals = a >= 1000 ? 0
               : a >= 1 || a == 0
                   ? 2
                   : std::min(8, 1 - static_cast<int>(std::floor(std::log10(a))));
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf;
  if (automatic && s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  if (s.find_first_not_of("-0.") == std::string::npos) s.erase(0, s.front() == '-' ? 1 : 0);
  return GroupThousands(s);
}

std::string ExactNumber(double v) {
  if (!std::isfinite(v) || std::fabs(v) >= kLargeNumber) return FormatNumber(v);
  char buf[400];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
  if (ec != std::errc()) return FormatNumber(v);
  std::string s(buf, end);
  if (s == "-0") s = "0";
  return GroupThousands(s);
}

bool IsCurrencyUnit(std::string_view unit) {
  return unit == "$" || unit == "€" || unit == "£" || unit == "¥";
}

std::string FormatQuantity(double v, std::string_view unit, bool named, int decimals) {
  const std::string n = FormatNumber(v, decimals);
  if (unit.empty()) return n;
  if (unit == "%") return n + "%";
  if (IsCurrencyUnit(unit)) {
    return n.front() == '-' ? "-" + std::string(unit) + n.substr(1) : std::string(unit) + n;
  }
  return named ? n + " " + std::string(unit) : n;
}

std::string PercentText(std::optional<double> fraction, int decimals) {
  if (!fraction || !std::isfinite(*fraction)) return "—";
  return PercentNumber(*fraction, decimals) + "%";
}

std::string PointsText(double change, int decimals) {
  if (!std::isfinite(change)) return "—";
  const std::string n = PercentNumber(std::fabs(change), decimals);
  if (n.find_first_not_of("0.") == std::string::npos) return "±0 pts";
  return (change > 0 ? "+" : "−") + n + " pts";
}

std::string_view StatusLabel(GoalStatus s) {
  switch (s) {
    case GoalStatus::kOnTrack:
      return "on track";
    case GoalStatus::kAtRisk:
      return "at risk";
    case GoalStatus::kOffTrack:
      return "off track";
    case GoalStatus::kAchieved:
      return "achieved";
    case GoalStatus::kMissed:
      return "missed";
    case GoalStatus::kNotStarted:
      return "not started";
    case GoalStatus::kUnscheduled:
      return "unscheduled";
    case GoalStatus::kUnmeasured:
      return "unmeasured";
    case GoalStatus::kDraft:
      return "draft";
    case GoalStatus::kCancelled:
      return "cancelled";
  }
  return "";
}

std::string KpiValueText(const Kpi& kpi, const KpiResult& result, int window_checkins) {
  if (!kpi.benchmark_for.empty()) {  // a reference series: its value, beside the KPI it is for
    return (result.value ? FormatQuantity(*result.value, kpi.unit, true) : "—") +
           " (benchmark for " + kpi.benchmark_for + ")";
  }
  switch (kpi.kind) {
    case KpiKind::kMilestone:
      return result.progress >= 1 - 1e-9 ? "done" : "not done";
    case KpiKind::kThreshold: {
      const std::string value = result.value ? FormatQuantity(*result.value, kpi.unit, true) : "—";
      const std::string line = std::string(kpi.direction == Direction::kBelow ? "≤ " : "≥ ") +
                               FormatQuantity(kpi.target, kpi.unit, false);
      if (window_checkins == 0) return value + " (line " + line + ", no check-ins)";
      const long held = std::lround(result.progress * window_checkins);
      return value + " (line " + line + ", held " + std::to_string(held) + "/" +
             std::to_string(window_checkins) + ")";
    }
    case KpiKind::kLevel:
    case KpiKind::kCumulative:
    case KpiKind::kFormula:
      break;
  }
  const std::string value = result.value ? FormatQuantity(*result.value, kpi.unit, false) : "—";
  return value + " / " + FormatQuantity(kpi.target, kpi.unit, true);
}

std::string_view MonthAbbrev(unsigned month) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  return month >= 1 && month <= 12 ? kMonths[month - 1] : "?";
}

std::string ShortDate(Date d) {
  return std::string(MonthAbbrev(d.month())) + " " + std::to_string(d.day());
}

std::string LongDate(Date d) { return ShortDate(d) + ", " + std::to_string(d.year()); }

std::string DateRange(Date from, Date to) {
  if (from.year() == to.year()) return ShortDate(from) + " – " + LongDate(to);
  return LongDate(from) + " – " + LongDate(to);
}

}  // namespace cascade
