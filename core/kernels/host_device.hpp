#pragma once
// LENET_HD marks the functions that core's CPU loops and the CUDA kernels (native_trainer/cuda)
// share: __host__ __device__ where nvcc compiles them, a plain inline function everywhere else.
// A header that uses it stays C++17 with standard headers only, so that nvcc compiles it too.

#ifdef __CUDACC__
#define LENET_HD __host__ __device__ __forceinline__
#else
#define LENET_HD inline
#endif
