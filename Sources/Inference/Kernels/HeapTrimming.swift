import CPrefetch

/// How much freed memory glibc keeps for the next allocation instead of giving it back.
///
/// The kernels' scratch (a prompt panel's unpacked rows and its activations' starts, tens to
/// hundreds of KB per matrix and thread) comes from `withUnsafeTemporaryAllocation`, which falls
/// back to malloc when a thread's stack is short. glibc gives a freed heap top back to the
/// system once it passes 128 KB, and a process with helper threads pays each give-back with a
/// TLB shoot-down that stops every other core. `parley bench` of Gemma 3's pp128 at 2 threads
/// (5 repetitions) made 747 `madvise` and 1,502 `brk` calls, 225 and 21 with these thresholds,
/// and its prompts ran 14-21% faster (DECISIONS.md). Called once at start-up by the CLI.
public enum HeapTrimming {
    /// Freed heap kept before trimming: more than a batch's largest scratch, so a prompt or a
    /// decode step reuses what the last one freed. The cost is memory a malloc arena keeps
    /// after its peak, at most this much each (peak RSS of a Gemma 3 bench: 292 → 293 MB).
    public static let trimThreshold = 64 << 20
    /// Allocations from this size on get their own mapping and go back to the system when freed
    /// (a KV cache, a model's repacked weights); glibc's own ceiling for its adaptive threshold.
    public static let mmapThreshold = 32 << 20

    /// Sets both thresholds; false where the C library did not take them (not glibc).
    @discardableResult
    public static func keepScratch() -> Bool {
        parley_keep_freed_heap(UInt(trimThreshold), UInt(mmapThreshold)) == 1
    }
}
