#pragma once
// The end-of-run summary on the terminal, as Keras + sklearn users expect it: accuracy, the
// classification report and the confusion matrix.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/formats/idx.hpp"
#include "core/train/metrics.hpp"

namespace lenet {

// predictions[i] is what the network said for the sample whose true class is labels[i]; the
// vectors may hold any integer type (a Dataset's bytes, the ints of labelled drawings).
template <class Label, class Predicted>
ConfusionMatrix confusion_matrix(const std::vector<Label>& labels, const std::vector<Predicted>& predictions,
                                 std::size_t classes) {
  ConfusionMatrix m(classes);
  for (std::size_t i = 0; i < predictions.size(); ++i) m.add(int(labels[i]), int(predictions[i]));
  return m;
}
ConfusionMatrix confusion_matrix(const Dataset& data, const std::vector<std::uint8_t>& predictions,
                                 std::size_t classes);
// `data_name` says what was classified, in the headings ("test set", "drawings").
void print_classification_report(const ConfusionMatrix& matrix, const std::string& data_name = "test set");

}  // namespace lenet
