#pragma once
// lenet-train's command line: the subcommands (commands.hpp), and every error turned into one
// sentence on stderr with its exit code (2 for usage, 130 for Ctrl-C, 1 for anything else).

namespace lenet {

int run_cli(int argc, char** argv);

}  // namespace lenet
