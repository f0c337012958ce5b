#include "progress.hpp"

#include <cstdio>
#include <unistd.h>

namespace lenet {

bool stdout_is_terminal() { return isatty(STDOUT_FILENO) == 1; }

EpochProgress::EpochProgress(std::size_t epoch, std::size_t epochs, std::size_t batches, bool terminal)
    : epoch_(epoch), epochs_(epochs), batches_(batches), terminal_(terminal), start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

double EpochProgress::seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void EpochProgress::update(std::size_t batch, std::size_t images, double loss_sum, std::size_t correct) {
  if (!terminal_ || images == 0) return;
  const auto now = std::chrono::steady_clock::now();
  if (batch + 1 < batches_ && now - last_draw_ < std::chrono::milliseconds(100)) return;  // ~10 redraws a second
  last_draw_ = now;
  const double elapsed = seconds();
  const double done = static_cast<double>(batch + 1) / static_cast<double>(batches_);
  const int width = 30, filled = static_cast<int>(done * width);
  char bar[width + 1];
  for (int i = 0; i < width; ++i) bar[i] = i < filled ? '=' : (i == filled ? '>' : '.');
  bar[width] = 0;
  const double eta = done > 0 ? elapsed * (1 - done) / done : 0;
  std::printf("\r\033[KEpoch %zu/%zu [%s] %zu/%zu  ETA %3.0fs  loss %.4f  acc %.4f  %6.0f img/s", epoch_, epochs_, bar,
              batch + 1, batches_, eta, loss_sum / images, static_cast<double>(correct) / images, images / elapsed);
  std::fflush(stdout);
}

void EpochProgress::finish() {
  if (terminal_) std::printf("\r\033[K");
}

}  // namespace lenet
