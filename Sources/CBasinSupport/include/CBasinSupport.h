#ifndef CBASIN_SUPPORT_H
#define CBASIN_SUPPORT_H

/// Returns 1 when the processor supports AVX2 and FMA (always 1 off x86-64), else 0.
/// Compiled without AVX flags so it is safe to call on any x86-64 processor.
int basin_cpu_supports_avx2_fma(void);

#endif
