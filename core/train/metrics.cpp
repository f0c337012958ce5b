#include "core/train/metrics.hpp"

#include <algorithm>
#include <cstdio>

#include "core/base/error.hpp"

namespace lenet {

namespace {

double ratio(std::uint64_t num, std::uint64_t den) {
  return den == 0 ? 0.0 : static_cast<double>(num) / static_cast<double>(den);
}

std::string class_name(const std::vector<std::string>& names, std::size_t c) {
  return c < names.size() ? names[c] : std::to_string(c);
}

// printf into a std::string (the tables are small).
template <typename... Args>
std::string format(const char* pattern, Args... args) {
  const int n = std::snprintf(nullptr, 0, pattern, args...);
  std::string out(static_cast<std::size_t>(n), '\0');
  std::snprintf(out.data(), out.size() + 1, pattern, args...);
  return out;
}

}  // namespace

void ConfusionMatrix::add(int truth, int predicted) {
  const auto in_range = [this](int c) { return c >= 0 && static_cast<std::size_t>(c) < classes; };
  if (!in_range(truth) || !in_range(predicted))
    throw Error("confusion matrix: class " + std::to_string(in_range(truth) ? predicted : truth) +
                " is outside 0.." + std::to_string(static_cast<long long>(classes) - 1));
  ++counts[static_cast<std::size_t>(truth) * classes + static_cast<std::size_t>(predicted)];
}

void ConfusionMatrix::merge(const ConfusionMatrix& other) {
  if (other.classes != classes)
    throw Error("confusion matrix: cannot merge a " + std::to_string(other.classes) + "-class matrix into a " +
                std::to_string(classes) + "-class one");
  for (std::size_t i = 0; i < counts.size(); ++i) counts[i] += other.counts[i];
}

std::uint64_t ConfusionMatrix::total() const {
  std::uint64_t t = 0;
  for (auto c : counts) t += c;
  return t;
}

ClassificationReport classification_report(const ConfusionMatrix& m) {
  ClassificationReport r;
  const std::size_t n = m.classes;
  r.per_class.resize(n);
  r.total = m.total();
  std::uint64_t correct = 0;
  for (std::size_t c = 0; c < n; ++c) {
    std::uint64_t predicted = 0, actual = 0;
    for (std::size_t k = 0; k < n; ++k) predicted += m.at(k, c), actual += m.at(c, k);
    const std::uint64_t tp = m.at(c, c);
    correct += tp;
    ClassMetrics& cm = r.per_class[c];
    cm.precision = ratio(tp, predicted);
    cm.recall = ratio(tp, actual);
    // F1 = 2PR / (P + R) = 2TP / (2TP + FP + FN), 0 when there is nothing to compare.
    cm.f1 = ratio(2 * tp, predicted + actual);
    cm.support = actual;
  }
  r.accuracy = ratio(correct, r.total);
  // Every class of the matrix counts in the macro average (sklearn with labels=range(classes)).
  for (const ClassMetrics& cm : r.per_class) {
    const double w = ratio(cm.support, r.total);
    r.macro_avg.precision += cm.precision / static_cast<double>(n);
    r.macro_avg.recall += cm.recall / static_cast<double>(n);
    r.macro_avg.f1 += cm.f1 / static_cast<double>(n);
    r.weighted_avg.precision += cm.precision * w;
    r.weighted_avg.recall += cm.recall * w;
    r.weighted_avg.f1 += cm.f1 * w;
  }
  r.macro_avg.support = r.weighted_avg.support = r.total;
  return r;
}

std::string format_classification_report(const ClassificationReport& r, const std::vector<std::string>& names) {
  // The layout of sklearn.metrics.classification_report with digits=2.
  int width = static_cast<int>(std::string("weighted avg").size());
  for (std::size_t c = 0; c < r.per_class.size(); ++c)
    width = std::max(width, static_cast<int>(class_name(names, c).size()));
  auto row = [width](const std::string& name, const ClassMetrics& m) {
    return format("%*s  %9.2f %9.2f %9.2f %9llu\n", width, name.c_str(), m.precision, m.recall, m.f1,
                  static_cast<unsigned long long>(m.support));
  };
  std::string out = format("%*s  %9s %9s %9s %9s\n\n", width, "", "precision", "recall", "f1-score", "support");
  for (std::size_t c = 0; c < r.per_class.size(); ++c) out += row(class_name(names, c), r.per_class[c]);
  out += "\n";
  out += format("%*s  %9s %9s %9.2f %9llu\n", width, "accuracy", "", "", r.accuracy,
                static_cast<unsigned long long>(r.total));
  out += row("macro avg", r.macro_avg);
  out += row("weighted avg", r.weighted_avg);
  return out;
}

std::string format_confusion_matrix(const ConfusionMatrix& m, const std::vector<std::string>& names) {
  const std::string corner = "true\\pred";
  int first = static_cast<int>(corner.size()), cell = 1;
  for (std::size_t c = 0; c < m.classes; ++c) {
    first = std::max(first, static_cast<int>(class_name(names, c).size()));
    cell = std::max(cell, static_cast<int>(class_name(names, c).size()));
  }
  for (auto v : m.counts) cell = std::max(cell, static_cast<int>(std::to_string(v).size()));
  std::string out = format("%*s", first, corner.c_str());
  for (std::size_t c = 0; c < m.classes; ++c) out += format("  %*s", cell, class_name(names, c).c_str());
  out += "\n";
  for (std::size_t t = 0; t < m.classes; ++t) {
    out += format("%*s", first, class_name(names, t).c_str());
    for (std::size_t p = 0; p < m.classes; ++p)
      out += format("  %*llu", cell, static_cast<unsigned long long>(m.at(t, p)));
    out += "\n";
  }
  return out;
}

std::size_t argmax(const float* values, std::size_t n) {
  std::size_t best = 0;
  for (std::size_t i = 1; i < n; ++i)
    if (values[i] > values[best] || (values[best] != values[best] && values[i] == values[i])) best = i;
  return best;
}

}  // namespace lenet
