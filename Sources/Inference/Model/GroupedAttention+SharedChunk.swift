#if arch(x86_64)
    import InferenceAVX512
#endif

/// A chunk's partials for several rows of one sequence at once (a speculative verification
/// pass), on the F16 cache with AVX-512.
///
/// Row by row (`partial`), each row converts the chunk's F16 keys and values again and runs its
/// `group` heads' FMAs beside those conversions; deep in the cache that made a pass of four
/// rows cost 2.6 one-token steps. Here the cells every row sees are widened to floats once, by
/// the pass of the first four heads, which reads the cache as the row-by-row kernels do, and the
/// other heads of every row run over the widened floats (`pairedScores`, `halfWeightedSum`
/// from its `widened` rows); the cells only some rows see (the last few of the
/// chunk) take the row-by-row kernels. Every (row, head) still gets exactly `partial`'s bits:
/// the widened kernels do the F16 kernels' FMAs and reductions on the same values; scores
/// split only at multiples of four cells from a segment's start, where the F16 kernel's
/// groups of four begin anyway; and a weighted sum is one FMA chain per lane in cell order,
/// so it may stop and go on at any cell.
extension GroupedAttention {
    /// Whether `partial(rows:)` serves `cache` for heads of `headDim`.
    static func sharesChunks(_ cache: Rows, headDim: Int) -> Bool {
        guard case .f16(_, _, let path) = cache else { return false }
        return path == .avx512 && headDim % 16 == 0
    }

    /// Floats of scratch `partial(rows:)` needs for up to `rows` rows: their queries, scores and
    /// partials, and a chunk's keys and values widened.
    static func sharedChunkFloats(rows: Int, group: Int, headDim: Int) -> Int {
        let heads = rows * group
        return heads * (headDim + chunk + headDim + 2) + 2 * chunk * headDim + 64
    }

    /// Chunk `c`'s partials of `xs` (rows of one sequence in position order, no window, each
    /// with chunk `c`; at most `Attention.speculativeRows`), row r's into `partials[r]`, as
    /// `partial` would write them one row at a time; `scratch` holds `scratchFloats` floats.
    /// Only where `sharesChunks` (so only on x86).
    static func partial(
        rows xs: UnsafeBufferPointer<Query>, _ cache: Rows, chunk c: Int, scratch: UnsafeMutablePointer<Float>,
        into partials: UnsafeBufferPointer<UnsafeMutablePointer<Float>>
    ) {
        #if arch(x86_64)
            guard case .f16(let keys, let values, let path) = cache, let x0 = xs.first else { return }
            let group = x0.group
            let d = x0.headDim
            let heads = xs.count * group
            let stride = x0.partialStride
            let start = c * chunk
            // Scratch: queries [heads × d], scores [heads × chunk], partials [heads × stride], then
            // the widened keys and values (64-byte aligned), `chunk × d` floats each.
            let queries = scratch
            let s = queries + heads * d
            let out = s + heads * chunk
            let wideKeys = align64(out + heads * stride)
            let wideValues = wideKeys + chunk * d
            var fewest = chunk
            var most = 0
            /// How many of chunk c's cells row r sees (its first ones).
            func cells(_ r: Int) -> Int { min(chunk, xs[r].rows - start) }
            for (r, x) in xs.enumerated() {
                (fewest, most) = (min(fewest, cells(r)), max(most, cells(r)))
                queries.advanced(by: r * group * d).update(from: x.queries, count: group * d)
            }

            var segments = Segments(spans: x0.spans, skip: start, rows: most)
            while let (span, offset) = segments.next() {
                // Cells every row sees, in whole groups of four from the segment's start.
                let shared = max(0, min(fewest - offset, span.count)) & ~3
                if shared > 0 {
                    // The first four heads read the cache and leave its keys widened for the rest.
                    AVX512Dot.halfScores(
                        queries: queries, heads: min(4, heads), keys: UnsafeRawPointer(keys + span.lowerBound * d),
                        prefetching: UnsafeRawPointer(values + span.lowerBound * d), rows: shared, count: d,
                        scale: x0.scale, into: s + offset, stride: chunk, keysAhead: keysAhead(rowBytes: 2 * d),
                        widening: wideKeys)
                    var h = 4
                    while h < heads {
                        AVX512Dot.pairedScores(
                            queries: queries + h * d, heads: min(4, heads - h), keys: wideKeys, rows: shared, count: d,
                            scale: x0.scale, into: s + h * chunk + offset, stride: chunk)
                        h += 4
                    }
                }
                for r in xs.indices {
                    let own = max(0, min(cells(r) - offset, span.count))
                    guard own > shared else { continue }
                    let first = span.lowerBound + shared
                    GroupedAttentionKernels.scores(
                        queries + r * group * d, group: group, keys + first * d, values: values + first * d,
                        rows: own - shared, count: d, scale: x0.scale, alignedTail: false,
                        into: s + r * group * chunk + offset + shared, stride: chunk, path: path)
                }
            }
            for h in 0..<heads {
                let sh = s + h * chunk
                let count = cells(h / group)
                let m =
                    x0.softcap.map { AttentionKernels.softcap(sh, count: count, cap: $0) }
                    ?? GroupedAttentionKernels.maximum(sh, count: count)
                out[h * stride] = m
                out[h * stride + 1] = GroupedAttentionKernels.exponentiate(sh, count: count, subtracting: m, path: path)
            }
            segments = Segments(spans: x0.spans, skip: start, rows: most)
            while let (span, offset) = segments.next() {
                let shared = max(0, min(fewest - offset, span.count))
                if shared > 0 {
                    var rows = AVX512Dot.WeightedRows(
                        weights: s + offset, headStride: chunk, blockStride: 0,
                        values: UnsafeRawPointer(values + span.lowerBound * d), rowBytes: 2 * d, rows: shared, count: d,
                        out: out + 2, outStride: stride, accumulate: offset > 0)
                    rows.widened = wideValues
                    AVX512Dot.halfWeightedSum(rows, group: heads)
                }
                for r in xs.indices {
                    let own = max(0, min(cells(r) - offset, span.count))
                    guard own > shared else { continue }
                    GroupedAttentionKernels.weightedSum(
                        s + r * group * chunk + offset + shared, stride: chunk, group: group,
                        values + (span.lowerBound + shared) * d, rows: own - shared, count: d,
                        into: out + r * group * stride + 2, outStride: stride, accumulate: offset + shared > 0,
                        path: path)
                }
            }
            for r in xs.indices {
                partials[r].update(from: out + r * group * stride, count: group * stride)
            }
        #endif
    }

    /// `p` rounded up to a multiple of 64 bytes.
    private static func align64(_ p: UnsafeMutablePointer<Float>) -> UnsafeMutablePointer<Float> {
        let address = UInt(bitPattern: p)
        return p + Int(((address + 63) & ~63) - address) / MemoryLayout<Float>.size
    }
}
