// main() of the suites that need nothing before doctest runs (core, trainer, cuda-host).
#include <doctest/doctest.h>

int main(int argc, char** argv) {
  doctest::Context context;
#ifdef __EMSCRIPTEN__
  // Under node doctest cannot tell that its output is not a terminal; colour codes would break
  // CTest's discovery of the test names and the logs.
  context.setOption("no-colors", true);
#endif
  context.applyCommandLine(argc, argv);
  return context.run();
}
