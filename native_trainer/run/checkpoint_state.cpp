#include "native_trainer/run/checkpoint_state.hpp"

#include <cerrno>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "core/base/error.hpp"

namespace lenet {

namespace {

namespace key = checkpoint_key;

std::string rng_text(const Rng::State& s) {
  char buf[80];
  std::snprintf(buf, sizeof buf, "%016" PRIx64 "%016" PRIx64 "%016" PRIx64 "%016" PRIx64, s[0], s[1], s[2], s[3]);
  return buf;
}

std::string real_text(double value, int digits = 17) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, value);
  return buf;
}

// A Patience as "best best_at waited seen" (best may be inf before any observation).
std::string patience_text(const Patience& p) {
  return real_text(p.best) + " " + std::to_string(p.best_at) + " " + std::to_string(p.waited) + " " +
         std::to_string(p.seen);
}

// Reads the values of one checkpoint's metadata, each named in its error.
class Reader {
 public:
  Reader(const std::map<std::string, std::string>& metadata, const std::string& source)
      : metadata_(metadata), source_(source) {}

  bool has(const char* key) const { return metadata_.count(key) != 0; }

  const std::string& text(const char* key) const {
    const auto it = metadata_.find(key);
    if (it == metadata_.end()) throw Error(source_ + ": not a complete checkpoint (no " + key + " in its metadata)");
    return it->second;
  }

  std::size_t count(const char* key) const { return count_in(text(key), key); }
  double real(const char* key) const { return real_in(text(key), key); }

  Rng::State rng(const char* key) const {
    const std::string& t = text(key);
    if (t.size() != 64 || t.find_first_not_of("0123456789abcdef") != std::string::npos)
      throw Error(source_ + ": damaged random-generator state in the checkpoint (" + key + ")");
    Rng::State s{};
    for (std::size_t i = 0; i < 4; ++i) s[i] = std::strtoull(t.substr(16 * i, 16).c_str(), nullptr, 16);
    return s;
  }

  Patience patience(const char* key) const {
    std::istringstream in(text(key));
    std::string best, best_at, waited, seen, extra;
    if (!(in >> best >> best_at >> waited >> seen) || (in >> extra))
      throw Error(source_ + ": checkpoint metadata " + key + " is '" + text(key) + "', not four numbers");
    return {real_in(best, key), count_in(best_at, key), count_in(waited, key), count_in(seen, key)};
  }

 private:
  std::size_t count_in(const std::string& t, const char* key) const {
    const bool digits = !t.empty() && t.size() <= 19 && t.find_first_not_of("0123456789") == std::string::npos;
    if (!digits) throw Error(source_ + ": checkpoint metadata " + key + " is '" + t + "', not a count");
    return std::strtoull(t.c_str(), nullptr, 10);
  }

  double real_in(const std::string& t, const char* key) const {
    char* end = nullptr;
    errno = 0;
    const double value = std::strtod(t.c_str(), &end);
    if (t.empty() || end != t.c_str() + t.size() || errno == ERANGE || std::isnan(value))
      throw Error(source_ + ": checkpoint metadata " + key + " is '" + t + "', not a number");
    return value;
  }

  const std::map<std::string, std::string>& metadata_;
  const std::string& source_;
};

}  // namespace

void CheckpointState::write(std::map<std::string, std::string>& m) const {
  m[key::epochs_done] = std::to_string(epochs_done);
  m[key::batches_done] = std::to_string(batches_done);
  m[key::optimizer_steps] = std::to_string(optimizer_steps);
  m[key::rng_state] = rng_text(rng);
  m[key::rng_epoch_start] = rng_text(rng_epoch_start);
  m[key::history] = history_to_json(history);
  m[key::partial_loss] = real_text(partial.loss_sum);
  m[key::partial_correct] = std::to_string(partial.correct);
  m[key::partial_seen] = std::to_string(partial.images);
  m[key::partial_seconds] = real_text(partial.seconds);
  m[key::plateau] = patience_text(plateau);
  m[key::plateau_factor] = real_text(double(plateau_factor), 9);
  m[key::early_stopping] = patience_text(early);
}

CheckpointState CheckpointState::read(const std::map<std::string, std::string>& metadata, const std::string& source) {
  const Reader in(metadata, source);
  CheckpointState s;
  s.epochs_done = in.count(key::epochs_done);
  s.batches_done = in.count(key::batches_done);
  s.optimizer_steps = static_cast<long long>(in.count(key::optimizer_steps));
  s.rng = in.rng(key::rng_state);
  s.rng_epoch_start = in.rng(key::rng_epoch_start);
  s.history = history_from_json(in.text(key::history), source);
  s.partial = {in.real(key::partial_loss), in.count(key::partial_correct), in.count(key::partial_seen),
               in.real(key::partial_seconds)};
  // Checkpoints from before the plateau schedule and early stopping have neither.
  if (in.has(key::plateau)) s.plateau = in.patience(key::plateau);
  if (in.has(key::plateau_factor)) s.plateau_factor = float(in.real(key::plateau_factor));
  if (in.has(key::early_stopping)) s.early = in.patience(key::early_stopping);
  return s;
}

}  // namespace lenet
