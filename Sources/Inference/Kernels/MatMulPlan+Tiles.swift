/// The 4 rows × 4 tokens path of `MatMulPlan.computeQuantized`.
extension MatMulPlan {
    /// Computes `out[t][r]` for `t` in `tokens` and the rows of `rows` in whole groups of four;
    /// returns the first row it left (the last 0-3 rows, for the caller's kernels).
    ///
    /// Measured on SmolLM2 Q4_1 decode (Zen 4, AVX-512, 2 threads), one step of n sequences:
    /// one token 3.6 ms, four tokens 5.4 ms through tiles, but two and three tokens through the
    /// one-token kernel 5.4 and 7.3 ms. So a remainder of two or three tokens also takes a tile,
    /// its last token repeated into the unused slots and their sums dropped; a remainder of one
    /// takes the one-token kernel, its rows still in L1 from the tile before.
    static func computeTiles(
        _ w: WeightMatrix, rows: Range<Int>, tokens: Range<Int>, activations: QuantizedActivations,
        out: UnsafeMutablePointer<Float>, tiled: RowTile, kernel: RowDot, streaming: Bool
    ) -> Int {
        let blocks = w.columns / w.type.blockSize
        var padding = SIMD16<Float>()
        var r = rows.lowerBound
        while r + 4 <= rows.upperBound {
            // Four rows read side by side are four streams, which the hardware prefetcher
            // follows worse than one: ask for the next tile's rows.
            if streaming && r + 8 <= rows.upperBound {
                prefetch(w.row(r + 4), bytes: 4 * w.rowBytes)
            }
            var t = tokens.lowerBound
            while t + 4 <= tokens.upperBound {
                let four = (activations.row(t), activations.row(t + 1), activations.row(t + 2), activations.row(t + 3))
                tiled(w.row(r), w.rowBytes, four, blocks, out + t * w.rows + r, w.rows)
                t += 4
            }
            let left = tokens.upperBound - t
            if left >= 2 {
                let last = tokens.upperBound - 1
                let four = (
                    activations.row(t), activations.row(t + 1), activations.row(min(t + 2, last)),
                    activations.row(min(t + 3, last))
                )
                withUnsafeMutableBytes(of: &padding) { raw in
                    guard let padded = raw.baseAddress?.assumingMemoryBound(to: Float.self) else { return }
                    tiled(w.row(r), w.rowBytes, four, blocks, padded, 4)
                    for u in 0..<left {
                        for i in 0..<4 { out[(t + u) * w.rows + r + i] = padded[u * 4 + i] }
                    }
                }
            } else if left == 1 {
                for i in 0..<4 { out[t * w.rows + r + i] = kernel(w.row(r + i), activations.row(t), blocks) }
            }
            r += 4
        }
        return r
    }
}
