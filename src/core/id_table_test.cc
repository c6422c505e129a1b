#include "core/id_table.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cascade {
namespace {

struct Item {
  std::string id;
};

std::vector<Item> Items(std::initializer_list<const char*> ids) {
  std::vector<Item> out;
  for (const char* id : ids) out.push_back({id});
  return out;
}

TEST(IdTableTest, FindsIdsOfEveryLengthAndNotOthers) {
  // Short, 4–8, 9–15, exactly 16 and longer than 16 bytes, some sharing their first 16 bytes.
  const auto items = Items({"a", "ab", "abcd", "abcdefgh", "abcdefghi", "abcdefghijklmnop",
                            "abcdefghijklmnopq", "abcdefghijklmnopr", "x-launch-2026-q1-social"});
  const IdTable table(items);
  for (size_t i = 0; i < items.size(); ++i) {
    EXPECT_EQ(table.Find(items[i].id, items), static_cast<int>(i)) << items[i].id;
  }
  for (const char* unknown : {"", "b", "abc", "abcdefg", "abcdefghijklmno", "abcdefghijklmnopz",
                              "x-launch-2026-q1-socia"}) {
    EXPECT_EQ(table.Find(unknown, items), -1) << unknown;
  }
}

TEST(IdTableTest, TheFirstOfDuplicateIdsWins) {
  const auto items = Items({"g1", "g2", "g1"});
  EXPECT_EQ(IdTable(items).Find("g1", items), 0);
}

TEST(IdTableTest, ManyIdsAndDuplicates) {
  // A table that stays in the caches and one far larger than they are.
  for (const int n : {1000, 300000}) {
    std::vector<Item> items;
    for (int i = 0; i < n; ++i) items.push_back({"goal-" + std::to_string(i)});
    items.push_back({"goal-17"});  // a duplicate: the first one wins
    items.push_back({"a-rather-long-goal-id-over-16-bytes"});
    items.push_back({"a-rather-long-goal-id-over-16-bytes"});
    const IdTable table(items);
    for (int i = 0; i < n; i += 7) {
      ASSERT_EQ(table.Find("goal-" + std::to_string(i), items), i) << n;
    }
    EXPECT_EQ(table.Find("goal-17", items), 17);
    EXPECT_EQ(table.Find("a-rather-long-goal-id-over-16-bytes", items), n + 1);
    EXPECT_EQ(table.Find("goal-" + std::to_string(n), items), -1);
  }
}

// What LookupAll finds for `ids`, both ways it may look.
template <bool kIdsFollowItems>
std::vector<int> FindAll(const std::vector<std::string>& ids, const std::vector<Item>& items) {
  const IdTable table(items);
  std::vector<int> found;
  LookupAll<kIdsFollowItems>(
      ids.size(), [&](size_t i) { return std::string_view(ids[i]); }, table, items,
      [&](size_t i, int pos) {
        EXPECT_EQ(i, found.size());
        found.push_back(pos);
      });
  return found;
}

TEST(IdTableTest, LookupAllFindsEachIdInOrderWhateverItGuesses) {
  std::vector<Item> items;
  for (int i = 0; i < 200; ++i) items.push_back({"k" + std::to_string(i)});
  // In the items' order with repeats (as KPIs name their goals), then out of it, and unknown ids.
  std::vector<std::string> ids;
  std::vector<int> expected;
  for (int i = 0; i < 200; ++i) {
    for (int r = 0; r < 1 + i % 3; ++r) {
      ids.push_back("k" + std::to_string(i));
      expected.push_back(i);
    }
  }
  for (int i : {150, 3, 3, 199, 0, 1, 77}) {
    ids.push_back("k" + std::to_string(i));
    expected.push_back(i);
  }
  ids.push_back("k200");
  expected.push_back(-1);
  ids.push_back("k0");
  expected.push_back(0);
  EXPECT_EQ(FindAll<false>(ids, items), expected);
  EXPECT_EQ(FindAll<true>(ids, items), expected);
}

TEST(IdTableTest, LookupAllStopsWhenFoundSaysSo) {
  const auto items = Items({"a", "b", "c"});
  const IdTable table(items);
  const std::vector<std::string> ids = {"a", "b", "c", "a"};
  std::vector<int> seen;
  LookupAll(
      ids.size(), [&](size_t i) { return std::string_view(ids[i]); }, table, items,
      [&](size_t, int pos) {
        seen.push_back(pos);
        return pos != 1;  // stop after "b"
      });
  EXPECT_EQ(seen, (std::vector<int>{0, 1}));
}

}  // namespace
}  // namespace cascade
