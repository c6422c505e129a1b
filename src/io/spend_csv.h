// Spend rows from a CSV file (spec §4, `import checkins FILE --spend`): a header row naming the
// columns `goal,date,amount` and optionally `note` and `author` (any order, any case; `#` preamble lines and
// blank lines skipped), one spend record a row. Every bad row is reported with its line and why.
#pragma once

#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/model.h"
#include "io/checkin_csv.h"

namespace cascade {

struct SpendCsv {
  std::vector<Spend> spend;           // the good rows, seq 0 (author "" unless the file names one)
  std::vector<CsvProblem> problems;   // the first `max_problems`, in line order
  size_t problem_count = 0;           // all of them
  size_t rows = 0;                    // data rows read
  size_t bad_rows = 0;
};

// Reads `text` (UTF-8) against the goals of `ws`. A file it cannot read as a spend file at all (no
// header, a missing column, a quote never closed) is an Error naming its line; bad rows are
// problems: an unknown goal, an author who is no person of the workspace, a date that is not YYYY-MM-DD or YYYYMMDD or is out of range, an
// amount that is not a number, 0, or out of range, a note that is too long.
Result<SpendCsv> ReadSpendCsv(std::string_view text, const Workspace& ws,
                              size_t max_problems = 20);

}  // namespace cascade
