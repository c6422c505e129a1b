// Fuzz target: a plan file (YAML or JSON) as `cascade plan apply` and POST /api/v1/apply read it —
// parsed, merged into a workspace, validated; when valid, rolled up, linted and exported, and the
// export read back must apply cleanly and change nothing (plan.h's promise). A plan refused with
// errors is fine; a crash, a sanitizer report, an exception or a hang is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "core/changeset.h"
#include "core/lint.h"
#include "core/rollup.h"
#include "core/validate.h"
#include "fuzz_check.h"
#include "io/plan.h"

using namespace cascade;

namespace {

// Reads an exported plan back and checks that applying it onto the workspace changes nothing.
void CheckRoundTrip(const Workspace& ws, const std::string& text, const char* file) {
  ParsedPlan again = ParsePlan(text, file);
  if (!again.errors.empty()) {
    std::fprintf(stderr, "export does not read back: %s\n%s\n",
                 again.errors.front().ToString().c_str(), text.c_str());
  }
  FUZZ_CHECK(again.errors.empty());
  const Workspace merged = MergePlan(ws, again.workspace, /*prune=*/false);
  FUZZ_CHECK(ValidateWorkspace(merged).empty());
  const ChangeSet changes = DiffWorkspaces(ws, merged);
  if (!changes.empty()) {
    std::fprintf(stderr, "export applied changes %zu entities, adds %zu check-ins\n%s\n",
                 changes.changes.size(), changes.checkins.size(), text.c_str());
  }
  FUZZ_CHECK(changes.empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string file = "plan.yaml";
  ParsedPlan plan = ParsePlan(text, file);
  for (const Error& e : plan.errors) FUZZ_CHECK(e.line >= 1 && !e.message.empty());
  if (!plan.errors.empty()) return 0;

  const Workspace current;
  Workspace next = MergePlan(current, plan.workspace, /*prune=*/false);
  Errors errors = ValidateWorkspace(next);
  LocateErrors(errors, plan, file);
  for (const Error& e : errors) FUZZ_CHECK(!e.message.empty());
  if (!errors.empty()) return 0;
  (void)DiffWorkspaces(current, next);

  const Date as_of = *Date::FromCivil(2026, 3, 1);
  const Rollup rollup = ComputeRollup(next, as_of);
  (void)LintWorkspace(next, rollup);
  // As the store would keep it: check-ins numbered in the order recorded.
  for (size_t i = 0; i < next.checkins.size(); ++i) {
    next.checkins[i].seq = static_cast<int64_t>(i) + 1;
  }
  CheckRoundTrip(next, WritePlanYaml(next), "export.yaml");
  CheckRoundTrip(next, WritePlanJson(next), "export.json");
  return 0;
}
