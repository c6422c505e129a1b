#include "core/clock.h"

#include <gtest/gtest.h>

#include <chrono>

namespace cascade {
namespace {

int64_t At(int y, unsigned m, unsigned d, int hh, int mm, int ss) {
  return int64_t{Date::FromCivil(y, m, d)->days()} * 86400 + hh * 3600 + mm * 60 + ss;
}

TEST(ClockTest, TodayAndTheInstantAreInUtc) {
  const FixedClock clock(At(2026, 3, 1, 9, 30, 0));
  EXPECT_EQ(clock.Today(), *Date::Parse("2026-03-01"));
  EXPECT_EQ(clock.NowUtcText(), "2026-03-01T09:30:00Z");
}

TEST(ClockTest, TheLastSecondOfADayIsStillThatDay) {
  FixedClock clock(At(2026, 12, 31, 23, 59, 59));
  EXPECT_EQ(clock.Today().ToString(), "2026-12-31");
  EXPECT_EQ(clock.NowUtcText(), "2026-12-31T23:59:59Z");
  clock.Advance(1);
  EXPECT_EQ(clock.Today().ToString(), "2027-01-01");
  EXPECT_EQ(clock.NowUtcText(), "2027-01-01T00:00:00Z");
}

TEST(ClockTest, BeforeNineteenSeventyRoundsDownToThePreviousDay) {
  const FixedClock clock(-1);
  EXPECT_EQ(clock.Today().ToString(), "1969-12-31");
  EXPECT_EQ(clock.NowUtcText(), "1969-12-31T23:59:59Z");
}

// The server's access log stamps each request to the millisecond.
TEST(ClockTest, TheInstantToTheMillisecond) {
  const FixedClock whole(At(2026, 3, 1, 9, 30, 0));
  EXPECT_EQ(whole.NowUnixMillis(), At(2026, 3, 1, 9, 30, 0) * 1000);
  EXPECT_EQ(whole.NowUtcMillisText(), "2026-03-01T09:30:00.000Z");
  const FixedClock before_1970(-1);
  EXPECT_EQ(before_1970.NowUtcMillisText(), "1969-12-31T23:59:59.000Z");
  const int64_t before = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  const int64_t now = SystemClock().NowUnixMillis();
  EXPECT_GE(now, before);
  EXPECT_LE(now, before + 5000);
  const std::string text = SystemClock().NowUtcMillisText();
  ASSERT_EQ(text.size(), 24u) << text;  // "2026-12-06T01:02:03.456Z"
  EXPECT_EQ(text[19], '.');
  EXPECT_EQ(text.back(), 'Z');
}

TEST(ClockTest, TheSystemClockReadsNowAsTheLibraryDoes) {
  const int64_t before = std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  const int64_t now = SystemClock().NowUnix();
  EXPECT_GE(now, before);
  EXPECT_LE(now, before + 5);
}

}  // namespace
}  // namespace cascade
