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
};

// Floor division: a second before 1970 is on 1969-12-31, not on 1970-01-01.
int64_t FloorDiv(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

}  // namespace

Date Clock::Today() const { return Date(static_cast<int32_t>(FloorDiv(NowUnix(), 86400))); }

std::string Clock::NowUtcText() const {
  const int64_t now = NowUnix();
  const int64_t secs = now - FloorDiv(now, 86400) * 86400;
  char time[16];
  std::snprintf(time, sizeof time, "T%02d:%02d:%02dZ", static_cast<int>(secs / 3600),
                static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60));
  return Today().ToString() + time;
}

const Clock& SystemClock() {
  static const WallClock clock;
  return clock;
}

}  // namespace cascade
