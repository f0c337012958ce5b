#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "core/base/error.hpp"
#include "core/train/metrics.hpp"

using namespace lenet;

namespace {

// Three classes, ten samples:
//   true 0 -> predicted 0, 1          row 0: [1 1 0]
//   true 1 -> predicted 1, 1, 0       row 1: [1 2 0]
//   true 2 -> predicted 2, 2, 2, 1, 1 row 2: [0 2 3]
// Predicted totals per column: 2, 5, 3.
ConfusionMatrix hand_example() {
  ConfusionMatrix m(3);
  const int truth[] = {0, 0, 1, 1, 1, 2, 2, 2, 2, 2};
  const int predicted[] = {0, 1, 1, 1, 0, 2, 2, 2, 1, 1};
  for (int i = 0; i < 10; ++i) m.add(truth[i], predicted[i]);
  return m;
}

void check_metrics(const ClassMetrics& m, double p, double r, double f1, std::uint64_t support) {
  CHECK(m.precision == doctest::Approx(p));
  CHECK(m.recall == doctest::Approx(r));
  CHECK(m.f1 == doctest::Approx(f1));
  CHECK(m.support == support);
}

}  // namespace

TEST_CASE("metrics: a hand-computed three-class example") {
  const ConfusionMatrix m = hand_example();
  CHECK(m.at(2, 1) == 2);
  CHECK(m.total() == 10);
  const ClassificationReport r = classification_report(m);
  REQUIRE(r.per_class.size() == 3);
  check_metrics(r.per_class[0], 1.0 / 2, 1.0 / 2, 0.5, 2);   // tp 1 of 2 predicted, of 2 true
  check_metrics(r.per_class[1], 2.0 / 5, 2.0 / 3, 0.5, 3);   // F1 = 2*0.4*0.667/(0.4+0.667) = 0.5
  check_metrics(r.per_class[2], 3.0 / 3, 3.0 / 5, 0.75, 5);  // F1 = 2*1*0.6/1.6 = 0.75
  CHECK(r.accuracy == doctest::Approx(0.6));                 // 6 on the diagonal of 10
  CHECK(r.total == 10);
  // Macro: plain means. P (0.5+0.4+1)/3, R (0.5+0.6667+0.6)/3, F1 (0.5+0.5+0.75)/3.
  check_metrics(r.macro_avg, 1.9 / 3, (0.5 + 2.0 / 3 + 0.6) / 3, 1.75 / 3, 10);
  // Weighted by support 2, 3, 5: P (1+1.2+5)/10, R (1+2+3)/10 (= accuracy), F1 (1+1.5+3.75)/10.
  check_metrics(r.weighted_avg, 0.72, 0.6, 0.625, 10);
}

TEST_CASE("metrics: classes never predicted or never seen give 0, not NaN") {
  ConfusionMatrix m(3);  // class 2 never occurs at all
  m.add(0, 0), m.add(1, 0), m.add(1, 0);
  const ClassificationReport r = classification_report(m);
  check_metrics(r.per_class[0], 1.0 / 3, 1, 0.5, 1);
  check_metrics(r.per_class[1], 0, 0, 0, 2);  // never predicted: precision 0 by convention
  check_metrics(r.per_class[2], 0, 0, 0, 0);
  CHECK(r.macro_avg.precision == doctest::Approx(1.0 / 9));
  CHECK(r.weighted_avg.f1 == doctest::Approx(0.5 / 3));
  CHECK(r.accuracy == doctest::Approx(1.0 / 3));
  const ClassificationReport empty = classification_report(ConfusionMatrix(4));
  CHECK(empty.accuracy == 0);
  CHECK_FALSE(std::isnan(empty.weighted_avg.precision));
  CHECK_FALSE(std::isnan(empty.macro_avg.f1));
}

TEST_CASE("metrics: out-of-range classes and mismatched merges are errors") {
  ConfusionMatrix m(10);
  CHECK_THROWS_WITH_AS(m.add(10, 0), "confusion matrix: class 10 is outside 0..9", Error);
  CHECK_THROWS_WITH_AS(m.add(0, -1), "confusion matrix: class -1 is outside 0..9", Error);
  CHECK_THROWS_AS(m.merge(ConfusionMatrix(3)), Error);
  ConfusionMatrix a = hand_example();
  a.merge(hand_example());
  CHECK(a.total() == 20);
  CHECK(a.at(1, 1) == 4);
}

TEST_CASE("metrics: the report is laid out like sklearn's") {
  const std::string text = format_classification_report(classification_report(hand_example()));
  // sklearn's format strings ("{:>{width}s} " + " {:>9.2f}" * 3 + " {:>9}") give exactly this.
  const std::string expected =
      "              precision    recall  f1-score   support\n"
      "\n"
      "           0       0.50      0.50      0.50         2\n"
      "           1       0.40      0.67      0.50         3\n"
      "           2       1.00      0.60      0.75         5\n"
      "\n"
      "    accuracy                           0.60        10\n"
      "   macro avg       0.63      0.59      0.58        10\n"
      "weighted avg       0.72      0.60      0.62        10\n";
  CHECK(text == expected);
  const std::string named =
      format_classification_report(classification_report(hand_example()), {"cat", "dog", "a very long name"});
  CHECK(named.find("\n             cat       0.50      0.50      0.50         2\n") != std::string::npos);
  CHECK(named.find("a very long name       1.00") != std::string::npos);
}

TEST_CASE("metrics: the confusion matrix table is aligned with headers") {
  ConfusionMatrix m = hand_example();
  for (int i = 0; i < 1234; ++i) m.add(2, 2);
  const std::string text = format_confusion_matrix(m);
  const std::string expected =
      "true\\pred     0     1     2\n"
      "        0     1     1     0\n"
      "        1     1     2     0\n"
      "        2     0     2  1237\n";
  CHECK(text == expected);
  CHECK(format_confusion_matrix(hand_example(), {"a", "b", "c"}).find("true\\pred  a  b  c\n") == 0);
}

TEST_CASE("metrics: argmax takes the first maximum and ignores NaN") {
  const float v[] = {0.1f, 0.7f, 0.2f, 0.7f};
  CHECK(argmax(v, 4) == 1);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float w[] = {nan, -3.0f, -1.0f};
  CHECK(argmax(w, 3) == 2);
  const float x[] = {-1.0f, nan, -2.0f};
  CHECK(argmax(x, 3) == 0);
  CHECK(argmax(v, 1) == 0);
  CHECK(argmax(v, 0) == 0);
}
