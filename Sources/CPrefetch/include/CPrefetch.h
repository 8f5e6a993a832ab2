#ifndef PARLEY_CPREFETCH_H
#define PARLEY_CPREFETCH_H

/// Software prefetch, which Swift cannot express: `_mm_prefetch` is a C macro and so does not
/// import. Header-only and `static inline`, so the Swift optimizer inlines it to one instruction.

/// Asks the CPU to bring the cache line holding `address` into all cache levels, without waiting
/// for it and without faulting on a bad address (a hint, never an access).
static inline void parley_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
