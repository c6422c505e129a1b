#include "core/cow_vector.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace cascade {
namespace {

CowVector<std::string> Words(size_t n) {
  CowVector<std::string> v;
  for (size_t i = 0; i < n; ++i) v.push_back("word number " + std::to_string(i));
  return v;
}

TEST(CowVectorTest, ReadsAndAppendsAsAVectorDoes) {
  CowVector<std::string> v = Words(600);  // two full chunks of 256 and a part
  ASSERT_EQ(v.size(), 600u);
  EXPECT_EQ(v.front(), "word number 0");
  EXPECT_EQ(v.back(), "word number 599");
  EXPECT_EQ(v.at(300), "word number 300");
  EXPECT_THROW((void)v.at(600), std::out_of_range);
  size_t i = 0;
  for (const std::string& w : std::as_const(v)) EXPECT_EQ(w, "word number " + std::to_string(i++));
  EXPECT_EQ(i, 600u);
  EXPECT_EQ(std::as_const(v).end() - std::as_const(v).begin(), 600);
  EXPECT_EQ(*std::find(std::as_const(v).begin(), std::as_const(v).end(), "word number 512"),
            "word number 512");
  v.pop_back();
  v.emplace_back("last");
  EXPECT_EQ(v[599], "last");
  EXPECT_EQ(CowVector<int>({3, 1, 2}), (std::vector<int>{3, 1, 2}));
  CowVector<int> from_vector = std::vector<int>{1, 2};
  EXPECT_EQ(from_vector, (std::vector<int>{1, 2}));
  EXPECT_TRUE(CowVector<int>().empty());
}

TEST(CowVectorTest, ACopySharesItsChunksUntilOneIsWritten) {
  const CowVector<std::string> a = Words(600);
  CowVector<std::string> b = a;
  // Shared: the same elements, not copies.
  EXPECT_EQ(&a[0], &std::as_const(b)[0]);
  EXPECT_EQ(&a[599], &std::as_const(b)[599]);
  b[300] = "changed";  // clones the second chunk alone
  EXPECT_EQ(a[300], "word number 300");
  EXPECT_EQ(std::as_const(b)[300], "changed");
  EXPECT_EQ(&a[0], &std::as_const(b)[0]);
  EXPECT_NE(&a[256], &std::as_const(b)[256]);
  EXPECT_EQ(&a[512], &std::as_const(b)[512]);
  b.push_back("appended");  // clones the last chunk, leaves a as it was
  EXPECT_EQ(a.size(), 600u);
  EXPECT_EQ(b.size(), 601u);
  EXPECT_EQ(a[599], "word number 599");
  // A vector nobody shares is written in place.
  CowVector<std::string> c = Words(10);
  const std::string* at = &std::as_const(c)[3];
  c[3] = "in place";
  EXPECT_EQ(&std::as_const(c)[3], at);
}

// The elements two vectors hold in the same chunks: all of a copy's, then those before the first
// chunk either wrote to.
TEST(CowVectorTest, SharedPrefixCountsTheElementsInTheSameChunks) {
  CowVector<int> a;
  for (int i = 0; i < 1000; ++i) a.push_back(i);
  CowVector<int> b = a;
  EXPECT_EQ(a.SharedPrefix(b), 1000u);
  b[600] = -1;  // the third chunk (512…767) is b's own now
  EXPECT_EQ(a.SharedPrefix(b), 512u);
  EXPECT_EQ(b.SharedPrefix(a), 512u);
  CowVector<int> c = a;
  c.erase(c.begin() + 300);
  EXPECT_EQ(a.SharedPrefix(c), 256u);
  CowVector<int> d = a;
  d.pop_back();
  EXPECT_LE(a.SharedPrefix(d), 999u);
  EXPECT_EQ(CowVector<int>().SharedPrefix(a), 0u);
}

TEST(CowVectorTest, EraseAndInsertKeepTheOrderAndLeaveCopiesAlone) {
  const CowVector<std::string> a = Words(600);
  CowVector<std::string> b = a;
  EXPECT_EQ(erase_if(b, [](const std::string& w) { return w.ends_with('7'); }), 60u);
  ASSERT_EQ(b.size(), 540u);
  EXPECT_EQ(b[7], "word number 8");
  EXPECT_EQ(b.back(), "word number 599");
  EXPECT_EQ(a.size(), 600u);
  EXPECT_EQ(a[7], "word number 7");
  b.erase(b.begin(), b.begin() + 2);
  EXPECT_EQ(b.front(), "word number 2");
  b.insert(b.begin() + 1, "inserted");
  EXPECT_EQ(b[0], "word number 2");
  EXPECT_EQ(b[1], "inserted");
  EXPECT_EQ(b[2], "word number 3");
  EXPECT_EQ(b.size(), 539u);
  std::sort(b.begin(), b.end());
  EXPECT_TRUE(std::is_sorted(std::as_const(b).begin(), std::as_const(b).end()));
  EXPECT_EQ(a[0], "word number 0");  // sorting the copy left the original as it was
  b.resize(3);
  EXPECT_EQ(b.size(), 3u);
  b.clear();
  EXPECT_TRUE(b.empty());
}

}  // namespace
}  // namespace cascade
