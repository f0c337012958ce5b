#include "core/base/half_float.hpp"

#include <cstring>

namespace lenet {

namespace {

std::uint32_t bits_of(float value) {
  std::uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return bits;
}

float float_of(std::uint32_t bits) {
  float value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

// kept >> shift, rounded to nearest with ties to even on the bits shifted out (1 <= shift < 32).
std::uint32_t shift_right_rounding_to_even(std::uint32_t kept, unsigned shift) {
  const std::uint32_t result = kept >> shift;
  const std::uint32_t rest = kept & ((std::uint32_t{1} << shift) - 1);
  const std::uint32_t half = std::uint32_t{1} << (shift - 1);
  return result + (rest > half || (rest == half && (result & 1)));
}

// float32 fields: 1 sign, 8 exponent (bias 127), 23 fraction bits.
constexpr std::uint32_t f32_sign = 0x8000'0000, f32_abs = 0x7fff'ffff, f32_infinity = 0x7f80'0000;
// F16 fields: 1 sign, 5 exponent (bias 15), 10 fraction bits. The exponent bias differs by 112.
constexpr std::uint16_t f16_infinity = 0x7c00, f16_quiet = 0x0200;
constexpr std::uint32_t rebias_f32_to_f16 = std::uint32_t{127 - 15} << 23;
constexpr std::uint32_t f32_65520 = 0x477f'f000;   // halfway between 65504 and 65536: rounds to infinity
constexpr std::uint32_t f32_2_pow_m14 = 0x3880'0000;  // F16's smallest normal
constexpr std::uint32_t f32_2_pow_m25 = 0x3300'0000;  // half of F16's smallest subnormal: rounds to 0 (even)

}  // namespace

std::uint16_t float_to_f16_bits(float value) {
  const std::uint32_t bits = bits_of(value);
  const auto sign = static_cast<std::uint16_t>((bits & f32_sign) >> 16);
  const std::uint32_t abs = bits & f32_abs;
  if (abs > f32_infinity)  // NaN: quiet, keeping the top of its payload
    return static_cast<std::uint16_t>(sign | f16_infinity | f16_quiet | ((abs >> 13) & 0x3ff));
  if (abs >= f32_65520) return static_cast<std::uint16_t>(sign | f16_infinity);
  if (abs >= f32_2_pow_m14)  // normal: rebias the exponent, round the 13 fraction bits that do not fit
    return static_cast<std::uint16_t>(sign | shift_right_rounding_to_even(abs - rebias_f32_to_f16, 13));
  if (abs <= f32_2_pow_m25) return sign;  // zero, or rounds to it
  // Subnormal: value = significand (with its implicit 1) x 2^(exponent - 150), which in F16's unit
  // of 2^-24 is significand >> (126 - exponent). A value that rounds up to 2^-14 carries into the
  // exponent field and comes out as the smallest normal, as it should.
  const std::uint32_t exponent = abs >> 23;  // 102..112 here
  const std::uint32_t significand = (abs & 0x007f'ffff) | 0x0080'0000;
  return static_cast<std::uint16_t>(sign | shift_right_rounding_to_even(significand, 126 - exponent));
}

float f16_bits_to_float(std::uint16_t half) {
  const std::uint32_t sign = std::uint32_t{half & 0x8000u} << 16;
  const std::uint32_t exponent = (half >> 10) & 0x1f;
  const std::uint32_t fraction = half & 0x3ffu;
  if (exponent == 0x1f) return float_of(sign | f32_infinity | (fraction << 13));  // infinity or NaN
  if (exponent != 0) return float_of(sign | ((exponent << 23) + rebias_f32_to_f16) | (fraction << 13));
  // Zero or subnormal: fraction x 2^-24, exact in float32 (a normal float there).
  const float magnitude = static_cast<float>(fraction) * 0x1p-24f;
  return sign ? -magnitude : magnitude;
}

std::uint16_t float_to_bf16_bits(float value) {
  const std::uint32_t bits = bits_of(value);
  // NaN: the payload may lie in the low 16 bits only, so the quiet bit keeps it a NaN.
  if ((bits & f32_abs) > f32_infinity) return static_cast<std::uint16_t>((bits >> 16) | 0x0040);
  // Rounding the low half to even; a carry out of the fraction raises the exponent (the largest
  // finite values round to infinity, as they should).
  return static_cast<std::uint16_t>(shift_right_rounding_to_even(bits, 16));
}

float bf16_bits_to_float(std::uint16_t bits) { return float_of(std::uint32_t{bits} << 16); }

}  // namespace lenet
