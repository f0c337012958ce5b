#pragma once
// The pieces of training that every driver shares (the CLI's threads, the CUDA path's batches,
// fine-tuning, the tests): turning images into a normalised, perhaps augmented batch, forward +
// loss + backward, and measuring a network on a data set.

#include <cstdint>
#include <span>
#include <vector>

#include "core/ink/augment.hpp"
#include "core/ink/drawn_digit.hpp"
#include "core/formats/idx.hpp"
#include "core/nn/loss.hpp"
#include "core/formats/model_io.hpp"
#include "core/nn/network.hpp"

namespace lenet {

// Random variants of a batch's images instead of the images themselves: image i of the batch
// (its position, whichever thread gathers it) uses augment_rng(seed, i). With `drawn`, a share of
// the images is first redrawn from its traced strokes as the page draws (drawn_digit.hpp).
struct BatchAugmentation {
  const AugmentConfig* config = nullptr;
  std::uint64_t seed = 0;
  const DrawnTraining* drawn = nullptr;
};

// x = [(pixel / 255 - mean) / std] for the images at indices[0..n), labels alongside. With
// `augment`, each image is first replaced by its random variant; `first_position` is the
// position of indices[0] within the batch (a thread gathers its share of a larger batch).
void gather_batch(const Dataset& data, const std::size_t* indices, std::size_t n, Normalization norm, Tensor& x,
                  std::vector<std::uint8_t>& labels, const BatchAugmentation* augment = nullptr,
                  std::size_t first_position = 0);

// Forward, loss and backward over one batch (or one thread's share of it): afterwards every
// parameter's .grad holds d(mean loss over batch_size images)/d(param) for these images.
LossResult forward_backward(Network& net, const Tensor& x, const std::uint8_t* labels, std::size_t batch_size);

// Throws lenet::Error unless the network takes data's images: "`network` expects 1x32x32 inputs but
// `data_name` has 1x28x28 images" (network and data_name as the caller's user knows them).
void check_input_shape(const Network& net, const Dataset& data, const std::string& network,
                       const std::string& data_name);

// Accuracy and loss of the network on the images data[indices[i]], in batches. With
// `predictions` (indices.size() entries), predictions[i] gets the class it gives image indices[i].
LossResult evaluate(Network& net, const Dataset& data, std::span<const std::size_t> indices, Normalization norm,
                    std::uint8_t* predictions = nullptr, std::size_t batch = 256);
// The same on data[first, first + count).
LossResult evaluate(Network& net, const Dataset& data, std::size_t first, std::size_t count, Normalization norm,
                    std::size_t batch = 256);

}  // namespace lenet
