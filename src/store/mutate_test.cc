// MutateWorkspace returns the ChangeSet as stored: the seqs and versions the store gave.
#include "store/mutate.h"

#include <gtest/gtest.h>

#include "store/store.h"

namespace cascade {
namespace {

TEST(MutateWorkspace, ReturnsTheChangeAsStoredWithSeqsAndVersions) {
  auto store = OpenStore(":memory:");
  ASSERT_TRUE(store.ok());
  MutateOptions options;
  options.actor = "tester";
  auto created = MutateWorkspace(
      **store,
      [](Workspace& ws) -> Result<void> {
        Goal g;
        g.id = "root";
        g.title = "Grow";
        ws.goals.push_back(g);
        Kpi k;
        k.id = "leads";
        k.goal = "root";
        k.name = "Leads";
        k.target = 10;
        ws.kpis.push_back(k);
        return Ok();
      },
      options);
  ASSERT_TRUE(created.ok()) << created.error().message;
  ASSERT_EQ(created->changes.size(), 2u);
  EXPECT_EQ(std::get<Goal>(*created->changes[0].after).version, 1);

  for (int64_t want : {1, 2}) {
    auto added = MutateWorkspace(
        **store,
        [](Workspace& ws) -> Result<void> {
          ws.checkins.push_back({"leads", *Date::Parse("2026-03-01"), 4, "same", "", 0});
          ws.goals[0].title += "!";
          return Ok();
        },
        options);
    ASSERT_TRUE(added.ok()) << added.error().message;
    ASSERT_EQ(added->checkins.size(), 1u);
    EXPECT_EQ(added->checkins[0].seq, want);  // two identical check-ins, each its own seq
    ASSERT_EQ(added->changes.size(), 1u);
    EXPECT_EQ(std::get<Goal>(*added->changes[0].after).version, 1 + want);
  }
}

}  // namespace
}  // namespace cascade
