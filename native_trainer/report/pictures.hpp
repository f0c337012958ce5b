#pragma once
// The pictures of a run report: training curves, the confusion-matrix heat map, a grid of test
// digits with predicted and true labels, and the misclassified ones.

#include <cstdint>
#include <string>
#include <vector>

#include "core/formats/idx.hpp"
#include "core/train/metrics.hpp"
#include "native_trainer/report/history.hpp"

namespace lenet {

// Loss and accuracy per epoch; a run of fewer than three epochs shows the running training loss
// and accuracy within its epochs (batches), so its curves are never a lone dot.
void draw_training_curves(const std::vector<EpochRecord>& history, const std::vector<BatchRecord>& batches,
                          const std::string& path);
void draw_confusion_matrix(const ConfusionMatrix& matrix, const std::string& path,
                           const std::string& title = "confusion matrix (test set)");

// One picture in a grid of digits: a grey image and the lines of its caption.
struct GridDigit {
  std::vector<std::uint8_t> grey;  // width x height, row-major, 0 = background, 255 = full ink
  int width = 0, height = 0;
  std::vector<std::string> caption;  // "pred 3 / true 5" first, say
  bool right = false;                // caption in green, else red
};
// Each digit scaled up 3x with its caption under it, `columns` to a row, the title on top.
void draw_digit_grid(const std::vector<GridDigit>& digits, std::size_t columns, const std::string& title,
                     const std::string& path);
// The data set's digits at `indices` with "pred / true" under each, wrong ones in red.
void draw_digit_grid(const Dataset& data, const std::vector<std::uint8_t>& predictions,
                     const std::vector<std::size_t>& indices, std::size_t columns, const std::string& title,
                     const std::string& path);

}  // namespace lenet
