#include "core/shared_chunks.h"

#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <utility>
#include <vector>

#include "core/cow_array.h"
#include "core/cow_vector.h"

namespace cascade {
namespace {

using Chunks = SharedChunks<int>;

Chunks Numbered(int n) {
  Chunks t;
  for (int i = 0; i < n; ++i) t.push_back(std::make_shared<int>(i));
  return t;
}

TEST(SharedChunksTest, ACopySharesTheGroupsUntilItPutsAChunkIntoOne) {
  Chunks a = Numbered(150);  // groups 0-63, 64-127, 128-149
  Chunks b = a;
  EXPECT_EQ(&a[10], &b[10]);  // the very same slots: the groups are shared
  EXPECT_FALSE(a.Alone(10));
  EXPECT_FALSE(b.GroupAlone(70));
  b.Own(70) = std::make_shared<int>(-70);
  EXPECT_EQ(*a[70], 70);  // the original keeps its chunk
  EXPECT_EQ(*b[70], -70);
  EXPECT_NE(&a[70], &b[70]);  // group 64-127 was cloned for b…
  EXPECT_EQ(a[71], b[71]);    // …with the same chunks in it, so they are no one's alone
  EXPECT_FALSE(b.Alone(71));
  EXPECT_TRUE(b.Alone(70));
  EXPECT_EQ(&a[10], &b[10]);    // the other groups are still shared
  EXPECT_EQ(&a[140], &b[140]);
  b = Chunks();
  EXPECT_TRUE(a.Alone(10));  // once the copy is gone
  EXPECT_TRUE(a.Alone(71));
}

TEST(SharedChunksTest, ResizeLetsGoOfTheChunksPastItsEndAndAddsNullSlots) {
  Chunks a = Numbered(130);
  std::weak_ptr<int> last = a[129], kept = a[64], cut = a[65];
  Chunks b = a;
  a.resize(65);
  EXPECT_EQ(a.size(), 65u);
  EXPECT_FALSE(last.expired());  // b still has them
  b = Chunks();
  EXPECT_TRUE(last.expired());
  EXPECT_TRUE(cut.expired());  // in a group a kept, its slot emptied
  EXPECT_FALSE(kept.expired());
  a.resize(70);
  EXPECT_EQ(a.size(), 70u);
  EXPECT_EQ(a[66], nullptr);
  EXPECT_EQ(*a[64], 64);
  a.push_back(std::make_shared<int>(70));
  EXPECT_EQ(*a[70], 70);
  a.clear();
  EXPECT_EQ(a.size(), 0u);
  EXPECT_TRUE(kept.expired());
}

// A chunk one copy had already cloned for itself is its alone only until the next copy.
TEST(SharedChunksTest, AChunkClonedBeforeACopyIsClonedAgainWhenTheCopyWritesIt) {
  BigVector<int> all(3000);
  CowArray<int> a(std::move(all));
  CowVector<int> v;
  for (int i = 0; i < 3000; ++i) v.push_back(i);
  {
    const CowArray<int> earlier = a;  // a's first chunk is cloned for a (it was in the first block)
    a[5] = 1;
  }  // and is a's alone now
  v[5] = 1;
  const CowArray<int> a_before = a;
  const CowVector<int> v_before = v;
  a[6] = 2;
  v[6] = 2;
  EXPECT_EQ(a_before[6], 0);
  EXPECT_EQ(v_before[6], 6);
  EXPECT_EQ(std::as_const(a)[6], 2);
  EXPECT_EQ(std::as_const(v)[6], 2);
}

// The containers over many groups: copies made and written at random read as plain vectors do.
TEST(SharedChunksTest, CopiesOfContainersOverManyGroupsReadAsTheirOwnWritesLeftThem) {
  std::mt19937 rng(13);
  const size_t n = CowVector<int>::kChunk * SharedChunks<int>::kGroup * 3 + 77;
  std::vector<CowVector<int>> vectors(1);
  std::vector<std::vector<int>> vector_models(1);
  BigVector<int> all(n);
  for (size_t i = 0; i < n; ++i) {
    vectors[0].push_back(static_cast<int>(i));
    all[i] = static_cast<int>(i);
  }
  vector_models[0] = std::vector<int>(vectors[0].begin(), vectors[0].end());
  std::vector<CowArray<int>> arrays;
  arrays.emplace_back(std::move(all));
  std::vector<std::vector<int>> array_models{vector_models[0]};
  for (int step = 0; step < 400; ++step) {
    const size_t from = rng() % vectors.size();
    if (rng() % 4 == 0 && vectors.size() < 6) {  // a copy, as a snapshot makes
      vectors.push_back(vectors[from]);
      vector_models.push_back(vector_models[from]);
      arrays.push_back(arrays[from]);
      array_models.push_back(array_models[from]);
      continue;
    }
    const size_t i = rng() % vector_models[from].size();
    const int value = -step;
    vectors[from][i] = value;
    vector_models[from][i] = value;
    if (i < array_models[from].size()) {
      arrays[from][i] = value;
      array_models[from][i] = value;
    }
    if (step % 50 == 0) {  // growth past a group's edge
      vectors[from].push_back(step);
      vector_models[from].push_back(step);
      arrays[from].Append(1);
      array_models[from].push_back(0);
    }
    if (step % 50 == 25) {  // a removal: every element after it moves, across groups
      std::vector<size_t> at{rng() % vector_models[from].size()};
      vector_models[from].erase(vector_models[from].begin() + static_cast<std::ptrdiff_t>(at[0]));
      EraseAt(vectors[from], at);
      const std::vector<int> pos{static_cast<int>(rng() % array_models[from].size())};
      array_models[from].erase(array_models[from].begin() + pos[0]);
      arrays[from].Erase(pos);
    }
  }
  for (size_t k = 0; k < vectors.size(); ++k) {
    ASSERT_EQ(vectors[k].size(), vector_models[k].size());
    for (size_t i = 0; i < vector_models[k].size(); ++i) {
      ASSERT_EQ(std::as_const(vectors[k])[i], vector_models[k][i]) << k << " " << i;
    }
    ASSERT_EQ(arrays[k].size(), array_models[k].size());
    for (size_t i = 0; i < array_models[k].size(); ++i) {
      ASSERT_EQ(std::as_const(arrays[k])[i], array_models[k][i]) << k << " " << i;
    }
  }
}

}  // namespace
}  // namespace cascade
