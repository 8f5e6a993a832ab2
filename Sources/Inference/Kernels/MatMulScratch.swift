/// Preallocated buffers for `matmul`: the quantized activations of up to `maxTokens` rows of up
/// to `maxColumns` values, and one F32 row per worker for the dequantize-then-dot fallback.
///
/// Allocate one per model run state, sized for the widest matrix input (e.g. the FFN width) and
/// the largest batch, so the token loop never allocates. Copies share the same storage; use a
/// scratch from one thread at a time.
public struct MatMulScratch: Sendable {
    public let maxColumns: Int
    public let maxTokens: Int
    public let maxWorkers: Int
    let storage: ScratchStorage
    /// Compute every token as a one-token product would (no batch-size-dependent kernel), while
    /// still reading each weight row once for all of them. Set for batches of several sequences,
    /// so a sequence decodes the same whether it steps alone or beside others.
    public var rowInvariant = false
    /// The kernels the products use (`KernelPath.active` unless a test or benchmark picks one).
    public var path = KernelPath.active

    /// Buffers for inputs up to `maxColumns` wide, batches up to `maxTokens`, pools of up to
    /// `workers` threads.
    public init(maxColumns: Int, maxTokens: Int = 1, workers: Int = 1) {
        precondition(maxColumns > 0 && maxTokens > 0 && workers > 0)
        _ = StreamPrefetch.active // installs the stream prefetch hint before any product runs
        self.maxColumns = maxColumns
        self.maxTokens = maxTokens
        self.maxWorkers = workers
        storage = ScratchStorage(columns: maxColumns, tokens: maxTokens, workers: workers)
    }
}

/// Owns the raw, 64-byte aligned scratch memory.
final class ScratchStorage: @unchecked Sendable {
    // @unchecked: raw scratch memory; one product at a time uses it, its workers on disjoint rows.
    /// Int8 codes: tokens × columns.
    let codes: UnsafeMutablePointer<Int8>
    /// F32 scales: tokens × columns/32 (Q8_K uses the first columns/256 of each token's share).
    let scales: UnsafeMutablePointer<Float>
    /// Q8_1 block sums (`d · Σq`): tokens × columns/32.
    let sums: UnsafeMutablePointer<Float>
    /// Q8_1 (scale, sum) pairs interleaved, so a kernel multiplies a block's F16 (d, m) pair by
    /// them in one instruction: tokens × columns/32 × 2.
    let pairs: UnsafeMutablePointer<Float>
    /// Q8_K 16-element code sums: tokens × columns/16.
    let blockSums: UnsafeMutablePointer<Int16>
    /// One F32 row per worker (fallback path and dequantization).
    let rows: UnsafeMutablePointer<Float>
    private let raw: [UnsafeMutableRawPointer]

    init(columns: Int, tokens: Int, workers: Int) {
        let blocks = (columns + 31) / 32
        func allocate(_ bytes: Int) -> UnsafeMutableRawPointer {
            UnsafeMutableRawPointer.allocate(byteCount: max(bytes, 64), alignment: 64)
        }
        let codes = allocate(tokens * columns + 64)
        let scales = allocate(tokens * blocks * 4)
        let sums = allocate(tokens * blocks * 4)
        let pairs = allocate(tokens * blocks * 8)
        let blockSums = allocate(tokens * blocks * 2 * 2)
        let rows = allocate(workers * columns * 4 + 64)
        self.codes = codes.bindMemory(to: Int8.self, capacity: tokens * columns + 64)
        self.scales = scales.bindMemory(to: Float.self, capacity: tokens * blocks)
        self.sums = sums.bindMemory(to: Float.self, capacity: tokens * blocks)
        self.pairs = pairs.bindMemory(to: Float.self, capacity: tokens * blocks * 2)
        self.blockSums = blockSums.bindMemory(to: Int16.self, capacity: tokens * blocks * 2)
        self.rows = rows.bindMemory(to: Float.self, capacity: workers * columns + 16)
        raw = [codes, scales, sums, pairs, blockSums, rows]
    }

    deinit {
        for pointer in raw { pointer.deallocate() }
    }
}
