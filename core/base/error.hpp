#pragma once
// Every failure the user can cause (a bad file, a wrong shape, an impossible spec) is reported as
// a lenet::Error whose message is one clear sentence naming the thing and what was expected.
// The CLI prints it and exits non-zero; the page rejects its promise with it.

#include <stdexcept>
#include <string>

namespace lenet {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace lenet
