#pragma once
// A binary image (ink or paper) and its connected regions: the tracer reads digits through them,
// and augmentation counts a digit's loops with them (a variant must not fill one in).

#include <cstddef>
#include <cstdint>
#include <vector>

namespace lenet {

struct BinaryImage {
  int width = 0, height = 0;
  std::vector<std::uint8_t> on;  // 1 = ink, row-major

  bool at(int x, int y) const { return x >= 0 && y >= 0 && x < width && y < height && on[std::size_t(y * width + x)]; }
  bool on_border(int i) const {
    const int x = i % width, y = i / width;
    return x == 0 || y == 0 || x == width - 1 || y == height - 1;
  }
};

// Ink where ink[i] >= threshold, for a rows x cols image of ink levels.
BinaryImage threshold_ink(const float* ink, std::size_t rows, std::size_t cols, float threshold);

// Connected regions of pixels whose value is `value` (8-connected for ink, 4 for paper, so that
// the two never cross each other): lists of pixel indices.
std::vector<std::vector<int>> regions(const BinaryImage& image, std::uint8_t value);

// The digit's loops: regions of paper that ink encloses (they do not reach the image's edge).
// A 0 has one, an 8 two, a 1 none.
int count_loops(const BinaryImage& image);

}  // namespace lenet
