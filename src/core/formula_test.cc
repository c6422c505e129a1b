#include "core/formula.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace cascade {
namespace {

// Evaluates `text` with the inputs of `values` (an id not in it has no value).
std::optional<double> Eval(const std::string& text, const std::map<std::string, double>& values) {
  auto f = Formula::Parse(text);
  EXPECT_TRUE(f) << text << ": " << (f ? "" : f.error().message);
  if (!f) return std::nullopt;
  return f->Evaluate([&](const std::string& id) -> std::optional<double> {
    auto it = values.find(id);
    if (it == values.end()) return std::nullopt;
    return it->second;
  });
}

std::string Refusal(const std::string& text) {
  auto f = Formula::Parse(text);
  EXPECT_FALSE(f) << text;
  if (f) return "";
  EXPECT_EQ(f.error().field, "formula");
  EXPECT_EQ(f.error().code, ErrorCode::kInvalid);
  return f.error().message;
}

TEST(FormulaTest, ConversionRateOfTheSpec) {
  // 45 customers of 1,200 leads: 3.75%.
  EXPECT_DOUBLE_EQ(*Eval("{customers} / {leads} * 100", {{"customers", 45}, {"leads", 1200}}), 3.75);
}

TEST(FormulaTest, PrecedenceParenthesesAndUnaryMinus) {
  EXPECT_DOUBLE_EQ(*Eval("1 + 2 * 3", {}), 7);
  EXPECT_DOUBLE_EQ(*Eval("(1 + 2) * 3", {}), 9);
  EXPECT_DOUBLE_EQ(*Eval("10 - 4 - 3", {}), 3);  // left to right
  EXPECT_DOUBLE_EQ(*Eval("10 - (4 - 3)", {}), 9);
  EXPECT_DOUBLE_EQ(*Eval("12 / 4 / 3", {}), 1);
  EXPECT_DOUBLE_EQ(*Eval("-{a} * 2", {{"a", 3}}), -6);
  EXPECT_DOUBLE_EQ(*Eval("--{a}", {{"a", 3}}), 3);
  EXPECT_DOUBLE_EQ(*Eval("2 * -3", {}), -6);
  EXPECT_DOUBLE_EQ(*Eval(" .5+1.  ", {}), 1.5);
  EXPECT_DOUBLE_EQ(*Eval("{ a }+{a}", {{"a", 2}}), 4);
}

TEST(FormulaTest, InputsEachOnceInOrderOfAppearance) {
  auto f = Formula::Parse("({b} + {a}) / {b} - {c_1}");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->inputs(), (std::vector<std::string>{"b", "a", "c_1"}));
}

TEST(FormulaTest, NullWhenAnInputIsNullADivisorIsZeroOrTheResultIsNotFinite) {
  EXPECT_FALSE(Eval("{customers} / {leads}", {{"customers", 3}}));
  EXPECT_FALSE(Eval("{customers} / {leads}", {{"customers", 3}, {"leads", 0}}));
  EXPECT_FALSE(Eval("1 / (2 - 2)", {}));
  EXPECT_FALSE(Eval("{a} * {a} * {a}", {{"a", 1e200}}));  // overflows
  EXPECT_DOUBLE_EQ(*Eval("0 / {a}", {{"a", 5}}), 0);
}

TEST(FormulaTest, RefusalsNameTheCharacterAndWhatWasExpected) {
  EXPECT_EQ(Refusal(""), "formula, character 1: the formula is empty; write it as {customers} / {leads} * 100");
  EXPECT_EQ(Refusal("{a} * "), "formula, character 7: expected a number, a {kpi-id} or '(', but the formula ends");
  EXPECT_EQ(Refusal("{a} ** 2"), "formula, character 6: expected a number, a {kpi-id} or '(', found '*'");
  EXPECT_EQ(Refusal("({a} + 1"), "formula, character 9: the '(' at character 1 is not closed: expected ')', found the end");
  EXPECT_EQ(Refusal("{a} 2"), "formula, character 5: expected an operator (+ - * /) or the end, found '2'");
  EXPECT_EQ(Refusal("{Leads}"), "formula, character 1: '{Leads}' does not name a KPI: ids are lowercase letters, digits, '-' and '_'");
  EXPECT_EQ(Refusal("1 + {leads"), "formula, character 5: the '{' at character 5 is not closed: write a KPI id as {leads}");
  EXPECT_EQ(Refusal("+1"), "formula, character 1: expected a number, a {kpi-id} or '(', found '+'");
  EXPECT_EQ(Refusal("1e3"), "formula, character 2: expected an operator (+ - * /) or the end, found 'e'");
  EXPECT_EQ(Refusal("1 % 2"), "formula, character 3: expected an operator (+ - * /) or the end, found '%'");
  EXPECT_EQ(Refusal("\xe9"), "formula, character 1: expected a number, a {kpi-id} or '(', found byte 0xe9");
  EXPECT_EQ(Refusal("{a\x1b}"), "formula, character 1: '{a\\x1b}' does not name a KPI: ids are lowercase letters, digits, '-' and '_'");
  EXPECT_EQ(Refusal("2000000000000000"), "formula, character 1: the number 2000000000000000 is not between -1e15 and 1e15");
}

TEST(FormulaTest, LengthAndDepthAreBounded) {
  EXPECT_EQ(Refusal(std::string(1001, '1')), "the formula is 1001 characters long; at most 1000 are allowed");
  std::string deep = std::string(50, '(') + "1" + std::string(50, ')');
  EXPECT_TRUE(Formula::Parse(deep));
  deep = std::string(51, '(') + "1" + std::string(51, ')');
  EXPECT_EQ(Refusal(deep), "formula, character 51: parentheses and minus signs nest deeper than 50 levels");
  EXPECT_EQ(Refusal(std::string(51, '-') + "1"),
            "formula, character 51: parentheses and minus signs nest deeper than 50 levels");
  // A long chain of one operator does not nest: 499 additions.
  std::string chain = "1";
  for (int i = 0; i < 499; ++i) chain += "+1";
  EXPECT_DOUBLE_EQ(*Eval(chain, {}), 500);
}

TEST(FormulaTest, CanonicalFormEvaluatesTheSame) {
  auto f = Formula::Parse("((({a})))/ ( {b}*100 ) -(-2) - ({c} - 1) + ({d} + {e})");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->Canonical(), "{a} / ({b} * 100) - -2 - ({c} - 1) + ({d} + {e})");
  auto again = Formula::Parse(f->Canonical());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->Canonical(), f->Canonical());
  EXPECT_EQ(Formula::Parse("0.10 * 3")->Canonical(), "0.1 * 3");
}

TEST(FormulaTest, CyclesThroughOtherFormulasAreFound) {
  EXPECT_FALSE(FindFormulaCycle({{"rate", {"customers", "leads"}}, {"double", {"rate", "rate"}}}));
  EXPECT_EQ(*FindFormulaCycle({{"a", {"a"}}}), (std::vector<std::string>{"a", "a"}));
  EXPECT_EQ(*FindFormulaCycle({{"x", {"leads"}}, {"c", {"b"}}, {"b", {"leads", "d"}}, {"d", {"c"}}}),
            (std::vector<std::string>{"b", "d", "c", "b"}));
  // A long chain without a cycle, then closed: no recursion depth problem.
  std::unordered_map<std::string, std::vector<std::string>> chain;
  for (int i = 0; i < 10000; ++i) chain["k" + std::to_string(i)] = {"k" + std::to_string(i + 1)};
  EXPECT_FALSE(FindFormulaCycle(chain));
  chain["k10000"] = {"k0"};
  auto cycle = FindFormulaCycle(chain);
  ASSERT_TRUE(cycle);
  EXPECT_EQ(cycle->size(), 10002u);
  EXPECT_EQ(cycle->front(), "k0");
}

}  // namespace
}  // namespace cascade
