#include "native_trainer/run/progress.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace lenet {

bool stdout_is_terminal() { return isatty(STDOUT_FILENO) == 1; }

int terminal_columns() {
  winsize size{};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 80;
}

namespace {

std::string format(const char* pattern, auto... values) {
  char text[160];
  std::snprintf(text, sizeof text, pattern, values...);
  return text;
}

std::string bar(double done, int width) {
  const int filled = static_cast<int>(done * width);
  std::string b(static_cast<std::size_t>(width), '.');
  for (int i = 0; i < width; ++i) b[static_cast<std::size_t>(i)] = i < filled ? '=' : (i == filled ? '>' : '.');
  return "[" + b + "]";
}

}  // namespace

std::string progress_line(const ProgressState& s, int columns) {
  const std::string epoch = format("Epoch %zu/%zu", s.epoch, s.epochs);
  const std::string batches = format("%zu/%zu", s.batch, s.batches);
  const std::string eta = format("ETA %3.0fs", s.eta_seconds);
  const std::string loss = format("loss %.4f", s.loss), accuracy = format("acc %.4f", s.accuracy);
  const std::string speed = format("%6.0f img/s", s.images_per_second);
  const double done = s.batches ? static_cast<double>(s.batch) / static_cast<double>(s.batches) : 0;
  const std::size_t room = static_cast<std::size_t>(std::max(columns - 1, 1));
  // From the fullest line to the barest; the first that fits is drawn.
  const std::string fixed = "  " + eta + "  " + loss;
  for (int bar_width = 30; bar_width >= 10; bar_width -= 5) {
    const std::string head = epoch + " " + bar(done, bar_width) + " " + batches;
    for (const std::string& line : {head + fixed + "  " + accuracy + "  " + speed, head + fixed + "  " + accuracy})
      if (line.size() <= room) return line;
  }
  for (const std::string& line : {epoch + " " + batches + fixed + "  " + accuracy, epoch + " " + batches + fixed,
                                  epoch + " " + batches + "  " + loss})
    if (line.size() <= room) return line;
  return (epoch + " " + batches).substr(0, room);
}

EpochProgress::EpochProgress(std::size_t epoch, std::size_t epochs, std::size_t batches, bool terminal)
    : epoch_(epoch), epochs_(epochs), batches_(batches), terminal_(terminal), start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

EpochProgress::~EpochProgress() {
  if (showing_) {
    std::printf("\n");
    std::fflush(stdout);
  }
}

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
  const ProgressState state{epoch_,
                            epochs_,
                            batch + 1,
                            batches_,
                            done > 0 ? elapsed * (1 - done) / done : 0,
                            loss_sum / static_cast<double>(images),
                            static_cast<double>(correct) / static_cast<double>(images),
                            static_cast<double>(images) / elapsed};
  std::printf("\r\033[K%s", progress_line(state, terminal_columns()).c_str());
  std::fflush(stdout);
  showing_ = true;
}

void EpochProgress::finish() {
  if (terminal_) std::printf("\r\033[K");
  showing_ = false;
}

}  // namespace lenet
