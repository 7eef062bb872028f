// The 512-bit register tile of the matrix product. It lives in C because a Swift module
// is compiled for one target processor, while this kernel must coexist with the AVX2
// build and run only where `basin_cpu_supports_avx512` says it may: the function alone
// is compiled for AVX-512F.
//
// Eight accumulators hold the 8 × 16 tile. Per depth step the kernel loads one 16-float
// row of the B panel and issues eight fused multiply-adds whose A operand is a broadcast
// straight from the packed panel: eight independent chains cover the four-cycle latency
// of two FMA ports. Taller tiles (12, 16 rows) measured no faster here and pad the
// 16-, 32- and 64-channel products of the zoo's convolutions, which eight rows divide.

#include "CBasinSupport.h"

#if defined(__x86_64__)
#include <immintrin.h>

// The alpha and beta scaling must round like the 8-lane Swift tile: a product and a sum,
// never fused.
#pragma STDC FP_CONTRACT OFF

int basin_cpu_supports_avx512(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f");
}

#define ROWS BASIN_AVX512_TILE_ROWS

__attribute__((target("avx512f"))) void basin_sgemm_tile_avx512(
    long depth, const float *packed_a, const float *packed_b, float alpha, float beta,
    float *c, long ldc) {
    __m512 acc[ROWS];
    for (int r = 0; r < ROWS; r++) acc[r] = _mm512_setzero_ps();

    const float *a = packed_a;
    const float *b = packed_b;
    for (long p = 0; p < depth; p++) {
        const __m512 row = _mm512_loadu_ps(b);
        for (int r = 0; r < ROWS; r++) {
            acc[r] = _mm512_fmadd_ps(_mm512_set1_ps(a[r]), row, acc[r]);
        }
        a += ROWS;
        b += 16;
    }

    const __m512 alphas = _mm512_set1_ps(alpha);
    if (beta == 0) {
        for (int r = 0; r < ROWS; r++) {
            _mm512_storeu_ps(c + r * ldc, _mm512_mul_ps(alphas, acc[r]));
        }
    } else {
        const __m512 betas = _mm512_set1_ps(beta);
        for (int r = 0; r < ROWS; r++) {
            float *target = c + r * ldc;
            const __m512 old = _mm512_mul_ps(betas, _mm512_loadu_ps(target));
            _mm512_storeu_ps(target, _mm512_add_ps(_mm512_mul_ps(alphas, acc[r]), old));
        }
    }
}

#else

int basin_cpu_supports_avx512(void) { return 0; }

#endif
