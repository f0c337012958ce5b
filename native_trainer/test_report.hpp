#pragma once
// The end-of-run summary on the terminal, as Keras + sklearn users expect it: accuracy, the
// classification report and the confusion matrix.

#include <cstdint>
#include <vector>

#include "core/idx.hpp"
#include "core/metrics.hpp"

namespace lenet {

ConfusionMatrix confusion_matrix(const Dataset& data, const std::vector<std::uint8_t>& predictions,
                                 std::size_t classes);
void print_test_report(const ConfusionMatrix& matrix);

}  // namespace lenet
