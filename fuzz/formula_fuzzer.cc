// Fuzz target: a formula KPI's text (core/formula.h). A refusal is fine; a parsed formula evaluates
// to null or a finite number, and its canonical form parses back to a formula that evaluates to the
// same value and prints the same; a crash, a sanitizer report or an exception is a finding.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/formula.h"
#include "fuzz_check.h"

using namespace cascade;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto formula = Formula::Parse(text);
  if (!formula) {
    FUZZ_CHECK(!formula.error().message.empty());
    return 0;
  }
  // Inputs get values from their ids' lengths, one of them zero and one null, so that divisions
  // by zero and null inputs are reached.
  auto value_of = [](const std::string& id) -> std::optional<double> {
    if (id == "z") return 0.0;
    if (id == "n") return std::nullopt;
    if (id == "big") return 1e15;
    return static_cast<double>(id.size()) * (id[0] == 'm' ? -0.5 : 1.5);
  };
  const auto value = formula->Evaluate(value_of);
  if (value) FUZZ_CHECK(std::isfinite(*value));

  const std::string canonical = formula->Canonical();
  if (canonical.size() > kMaxFormulaChars) return 0;
  auto again = Formula::Parse(canonical);
  FUZZ_CHECK(again);
  FUZZ_CHECK(again->Canonical() == canonical);
  FUZZ_CHECK(again->inputs() == formula->inputs());
  const auto value_again = again->Evaluate(value_of);
  FUZZ_CHECK(value.has_value() == value_again.has_value());
  if (value) FUZZ_CHECK(*value == *value_again);
  return 0;
}
