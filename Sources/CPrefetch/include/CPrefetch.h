#ifndef PARLEY_CPREFETCH_H
#define PARLEY_CPREFETCH_H

/// Software prefetch, which Swift cannot express: `_mm_prefetch` is a C macro and so does not
/// import. Header-only and `static inline`, so the Swift optimizer inlines it to one instruction.

/// Asks the CPU to bring the cache line holding `address` into all cache levels, without waiting
/// for it and without faulting on a bad address (a hint, never an access).
static inline void parley_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

/// How far-ahead stream prefetches ask (`Inference.StreamPrefetch` sets it once, before any
/// kernel runs): 0 `prefetchnta`, 1 `prefetcht0`. A global, not a parameter, so that every
/// kernel's loop reads it without threading a choice through its signature.
extern int parley_stream_hint;

/// A prefetch far ahead of a stream of weights read once, in addition to `parley_prefetch`
/// nearer (see `RowQuad` in the AVX-512 row runs): non-temporal on AMD (Zen 4 measured it
/// best), `prefetcht0` on Intel, whose `prefetchnta` fills only L1 and held decode to a third.
static inline void parley_prefetch_stream(const void *address) {
    if (parley_stream_hint == 1) {
        __builtin_prefetch(address, 0, 3);
    } else {
        __builtin_prefetch(address, 0, 0);
    }
}

static inline int parley_get_stream_hint(void) { return parley_stream_hint; }
static inline void parley_set_stream_hint(int hint) { parley_stream_hint = hint; }

/// XCR0, the register state the OS saves on a context switch (AVX-512 needs its opmask and ZMM
/// bits); `_xgetbv` is a macro too. Only call it when CPUID reports OSXSAVE.
static inline unsigned long long parley_xcr0(void) {
#if defined(__x86_64__)
    unsigned int eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((unsigned long long)edx << 32) | eax;
#else
    return 0;
#endif
}

/// glibc's `mallopt` for the heap's trim threshold and mmap threshold (`Inference.HeapTrimming`):
/// `<malloc.h>` and its `M_*` macros are not in Swift's Glibc module. Returns 1 when glibc took
/// both, 0 otherwise (and elsewhere than glibc).
int parley_keep_freed_heap(unsigned long trim_threshold, unsigned long mmap_threshold);

#if defined(__x86_64__)
#include <immintrin.h>

/// Eight floats `table[index[i]]` (`vgatherdps`): `_mm256_i32gather_ps` is a macro (its scale
/// is an immediate). For the F16 GELU table lookups (`VectorMath.tableGeglu`).
__attribute__((target("avx2"))) static inline __m256 parley_gather8(const float *table, __m256i index) {
    return _mm256_i32gather_ps(table, index, 4);
}
#endif

#endif
