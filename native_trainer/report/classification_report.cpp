#include "native_trainer/report/classification_report.hpp"

#include <cstdio>

namespace lenet {

ConfusionMatrix confusion_matrix(const Dataset& data, const std::vector<std::uint8_t>& predictions,
                                 std::size_t classes) {
  return confusion_matrix(data.labels, predictions, classes);
}

void print_classification_report(const ConfusionMatrix& matrix, const std::string& data_name) {
  std::printf("\nclassification report (%s):\n%s\nconfusion matrix (rows: true digit, columns: predicted):\n%s\n",
              data_name.c_str(), format_classification_report(classification_report(matrix)).c_str(),
              format_confusion_matrix(matrix).c_str());
}

}  // namespace lenet
