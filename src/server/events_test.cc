#include "server/events.h"

#include <gtest/gtest.h>

namespace cascade {
namespace {

HistoryEntry Row(int64_t seq, std::string kind, std::string entity) {
  HistoryEntry h;
  h.seq = seq;
  h.kind = std::move(kind);
  h.entity = std::move(entity);
  h.op = "create";
  return h;
}

TEST(EventsFor, OneEventPerChangedEntityTheLastCarryingTheNewestSeq) {
  const std::vector<HistoryEntry> rows = {Row(7, "checkin", "nps"), Row(8, "checkin", "share"),
                                          Row(9, "checkin", "nps"), Row(10, "goal", "nps")};
  EXPECT_EQ(EventsFor(rows, 42, 100),
            "data: {\"id\":\"nps\",\"kind\":\"checkin\",\"version\":42}\n\n"
            "data: {\"id\":\"share\",\"kind\":\"checkin\",\"version\":42}\n\n"
            "id: 10\ndata: {\"id\":\"nps\",\"kind\":\"goal\",\"version\":42}\n\n");
}

TEST(EventsFor, ManyEntitiesOrAnImportSummaryAreOneWorkspaceEvent) {
  std::vector<HistoryEntry> rows;
  for (int i = 0; i < 4; ++i) rows.push_back(Row(i + 1, "goal", "g" + std::to_string(i)));
  EXPECT_EQ(EventsFor(rows, 3, 3), "id: 4\ndata: {\"kind\":\"workspace\",\"version\":3}\n\n");
  EXPECT_EQ(EventsFor({Row(5, "checkin", "")}, 9, 100),
            "id: 5\ndata: {\"kind\":\"workspace\",\"version\":9}\n\n");
  EXPECT_EQ(EventsFor({}, 9, 100), "");
}

TEST(OutStream, AConsumerThatFallsBehindIsClosedNotBuffered) {
  OutStream s(2);
  int woken = 0;
  s.SetWaker([&woken] { ++woken; });
  EXPECT_TRUE(s.Push("a"));
  EXPECT_TRUE(s.Push("b"));
  EXPECT_FALSE(s.Push("c"));
  EXPECT_TRUE(s.closed());
  EXPECT_EQ(woken, 3);
  bool closed = false;
  const auto queued = s.Take(closed);
  EXPECT_TRUE(closed);
  EXPECT_EQ(queued.size(), 2u);
  EXPECT_FALSE(s.Push("d"));
}

}  // namespace
}  // namespace cascade
