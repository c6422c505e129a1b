// The command line (spec §5): parses arguments, runs one command, returns its exit code.
#pragma once

namespace cascade {

// 0 success; 1 a check failed; 2 bad usage or invalid input; 3 storage or server failure.
int RunCli(int argc, char** argv);

}  // namespace cascade
