#include <exception>
#include <iostream>

#include "cli/app.h"
#include "io/visible_text.h"

// Expected failures are Errors with their own exit codes (cli/context.cc); an exception that
// escapes is a bug, and still ends as one line and exit 3 (spec §5), never an abort.
int main(int argc, char** argv) {
  try {
    return cascade::RunCli(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "error: internal failure: " << cascade::VisibleText(e.what())
              << " (a bug in cascade; please report it)\n";
  } catch (...) {
    std::cerr << "error: internal failure (a bug in cascade; please report it)\n";
  }
  return 3;
}
