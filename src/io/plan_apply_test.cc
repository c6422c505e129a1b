#include "io/plan_apply.h"

#include <gtest/gtest.h>

#include <string>

#include "core/changeset.h"

namespace cascade {
namespace {

std::string Messages(const Errors& errors) {
  std::string out;
  for (const Error& e : errors) out += e.ToString() + "\n";
  return out;
}

// The workspace `plan` makes of an empty one, as `apply` stores it.
Workspace Applied(const std::string& text) {
  const ParsedPlan plan = ParsePlan(text, "base.yaml");
  EXPECT_TRUE(plan.errors.empty()) << Messages(plan.errors);
  Workspace ws = MergePlan(Workspace{}, plan.workspace, false);
  EXPECT_TRUE(CheckPlanApply(plan, "base.yaml", Workspace{}, ws).empty());
  return ws;
}

// What applying `text` to `current` is refused for.
Errors Check(const Workspace& current, const std::string& text) {
  const ParsedPlan plan = ParsePlan(text, "plan.yaml");
  EXPECT_TRUE(plan.errors.empty()) << Messages(plan.errors);
  return CheckPlanApply(plan, "plan.yaml", current,
                        MergePlan(current, plan.workspace, false));
}

constexpr const char* kCycles = R"(version: 1
cycles:
  - {id: q1, name: Q1 2026, start: 2026-01-01, end: 2026-03-31, state: closed}
  - {id: q2, name: Q2 2026, start: 2026-04-01, end: 2026-06-30}
)";

// Omitting a closed cycle's state would reopen it: refused, naming the cycle, the line and the
// two ways to say what is meant. Writing either, or listing only open cycles, is fine.
TEST(PlanApplyTest, AClosedCycleListedWithoutItsStateIsNotReopenedSilently) {
  const Workspace current = Applied(kCycles);
  const Errors errors = Check(current, R"(version: 1
cycles:
  - {id: q2, name: Q2 2026, start: 2026-04-01, end: 2026-06-30}
  - {id: q1, name: Q1 2026, start: 2026-01-01, end: 2026-03-31}
)");
  ASSERT_EQ(errors.size(), 1u) << Messages(errors);
  EXPECT_EQ(errors[0].code, ErrorCode::kConflict);
  EXPECT_EQ(errors[0].field, "state");
  EXPECT_EQ(Messages(errors),
            "plan.yaml:4: cycle 'q1' is closed, and the plan leaves out its state (which means "
            "open); write `state: closed` to keep it closed, or `state: open` to reopen it\n");

  EXPECT_EQ(Messages(Check(current, kCycles)), "");
  EXPECT_EQ(Messages(Check(current, R"(version: 1
cycles:
  - id: q1
    name: Q1 2026
    start: 2026-01-01
    end: 2026-03-31
    state: open
)")),
            "");
  // A plan that does not list the cycle leaves it as it is.
  EXPECT_EQ(Messages(Check(current, "version: 1\nteams:\n  - {id: marketing, name: Marketing}\n")),
            "");
}

}  // namespace
}  // namespace cascade
