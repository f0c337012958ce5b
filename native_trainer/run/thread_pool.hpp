#pragma once
// A fixed set of worker threads that run one function on every thread and wait for all of them:
// the shape of data-parallel training (each thread takes its share of the batch).

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace lenet {

class ThreadPool {
 public:
  explicit ThreadPool(std::size_t threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  std::size_t size() const { return workers_.size() + 1; }
  // Runs task(i) for i in [0, size()) — i = 0 on the calling thread — and returns when all are
  // done. The first exception thrown by a task is rethrown here.
  void run(const std::function<void(std::size_t)>& task);

 private:
  void worker(std::size_t index);

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable start_, done_;
  const std::function<void(std::size_t)>* task_ = nullptr;
  std::size_t generation_ = 0, pending_ = 0;
  bool stopping_ = false;
  std::exception_ptr error_;
};

}  // namespace lenet
