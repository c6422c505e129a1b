// Check-in CSV files (spec §4): the rows of a spreadsheet or an analytics export turned into
// Checkins, each row checked against the workspace's KPIs, every bad row listed with its line,
// column and reason. Long files hold one check-in a row (`kpi,date,value[,note,author,confidence]`); wide
// files (`--wide`) a date column and one column per KPI.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/model.h"
#include "io/csv_reader.h"

namespace cascade {

struct CheckinCsvOptions {
  // Which header names hold which field, for files whose headers are not the field names
  // (`--map kpi=Metric,date=Day`). Long files: keys kpi, date, value, note, author, confidence. Wide files:
  // `date`, and KPI ids for columns not named by their KPI id. Unmapped fields use their own name.
  // Header names match without regard to ASCII case or surrounding spaces.
  std::map<std::string, std::string, std::less<>> columns;
  bool wide = false;
  // How the file's bytes are read (spec §4): UTF-8 (or UTF-16 with a byte-order mark), Latin-1 or
  // cp1252; a byte the encoding does not allow refuses the file.
  CsvEncoding encoding = CsvEncoding::kUtf8;
  // Problems kept in full (all are counted); the CLI shows 20.
  size_t max_problems = 20;
  // Called every few tens of thousands of rows and at the end with the bytes read and in all.
  std::function<void(size_t done, size_t total)> progress;
};

// Adds the pairs of a `--map` text ("kpi=Metric,date=Day,value=Count") to options.columns.
// Refuses a pair without '=', an empty side, and a field named twice. Which keys are allowed is
// checked by ReadCheckinCsv, which knows the mode and the KPIs.
Result<void> ParseColumnMap(std::string_view text, CheckinCsvOptions& options);

// One bad row (or cell): the 1-based line it starts on, the column as the header names it ("" for
// the row as a whole) and why it was refused.
struct CsvProblem {
  int line = 0;
  std::string column;
  std::string reason;
  bool operator==(const CsvProblem&) const = default;
};

struct CheckinCsv {
  // The check-ins of the good rows, in file order (wide files: row by row, columns left to right),
  // with seq 0.
  std::vector<Checkin> checkins;
  std::vector<CsvProblem> problems;  // the first max_problems problems, in file order
  size_t problem_count = 0;          // all problems
  size_t rows = 0;                   // data rows read; rows of empty fields only are not counted
  size_t bad_rows = 0;               // rows with a problem; none of their check-ins is kept
  // What the good rows speak for, which `--replace-range` replaces: the KPIs (long files: those
  // the rows name; wide files: every KPI column), in the workspace's order, and the first and last
  // date of the rows (unset when there are none).
  std::vector<std::string> kpis;
  std::optional<Date> first_date, last_date;
};

// Reads a whole check-in CSV file (`text`, the file's bytes in options.encoding; see
// DecodeCsvText) against the KPIs of `ws`, indexed once into a hash map. Text from the file is
// shown in errors and problems escaped (VisibleText), never raw. An author, when the row names
// one, must be a person of `ws` (a row problem otherwise). Values may be quoted, carry thousands
// separators ("1,234,567.5"), a trailing '%' ("12.5%" is 12.5) and surrounding spaces; dates
// are YYYY-MM-DD or YYYYMMDD. A problem with the file as a whole is an Error with its line: no
// header, a required column missing, a column of a wide file that is no KPI, a --map key that is
// not allowed, a quote never closed. Problems with rows (unknown KPI or author, bad date,
// non-number or non-finite value, a milestone value other than 0 or 1, wrong field count) are
// listed in the result. A byte the encoding does not allow is an Error naming its line and column.
Result<CheckinCsv> ReadCheckinCsv(std::string_view text, const CheckinCsvOptions& options,
                                  const Workspace& ws);

// A number as CSV files write it: surrounding spaces, an optional sign, thousands separators in
// the integer part ("1,234"), a trailing '%' ("12.5%" → 12.5). Refuses anything else, and values
// that are not finite, with a reason that quotes the text.
Result<double> ParseCsvNumber(std::string_view text);

}  // namespace cascade
