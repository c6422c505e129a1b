#include "core/formula.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "core/model.h"
#include "core/validate.h"

namespace cascade {

// Recursive descent over the grammar
//   expr  := term (('+' | '-') term)*
//   term  := unary (('*' | '/') unary)*
//   unary := '-' unary | primary
//   primary := number | '{' kpi-id '}' | '(' expr ')'
// building the node table of a Formula. Depth counts open parentheses and unary minuses, the only
// ways the recursion deepens.
class FormulaParser {
 public:
  explicit FormulaParser(std::string_view text) : text_(text) {}

  Result<Formula> Run() {
    if (text_.size() > kMaxFormulaChars) {
      return Error::Invalid("the formula is " + std::to_string(text_.size()) +
                                " characters long; at most " + std::to_string(kMaxFormulaChars) +
                                " are allowed",
                            "kpi", "", "formula");
    }
    SkipSpaces();
    if (pos_ == text_.size()) return Fail("the formula is empty; write it as {customers} / {leads} * 100");
    auto root = Expr(0);
    if (!root) return root.error();
    SkipSpaces();
    if (pos_ != text_.size()) return Fail("expected an operator (+ - * /) or the end, found " + Found());
    f_.root_ = *root;
    return std::move(f_);
  }

 private:
  using Op = Formula::Op;

  Result<int> Expr(int depth) {
    auto left = Term(depth);
    if (!left) return left;
    int node = *left;
    for (;;) {
      SkipSpaces();
      if (pos_ == text_.size() || (text_[pos_] != '+' && text_[pos_] != '-')) return node;
      const Op op = text_[pos_] == '+' ? Op::kAdd : Op::kSubtract;
      ++pos_;
      auto right = Term(depth);
      if (!right) return right;
      node = Add({.op = op, .left = node, .right = *right});
    }
  }

  Result<int> Term(int depth) {
    auto left = Unary(depth);
    if (!left) return left;
    int node = *left;
    for (;;) {
      SkipSpaces();
      if (pos_ == text_.size() || (text_[pos_] != '*' && text_[pos_] != '/')) return node;
      const Op op = text_[pos_] == '*' ? Op::kMultiply : Op::kDivide;
      ++pos_;
      auto right = Unary(depth);
      if (!right) return right;
      node = Add({.op = op, .left = node, .right = *right});
    }
  }

  Result<int> Unary(int depth) {
    SkipSpaces();
    if (pos_ < text_.size() && text_[pos_] == '-') {
      if (depth >= kMaxFormulaDepth) return TooDeep();
      ++pos_;
      auto operand = Unary(depth + 1);
      if (!operand) return operand;
      return Add({.op = Op::kNegate, .left = *operand});
    }
    return Primary(depth);
  }

  Result<int> Primary(int depth) {
    SkipSpaces();
    if (pos_ == text_.size()) return Fail("expected a number, a {kpi-id} or '(', but the formula ends");
    const char c = text_[pos_];
    if (c == '(') {
      if (depth >= kMaxFormulaDepth) return TooDeep();
      const size_t open = pos_++;
      auto inner = Expr(depth + 1);
      if (!inner) return inner;
      SkipSpaces();
      if (pos_ == text_.size() || text_[pos_] != ')') {
        return Fail("the '(' at character " + std::to_string(open + 1) +
                    " is not closed: expected ')', found " + Found());
      }
      ++pos_;
      return inner;
    }
    if (c == '{') return Input();
    if ((c >= '0' && c <= '9') || c == '.') return Number();
    return Fail("expected a number, a {kpi-id} or '(', found " + Found());
  }

  Result<int> Input() {
    const size_t open = pos_++;
    const size_t close = text_.find('}', pos_);
    if (close == std::string_view::npos) {
      pos_ = open;
      return Fail("the '{' at character " + std::to_string(open + 1) +
                  " is not closed: write a KPI id as {leads}");
    }
    std::string_view id = text_.substr(pos_, close - pos_);
    while (!id.empty() && id.front() == ' ') id.remove_prefix(1);
    while (!id.empty() && id.back() == ' ') id.remove_suffix(1);
    if (!IsValidId(id)) {
      pos_ = open;
      return Fail("'{" + Shown(text_.substr(open + 1, close - open - 1)) +
                  "}' does not name a KPI: ids are lowercase letters, digits, '-' and '_'");
    }
    pos_ = close + 1;
    int index = 0;
    while (index < static_cast<int>(f_.inputs_.size()) && f_.inputs_[index] != id) ++index;
    if (index == static_cast<int>(f_.inputs_.size())) f_.inputs_.emplace_back(id);
    return Add({.op = Op::kInput, .input = index});
  }

  Result<int> Number() {
    const size_t start = pos_;
    bool digits = false;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_, digits = true;
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_, digits = true;
    }
    if (!digits) {
      pos_ = start;
      return Fail("expected a number, a {kpi-id} or '(', found " + Found());
    }
    double value = 0;
    const auto [end, ec] = std::from_chars(text_.data() + start, text_.data() + pos_, value,
                                           std::chars_format::fixed);
    if (ec != std::errc() || end != text_.data() + pos_ || !IsEntryValue(value)) {
      const std::string written(text_.substr(start, std::min<size_t>(pos_ - start, 24)));
      pos_ = start;
      return Fail("the number " + written + (written.size() < 24 ? "" : "…") + " is not " +
                  EntryValueRangeText());
    }
    return Add({.op = Op::kNumber, .number = value});
  }

  int Add(Formula::Node node) {
    f_.nodes_.push_back(node);
    return static_cast<int>(f_.nodes_.size()) - 1;
  }

  void SkipSpaces() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
  }

  // What is at the current position, as a message shows it.
  std::string Found() const {
    if (pos_ == text_.size()) return "the end";
    const unsigned char c = static_cast<unsigned char>(text_[pos_]);
    if (c >= 0x20 && c < 0x7f) return std::string("'") + static_cast<char>(c) + "'";
    static const char* kHex = "0123456789abcdef";
    return std::string("byte 0x") + kHex[c >> 4] + kHex[c & 15];
  }

  // Text of the formula as a message quotes it: printable ASCII as is, other bytes as \xNN.
  static std::string Shown(std::string_view s) {
    std::string out;
    for (unsigned char c : s.substr(0, 64)) {
      if (c >= 0x20 && c < 0x7f) {
        out += static_cast<char>(c);
      } else {
        static const char* kHex = "0123456789abcdef";
        out += std::string("\\x") + kHex[c >> 4] + kHex[c & 15];
      }
    }
    if (s.size() > 64) out += "…";
    return out;
  }

  Error Fail(const std::string& what) const {
    return Error::Invalid("formula, character " + std::to_string(pos_ + 1) + ": " + what, "kpi",
                          "", "formula");
  }
  Error TooDeep() const {
    return Fail("parentheses and minus signs nest deeper than " +
                std::to_string(kMaxFormulaDepth) + " levels");
  }

  std::string_view text_;
  size_t pos_ = 0;
  Formula f_;
};

Result<Formula> Formula::Parse(std::string_view text) { return FormulaParser(text).Run(); }

std::optional<double> Formula::Evaluate(
    const std::function<std::optional<double>(const std::string&)>& value_of) const {
  std::vector<std::optional<double>> values;
  values.reserve(inputs_.size());
  for (const std::string& id : inputs_) {
    values.push_back(value_of(id));
    if (!values.back() || !std::isfinite(*values.back())) return std::nullopt;
  }
  return Eval(root_, values);
}

std::optional<double> Formula::Eval(int index,
                                    const std::vector<std::optional<double>>& inputs) const {
  const Node& n = nodes_[index];
  double v = 0;
  switch (n.op) {
    case Op::kNumber:
      return n.number;
    case Op::kInput:
      return inputs[n.input];
    case Op::kNegate: {
      auto x = Eval(n.left, inputs);
      if (!x) return std::nullopt;
      return -*x;
    }
    default:
      break;
  }
  auto a = Eval(n.left, inputs);
  if (!a) return std::nullopt;
  auto b = Eval(n.right, inputs);
  if (!b) return std::nullopt;
  switch (n.op) {
    case Op::kAdd: v = *a + *b; break;
    case Op::kSubtract: v = *a - *b; break;
    case Op::kMultiply: v = *a * *b; break;
    case Op::kDivide:
      if (*b == 0) return std::nullopt;
      v = *a / *b;
      break;
    default: break;
  }
  if (!std::isfinite(v)) return std::nullopt;
  return v;
}

namespace {
int Precedence(int op) {
  // kNumber, kInput: 4; kNegate: 3; kMultiply, kDivide: 2; kAdd, kSubtract: 1.
  static constexpr int kPrecedence[] = {4, 4, 3, 1, 1, 2, 2};
  return kPrecedence[op];
}
}  // namespace

std::string Formula::Text(int index, int parent_precedence, bool right_operand) const {
  const Node& n = nodes_[index];
  const int precedence = Precedence(static_cast<int>(n.op));
  std::string out;
  switch (n.op) {
    case Op::kNumber: {
      char buf[400];
      const auto r = std::to_chars(buf, buf + sizeof buf, n.number, std::chars_format::fixed);
      out.assign(buf, r.ptr);
      break;
    }
    case Op::kInput:
      out = "{" + inputs_[n.input] + "}";
      break;
    case Op::kNegate:
      out = "-" + Text(n.left, precedence, false);
      break;
    default: {
      static constexpr const char* kSymbol[] = {"", "", "", " + ", " - ", " * ", " / "};
      // The right operand of an operator of its own precedence keeps its parentheses: a − (b − c)
      // differs from a − b − c, and in floating point so do a + (b + c) and a + b + c.
      out = Text(n.left, precedence, false) + kSymbol[static_cast<int>(n.op)] +
            Text(n.right, precedence, true);
      break;
    }
  }
  const bool parens = precedence < parent_precedence ||
                      (right_operand && precedence == parent_precedence && precedence <= 2);
  return parens ? "(" + out + ")" : out;
}

std::string Formula::Canonical() const { return root_ < 0 ? "" : Text(root_, 0, false); }

std::optional<std::vector<std::string>> FindFormulaCycle(
    const std::unordered_map<std::string, std::vector<std::string>>& formulas) {
  // Depth-first from each formula in id order (a deterministic answer), without recursion: the
  // chain of formulas may be as long as the workspace has KPIs.
  std::vector<std::string> ids;
  ids.reserve(formulas.size());
  for (const auto& [id, _] : formulas) ids.push_back(id);
  std::sort(ids.begin(), ids.end());
  enum class Mark { kNone, kOnPath, kDone };
  std::unordered_map<std::string, Mark> mark;
  for (const std::string& start : ids) {
    if (mark[start] != Mark::kNone) continue;
    struct Frame {
      const std::string* id;
      const std::vector<std::string>* next;
      size_t i = 0;
    };
    std::vector<Frame> path;
    path.push_back({&start, &formulas.at(start)});
    mark[start] = Mark::kOnPath;
    while (!path.empty()) {
      Frame& top = path.back();
      if (top.i == top.next->size()) {
        mark[*top.id] = Mark::kDone;
        path.pop_back();
        continue;
      }
      const std::string& next = (*top.next)[top.i++];
      auto it = formulas.find(next);
      if (it == formulas.end()) continue;  // not a formula: reading it closes no cycle
      Mark& m = mark[next];
      if (m == Mark::kDone) continue;
      if (m == Mark::kOnPath) {
        size_t from = 0;
        while (*path[from].id != next) ++from;
        std::vector<std::string> cycle;
        for (size_t k = from; k < path.size(); ++k) cycle.push_back(*path[k].id);
        std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
        cycle.push_back(cycle.front());
        return cycle;
      }
      m = Mark::kOnPath;
      path.push_back({&it->first, &it->second});
    }
  }
  return std::nullopt;
}

}  // namespace cascade
