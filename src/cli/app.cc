#include "cli/app.h"

namespace cascade {
int RunCli(int, char**) { return 0; }
}  // namespace cascade
