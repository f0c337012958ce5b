#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/ink/binary_image.hpp"

namespace {

// Rows of '#' (ink) and '.' (paper).
lenet::BinaryImage picture(const std::vector<std::string>& rows) {
  lenet::BinaryImage image{int(rows[0].size()), int(rows.size()), {}};
  for (const std::string& row : rows)
    for (char c : row) image.on.push_back(c == '#' ? 1 : 0);
  return image;
}

}  // namespace

TEST_CASE("binary images: a digit's loops are the paper regions its ink encloses") {
  CHECK(lenet::count_loops(picture({".....",  //
                                    ".###.",  //
                                    ".#.#.",  //
                                    ".###.",  //
                                    "....."})) == 1);
  CHECK(lenet::count_loops(picture({".###.",  // an 8: two loops
                                    ".#.#.",  //
                                    ".###.",  //
                                    ".#.#.",  //
                                    ".###."})) == 2);
  CHECK(lenet::count_loops(picture({"..#..",  // a 1, and a filled 0: none
                                    "..#..",  //
                                    "..#..",  //
                                    ".###.",  //
                                    ".###."})) == 0);
  CHECK(lenet::count_loops(picture({"#.#..",  // a U reaches the edge: open, not a loop
                                    "#.#..",  //
                                    "###.."})) == 0);
  // Paper touching the loop only through a corner is still enclosed: paper connects 4-way,
  // ink 8-way, so a diagonal stroke closes a loop.
  CHECK(lenet::count_loops(picture({"..#..",  //
                                    ".#.#.",  //
                                    "..#..",  //
                                    "....."})) == 1);
}

TEST_CASE("binary images: regions connect ink 8-way and paper 4-way, and list every pixel once") {
  const lenet::BinaryImage image = picture({"#..",  //
                                            ".#.",  //
                                            "..#"});
  const auto ink = lenet::regions(image, 1);
  REQUIRE(ink.size() == 1);
  CHECK(ink[0].size() == 3);
  const auto paper = lenet::regions(image, 0);
  CHECK(paper.size() == 2);  // the diagonal splits the paper in two
  CHECK(paper[0].size() + paper[1].size() == 6);
}

TEST_CASE("binary images: thresholding ink levels") {
  const std::vector<float> ink = {0.0f, 0.49f, 0.5f, 1.0f};
  const lenet::BinaryImage image = lenet::threshold_ink(ink.data(), 2, 2, 0.5f);
  CHECK(image.width == 2);
  CHECK(image.height == 2);
  CHECK(image.on == std::vector<std::uint8_t>{0, 0, 1, 1});
}
