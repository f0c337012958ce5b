#include "test_report.hpp"

#include <cstdio>

namespace lenet {

ConfusionMatrix confusion_matrix(const Dataset& data, const std::vector<std::uint8_t>& predictions,
                                 std::size_t classes) {
  ConfusionMatrix m(classes);
  for (std::size_t i = 0; i < predictions.size(); ++i) m.add(data.labels[i], predictions[i]);
  return m;
}

void print_test_report(const ConfusionMatrix& matrix) {
  std::printf("\nclassification report (test set):\n%s\nconfusion matrix (rows: true digit, columns: predicted):\n%s\n",
              format_classification_report(classification_report(matrix)).c_str(),
              format_confusion_matrix(matrix).c_str());
}

}  // namespace lenet
