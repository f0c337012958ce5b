#pragma once
// Classification metrics over a confusion matrix, with scikit-learn's semantics (a ratio whose
// denominator is 0 counts as 0, "zero_division=0"), and text tables like sklearn's
// classification_report for the CLI and reports.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace lenet {

struct ConfusionMatrix {
  std::size_t classes = 0;
  std::vector<std::uint64_t> counts;  // classes x classes, row = true class, column = predicted

  explicit ConfusionMatrix(std::size_t classes = 0) : classes(classes), counts(classes * classes, 0) {}

  // Throws lenet::Error when a class is outside [0, classes).
  void add(int truth, int predicted);
  // Adds another matrix of the same size (per-thread matrices, say).
  void merge(const ConfusionMatrix& other);
  std::uint64_t at(std::size_t truth, std::size_t predicted) const { return counts[truth * classes + predicted]; }
  std::uint64_t total() const;
};

struct ClassMetrics {
  double precision = 0, recall = 0, f1 = 0;
  std::uint64_t support = 0;  // how many samples truly are of the class
};

struct ClassificationReport {
  std::vector<ClassMetrics> per_class;
  ClassMetrics macro_avg, weighted_avg;  // unweighted mean over classes; mean weighted by support
  double accuracy = 0;
  std::uint64_t total = 0;
};

ClassificationReport classification_report(const ConfusionMatrix& matrix);

// sklearn's layout: precision, recall, f1-score, support per class, then accuracy, macro avg and
// weighted avg, two decimals. Classes are named by their index unless names are given.
std::string format_classification_report(const ClassificationReport& report,
                                         const std::vector<std::string>& class_names = {});
// The matrix as an aligned table: one row per true class, one column per predicted class.
std::string format_confusion_matrix(const ConfusionMatrix& matrix, const std::vector<std::string>& class_names = {});

// Index of the largest value, the first one on ties; NaN never wins. 0 for n == 0.
std::size_t argmax(const float* values, std::size_t n);

}  // namespace lenet
