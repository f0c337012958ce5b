// doctest main of the GPU agreement tests: without a usable CUDA GPU every test case reports
// itself skipped (exit code 77, CTest's SKIP_RETURN_CODE) with the reason, instead of failing.
// Listing the test cases (CTest's discovery at build time) never touches the GPU.
#include <doctest/doctest.h>

#include <cstdio>
#include <cstring>

#include "native_trainer/cuda/trainer.hpp"

int main(int argc, char** argv) {
  bool listing = false;
  for (int i = 1; i < argc; ++i)
    if (std::strncmp(argv[i], "--list-test-cases", 17) == 0 || std::strcmp(argv[i], "-ltc") == 0) listing = true;
  if (!listing) {
    const std::string why = lenet::cuda::unavailable_reason();
    if (!why.empty()) {
      std::printf("skipped: %s\n", why.c_str());
      return 77;
    }
  }
  doctest::Context context;
  context.applyCommandLine(argc, argv);
  return context.run();
}
