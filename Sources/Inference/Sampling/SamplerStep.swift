import Foundation

/// One stage of token selection: it narrows, reorders or reweights the candidates.
///
/// As in llama.cpp, a sampler is a small interface and a chain of samplers is itself a sampler,
/// so each rule (penalties, top-k, top-p, ...) is written and tested on its own.
public protocol SamplerStep: Sendable {
    /// Applies the rule. `history` is every token of the context so far (prompt and output).
    mutating func apply(to candidates: inout TokenCandidates, history: ArraySlice<Int32>)
}

/// Adds a fixed bias to chosen tokens' logits (OpenAI's `logit_bias`).
public struct LogitBiasStep: SamplerStep {
    public var bias: [Int32: Float]

    public mutating func apply(to candidates: inout TokenCandidates, history: ArraySlice<Int32>) {
        guard !bias.isEmpty else { return }
        for index in 0..<candidates.count {
            if let delta = bias[candidates.ids[index]] { candidates.logits[index] += delta }
        }
    }
}

/// Repetition, presence and frequency penalties over the last `lastN` tokens of the context.
///
/// llama.cpp's repeat penalty divides positive logits and multiplies negative ones; OpenAI's
/// penalties subtract `presence` once and `frequency` per occurrence.
public struct PenaltyStep: SamplerStep {
    public var repeatPenalty: Float
    public var lastN: Int
    public var presence: Float
    public var frequency: Float
    private var counts: [Int32: Int] = [:]

    public init(repeatPenalty: Float, lastN: Int, presence: Float, frequency: Float) {
        self.repeatPenalty = repeatPenalty
        self.lastN = lastN
        self.presence = presence
        self.frequency = frequency
    }

    public mutating func apply(to candidates: inout TokenCandidates, history: ArraySlice<Int32>) {
        guard lastN != 0, repeatPenalty != 1 || presence != 0 || frequency != 0 else { return }
        let window = lastN < 0 ? history : history.suffix(lastN)
        counts.removeAll(keepingCapacity: true)
        for token in window { counts[token, default: 0] += 1 }
        guard !counts.isEmpty else { return }
        for index in 0..<candidates.count {
            guard let count = counts[candidates.ids[index]] else { continue }
            var logit = candidates.logits[index]
            logit = logit > 0 ? logit / repeatPenalty : logit * repeatPenalty
            logit -= Float(count) * frequency + presence
            candidates.logits[index] = logit
        }
        candidates.isSorted = false
    }
}

/// Keeps the `k` most likely tokens.
public struct TopKStep: SamplerStep {
    public var k: Int

    public mutating func apply(to candidates: inout TokenCandidates, history: ArraySlice<Int32>) {
        guard k > 0 else { return }
        candidates.keepTop(k)
    }
}

/// Keeps the most likely tokens until their probability mass reaches `p` (nucleus sampling).
public struct TopPStep: SamplerStep {
    public var p: Float
    public var minKeep = 1

    public mutating func apply(to candidates: inout TokenCandidates, history: ArraySlice<Int32>) {
        guard p < 1, candidates.count > 1 else { return }
        candidates.sortDescending()
        let probabilities = candidates.probabilities()
        var mass: Float = 0
        var keep = candidates.count
        for (index, probability) in probabilities.enumerated() {
            mass += probability
            if mass >= p, index + 1 >= minKeep {
                keep = index + 1
                break
            }
        }
        candidates.truncate(to: keep)
    }
}

/// Drops tokens whose probability is below `p` times the best token's.
public struct MinPStep: SamplerStep {
    public var p: Float

    public mutating func apply(to candidates: inout TokenCandidates, history: ArraySlice<Int32>) {
        guard p > 0, candidates.count > 1 else { return }
        candidates.sortDescending()
        guard let best = candidates.logits.first else { return }
        let threshold = best + logf(p)
        var keep = 1
        while keep < candidates.count, candidates.logits[keep] >= threshold { keep += 1 }
        candidates.truncate(to: keep)
    }
}

/// Divides logits by the temperature: below 1 sharpens the distribution, above 1 flattens it.
public struct TemperatureStep: SamplerStep {
    public var temperature: Float

    public mutating func apply(to candidates: inout TokenCandidates, history: ArraySlice<Int32>) {
        guard temperature > 0, temperature != 1 else { return }
        for index in 0..<candidates.count { candidates.logits[index] /= temperature }
    }
}
