#include "core/mutex.h"

#include <chrono>
#include <thread>

#include <gtest/gtest.h>

namespace cascade {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

// A value handed from one thread to another, as StorePool and EventHub do.
struct Slot {
  Mutex mu;
  CondVar cv;
  int value GUARDED_BY(mu) = 0;
};

TEST(MutexTest, WaitReturnsWithTheLockOnceNotified) {
  Slot slot;
  std::thread producer([&slot] {
    std::this_thread::sleep_for(milliseconds(20));
    {
      MutexLock lock(slot.mu);
      slot.value = 7;
    }
    slot.cv.NotifyOne();
  });
  int seen = 0;
  {
    MutexLock lock(slot.mu);
    while (slot.value == 0) slot.cv.Wait(slot.mu);
    seen = slot.value;
  }
  producer.join();
  EXPECT_EQ(seen, 7);
}

TEST(MutexTest, WaitUntilIsFalseOnceTheDeadlineHasPassed) {
  Slot slot;
  MutexLock lock(slot.mu);
  const auto start = steady_clock::now();
  const auto deadline = start + milliseconds(30);
  // Wake-ups without a notification may come before the deadline; none comes after it.
  while (slot.cv.WaitUntil(slot.mu, deadline)) {
  }
  EXPECT_GE(steady_clock::now(), deadline);
  EXPECT_FALSE(slot.cv.WaitUntil(slot.mu, deadline));
}

}  // namespace
}  // namespace cascade
