// import checkins: bulk check-ins from CSV (being written; see issue 3).
#include "cli/commands.h"

namespace cascade {
void AddImportCommands(CLI::App&, CommandEnv) {}
}  // namespace cascade
