#ifndef CBASIN_SUPPORT_H
#define CBASIN_SUPPORT_H

/// Returns 1 when the processor supports AVX2 and FMA (always 1 off x86-64), else 0.
/// Compiled without AVX flags so it is safe to call on any x86-64 processor.
int basin_cpu_supports_avx2_fma(void);

/// Returns 1 when the processor and the operating system support AVX-512F (the 512-bit
/// registers are saved on a context switch), else 0; always 0 off x86-64.
int basin_cpu_supports_avx512(void);

/// Rows of the register tile of `basin_sgemm_tile_avx512`.
#define BASIN_AVX512_TILE_ROWS 8

/// The 8 × 16 register tile of the matrix product with 512-bit vectors:
///
///     C[0..<8, 0..<16] ← alpha · Σₚ Ã[p, 0..<8] ⊗ B̃[p, 0..<16] + beta · C
///
/// where Ã is a packed panel of A (`depth` steps of 8 consecutive floats, one per row)
/// and B̃ a packed panel of B (`depth` steps of 16 consecutive floats). C has row stride
/// `ldc` and is not read when beta is 0. Each element is one chain of fused multiply-adds
/// in ascending p starting from zero, then alpha times the sum plus beta times C, each
/// rounded separately: the same arithmetic as the 8-lane tile, so both give the same bits.
/// Call only when `basin_cpu_supports_avx512()` returns 1; off x86-64 it does not exist.
void basin_sgemm_tile_avx512(
    long depth, const float *packed_a, const float *packed_b, float alpha, float beta,
    float *c, long ldc);

#endif
