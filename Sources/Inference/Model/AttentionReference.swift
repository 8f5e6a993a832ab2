import Foundation

/// The scalar reference for exact attention over an F32 or F16 cache (`GroupedAttention`), the
/// oracle its tests compare every chunking and grouping with.
///
/// Written for clarity, not speed: one query head at a time, every product and sum in double,
/// the textbook two-pass softmax over all visible rows at once (no chunks, no partials, no
/// rescaling). It shares no loop with the kernels, so a wrong chunk boundary, span walk, head
/// offset or merge there shows up as a difference here.
enum AttentionReference {
    /// `Σ_j softmax_j(score_j) · V[j]` over the first `rows` cells of `spans` (in order; rows of
    /// `count` elements at `cell · count`), with `score_j = (q · K[j]) · scale`, squashed to
    /// `c·tanh(s/c)` with a `softcap` c.
    static func attend<T: KVStorageElement>(
        _ q: UnsafePointer<Float>, keys: UnsafePointer<T>, values: UnsafePointer<T>, spans: [Range<Int>],
        rows: Int, count: Int, scale: Float, softcap: Float?
    ) -> [Float] {
        let cells = Array(spans.flatMap { Array($0) }.prefix(rows))
        let dots: [Double] = cells.map { cell in
            var dot = 0.0
            for i in 0..<count { dot += Double(q[i]) * Double(T.load1(keys + cell * count + i)) }
            return dot
        }
        return softmaxWeightedSum(dots: dots, cells: cells, count: count, scale: scale, softcap: softcap) { cell, i in
            Double(T.load1(values + cell * count + i))
        }
    }

    /// The end both references share: each of `dots` (q · K[j] of the visible `cells`, in order)
    /// times `scale`, squashed to `c·tanh(s/c)` with a `softcap` c, the textbook two-pass softmax
    /// in double, then `Σ_j weight_j · value(cell_j, i)` for each of the `count` elements.
    static func softmaxWeightedSum(
        dots: [Double], cells: [Int], count: Int, scale: Float, softcap: Float?, value: (Int, Int) -> Double
    ) -> [Float] {
        var scores: [Double] = dots.map { dot in
            let s = dot * Double(scale)
            guard let cap = softcap.map(Double.init) else { return s }
            return cap * tanh(s / cap)
        }
        let maximum = scores.max() ?? 0
        scores = scores.map { exp($0 - maximum) }
        let total = scores.reduce(0, +)
        var out = [Double](repeating: 0, count: count)
        for (weight, cell) in zip(scores, cells) {
            for i in 0..<count { out[i] += weight / total * value(cell, i) }
        }
        return out.map { Float($0) }
    }
}
