#include "io/visible_text.h"

#include <gtest/gtest.h>

#include <string>

namespace cascade {
namespace {

TEST(VisibleText, ShowsEveryControlCharacterAsAnEscape) {
  const struct {
    const char* name;
    std::string in;
    std::string out;
  } cases[] = {
      {"plain text", "Grow followers 20%", "Grow followers 20%"},
      {"UTF-8 kept", "Été — 拓展 ✓ 😀 café €", "Été — 拓展 ✓ 😀 café €"},
      {"window title (OSC … BEL)", "a\x1b]0;pwned\x07z", "a\\x1b]0;pwned\\x07z"},
      {"clear screen (CSI)", "\x1b[2Jb", "\\x1b[2Jb"},
      {"colour (CSI)", "\x1B[31mred", "\\x1b[31mred"},
      {"line breaks and tabs", "a\nb\r\tc", "a\\nb\\r\\tc"},
      {"NUL and DEL", std::string("a\0b\x7f", 4), "a\\x00b\\x7f"},
      {"other C0", "d\x01", "d\\x01"},
      {"C1 CSI U+009B", "a\u009b2J", "a\\u009b2J"},
      {"C1 NEL U+0085 and U+0080", "\u0085\u0080", "\\u0085\\u0080"},
      {"U+00A0 is no control", "a\u00a0b", "a\u00a0b"},
      {"bidirectional overrides", "bidi \u202e \u2066x\u2069", "bidi \\u202e \\u2066x\\u2069"},
      {"a lone 0x9B byte",
       "a\x9b"
       "2J",
       "a\\x9b2J"},
      {"Latin-1 bytes", "caf\xE9 \xC3", "caf\\xe9 \\xc3"},
      {"a truncated sequence", "ok\xE2\x9C", "ok\\xe2\\x9c"},
      {"an overlong form", "\xC0\xAF", "\\xc0\\xaf"},
      {"a surrogate", "x\xED\xA0\x80", "x\\xed\\xa0\\x80"},
      {"past U+10FFFF", "\xF4\x90\x80\x80", "\\xf4\\x90\\x80\\x80"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(VisibleText(c.in), c.out) << c.name;
  }
}

TEST(VisibleText, KeepsLineBreaksAndTabsOnlyWhenAsked) {
  EXPECT_EQ(VisibleText("# Review\n\ta\x1b[31m\r\u009b\n", true),
            "# Review\n\ta\\x1b[31m\\r\\u009b\n");
  EXPECT_EQ(VisibleText("a\n\tb", false), "a\\n\\tb");
}

TEST(VisibleText, EscapedByteIsLowerCaseHex) {
  EXPECT_EQ(EscapedByte(0xE9), "\\xe9");
  EXPECT_EQ(EscapedByte(0x00), "\\x00");
  EXPECT_EQ(EscapedByte(0x1B), "\\x1b");
}

}  // namespace
}  // namespace cascade
