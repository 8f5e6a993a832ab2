import GGUF

/// Which kernel computes a product of each weight type, per shape of work.
extension MatMulPlan {
    /// The integer dot-product kernel for `type` in a product of `tokens` tokens on `path`, nil
    /// for types computed in F32. llama.cpp computes Q6_K differently from 8 tokens on (its tiled
    /// kernel), so batches that large round as it does there (`AVX2Dot+KQuants.swift`).
    static func rowDot(for type: GGMLType, tokens: Int = 1, path: KernelPath = .active) -> RowDot? {
        #if arch(x86_64)
            switch path {
            case .portable: return portableRowDot(for: type)
            case .avx512: return avx512RowDot(for: type, tokens: tokens)
            case .avx2: break
            }
            switch type {
            case .q6_K where tokens >= tiledMinimumTokens: return AVX2Dot.q6_KTiled
            case .q4_0: return AVX2Dot.q4_0
            case .q4_1: return AVX2Dot.q4_1
            case .q5_0: return AVX2Dot.q5_0
            case .q5_1: return AVX2Dot.q5_1
            case .q8_0: return AVX2Dot.q8_0
            case .q4_K: return AVX2Dot.q4_K
            case .q6_K: return AVX2Dot.q6_K
            default: return nil
            }
        #else
            return portableRowDot(for: type)
        #endif
    }

    /// The four-token kernel for `type`, if it has one (`tokens` and `path` as for `rowDot`).
    static func rowDot4(for type: GGMLType, tokens: Int, path: KernelPath = .active) -> RowDot4? {
        #if arch(x86_64)
            switch path {
            case .portable: return nil
            case .avx512: return avx512RowDot4(for: type, tokens: tokens)
            case .avx2: break
            }
            switch type {
            case .q6_K where tokens >= tiledMinimumTokens: return AVX2Dot.q6_KTiledx4
            case .q4_1: return AVX2Dot.q4_1x4
            case .q8_0: return AVX2Dot.q8_0x4
            case .q5_0: return AVX2Dot.q5_0x4
            case .q4_K: return AVX2Dot.q4_Kx4
            case .q6_K: return AVX2Dot.q6_Kx4
            default: return nil
            }
        #else
            return nil
        #endif
    }

    /// The 4 rows × 4 tokens kernel for `type`, where one exists: the legacy types whose four-
    /// token kernel equals the one-token kernel bit for bit (so tiles serve row-invariant
    /// products too). Other types, and the portable path, use `rowDot4` row by row; so does the
    /// AVX2 path for batches of more than `avx2TileMaximumTokens` tokens (see there).
    static func rowTile(for type: GGMLType, tokens: Int, path: KernelPath = .active) -> RowTile? {
        #if arch(x86_64)
            switch path {
            case .portable: return nil
            case .avx512: return nil
            case .avx2: if tokens > avx2TileMaximumTokens { return nil }
            }
            switch type {
            case .q4_1: return AVX2Dot.q4_1Tile
            case .q8_0: return AVX2Dot.q8_0Tile
            case .q5_0: return AVX2Dot.q5_0Tile
            default: return nil
            }
        #else
            return nil
        #endif
    }

    /// The row run for `w` and where row r's bytes are for it: the interleaved copy's run on
    /// the AVX-512 path when `w` has one (`InterleavedRows`; r a multiple of four), else the
    /// file's rows.
    static func rowRun(for w: WeightMatrix, path: KernelPath) -> (RowRun, (Int) -> UnsafeRawPointer)? {
        #if arch(x86_64)
            if path == .avx512, let interleaved = w.interleavedRows, let run = avx512InterleavedRun(for: w.type) {
                return (run, { interleaved.group($0 / 4) })
            }
        #endif
        return rowRun(for: w.type, path: path).map { ($0, w.row) }
    }

    /// The row-run kernel for `type` on `path` (`RowRun`), where one exists: the AVX-512 runs
    /// (`avx512RowRun`), and on the AVX2 path one token's one-row kernel called row after row
    /// inside the run (`avx2RowRun`).
    static func rowRun(for type: GGMLType, path: KernelPath = .active) -> RowRun? {
        #if arch(x86_64)
            switch path {
            case .avx512: return avx512RowRun(for: type)
            case .avx2: return avx2RowRun(for: type)
            case .portable: return nil
            }
        #else
            return nil
        #endif
    }

    #if arch(x86_64)
        /// The AVX2 one-token kernel (`rowDot`) row after row (only one token:
        /// `runMaximumTokens`). With 16 registers there is no room for four rows' chains as in
        /// the AVX-512 runs, but a tight loop inside the run, asking for the weights further
        /// ahead, still pays over `computeQuantized`'s per-row loop.
        static func avx2RowRun(for type: GGMLType) -> RowRun? {
            guard let kernel = rowDot(for: type, tokens: 1, path: .avx2) else { return nil }
            return { w, rowBytes, rows, a, _, blocks, out, _ in eachRow(w, rowBytes, rows, a.0, blocks, out, kernel) }
        }

        /// `out[i] = kernel(row i, a)` for `rows` rows from `w`, prefetching `prefetchDistance`
        /// rows ahead and, non-temporally, `streamDistance` rows ahead (within the run).
        @inline(__always)
        private static func eachRow(
            _ w: UnsafeRawPointer, _ rowBytes: Int, _ rows: Int, _ a: ActivationRow, _ blocks: Int,
            _ out: UnsafeMutablePointer<Float>, _ kernel: (UnsafeRawPointer, ActivationRow, Int) -> Float
        ) {
            var row = w
            for i in 0..<rows {
                if i &+ prefetchDistance < rows { prefetch(row + prefetchDistance &* rowBytes, bytes: rowBytes) }
                if i &+ streamDistance < rows {
                    prefetch(row + streamDistance &* rowBytes, bytes: rowBytes, stream: true)
                }
                out[i] = kernel(row, a, blocks)
                row += rowBytes
            }
        }
    #endif

    /// With 16 registers the AVX2 tiles run as two passes of two rows: they pay for decode-sized
    /// batches (several sequences' steps) but cost prompts their throughput, so prompts take the
    /// four-token kernels (the same sums, bit for bit). Zen 4 with `PARLEY_CPU=avx2`, SmolLM2
    /// Q4_1, medians of alternating runs: 4 sequences' decode 566/581 t/s with tiles, 544/529
    /// without; pp128 423/740 (1/2 threads) with, 434/818 without (Q4_K_M: 377/670 and 399/725).
    static let avx2TileMaximumTokens = 8

    /// The four-token kernels whose sums equal the one-token kernel's bit for bit (the legacy
    /// types); Q4_K's (per 64-element quarter) and Q6_K's round differently, so a row-invariant
    /// product computes those one token at a time, each weight row still read once from memory.
    static func invariantRowDot4(for type: GGMLType, path: KernelPath = .active) -> RowDot4? {
        switch type {
        case .q4_1, .q8_0, .q5_0: return rowDot4(for: type, tokens: 4, path: path)
        default: return nil
        }
    }

    /// The batch size from which llama.cpp's CPU backend takes its tiled K-quant kernel.
    static let tiledMinimumTokens = 8

    /// The plain-Swift kernel for `type` (every platform; tests cross-check with it).
    static func portableRowDot(for type: GGMLType) -> RowDot? {
        switch type {
        case .q4_0: return PortableDot.q4_0
        case .q4_1: return PortableDot.q4_1
        case .q5_0: return PortableDot.q5_0
        case .q5_1: return PortableDot.q5_1
        case .q8_0: return PortableDot.q8_0
        case .q4_K: return PortableDot.q4_K
        case .q6_K: return PortableDot.q6_K
        default: return nil
        }
    }
}
