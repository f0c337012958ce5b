#pragma once
// The command line as it was typed, for what a run leaves behind (the report): main sets it once.

#include <string>

namespace lenet {

void remember_command_line(int argc, char** argv);
// Arguments joined by spaces, each with spaces or quotes in it single-quoted as a shell would take it.
const std::string& command_line();
// Now, as "2026-12-06 08:52 UTC".
std::string utc_now();

}  // namespace lenet
