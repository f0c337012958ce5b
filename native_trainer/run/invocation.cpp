#include "native_trainer/run/invocation.hpp"

#include <ctime>

namespace lenet {

namespace {
std::string& stored() {
  static std::string line;
  return line;
}

std::string shell_quoted(const std::string& arg) {
  if (!arg.empty() && arg.find_first_of(" \t\n'\"\\$*?()<>|&;`") == std::string::npos) return arg;
  std::string out = "'";
  for (char ch : arg) {
    if (ch == '\'') out += "'\\''";  // close, an escaped quote, reopen
    else out += ch;
  }
  out += '\'';
  return out;
}
}  // namespace

void remember_command_line(int argc, char** argv) {
  std::string line;
  for (int i = 0; i < argc; ++i) {
    if (i > 0) line += ' ';
    line += shell_quoted(argv[i]);
  }
  stored() = line;
}

const std::string& command_line() { return stored(); }

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M UTC", &utc);
  return text;
}

}  // namespace lenet
