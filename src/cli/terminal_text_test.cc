#include "cli/terminal_text.h"

#include <gtest/gtest.h>

namespace cascade {
namespace {

// How each byte looks is io/visible_text_test.cc's; these check the terminal views use it.
TEST(Visible, IsTheSharedEscaper) {
  EXPECT_EQ(Visible("a\x1b]0;pwned\x07\nz\u009b\xE9"), "a\\x1b]0;pwned\\x07\\nz\\u009b\\xe9");
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
