// CPrefetch is header-only (include/CPrefetch.h) but for the one global and the one glibc call
// below.
#include "CPrefetch.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

// Set once at start-up by `Inference.StreamPrefetch`; 0 (`prefetchnta`) until then.
int parley_stream_hint = 0;

int parley_keep_freed_heap(unsigned long trim_threshold, unsigned long mmap_threshold) {
#if defined(__GLIBC__)
    int trim = mallopt(M_TRIM_THRESHOLD, (int)trim_threshold);
    int map = mallopt(M_MMAP_THRESHOLD, (int)mmap_threshold);
    return trim == 1 && map == 1;
#else
    (void)trim_threshold;
    (void)mmap_threshold;
    return 0;
#endif
}
