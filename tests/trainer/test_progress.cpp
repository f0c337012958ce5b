// The progress bar fits the terminal it is drawn on.
#include <doctest/doctest.h>

#include "native_trainer/run/progress.hpp"

TEST_CASE("the progress line is never wider than the terminal, and keeps the loss as long as it can") {
  const lenet::ProgressState long_run{120, 120, 46875, 46875, 12345.0, 0.123456, 0.987654, 123456.0};
  for (int columns = 1; columns <= 240; ++columns) {
    CAPTURE(columns);
    const std::string line = lenet::progress_line(long_run, columns);
    CHECK(static_cast<int>(line.size()) <= std::max(columns - 1, 1));
    CHECK_FALSE(line.empty());
    if (columns >= 40) CHECK(line.find("loss 0.1235") != std::string::npos);
  }
  const std::string wide = lenet::progress_line(long_run, 200);
  CHECK(wide.find("img/s") != std::string::npos);
  CHECK(wide.find("[==============================]") != std::string::npos);  // 30 wide when there is room
  CHECK(lenet::progress_line(long_run, 80).size() <= 79);
}

TEST_CASE("the progress line shows where the epoch is") {
  const lenet::ProgressState half{2, 10, 215, 430, 12.0, 0.5, 0.75, 1000.0};
  const std::string line = lenet::progress_line(half, 120);
  CHECK(line.rfind("Epoch 2/10 [===============>..............] 215/430  ETA  12s  loss 0.5000  acc 0.7500", 0) == 0);
}
