// Error → exit code: chosen by the error's code alone (spec §5: 2 for what the user can fix, 3 when
// the database failed or is busy).
#include "cli/context.h"

#include <gtest/gtest.h>

namespace cascade {
namespace {

TEST(ExitCodeFor, EachCodeHasItsExitCode) {
  const std::vector<std::pair<ErrorCode, int>> want = {
      {ErrorCode::kInvalid, 2},         {ErrorCode::kNotFound, 2},
      {ErrorCode::kConflict, 2},        {ErrorCode::kForbidden, 2},
      {ErrorCode::kStorage, 3},         {ErrorCode::kBusy, 3},
      {ErrorCode::kUnauthenticated, 2}, {ErrorCode::kRateLimited, 2},
  };
  for (const auto& [code, exit_code] : want) {
    EXPECT_EQ(ExitCodeFor(Error::Make(code, "x")), exit_code) << static_cast<int>(code);
  }
  EXPECT_EQ(ExitCodeFor(Error::Invalid("the database is busy")), 2);  // words do not choose
}

}  // namespace
}  // namespace cascade
