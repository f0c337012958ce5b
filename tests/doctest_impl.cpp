// doctest's implementation, compiled once per build and linked into every suite (tests/CMakeLists.txt):
// it takes longer to compile than most test files, and four suites share it.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>
