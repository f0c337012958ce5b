#include "core/ink/binary_image.hpp"

#include <algorithm>
#include <array>

namespace lenet {

BinaryImage threshold_ink(const float* ink, std::size_t rows, std::size_t cols, float threshold) {
  BinaryImage image{int(cols), int(rows), std::vector<std::uint8_t>(rows * cols)};
  for (std::size_t i = 0; i < image.on.size(); ++i) image.on[i] = ink[i] >= threshold ? 1 : 0;
  return image;
}

std::vector<std::vector<int>> regions(const BinaryImage& image, std::uint8_t value) {
  static constexpr std::array<std::array<int, 2>, 8> steps = {
      {{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {1, 1}, {1, -1}, {-1, 1}, {-1, -1}}};
  const std::size_t reach = value ? 8 : 4;
  std::vector<std::uint8_t> seen(image.on.size(), 0);
  std::vector<std::vector<int>> out;
  for (int start = 0; start < int(image.on.size()); ++start) {
    if (seen[std::size_t(start)] || image.on[std::size_t(start)] != value) continue;
    std::vector<int> region{start};
    seen[std::size_t(start)] = 1;
    for (std::size_t k = 0; k < region.size(); ++k) {
      const int x = region[k] % image.width, y = region[k] / image.width;
      for (std::size_t s = 0; s < reach; ++s) {
        const int nx = x + steps[s][0], ny = y + steps[s][1], ni = ny * image.width + nx;
        if (nx < 0 || ny < 0 || nx >= image.width || ny >= image.height) continue;
        if (seen[std::size_t(ni)] || image.on[std::size_t(ni)] != value) continue;
        seen[std::size_t(ni)] = 1;
        region.push_back(ni);
      }
    }
    out.push_back(std::move(region));
  }
  return out;
}

int count_loops(const BinaryImage& image) {
  int loops = 0;
  for (const auto& paper : regions(image, 0))
    loops += std::none_of(paper.begin(), paper.end(), [&](int i) { return image.on_border(i); });
  return loops;
}

}  // namespace lenet
