// Formula KPIs (spec §1, §2): `{customers} / {leads} * 100` — numbers, `{kpi-id}`, `+ - * /`,
// parentheses and unary minus. Parsed once into a small expression, evaluated on the referenced
// KPIs' values; null when an input is null, a division is by zero or the result is not finite.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.h"

namespace cascade {

// The longest formula text, in bytes, and the deepest nesting of parentheses and unary minus it
// may have: a formula is a line a person writes, and the bounds keep parsing and evaluation from
// recursing without end (spec §10).
inline constexpr size_t kMaxFormulaChars = 1000;
inline constexpr int kMaxFormulaDepth = 50;

class Formula {
 public:
  // Parses `text`. A refusal is kInvalid with field "formula" and a message that names the
  // character position (1-based) and what was expected there.
  static Result<Formula> Parse(std::string_view text);

  // The KPI ids it reads, each once, in the order they first appear.
  const std::vector<std::string>& inputs() const { return inputs_; }

  // The value with each input's value from `value_of` (nullopt: that input has no value). Null
  // when an input is null, a divisor is 0, or the result (or a step on the way) is not finite.
  std::optional<double> Evaluate(
      const std::function<std::optional<double>(const std::string&)>& value_of) const;

  // The formula in a canonical form (single spaces around binary operators, parentheses only
  // where needed): parsing it gives a formula that evaluates the same on any inputs.
  std::string Canonical() const;

 private:
  enum class Op : unsigned char { kNumber, kInput, kNegate, kAdd, kSubtract, kMultiply, kDivide };
  struct Node {
    Op op;
    double number = 0;  // kNumber
    int input = 0;      // kInput: index into inputs_
    int left = -1;      // operands: indexes into nodes_
    int right = -1;
  };
  friend class FormulaParser;

  std::optional<double> Eval(int node, const std::vector<std::optional<double>>& inputs) const;
  std::string Text(int node, int parent_precedence, bool right_operand) const;

  std::vector<Node> nodes_;
  int root_ = -1;
  std::vector<std::string> inputs_;
};

// Refuses formulas that read themselves through other formulas. `formulas` maps each formula
// KPI's id to the ids it reads. Returns the first cycle found as the path of ids that closes it
// ("a → b → a"), starting from the smallest id on it; nullopt when there is none.
std::optional<std::vector<std::string>> FindFormulaCycle(
    const std::unordered_map<std::string, std::vector<std::string>>& formulas);

}  // namespace cascade
