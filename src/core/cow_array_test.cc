#include "core/cow_array.h"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

namespace cascade {
namespace {

BigVector<int> Numbers(size_t n) {
  BigVector<int> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<int>(i);
  return v;
}

TEST(CowArrayTest, TakesItsElementsOverAndReadsThemInPlace) {
  BigVector<int> all = Numbers(2500);  // two full chunks and a part
  const int* first = all.data();
  const CowArray<int> a(std::move(all));
  ASSERT_EQ(a.size(), 2500u);
  EXPECT_FALSE(a.empty());
  EXPECT_EQ(&a[0], first);  // not copied
  for (size_t i = 0; i < a.size(); ++i) ASSERT_EQ(a[i], static_cast<int>(i));
  EXPECT_TRUE(CowArray<int>().empty());
}

TEST(CowArrayTest, AWriteToACopyClonesItsChunkAloneAndLeavesTheOriginal) {
  CowArray<int> a(Numbers(2500));
  CowArray<int> b = a;
  // Where an element lives, read without writing (a non-const [] is a write).
  const auto at = [](const CowArray<int>& x, size_t i) { return &x[i]; };
  EXPECT_EQ(at(b, 1500), at(a, 1500));  // shared until written
  b[1500] = -1;
  EXPECT_EQ(std::as_const(a)[1500], 1500);
  EXPECT_EQ(std::as_const(b)[1500], -1);
  EXPECT_NE(at(b, 1500), at(a, 1500));  // its chunk (1024–2047) was cloned…
  EXPECT_EQ(std::as_const(b)[1024], 1024);  // …whole
  EXPECT_EQ(at(b, 0), at(a, 0));        // the others are still shared
  EXPECT_EQ(at(b, 2400), at(a, 2400));  // the last, partial chunk too
  b[2499] = -2;                         // a partial chunk clones as far as it goes
  EXPECT_EQ(std::as_const(a)[2499], 2499);
  EXPECT_EQ(std::as_const(b)[2499], -2);
  // A second write to the cloned chunk, now b's alone, writes in place.
  const int* before = at(b, 1501);
  b[1501] = -3;
  EXPECT_EQ(at(b, 1501), before);
  EXPECT_EQ(std::as_const(a)[1501], 1501);
}

TEST(CowArrayTest, AnArrayNoOtherSharesIsWrittenInPlace) {
  CowArray<int> a(Numbers(10));
  const int* at = &std::as_const(a)[3];
  a[3] = 30;
  EXPECT_EQ(&std::as_const(a)[3], at);
  EXPECT_EQ(a[3], 30);
  {
    const CowArray<int> copy = a;  // shared while the copy lives
    a[4] = 40;
    EXPECT_EQ(copy[4], 4);
    EXPECT_EQ(std::as_const(a)[4], 40);
  }
  EXPECT_EQ(a[4], 40);
}

// Erasing from a copy moves the rest up, keeps the chunks before the first erased shared and
// leaves the original as it was; the copy still appends and writes as an array does.
TEST(CowArrayTest, EraseMovesTheRestUpAndSharesTheChunksBeforeIt) {
  const CowArray<int> a(Numbers(2500));
  CowArray<int> b = a;
  b.Erase(std::vector<int>{1500, 1501, 2499});
  ASSERT_EQ(b.size(), 2497u);
  EXPECT_EQ(&std::as_const(b)[0], &a[0]);  // the first chunk is still a's
  EXPECT_EQ(&std::as_const(b)[1023], &a[1023]);
  EXPECT_EQ(std::as_const(b)[1499], 1499);
  EXPECT_EQ(std::as_const(b)[1500], 1502);
  EXPECT_EQ(std::as_const(b)[2496], 2498);
  for (size_t i = 0; i < a.size(); ++i) ASSERT_EQ(a[i], static_cast<int>(i));
  b.Append(2);
  EXPECT_EQ(b.size(), 2499u);
  EXPECT_EQ(std::as_const(b)[2497], 0);
  b[2498] = 7;
  EXPECT_EQ(std::as_const(b)[2498], 7);
  EXPECT_EQ(a[2498], 2498);
  b.Erase(std::vector<int>{});
  EXPECT_EQ(b.size(), 2499u);
  CowArray<int> c = a;
  c.Erase(std::vector<int>{0});  // every chunk moves
  EXPECT_EQ(std::as_const(c)[0], 1);
  EXPECT_EQ(c.size(), 2499u);
  CowArray<int> d(Numbers(1024));
  d.Erase(std::vector<int>{1023});  // down to one full chunk less one
  EXPECT_EQ(d.size(), 1023u);
  d.Append(1);
  EXPECT_EQ(std::as_const(d)[1023], 0);
}

TEST(CowArrayTest, InsertMovesTheRestDownAndSharesTheChunksBeforeIt) {
  const CowArray<int> a(Numbers(2500));
  CowArray<int> b = a;
  const auto at = [](const CowArray<int>& x, size_t i) { return &x[i]; };
  b.Insert(2100, -7);
  ASSERT_EQ(b.size(), 2501u);
  ASSERT_EQ(a.size(), 2500u);
  for (size_t i = 0; i < b.size(); ++i) {
    const int want = i < 2100 ? static_cast<int>(i) : i == 2100 ? -7 : static_cast<int>(i - 1);
    ASSERT_EQ(std::as_const(b)[i], want) << i;
  }
  for (size_t i = 0; i < a.size(); ++i) ASSERT_EQ(a[i], static_cast<int>(i)) << i;
  EXPECT_EQ(at(b, 0), at(a, 0));        // chunks before the insert stay shared
  EXPECT_EQ(at(b, 2047), at(a, 2047));
  EXPECT_NE(at(b, 2048), at(a, 2048));  // the insert's chunk was cloned
  CowArray<int> c;
  c.Insert(0, 5);  // into nothing, and at the end
  c.Insert(1, 6);
  c.Insert(0, 4);
  EXPECT_EQ(std::vector<int>(c.begin(), c.end()), (std::vector<int>{4, 5, 6}));
}

}  // namespace
}  // namespace cascade
