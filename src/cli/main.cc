#include <exception>
#include <iostream>
#include <string>
#include <string_view>

#include "cli/app.h"

namespace {

// An escaped exception's text may quote input (bytes of a file, a database value): every byte
// that is not printable ASCII is shown as \xNN, so nothing reaches the terminal raw.
std::string Visible(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7F) {
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 0xF];
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

// Expected failures are Errors with their own exit codes (cli/context.cc); an exception that
// escapes is a bug, and still ends as one line and exit 3 (spec §5), never an abort.
int main(int argc, char** argv) {
  try {
    return cascade::RunCli(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "error: internal failure: " << Visible(e.what())
              << " (a bug in cascade; please report it)\n";
  } catch (...) {
    std::cerr << "error: internal failure (a bug in cascade; please report it)\n";
  }
  return 3;
}
