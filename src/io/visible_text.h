// Text on its way to a person (a terminal, an error message): SPEC §5, "printed with control
// characters made visible, never sent to the terminal raw". A title holding ESC ] 0 ; … BEL would
// retitle the window, one holding ESC [ 2 J would clear the screen, a CSV byte that is not UTF-8
// would garble it. The one place that decides how such bytes look: the terminal views
// (cli/terminal_text.h), the CSV reader's messages and the last-resort error of main all use it.
#pragma once

#include <string>
#include <string_view>

namespace cascade {

// `text` with every control character shown as an escape: \n, \t, \r, \xhh for the other C0 ones
// and DEL (ESC is \x1b), \u0080–\u009f for the C1 controls, \u202a–\u202e and \u2066–\u2069 for
// the marks that reorder text on screen (bidirectional overrides), and \xhh for every byte that is
// not part of valid UTF-8 (no overlong forms, surrogates or code points past U+10FFFF). Everything
// else is kept as it is. With `keep_line_breaks`, \n and \t are kept (a document on standard
// output).
std::string VisibleText(std::string_view text, bool keep_line_breaks = false);

// One byte as VisibleText shows it: "\xe9".
std::string EscapedByte(unsigned char c);

}  // namespace cascade
