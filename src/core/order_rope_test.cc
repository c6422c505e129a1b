#include "core/order_rope.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace cascade {
namespace {

std::vector<int> Items(const OrderRope& r) { return std::vector<int>(r.begin(), r.end()); }

void ExpectSame(const OrderRope& r, const std::vector<int>& want) {
  ASSERT_EQ(r.size(), want.size());
  EXPECT_EQ(Items(r), want);
  EXPECT_EQ(std::vector<int>(r.rbegin(), r.rend()), std::vector<int>(want.rbegin(), want.rend()));
  for (size_t i = 0; i < want.size(); i += 97) {
    EXPECT_EQ(r[i], want[i]) << i;
    EXPECT_EQ(*r.At(i), want[i]) << i;
  }
  size_t place = 0;
  for (size_t c = 0; c < r.chunk_count(); ++c) {
    EXPECT_EQ(r.chunk_start(c), place);
    ASSERT_FALSE(r.chunk(c).empty());
    EXPECT_LE(r.chunk(c).size(), OrderRope::kMax);
    for (const int v : r.chunk(c)) EXPECT_LE(v, r.chunk_bound(c));
    place += r.chunk(c).size();
  }
  EXPECT_EQ(place, want.size());
}

// Built, it holds the positions in chunks of kFill; an insert in the middle clones the chunk it
// lands in alone (the copy before it keeps the others), splitting it when full.
TEST(OrderRopeTest, AnInsertOrEraseWritesTheChunkItLandsIn) {
  BigVector<int> all;
  for (int i = 0; i < 5000; ++i) all.push_back(i);
  const OrderRope before(all);
  EXPECT_EQ(before.chunk_count(), 5u);
  OrderRope after = before;
  after.Insert(2500, 9999);
  std::vector<int> want(all.begin(), all.end());
  want.insert(want.begin() + 2500, 9999);
  ExpectSame(after, want);
  ExpectSame(before, std::vector<int>(all.begin(), all.end()));
  // The chunks not written are the same memory in both.
  for (const size_t c : {0u, 1u, 3u, 4u}) EXPECT_EQ(after.chunk(c).data(), before.chunk(c).data());
  EXPECT_NE(after.chunk(2).data(), before.chunk(2).data());
  after.Erase(std::vector<size_t>{10, 2500, 4000});
  want.erase(want.begin() + 4000);
  want.erase(want.begin() + 2500);
  want.erase(want.begin() + 10);
  ExpectSame(after, want);
  EXPECT_EQ(after.chunk(4).data(), before.chunk(4).data());
}

// Random inserts, erases and sets on copies, each checked against a plain vector; the copies
// before each write unchanged.
TEST(OrderRopeTest, RandomWritesOnCopiesAreWhatAVectorHolds) {
  std::mt19937 rng(7);
  OrderRope r;
  std::vector<int> want;
  std::vector<std::pair<OrderRope, std::vector<int>>> kept;
  for (int step = 0; step < 6000; ++step) {
    if (step % 500 == 0) kept.emplace_back(r, want);
    const int what = static_cast<int>(rng() % 10);
    if (what < 6 || want.empty()) {
      const size_t at = rng() % (want.size() + 1);
      const int v = static_cast<int>(rng() % 100000);
      r.Insert(at, v);
      want.insert(want.begin() + static_cast<std::ptrdiff_t>(at), v);
    } else if (what < 8) {
      std::vector<size_t> places;
      for (size_t i = 0; i < want.size(); ++i) {
        if (rng() % 200 == 0) places.push_back(i);
      }
      r.Erase(places);
      for (auto it = places.rbegin(); it != places.rend(); ++it) {
        want.erase(want.begin() + static_cast<std::ptrdiff_t>(*it));
      }
    } else {
      const size_t at = rng() % want.size();
      const int v = static_cast<int>(rng() % 100000);
      r.Set(at, v);
      want[at] = v;
    }
  }
  ExpectSame(r, want);
  for (const auto& [copy, held] : kept) ExpectSame(copy, held);
  std::vector<size_t> all(want.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  r.Erase(all);
  EXPECT_TRUE(r.empty());
  EXPECT_EQ(r.begin(), r.end());
  r.Insert(0, 3);
  ExpectSame(r, {3});
}

}  // namespace
}  // namespace cascade
