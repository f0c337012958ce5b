#include <doctest/doctest.h>

#include "native_trainer/report/text_format.hpp"

TEST_CASE("numbers read as people write them") {
  CHECK(lenet::with_thousands(0) == "0");
  CHECK(lenet::with_thousands(999) == "999");
  CHECK(lenet::with_thousands(1000) == "1,000");
  CHECK(lenet::with_thousands(60000) == "60,000");
  CHECK(lenet::with_thousands(1256080) == "1,256,080");
  CHECK(lenet::count_of(1, "epoch") == "1 epoch");
  CHECK(lenet::count_of(0, "image") == "0 images");
  CHECK(lenet::count_of(55000, "image") == "55,000 images");
  CHECK(lenet::count_of(2, "batch", "batches") == "2 batches");
  CHECK(lenet::count_of(1, "batch", "batches") == "1 batch");
}
