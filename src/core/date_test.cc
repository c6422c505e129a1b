#include "core/date.h"

#include <gtest/gtest.h>

#include <limits>

namespace cascade {
namespace {

TEST(DateTest, ParseValid) {
  const struct {
    const char* text;
    int year;
    unsigned month, day;
    int32_t days;  // since 1970-01-01
  } cases[] = {
      {"1970-01-01", 1970, 1, 1, 0},
      {"1970-01-02", 1970, 1, 2, 1},
      {"1969-12-31", 1969, 12, 31, -1},
      {"2000-02-29", 2000, 2, 29, 11016},   // divisible by 400: a leap year
      {"2024-02-29", 2024, 2, 29, 19782},   // divisible by 4
      {"2026-01-01", 2026, 1, 1, 20454},    // 56 years: 56·365 + 14 leap days
      {"2026-12-31", 2026, 12, 31, 20818},  // 20454 + 364
      {"0001-01-01", 1, 1, 1, -719162},
      {"9999-12-31", 9999, 12, 31, 2932896},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    const auto d = Date::Parse(c.text);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->days(), c.days);
    EXPECT_EQ(d->year(), c.year);
    EXPECT_EQ(d->month(), c.month);
    EXPECT_EQ(d->day(), c.day);
    EXPECT_EQ(d->ToString(), c.text);
    EXPECT_EQ(Date::FromCivil(c.year, c.month, c.day), d);
  }
}

TEST(DateTest, ParseRejects) {
  const char* cases[] = {
      "",            "2026-1-01",   "2026-01-1",  "26-01-01",    "2026/01/01", "2026-01-01 ",
      " 2026-01-01", "2026-00-10",  "2026-13-01", "2026-01-00",  "2026-01-32", "2026-04-31",
      "2026-02-29",  // 2026 is not a leap year
      "1900-02-29",  // divisible by 100, not by 400
      "2100-02-29",  "0000-01-01",  "abcd-ef-gh", "2026-0a-01",  "+026-01-01", "2026-01-01T00",
      "20260101",    // compact form only through ParseLoose
  };
  for (const char* text : cases) {
    EXPECT_EQ(Date::Parse(text), std::nullopt) << text;
  }
}

TEST(DateTest, ParseLoose) {
  EXPECT_EQ(Date::ParseLoose("20260315"), Date::Parse("2026-03-15"));
  EXPECT_EQ(Date::ParseLoose("2026-03-15"), Date::Parse("2026-03-15"));
  EXPECT_EQ(Date::ParseLoose("20240229"), Date::Parse("2024-02-29"));
  EXPECT_EQ(Date::ParseLoose("20260229"), std::nullopt);
  EXPECT_EQ(Date::ParseLoose("2026031"), std::nullopt);
  EXPECT_EQ(Date::ParseLoose("202603150"), std::nullopt);
  EXPECT_EQ(Date::ParseLoose("2026-3-15"), std::nullopt);
}

TEST(DateTest, ArithmeticAndComparison) {
  const Date a = *Date::Parse("2024-02-28");
  EXPECT_EQ((a + 1).ToString(), "2024-02-29");
  EXPECT_EQ((a + 2).ToString(), "2024-03-01");
  EXPECT_EQ((a - 59).ToString(), "2023-12-31");
  EXPECT_EQ(*Date::Parse("2026-03-03") - *Date::Parse("2026-02-01"), 30);
  EXPECT_EQ(*Date::Parse("2025-01-01") - *Date::Parse("2024-01-01"), 366);
  EXPECT_LT(*Date::Parse("2026-01-01"), *Date::Parse("2026-01-02"));
  EXPECT_EQ(Date(), *Date::Parse("1970-01-01"));
}

TEST(DateTest, TheExtremeDayCountsHaveCalendarDates) {
  // z + 719468 overflowed int32 for the largest day counts.
  EXPECT_EQ(Date(INT32_MAX).ToString(), "5881580-07-11");
  EXPECT_EQ(Date(INT32_MAX).year(), 5881580);
  EXPECT_EQ(Date(INT32_MIN).ToString(), "-5877641-06-23");
  EXPECT_EQ(Date(INT32_MIN).month(), 6u);
  EXPECT_GE(Date(INT32_MAX).iso_weekday(), 1u);
  EXPECT_LE(Date(INT32_MIN).iso_weekday(), 7u);
}

TEST(DateTest, ExtremeYearsAreNoDates) {
  for (const char* text : {"99999-01-01", "+2026-01-01", "-001-01-01", "2147483647-01-01",
                           "99999101", "0000-01-01", "10000-01-01"}) {
    EXPECT_FALSE(Date::Parse(text).has_value()) << text;
    EXPECT_FALSE(Date::ParseLoose(text).has_value()) << text;
  }
  EXPECT_FALSE(Date::FromCivil(INT32_MAX, 12, 31).has_value());
  EXPECT_FALSE(Date::FromCivil(INT32_MIN, 1, 1).has_value());
  EXPECT_FALSE(Date::FromCivil(2026, 4294967295u, 1).has_value());
  EXPECT_EQ(Date::FromCivil(9999, 12, 31)->ToString(), "9999-12-31");
}

TEST(DateTest, IsoWeekday) {
  const struct {
    const char* text;
    unsigned weekday;
  } cases[] = {
      {"1970-01-01", 4},  // Thursday
      {"1969-12-29", 1},  // Monday, before the epoch
      {"2026-01-01", 4},  // Thursday
      {"2026-01-04", 7},  // Sunday
      {"2026-01-05", 1},  // Monday
      {"2024-02-29", 4},  // Thursday
  };
  for (const auto& c : cases) EXPECT_EQ(Date::Parse(c.text)->iso_weekday(), c.weekday) << c.text;
}

TEST(DateTest, EntryRangeRunsFrom1900To2199) {
  EXPECT_EQ(kFirstEntryDate, Date::Parse("1900-01-01"));
  EXPECT_EQ(kLastEntryDate, Date::Parse("2199-12-31"));
  EXPECT_EQ(EntryDateRangeText(), "1900-01-01 to 2199-12-31");
  const struct {
    const char* text;
    bool inside;
  } cases[] = {
      {"1899-12-31", false}, {"1900-01-01", true},  {"1970-01-01", true},  {"2026-12-04", true},
      {"2199-12-31", true},  {"2200-01-01", false}, {"0001-01-01", false}, {"9999-12-31", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(IsEntryDate(*Date::Parse(c.text)), c.inside);
  }
}

TEST(DateTest, ArithmeticSaturatesInsteadOfWrapping) {
  constexpr int32_t kMax = std::numeric_limits<int32_t>::max();
  constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
  EXPECT_EQ((Date(kMax) + 1).days(), kMax);
  EXPECT_EQ((Date(kMax - 1) + 1).days(), kMax);
  EXPECT_EQ((Date(kMin) - 1).days(), kMin);
  EXPECT_EQ((Date(kMin) + -1).days(), kMin);
  EXPECT_EQ(Date(kMax) - Date(kMin), std::numeric_limits<int>::max());
  EXPECT_EQ(Date(kMin) - Date(kMax), std::numeric_limits<int>::min());
  // Inside the range nothing changes.
  EXPECT_EQ(*Date::Parse("2026-03-01") + 30, *Date::Parse("2026-03-31"));
  EXPECT_EQ(*Date::Parse("2026-03-01") - *Date::Parse("2026-02-01"), 28);
}

}  // namespace
}  // namespace cascade
