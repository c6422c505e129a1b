#include "cli/terminal_text.h"

#include "io/visible_text.h"

namespace cascade {
namespace {

constexpr char kHex[] = "0123456789abcdef";

}  // namespace

std::string Visible(std::string_view text) { return VisibleText(text, false); }

std::string VisibleLines(std::string_view text) { return VisibleText(text, true); }

std::string TerminalJson(const nlohmann::json& value, int indent) {
  return TerminalJsonText(value.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace));
}

std::string TerminalJsonText(std::string_view text) {
  // In JSON text the bytes C2 80–C2 9F can only be a C1 control inside a string, where \u00XX
  // means the same.
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    const auto next = i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0;
    if (c == 0xC2 && next >= 0x80 && next <= 0x9F) {
      out += "\\u00";
      out += kHex[next >> 4];
      out += kHex[next & 0xF];
      ++i;
    } else if (c == 0x7F) {
      out += "\\u007f";
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace cascade
