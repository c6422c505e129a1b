// Fuzz target: a number as users write it — a CSV value (ParseCsvNumber: "1,234", "12.5%"), a
// command-line option (ParseNumberArg, ParseIntArg) and a number field of a plan (a goal's weight,
// a KPI's cadence_days). A number read must be finite (and whole where asked); a plain decimal read
// by one must be read the same by the others; a refusal is fine; a crash, a sanitizer report or an
// exception is a finding. (The API's ?n= parameters are std::stod/stoll under a try; not here.)
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>

#include "cli/arg_parse.h"
#include "core/validate.h"
#include "fuzz_check.h"
#include "io/checkin_csv.h"
#include "io/plan.h"

using namespace cascade;

namespace {

// Digits with an optional leading '-' and at most one '.', with a digit somewhere: what every
// reader takes.
bool PlainDecimal(const std::string& s) {
  size_t i = s.empty() || s[0] != '-' ? 0 : 1;
  bool digit = false, point = false;
  for (; i < s.size(); ++i) {
    if (s[i] >= '0' && s[i] <= '9') {
      digit = true;
    } else if (s[i] == '.' && !point) {
      point = true;
    } else {
      return false;
    }
  }
  return digit && s.size() < 100;
}

// The text as a YAML double-quoted scalar, or "" when it holds bytes such a scalar cannot carry.
std::string YamlQuoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f) return "";
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);

  auto csv = ParseCsvNumber(text);
  if (csv) FUZZ_CHECK(std::isfinite(*csv));
  auto arg = ParseNumberArg("--value", text);
  if (arg) FUZZ_CHECK(std::isfinite(*arg));
  auto whole = ParseIntArg("--days", text);
  if (whole && arg) FUZZ_CHECK(*whole == *arg);

  // A plain decimal within the entry bound (core/validate.h) is read alike by both; beyond it the
  // argument is refused with the bound stated (the CSV reader refuses it when it checks the row).
  if (PlainDecimal(text) && csv && IsEntryValue(*csv)) {
    FUZZ_CHECK(arg);
    FUZZ_CHECK(*csv == *arg);
  }

  const std::string quoted = YamlQuoted(text);
  if (!quoted.empty()) {
    const std::string plan = "version: 1\ngoals:\n  - id: g\n    title: A goal\n    level: macro\n"
                             "    weight: " + quoted + "\n    kpis:\n      - id: k\n"
                             "        name: K\n        kind: level\n        target: 1\n"
                             "        cadence_days: " + quoted + "\n";
    ParsedPlan parsed = ParsePlan(plan, "plan.yaml");
    if (parsed.errors.empty()) {
      FUZZ_CHECK(parsed.workspace.goals.size() == 1 && parsed.workspace.kpis.size() == 1);
      FUZZ_CHECK(std::isfinite(parsed.workspace.goals[0].weight));
      if (arg) FUZZ_CHECK(parsed.workspace.goals[0].weight == *arg);
    }
  }
  return 0;
}
