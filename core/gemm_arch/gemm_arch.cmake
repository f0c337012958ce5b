# Per-architecture GEMM kernel translation units (filled with the xsimd kernel).
