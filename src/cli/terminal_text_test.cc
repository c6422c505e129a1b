#include "cli/terminal_text.h"

#include <gtest/gtest.h>

namespace cascade {
namespace {

TEST(Visible, ShowsEveryControlCharacterAsAnEscape) {
  const struct {
    const char* name;
    std::string in;
    std::string out;
  } cases[] = {
      {"plain text", "Grow followers 20%", "Grow followers 20%"},
      {"UTF-8 kept", "Été — 拓展 ✓ 😀", "Été — 拓展 ✓ 😀"},
      {"window title (OSC … BEL)", "a\x1b]0;pwned\x07z", "a\\x1b]0;pwned\\x07z"},
      {"clear screen (CSI)", "\x1b[2Jb", "\\x1b[2Jb"},
      {"line breaks and tabs", "a\nb\r\tc", "a\\nb\\r\\tc"},
      {"NUL and DEL", std::string("a\0b\x7f", 4), "a\\x00b\\x7f"},
      {"C1 CSI U+009B", "a\u009b2J", "a\\u009b2J"},
      {"C1 NEL U+0085 and U+0080", "\u0085\u0080", "\\u0085\\u0080"},
      {"U+00A0 is no control", "a\u00a0b", "a\u00a0b"},
      {"a lone 0x9B byte", "a\x9b" "2J", "a\\x9b2J"},
      {"a truncated sequence", "ok\xE2\x9C", "ok\\xe2\\x9c"},
      {"an overlong form", "\xC0\xAF", "\\xc0\\xaf"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Visible(c.in), c.out) << c.name;
  }
}

TEST(VisibleLines, KeepsLineBreaksAndTabsOnly) {
  EXPECT_EQ(VisibleLines("# Review\n\ta\x1b[31m\r\u009b\n"), "# Review\n\ta\\x1b[31m\\r\\u009b\n");
}

TEST(TerminalJson, EscapesC1ControlsAndDelInStrings) {
  const nlohmann::json value = {{"title", "a\x1b[2J\u009b\x7f\u00a0é"}};
  const std::string text = TerminalJson(value, -1);
  EXPECT_EQ(text, "{\"title\":\"a\\u001b[2J\\u009b\\u007f\u00a0é\"}");
  EXPECT_EQ(nlohmann::json::parse(text), value);
}

TEST(TerminalJson, ReplacesInvalidUtf8InsteadOfThrowing) {
  EXPECT_EQ(TerminalJson(nlohmann::json("a\xff"), -1), "\"a\xEF\xBF\xBD\"");
}

}  // namespace
}  // namespace cascade
