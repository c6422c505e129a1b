#include "core/date.h"

#include <cstdio>

namespace cascade {
namespace {

// Howard Hinnant's days_from_civil / civil_from_days (public domain algorithms).
int32_t DaysFromCivil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int32_t>(doe) - 719468;
}

struct Civil {
  int y;
  unsigned m;
  unsigned d;
};

// In 64 bits: every int32 day count, even INT32_MAX, has a year (about ±5.9 million) that fits
// an int, while z + 719468 would not fit an int32.
Civil CivilFromDays(int32_t days) {
  const int64_t z = int64_t{days} + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = static_cast<int>(int64_t{yoe} + era * 400);
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

unsigned DaysInMonth(int y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

bool Digits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}

int ToInt(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

}  // namespace

std::optional<Date> Date::FromCivil(int year, unsigned month, unsigned day) {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 ||
      day > DaysInMonth(year, month)) {
    return std::nullopt;
  }
  return Date(DaysFromCivil(year, month, day));
}

std::optional<Date> Date::Parse(std::string_view t) {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
  const auto y = t.substr(0, 4), m = t.substr(5, 2), d = t.substr(8, 2);
  if (!Digits(y) || !Digits(m) || !Digits(d)) return std::nullopt;
  return FromCivil(ToInt(y), static_cast<unsigned>(ToInt(m)), static_cast<unsigned>(ToInt(d)));
}

std::optional<Date> Date::ParseLoose(std::string_view t) {
  if (t.size() == 8 && Digits(t)) {
    return FromCivil(ToInt(t.substr(0, 4)), static_cast<unsigned>(ToInt(t.substr(4, 2))),
                     static_cast<unsigned>(ToInt(t.substr(6, 2))));
  }
  return Parse(t);
}

int Date::year() const { return CivilFromDays(days_).y; }
unsigned Date::month() const { return CivilFromDays(days_).m; }
unsigned Date::day() const { return CivilFromDays(days_).d; }

unsigned Date::iso_weekday() const {
  // 1970-01-01 was a Thursday (ISO 4).
  const int w = ((days_ % 7) + 7 + 3) % 7;  // 0 = Monday
  return static_cast<unsigned>(w + 1);
}

std::string Date::ToString() const {
  const Civil c = CivilFromDays(days_);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", c.y, c.m, c.d);
  return buf;
}

std::string EntryDateRangeText() {
  return kFirstEntryDate.ToString() + " to " + kLastEntryDate.ToString();
}

}  // namespace cascade
