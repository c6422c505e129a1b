#include "core/clock.h"

#include <chrono>
#include <cstdio>

namespace cascade {
namespace {

class WallClock final : public Clock {
 public:
  int64_t NowUnix() const override {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  int64_t NowUnixMillis() const override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

// Floor division: a second before 1970 is on 1969-12-31, not on 1970-01-01.
int64_t FloorDiv(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

// `unix_seconds` as "2026-03-01T09:30:00" (UTC).
std::string UtcText(int64_t unix_seconds) {
  const int64_t day = FloorDiv(unix_seconds, 86400);
  const int64_t secs = unix_seconds - day * 86400;
  char time[16];
  std::snprintf(time, sizeof time, "T%02d:%02d:%02d", static_cast<int>(secs / 3600),
                static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60));
  return Date(static_cast<int32_t>(day)).ToString() + time;
}

}  // namespace

Date Clock::Today() const { return Date(static_cast<int32_t>(FloorDiv(NowUnix(), 86400))); }

std::string Clock::NowUtcText() const { return UtcText(NowUnix()) + "Z"; }

std::string Clock::NowUtcMillisText() const {
  const int64_t ms = NowUnixMillis();
  char millis[8];
  std::snprintf(millis, sizeof millis, ".%03dZ", static_cast<int>(ms - FloorDiv(ms, 1000) * 1000));
  return UtcText(FloorDiv(ms, 1000)) + millis;
}

const Clock& SystemClock() {
  static const WallClock clock;
  return clock;
}

}  // namespace cascade
