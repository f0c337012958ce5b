#pragma once
// 16-bit floats as bit patterns, for weights stored in half precision (safetensors "F16", "BF16").
// Written out by hand rather than with _Float16 or a compiler's __fp16: the same code must give
// the same bits under g++, clang and em++, on every target.
//   F16:  IEEE 754 binary16, 1 sign, 5 exponent, 10 fraction bits: normal range 2^-14..65504,
//         subnormals down to 2^-24.
//   BF16: bfloat16, the top 16 bits of a float32 (8 exponent bits: float32's range, 8 bits of
//         precision).
// Narrowing rounds to nearest, ties to even; NaN stays NaN (quiet), with its sign. Widening is exact.

#include <cstdint>

namespace lenet {

// Finite values of magnitude 65520 or more round to infinity (65504 is the largest F16).
std::uint16_t float_to_f16_bits(float value);
float f16_bits_to_float(std::uint16_t bits);

// Finite values beyond bfloat16's largest, about 3.39e38, round to infinity.
std::uint16_t float_to_bf16_bits(float value);
float bf16_bits_to_float(std::uint16_t bits);

}  // namespace lenet
