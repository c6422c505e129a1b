// Fuzz target: a check-in CSV file as `cascade import checkins` (long, and --wide) and
// POST /api/v1/checkins/batch (text/csv) read it, against a workspace of four KPIs (one of each
// kind). An input whose first line is `#map=...` has that line's text read as --map, as the
// option is; the rest is the file. Each file is read both long and wide. A refusal (an Error, or
// problems listed) is fine; a crash, a sanitizer report, an exception or a hang is a finding.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "io/checkin_csv.h"

using namespace cascade;

namespace {

Workspace KpiWorkspace() {
  Workspace ws;
  const auto kpi = [&ws](const char* id, KpiKind kind, double target) {
    Kpi k;
    k.id = id;
    k.goal = "g";
    k.kind = kind;
    k.target = target;
    if (kind == KpiKind::kThreshold) k.direction = Direction::kAbove;
    ws.kpis.push_back(k);
  };
  kpi("share", KpiKind::kLevel, 20);
  kpi("leads", KpiKind::kCumulative, 50);
  kpi("launched", KpiKind::kMilestone, 1);
  kpi("nps", KpiKind::kThreshold, 50);
  return ws;
}

void Read(std::string_view text, CheckinCsvOptions options, bool wide, const Workspace& ws,
          const WorkspaceIndex& index) {
  options.wide = wide;
  size_t last_done = 0;
  options.progress = [&](size_t done, size_t total) {
    FUZZ_CHECK(done <= total && done >= last_done);
    last_done = done;
  };
  auto csv = ReadCheckinCsv(text, options, ws);
  if (!csv) {
    FUZZ_CHECK(!csv.error().message.empty());
    return;
  }
  FUZZ_CHECK(csv->problems.size() <= options.max_problems);
  FUZZ_CHECK(csv->problems.size() <= csv->problem_count);
  FUZZ_CHECK(csv->bad_rows <= csv->rows);
  for (const CsvProblem& p : csv->problems) FUZZ_CHECK(p.line >= 1 && !p.reason.empty());
  for (const Checkin& c : csv->checkins) {
    FUZZ_CHECK(std::isfinite(c.value));
    FUZZ_CHECK(index.kpi(c.kpi) >= 0);
    FUZZ_CHECK(c.date.year() >= 1 && c.date.year() <= 9999);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Workspace ws = KpiWorkspace();
  static const WorkspaceIndex index(ws);
  std::string_view text(reinterpret_cast<const char*>(data), size);
  CheckinCsvOptions options;
  constexpr std::string_view kMap = "#map=";
  if (text.substr(0, kMap.size()) == kMap) {
    const size_t eol = text.find('\n');
    const std::string_view map =
        text.substr(kMap.size(), eol == text.npos ? text.npos : eol - kMap.size());
    text = eol == text.npos ? std::string_view() : text.substr(eol + 1);
    if (auto r = ParseColumnMap(map, options); !r) return 0;
  }
  Read(text, options, /*wide=*/false, ws, index);
  Read(text, options, /*wide=*/true, ws, index);
  return 0;
}
