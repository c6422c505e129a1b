// Calendar dates as whole days since 1970-01-01: the only time unit the formulas use.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cascade {

class Date {
 public:
  constexpr Date() = default;
  constexpr explicit Date(int32_t days_since_epoch) : days_(days_since_epoch) {}

  // A valid proleptic Gregorian date; nullopt when month/day are out of range.
  static std::optional<Date> FromCivil(int year, unsigned month, unsigned day);
  // Strict `YYYY-MM-DD` (exactly ten characters, a real calendar day).
  static std::optional<Date> Parse(std::string_view text);
  // `YYYY-MM-DD` or `YYYYMMDD`, as CSV files carry them.
  static std::optional<Date> ParseLoose(std::string_view text);

  int32_t days() const { return days_; }
  int year() const;
  unsigned month() const;
  unsigned day() const;
  // ISO weekday: 1 = Monday … 7 = Sunday.
  unsigned iso_weekday() const;
  std::string ToString() const;  // YYYY-MM-DD

  // Saturating at the ends of int32: entered dates are bounded (IsEntryDate), but a date built
  // from any number (a corrupt row, a far lag) must not wrap around into a plausible one.
  Date operator+(int days) const { return Date(Clamp(int64_t{days_} + days)); }
  Date operator-(int days) const { return Date(Clamp(int64_t{days_} - days)); }
  int operator-(Date other) const { return Clamp(int64_t{days_} - other.days_); }
  auto operator<=>(const Date&) const = default;

 private:
  static constexpr int32_t Clamp(int64_t v) {
    return v > INT32_MAX ? INT32_MAX : v < INT32_MIN ? INT32_MIN : static_cast<int32_t>(v);
  }
  int32_t days_ = 0;
};

// The dates Cascade accepts in entered data (check-ins, goal start and due, actions, comments,
// reviews, --as-of and ?as_of=): 1900-01-01 to 2199-12-31. A year such as 0001 or 9999 is a typo,
// and a series reaching back to it would hold hundreds of thousands of periods.
inline constexpr Date kFirstEntryDate{-25567};  // 1900-01-01
inline constexpr Date kLastEntryDate{84005};    // 2199-12-31

// True when `d` lies in [kFirstEntryDate, kLastEntryDate].
inline bool IsEntryDate(Date d) { return d >= kFirstEntryDate && d <= kLastEntryDate; }

// "1900-01-01 to 2199-12-31": the range, as every refusal of a date outside it states it.
std::string EntryDateRangeText();

}  // namespace cascade
