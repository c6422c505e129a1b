#include "core/big_vector.h"

#include <gtest/gtest.h>

namespace cascade {
namespace {

constexpr size_t kMiB = size_t{1} << 20;

// Keeps freed blocks while a test runs, as the server does.
class BigBlocksTest : public testing::Test {
 protected:
  void SetUp() override { BigBlocks::Keep(true); }
  void TearDown() override { BigBlocks::Keep(false); }
};

TEST(BigBlocksKeepTest, NothingIsKeptUnlessAsked) {
  void* a = BigBlocks::Allocate(40 * kMiB);
  BigBlocks::Free(a, 40 * kMiB);
  EXPECT_EQ(BigBlocks::Kept(), 0u);
  BigBlocks::Keep(true);
  void* b = BigBlocks::Allocate(40 * kMiB);
  BigBlocks::Free(b, 40 * kMiB);
  EXPECT_EQ(BigBlocks::Kept(), 40 * kMiB);
  BigBlocks::Keep(false);  // and releases what it kept
  EXPECT_EQ(BigBlocks::Kept(), 0u);
}

TEST_F(BigBlocksTest, FreedBlocksAreKeptAndHandedOutAgain) {
  BigBlocks::Release();
  void* a = BigBlocks::Allocate(40 * kMiB);
  BigBlocks::Free(a, 40 * kMiB);
  EXPECT_EQ(BigBlocks::Kept(), 40 * kMiB);
  // 20 MiB would leave half of the 40 MiB block unused: a new block.
  void* small = BigBlocks::Allocate(20 * kMiB);
  EXPECT_NE(small, a);
  BigBlocks::Free(small, 20 * kMiB);
  EXPECT_EQ(BigBlocks::Kept(), 60 * kMiB);
  // 33 MiB (34 rounded to huge pages) fits the 40 MiB block with less than a quarter spare.
  void* b = BigBlocks::Allocate(33 * kMiB);
  EXPECT_EQ(b, a);
  EXPECT_EQ(BigBlocks::Kept(), 20 * kMiB);
  BigBlocks::Free(b, 33 * kMiB);  // kept at its own rounded size, 34 MiB
  EXPECT_EQ(BigBlocks::Kept(), 54 * kMiB);
  BigBlocks::Release();
  EXPECT_EQ(BigBlocks::Kept(), 0u);
}

TEST_F(BigBlocksTest, BlocksBelowAHugePageRoundToTheirOwnUnit) {
  BigBlocks::Release();
  void* a = BigBlocks::Allocate(100 * 1024);  // 128 KiB, in units of 64 KiB
  BigBlocks::Free(a, 100 * 1024);
  EXPECT_EQ(BigBlocks::Kept(), 128u * 1024);
  void* b = BigBlocks::Allocate(120 * 1024);
  EXPECT_EQ(b, a);
  BigBlocks::Free(b, 120 * 1024);
  BigBlocks::Release();
}

TEST_F(BigBlocksTest, ABlockFarLargerThanAskedForIsNotHandedOut) {
  BigBlocks::Release();
  void* big = BigBlocks::Allocate(64 * kMiB);
  BigBlocks::Free(big, 64 * kMiB);
  void* other = BigBlocks::Allocate(40 * kMiB);  // 64 − 64/4 = 48 > 40: would waste too much
  EXPECT_NE(other, big);
  EXPECT_EQ(BigBlocks::Kept(), 64 * kMiB);
  BigBlocks::Free(other, 40 * kMiB);
  BigBlocks::Release();
}

TEST_F(BigBlocksTest, KeepsNoMoreThanItsLimit) {
  BigBlocks::Release();
  const size_t size = BigBlocks::kMaxKept / 2 + 2 * BigBlocks::kHugePage;
  void* a = BigBlocks::Allocate(size);
  void* b = BigBlocks::Allocate(size);
  BigBlocks::Free(a, size);
  BigBlocks::Free(b, size);  // the two would exceed kMaxKept: this one goes back to the kernel
  EXPECT_EQ(BigBlocks::Kept(), size);
  BigBlocks::Release();
}

TEST_F(BigBlocksTest, ABigVectorReusesTheBlockOfOneFreedBefore) {
  BigBlocks::Release();
  const size_t n = 40 * kMiB / sizeof(double);
  const double* first = nullptr;
  {
    BigVector<double> v(n, 1.0);
    first = v.data();
  }
  BigVector<double> w(n, 2.0);
  EXPECT_EQ(w.data(), first);
  EXPECT_EQ(w[n - 1], 2.0);
  BigVector<int> small(1000, 3);  // below BigBlocks::kMinKept: plain operator new
  EXPECT_EQ(small[999], 3);
}

}  // namespace
}  // namespace cascade
