#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Log probabilities of one step's logits, computed without sorting the vocabulary.
///
/// `log p(i) = l[i] − (m + log Σ_j exp(l[j] − m))` with `m` the largest logit: one vectorized
/// pass for the maximum, one for the sum of exponentials (each lane's terms summed in double,
/// so 49,152 terms lose nothing), and, only when alternatives are asked for, one scalar pass
/// keeping the best `k` in a small sorted buffer (O(V + k·inserts), almost always a single
/// comparison per logit). A decoding step of a 135M model takes ~6 ms; this takes ~0.05 ms.
public enum LogSoftmax {
    /// The most alternatives a step reports (OpenAI's `top_logprobs` limit).
    public static let maximumTop = 20

    /// `m + log Σ exp(l − m)`: subtract it from a logit to get its log probability.
    package static func logNormalizer(_ logits: UnsafeBufferPointer<Float>) -> Double {
        guard let base = logits.baseAddress, !logits.isEmpty else { return 0 }
        let count = logits.count
        var maximum8 = SIMD8<Float>(repeating: -.infinity)
        var i = 0
        while i + 8 <= count {
            maximum8 = pointwiseMax(maximum8, UnsafeRawPointer(base + i).loadUnaligned(as: SIMD8<Float>.self))
            i += 8
        }
        var maximum = maximum8.max()
        while i < count {
            maximum = max(maximum, base[i])
            i += 1
        }
        guard maximum.isFinite else { return Double(maximum) }

        let shift = SIMD8<Float>(repeating: maximum)
        var low = SIMD4<Double>()
        var high = SIMD4<Double>()
        i = 0
        while i + 8 <= count {
            let e = VectorMath.exp(UnsafeRawPointer(base + i).loadUnaligned(as: SIMD8<Float>.self) - shift)
            low += SIMD4<Double>(e.lowHalf)
            high += SIMD4<Double>(e.highHalf)
            i += 8
        }
        var total = (low + high).sum()
        while i < count {
            total += Double(expf(base[i] - maximum))
            i += 1
        }
        return Double(maximum) + log(total)
    }

    /// The score of `token` at a step with these logits, with the `top` (≤ 20) most likely tokens.
    package static func score(_ token: Int32, logits: UnsafeBufferPointer<Float>, top: Int) -> TokenScore {
        let normalizer = logNormalizer(logits)
        let logit = Int(token) < logits.count && token >= 0 ? Double(logits[Int(token)]) : -.infinity
        var score = TokenScore(token: token, logprob: logit - normalizer)
        if top > 0 {
            score.top = best(min(top, maximumTop), of: logits).map {
                TokenScore.Alternative(token: $0.token, logprob: Double($0.logit) - normalizer)
            }
        }
        return score
    }

    /// The `k` largest logits with their ids, largest first; equal logits keep the lower id first.
    package static func best(_ k: Int, of logits: UnsafeBufferPointer<Float>) -> [(token: Int32, logit: Float)] {
        guard k > 0 else { return [] }
        var ids = [Int32]()
        var values = [Float]()
        ids.reserveCapacity(k + 1)
        values.reserveCapacity(k + 1)
        for (index, value) in logits.enumerated() {
            if values.count == k {
                // The common case: not better than the weakest kept (ties lose to lower ids).
                guard let weakest = values.last, value > weakest else { continue }
                ids.removeLast()
                values.removeLast()
            }
            var slot = values.count
            while slot > 0, values[slot - 1] < value { slot -= 1 }
            ids.insert(Int32(index), at: slot)
            values.insert(value, at: slot)
        }
        return zip(ids, values).map { (token: $0, logit: $1) }
    }
}
