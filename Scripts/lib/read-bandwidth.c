// Sequential read bandwidth by working-set size, for Scripts/bench-memory.sh: how fast one or
// more threads can stream a buffer of N MB that they read over and over, as decode reads its
// weights (and KV cache) once per token. The best of many passes, because a shared machine's
// slow passes say how busy it was, not what its caches and memory can do.
//
// Usage: read-bandwidth THREADS MB...   prints "MB GB/s" per size.
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

typedef struct {
    const char *base;
    size_t bytes;
    int passes;
    pthread_barrier_t *barrier;
    double best;
    long sink;
} Share;

/// Reads the thread's share `passes` times, every byte once per pass; the barriers line the
/// threads' passes up, so a pass takes as long as its slowest thread.
static void *readShare(void *argument) {
    Share *share = argument;
    __m256i sum = _mm256_setzero_si256();
    share->best = 1e30;
    for (int pass = 0; pass < share->passes; pass++) {
        pthread_barrier_wait(share->barrier);
        double start = now();
        for (size_t i = 0; i < share->bytes; i += 128) {
            const __m256i *p = (const __m256i *)(share->base + i);
            sum = _mm256_add_epi32(sum, _mm256_load_si256(p));
            sum = _mm256_add_epi32(sum, _mm256_load_si256(p + 1));
            sum = _mm256_add_epi32(sum, _mm256_load_si256(p + 2));
            sum = _mm256_add_epi32(sum, _mm256_load_si256(p + 3));
        }
        pthread_barrier_wait(share->barrier);
        double elapsed = now() - start;
        if (elapsed < share->best) share->best = elapsed;
    }
    share->sink = _mm256_extract_epi32(sum, 0);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s THREADS MB...\n", argv[0]);
        return 2;
    }
    int threads = atoi(argv[1]);
    if (threads < 1 || threads > 64) {
        fprintf(stderr, "threads: 1...64\n");
        return 2;
    }
    long sink = 0;
    for (int a = 2; a < argc; a++) {
        size_t megabytes = strtoul(argv[a], NULL, 10);
        size_t bytes = megabytes << 20;
        size_t share = bytes / threads / 128 * 128;
        if (share == 0) continue;
        char *buffer = aligned_alloc(4096, share * threads);
        if (!buffer) {
            fprintf(stderr, "cannot allocate %zu MB\n", megabytes);
            return 1;
        }
        memset(buffer, 1, share * threads);
        // At least 4 GB read in all, and at least 5 passes.
        int passes = (int)((4096.0 * (1 << 20)) / (double)bytes) + 5;
        pthread_barrier_t barrier;
        pthread_barrier_init(&barrier, NULL, threads);
        pthread_t ids[64];
        Share shares[64];
        for (int t = 0; t < threads; t++) {
            shares[t] = (Share){buffer + t * share, share, passes, &barrier, 0, 0};
            pthread_create(&ids[t], NULL, readShare, &shares[t]);
        }
        double slowest = 0;
        for (int t = 0; t < threads; t++) {
            pthread_join(ids[t], NULL);
            if (shares[t].best > slowest) slowest = shares[t].best;
            sink += shares[t].sink;
        }
        pthread_barrier_destroy(&barrier);
        printf("%zu %.2f\n", megabytes, (double)(share * threads) / slowest / 1e9);
        fflush(stdout);
        free(buffer);
    }
    return sink == 42 ? 3 : 0;  // keeps the sums alive
}
