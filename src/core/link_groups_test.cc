#include "core/link_groups.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace cascade {
namespace {

std::vector<int> Items(std::span<const int> s) { return {s.begin(), s.end()}; }

// Groups made from owner_of, item by item, the plain way.
std::vector<std::vector<int>> Plain(size_t owners, const std::vector<int>& owner_of) {
  std::vector<std::vector<int>> g(owners);
  for (size_t i = 0; i < owner_of.size(); ++i) {
    if (owner_of[i] >= 0) g[static_cast<size_t>(owner_of[i])].push_back(static_cast<int>(i));
  }
  return g;
}

TEST(LinkGroupsTest, GroupsItemsByOwnerInOrderAcrossChunks) {
  // 3,000 owners (three chunks, the last partial), items at random owners, some with none.
  std::mt19937 rng(7);
  std::vector<int> owner_of(9000);
  for (int& o : owner_of) o = static_cast<int>(rng() % 3100) - 100;  // -100..-1: no owner
  for (int& o : owner_of) o = o >= 3000 ? -1 : o;
  const LinkGroups g = LinkGroups::Of(3000, owner_of);
  const auto want = Plain(3000, owner_of);
  ASSERT_EQ(g.owners(), 3000u);
  for (size_t o = 0; o < 3000; ++o) ASSERT_EQ(Items(g[o]), want[o]) << o;
}

TEST(LinkGroupsTest, AppendsToACopyAndGrowsLeavingTheOriginalAsItWas) {
  std::vector<int> owner_of;
  for (int i = 0; i < 4000; ++i) owner_of.push_back(i % 3000);
  const LinkGroups a = LinkGroups::Of(3000, owner_of);
  LinkGroups b = a;
  // New items come last, each at the end of its owner's group, as a create appends them.
  b.Grow(3500);  // owners 3000..3499: empty, the third chunk filled up and a fourth begun
  owner_of.resize(4100, -1);
  owner_of.push_back(3);     // item 4100 -> owner 3 (first chunk)
  owner_of.push_back(3400);  // item 4101 -> owner 3400 (a new one)
  owner_of.push_back(1023);  // the last owner of the first chunk
  owner_of.push_back(2048);  // the first of the third
  for (size_t i = 4100; i < owner_of.size(); ++i) {
    b.Append(static_cast<size_t>(owner_of[i]), static_cast<int>(i));
  }
  const auto want = Plain(3500, owner_of);
  ASSERT_EQ(b.owners(), 3500u);
  for (size_t o = 0; o < 3500; ++o) ASSERT_EQ(Items(b[o]), want[o]) << o;
  // The original still has its 3,000 owners and their items.
  owner_of.resize(4000);
  const auto was = Plain(3000, owner_of);
  ASSERT_EQ(a.owners(), 3000u);
  for (size_t o = 0; o < 3000; ++o) ASSERT_EQ(Items(a[o]), was[o]) << o;
  EXPECT_EQ(Items(a[3]), (std::vector<int>{3, 3003}));
  EXPECT_EQ(Items(b[3]), (std::vector<int>{3, 3003, 4100}));
  // The second chunk (owners 1024..2047), which nothing touched, is shared, not copied.
  EXPECT_EQ(a[1500].data(), b[1500].data());
  EXPECT_NE(a[3].data(), b[3].data());
}

// An item moved from one owner to another (a goal moved to another parent): taken out of the
// first group, put into the second in ascending order; the original keeps both as they were.
TEST(LinkGroupsTest, EraseAndInsertOrderedMoveAnItemInACopy) {
  std::vector<int> owner_of;
  for (int i = 0; i < 4000; ++i) owner_of.push_back(i % 3000);
  const LinkGroups a = LinkGroups::Of(3000, owner_of);
  LinkGroups b = a;
  EXPECT_EQ(Items(a[5]), (std::vector<int>{5, 3005}));
  EXPECT_EQ(Items(a[2100]), (std::vector<int>{2100}));
  b.Erase(5, 3005);
  b.InsertOrdered(2100, 3005);
  b.InsertOrdered(2100, 7);  // before the others
  b.Erase(5, 42);            // not there: nothing
  owner_of[3005] = 2100;
  owner_of.push_back(-1);
  auto want = Plain(3000, owner_of);
  want[2100] = {7, 2100, 3005};
  for (size_t o = 0; o < 3000; ++o) ASSERT_EQ(Items(b[o]), want[o]) << o;
  EXPECT_EQ(Items(a[5]), (std::vector<int>{5, 3005}));
  EXPECT_EQ(Items(a[2100]), (std::vector<int>{2100}));
  // The owners next to those in the same chunks moved with the offsets; other chunks are shared.
  EXPECT_EQ(Items(b[6]), (std::vector<int>{6, 3006}));
  EXPECT_EQ(Items(b[2101]), (std::vector<int>{2101}));
  EXPECT_EQ(a[1500].data(), b[1500].data());
}

TEST(LinkGroupsTest, RemoveTakesOwnersAndItemsOutAndSharesTheChunksBeforeThem) {
  // 3,000 owners, items 0..5999 (item i owned by i % 3000); owners 2100 and 2500 go, and so do
  // the items 10 and 5000 (map: -1 for them, those after move up).
  std::vector<int> owner_of;
  for (int i = 0; i < 6000; ++i) owner_of.push_back(i % 3000);
  const LinkGroups a = LinkGroups::Of(3000, owner_of);
  LinkGroups b = a;
  const std::vector<int> owners_gone = {2100, 2500};
  const auto map = [](int i) { return i == 10 || i == 5000 ? -1 : i - (i > 10) - (i > 5000); };
  b.Remove(owners_gone, map);
  ASSERT_EQ(b.owners(), 2998u);
  // What a build from the items as they are after gives.
  std::vector<int> after(5998, -1);
  for (int i = 0; i < 6000; ++i) {
    const int o = owner_of[static_cast<size_t>(i)];
    if (map(i) < 0 || o == 2100 || o == 2500) continue;
    after[static_cast<size_t>(map(i))] = o - (o > 2100) - (o > 2500);
  }
  const auto want = Plain(2998, after);
  for (size_t o = 0; o < 2998; ++o) ASSERT_EQ(Items(b[o]), want[o]) << o;
  // The first chunk holds item 10: rewritten. The second (owners 1024..2047; items 1024..2047 and
  // 4024..5047, 5000 among them) too. Take 5000 out of the map and it stays shared.
  EXPECT_NE(a[0].data(), b[0].data());
  LinkGroups c = a;
  c.Remove(owners_gone, [](int i) { return i; });
  EXPECT_EQ(a[5].data(), c[5].data());        // nothing maps elsewhere: shared
  EXPECT_EQ(a[1500].data(), c[1500].data());
  EXPECT_EQ(Items(c[2100]), (std::vector<int>{2101, 5101}));  // what was owner 2101's
  EXPECT_EQ(Items(c[2997]), (std::vector<int>{2999, 5999}));
  EXPECT_EQ(a.owners(), 3000u);  // the original as it was
  EXPECT_EQ(Items(a[2100]), (std::vector<int>{2100, 5100}));
}

TEST(LinkGroupsTest, BuildKeepsEachOwnersItemsInTheOrderGiven) {
  // Many to many, as supports are: goal g supports goals (g + 1) % 5 and (g + 3) % 5.
  const LinkGroups g = LinkGroups::Build(5, [](const auto& link) {
    for (int s = 0; s < 5; ++s) {
      link(static_cast<size_t>((s + 1) % 5), s);
      link(static_cast<size_t>((s + 3) % 5), s);
    }
  });
  EXPECT_EQ(Items(g[0]), (std::vector<int>{2, 4}));
  EXPECT_EQ(Items(g[1]), (std::vector<int>{0, 3}));
  EXPECT_EQ(Items(g[4]), (std::vector<int>{1, 3}));
  EXPECT_EQ(LinkGroups::Of(0, std::vector<int>{}).owners(), 0u);
}

}  // namespace
}  // namespace cascade
