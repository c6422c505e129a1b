#include "cli/app.h"

int main(int argc, char** argv) { return cascade::RunCli(argc, argv); }
