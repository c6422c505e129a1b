// The time Cascade runs at: today's date (the default `as of`, a check-in's default date) and the
// instant stamped on history rows, sessions and tokens. Taken as a parameter everywhere, so that
// SystemClock is the one reader of the wall clock and a test can set the time (FixedClock).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "core/date.h"

namespace cascade {

class Clock {
 public:
  virtual ~Clock() = default;
  // Seconds since 1970-01-01T00:00:00Z.
  virtual int64_t NowUnix() const = 0;
  // The date in UTC at NowUnix().
  Date Today() const;
  // NowUnix() as "2026-03-01T09:30:00Z".
  std::string NowUtcText() const;
  // Milliseconds since 1970-01-01T00:00:00Z, for what is stamped to the millisecond (the server's
  // access log); a clock that keeps whole seconds says NowUnix() * 1000.
  virtual int64_t NowUnixMillis() const { return NowUnix() * 1000; }
  // NowUnixMillis() as "2026-03-01T09:30:00.123Z".
  std::string NowUtcMillisText() const;
};

// The wall clock: std::chrono::system_clock.
const Clock& SystemClock();

// A clock that stands where it is set: for tests that move time (a session's expiry, a day's
// change) without waiting. Safe to set while other threads read it.
class FixedClock final : public Clock {
 public:
  explicit FixedClock(int64_t unix_seconds) : now_(unix_seconds) {}
  int64_t NowUnix() const override { return now_.load(); }
  void Set(int64_t unix_seconds) { now_.store(unix_seconds); }
  void Advance(int64_t seconds) { now_.fetch_add(seconds); }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace cascade
