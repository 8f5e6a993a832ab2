// CPrefetch is header-only (include/CPrefetch.h) but for the one global below; SwiftPM needs
// a source file in a C target anyway.
#include "CPrefetch.h"

// Set once at start-up by `Inference.StreamPrefetch`; 0 (`prefetchnta`) until then.
int parley_stream_hint = 0;
