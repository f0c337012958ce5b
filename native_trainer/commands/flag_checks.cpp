#include "native_trainer/commands/flag_checks.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <string>

#include "native_trainer/report/text_format.hpp"

namespace lenet {

CLI::Validator whole_number(std::size_t min, std::size_t max) {
  std::string wanted = "a whole number >= " + std::to_string(min);
  if (max != std::numeric_limits<std::size_t>::max()) wanted = "a whole number from " + std::to_string(min) + " to " + std::to_string(max);
  return CLI::Validator(
      [min, max, wanted](std::string& text) -> std::string {
        const bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
        errno = 0;
        const unsigned long long value = digits ? std::strtoull(text.c_str(), nullptr, 10) : 0;
        if (!digits || errno == ERANGE || value < min || value > max) return "must be " + wanted + ", not '" + text + "'";
        return "";
      },
      "WHOLE NUMBER");
}

CLI::Validator number_between(double min, double max) {
  const std::string wanted = "a number from " + short_number(min) + " to " + short_number(max);
  return CLI::Validator(
      [min, max, wanted](std::string& text) -> std::string {
        char* end = nullptr;
        errno = 0;
        const double value = text.empty() ? 0 : std::strtod(text.c_str(), &end);
        if (text.empty() || *end != '\0' || errno == ERANGE || !std::isfinite(value) || value < min || value > max)
          return "must be " + wanted + ", not '" + text + "'";
        return "";
      },
      "NUMBER");
}

}  // namespace lenet
