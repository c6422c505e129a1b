// Text from the workspace on its way to a terminal (spec §5: "printed with control characters made
// visible, never sent to the terminal raw"). A title holding ESC ] 0 ; … BEL would retitle the
// window, one holding ESC [ 2 J would clear the screen: every view that prints stored or typed text
// passes it through here; how such characters look is decided by io/visible_text.h, which the CSV
// reader's messages share.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace cascade {

// One value (a title, a name, a note, an error message) with every control character shown as
// an escape (io/visible_text.h's VisibleText): C0 and DEL as \n, \t, \r or \xhh (ESC is \x1b),
// the C1 controls as \u0080–\u009f, bidirectional overrides as \u202e …, and a byte that is not
// UTF-8 as \xhh. Everything else is kept as it is.
std::string Visible(std::string_view text);

// A document (a Markdown, HTML or SVG file on standard output): as Visible, but line breaks and
// tabs are kept.
std::string VisibleLines(std::string_view text);

// `value` as JSON text for standard output: as nlohmann's dump (indent -1 for one line), with the
// C1 controls escaped as \u0080–\u009f too (JSON escapes C0 itself) and invalid UTF-8 replaced.
std::string TerminalJson(const nlohmann::json& value, int indent = 2);
// JSON text made elsewhere (a plan written as JSON), escaped the same way.
std::string TerminalJsonText(std::string_view text);

}  // namespace cascade
