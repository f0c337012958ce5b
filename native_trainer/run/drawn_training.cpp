#include "native_trainer/run/drawn_training.hpp"

#include "core/base/error.hpp"
#include "native_trainer/run/thread_pool.hpp"

namespace lenet {

std::vector<TracedDigit> trace_dataset(const Dataset& data, std::size_t threads) {
  if (data.rows != data.cols) throw Error("tracing digits needs square images, not " + std::to_string(data.rows) + "x" +
                                          std::to_string(data.cols));
  std::vector<TracedDigit> traced(data.count);
  ThreadPool pool(threads);
  pool.run([&](std::size_t t) {
    for (std::size_t i = t; i < data.count; i += pool.size()) traced[i] = trace_digit(data.image(i), data.rows);
  });
  return traced;
}

}  // namespace lenet
