#include "native_trainer/report/text_format.hpp"

#include <cstdio>

namespace lenet {

std::string with_thousands(std::size_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string count_of(std::size_t n, const std::string& noun, const std::string& plural) {
  return with_thousands(n) + " " + (n == 1 ? noun : plural.empty() ? noun + "s" : plural);
}

std::string short_number(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", v);
  return text;
}

}  // namespace lenet
