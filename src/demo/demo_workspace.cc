// Placeholder until the demo workspace lands (being written in parallel).
#include "demo/demo_workspace.h"

namespace cascade {
Workspace BuildDemoWorkspace(Date) { return {}; }
}  // namespace cascade
