#pragma once
// What lenet_api.cpp (loading and classifying) shares with finetune_api.cpp (learning, built into
// the Worker's module only): the loaded model, the error of the last call, and how drawings
// arrive from lenet_api.js as flat arrays.

#include <cstdint>
#include <exception>
#include <new>
#include <string>

#include "core/ink/drawing.hpp"
#include "core/base/error.hpp"
#include "core/formats/model_io.hpp"

namespace lenet_api {

// The model loadModel loaded (throws lenet::Error while there is none) and the name it was given.
const lenet::Model& loaded_model();
const std::string& loaded_source();
std::string& last_error();

// Runs `action`, turning any exception into last_error(): nothing may escape into JavaScript.
// 0 on success, 1 on failure.
template <class Action>
int guarded(Action&& action) {
  try {
    action();
    return 0;
  } catch (const lenet::Error& e) {
    last_error() = e.what();
  } catch (const std::bad_alloc&) {
    last_error() = "out of memory";
  } catch (const std::exception& e) {
    last_error() = std::string("internal error: ") + e.what();
  }
  return 1;
}

// Drawings as flat arrays (how lenet_api.js hands them over): drawing d has geometry[3d..3d+2] =
// width, height, pen width and stroke_counts[d] strokes; stroke s has point_counts[s] points,
// all x, y pairs one after the other in `points`. Canvas pixels, y down (core/ink/drawing.hpp).
struct FlatDrawings {
  const float* geometry;
  const std::uint32_t* stroke_counts;
  const std::uint32_t* point_counts;
  const float* points;

  lenet::Drawing next() {
    lenet::Drawing drawing{geometry[0], geometry[1], geometry[2], {}};
    geometry += 3;
    drawing.strokes.resize(*stroke_counts++);
    for (auto& stroke : drawing.strokes) {
      stroke.resize(*point_counts++);
      for (auto& p : stroke) {
        p = {points[0], points[1]};
        points += 2;
      }
    }
    return drawing;
  }
};

}  // namespace lenet_api
