// A tiny, strict XML parser for the tests of the SVG chart and the HTML report: it checks that a
// document is well-formed (one root, tags nested and closed, attributes quoted and unique, only
// the five XML entities and character references) and returns its element tree to query.
// Header-only and test-only: no production code includes it.
#pragma once

#include <cctype>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "io/utf8.h"

namespace cascade::test_xml {

struct Element {
  std::string name;
  std::vector<std::pair<std::string, std::string>> attributes;  // values decoded
  std::vector<Element> children;
  std::string text;  // the element's own text (decoded), children's text excluded
  std::vector<size_t> child_at;  // parallel to children: the size of `text` where each began

  // The attribute's value, or nullopt.
  std::optional<std::string> Attr(std::string_view key) const {
    for (const auto& [k, v] : attributes) {
      if (k == key) return v;
    }
    return std::nullopt;
  }
  // True when the class attribute holds `cls` as one of its words.
  bool HasClass(std::string_view cls) const {
    const std::optional<std::string> c = Attr("class");
    if (!c) return false;
    size_t pos = 0;
    while (pos <= c->size()) {
      const size_t end = std::min(c->find(' ', pos), c->size());
      if (std::string_view(*c).substr(pos, end - pos) == cls) return true;
      pos = end + 1;
    }
    return false;
  }
  // Every descendant (this element included) for which `match` holds, in document order.
  std::vector<const Element*> FindAll(const std::function<bool(const Element&)>& match) const {
    std::vector<const Element*> out;
    Collect(match, out);
    return out;
  }
  std::vector<const Element*> ByName(std::string_view n) const {
    return FindAll([n](const Element& e) { return e.name == n; });
  }
  std::vector<const Element*> ByClass(std::string_view cls) const {
    return FindAll([cls](const Element& e) { return e.HasClass(cls); });
  }
  const Element* ById(std::string_view id) const {
    const auto all = FindAll([id](const Element& e) { return e.Attr("id") == std::string(id); });
    return all.empty() ? nullptr : all.front();
  }
  // All text inside, children's included, in document order.
  std::string AllText() const {
    std::string out;
    size_t from = 0;
    for (size_t i = 0; i < children.size(); ++i) {
      out += text.substr(from, child_at[i] - from);
      from = child_at[i];
      out += children[i].AllText();
    }
    return out + text.substr(from);
  }

 private:
  void Collect(const std::function<bool(const Element&)>& match,
               std::vector<const Element*>& out) const {
    if (match(*this)) out.push_back(this);
    for (const Element& c : children) c.Collect(match, out);
  }
};

struct ParseResult {
  std::optional<Element> root;
  std::string error;  // "" when well-formed; else what is wrong and the byte offset
};

namespace detail {

class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {}

  ParseResult Parse() {
    ParseResult r;
    SkipProlog();
    if (!error_.empty()) return Fail();
    if (!Peek('<')) return Fail("expected the root element");
    Element root;
    if (!ParseElement(root)) return Fail();
    SkipMisc();
    if (!error_.empty()) return Fail();
    if (pos_ != s_.size()) return Fail("content after the root element");
    r.root = std::move(root);
    return r;
  }

 private:
  ParseResult Fail(const std::string& why = {}) {
    if (!why.empty() && error_.empty()) error_ = why;
    return ParseResult{std::nullopt, error_ + " at offset " + std::to_string(pos_)};
  }
  bool Error(const std::string& why) {
    if (error_.empty()) error_ = why;
    return false;
  }
  bool Peek(char c) const { return pos_ < s_.size() && s_[pos_] == c; }
  bool Starts(std::string_view p) const { return s_.substr(pos_, p.size()) == p; }
  void SkipSpace() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  bool SkipPast(std::string_view end) {
    const size_t at = s_.find(end, pos_);
    if (at == std::string_view::npos) return Error("unterminated " + std::string(end));
    pos_ = at + end.size();
    return true;
  }
  // Comments, processing instructions and whitespace.
  void SkipMisc() {
    for (;;) {
      SkipSpace();
      if (Starts("<!--")) {
        if (!SkipPast("-->")) return;
      } else if (Starts("<?")) {
        if (!SkipPast("?>")) return;
      } else {
        return;
      }
    }
  }
  void SkipProlog() {
    if (Starts("\xEF\xBB\xBF")) pos_ += 3;
    SkipMisc();
    if (Starts("<!DOCTYPE") || Starts("<!doctype")) {
      if (!SkipPast(">")) return;
    }
    SkipMisc();
  }
  static bool NameStart(char c) {
    return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':';
  }
  static bool NameChar(char c) {
    return NameStart(c) || std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '.';
  }
  bool Name(std::string& out) {
    if (pos_ >= s_.size() || !NameStart(s_[pos_])) return Error("expected a name");
    const size_t begin = pos_;
    while (pos_ < s_.size() && NameChar(s_[pos_])) ++pos_;
    out = std::string(s_.substr(begin, pos_ - begin));
    return true;
  }
  // Decodes the reference at pos_ (which is at '&') into `out`.
  bool Reference(std::string& out) {
    const size_t semi = s_.find(';', pos_);
    if (semi == std::string_view::npos || semi - pos_ > 10) return Error("bare '&'");
    const std::string_view ref = s_.substr(pos_ + 1, semi - pos_ - 1);
    if (ref == "amp") {
      out += '&';
    } else if (ref == "lt") {
      out += '<';
    } else if (ref == "gt") {
      out += '>';
    } else if (ref == "quot") {
      out += '"';
    } else if (ref == "apos") {
      out += '\'';
    } else if (ref.size() > 1 && ref[0] == '#') {
      const bool hex = ref[1] == 'x';
      const std::string digits(ref.substr(hex ? 2 : 1));
      if (digits.empty()) return Error("empty character reference");
      for (const char c : digits) {
        if (hex ? !std::isxdigit(static_cast<unsigned char>(c))
                : !std::isdigit(static_cast<unsigned char>(c))) {
          return Error("bad character reference");
        }
      }
      AppendUtf8(out, static_cast<uint32_t>(std::stoul(digits, nullptr, hex ? 16 : 10)));
    } else {
      return Error("unknown entity &" + std::string(ref) + ";");
    }
    pos_ = semi + 1;
    return true;
  }
  bool Attribute(Element& e) {
    std::string key;
    if (!Name(key)) return false;
    SkipSpace();
    if (!Peek('=')) return Error("attribute '" + key + "' without a value");
    ++pos_;
    SkipSpace();
    if (!Peek('"') && !Peek('\'')) return Error("attribute '" + key + "' not quoted");
    const char quote = s_[pos_++];
    std::string value;
    while (pos_ < s_.size() && s_[pos_] != quote) {
      if (s_[pos_] == '<') return Error("'<' in attribute '" + key + "'");
      if (s_[pos_] == '&') {
        if (!Reference(value)) return false;
      } else {
        value += s_[pos_++];
      }
    }
    if (pos_ >= s_.size()) return Error("unterminated attribute '" + key + "'");
    ++pos_;
    if (e.Attr(key)) return Error("duplicate attribute '" + key + "'");
    e.attributes.emplace_back(std::move(key), std::move(value));
    return true;
  }
  bool ParseElement(Element& e) {
    if (++depth_ > 200) return Error("nesting too deep");
    ++pos_;  // '<'
    if (!Name(e.name)) return false;
    for (;;) {
      const size_t before = pos_;
      SkipSpace();
      if (Starts("/>")) {
        pos_ += 2;
        --depth_;
        return true;
      }
      if (Peek('>')) {
        ++pos_;
        break;
      }
      if (pos_ == before) return Error("expected whitespace before an attribute of <" + e.name + ">");
      if (!Attribute(e)) return false;
    }
    for (;;) {
      if (pos_ >= s_.size()) return Error("<" + e.name + "> is not closed");
      if (Starts("</")) {
        pos_ += 2;
        std::string end;
        if (!Name(end)) return false;
        if (end != e.name) return Error("</" + end + "> closes <" + e.name + ">");
        SkipSpace();
        if (!Peek('>')) return Error("malformed end tag");
        ++pos_;
        --depth_;
        return true;
      }
      if (Starts("<!--")) {
        if (!SkipPast("-->")) return false;
      } else if (Starts("<![CDATA[")) {
        const size_t end = s_.find("]]>", pos_);
        if (end == std::string_view::npos) return Error("unterminated CDATA");
        e.text += s_.substr(pos_ + 9, end - pos_ - 9);
        pos_ = end + 3;
      } else if (Peek('<')) {
        Element child;
        if (!ParseElement(child)) return false;
        e.children.push_back(std::move(child));
        e.child_at.push_back(e.text.size());
      } else if (Peek('&')) {
        if (!Reference(e.text)) return false;
      } else {
        e.text += s_[pos_++];
      }
    }
  }

  std::string_view s_;
  size_t pos_ = 0;
  int depth_ = 0;
  std::string error_;
};

}  // namespace detail

inline ParseResult ParseXml(std::string_view text) { return detail::Parser(text).Parse(); }

}  // namespace cascade::test_xml
