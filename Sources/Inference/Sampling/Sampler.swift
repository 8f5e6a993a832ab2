import Foundation

/// Chooses the next token: a chain of `SamplerStep`s, then a seeded draw (or the argmax).
///
/// The order is llama.cpp's default: logit bias, penalties, top-k, top-p, min-p, temperature,
/// then a draw from the remaining distribution. With temperature 0 the most likely token after
/// bias and penalties is taken, so greedy output is reproducible without a seed.
public struct Sampler: Sendable {
    public private(set) var settings: SamplerSettings
    private var steps: [any SamplerStep]
    private var random: SamplerRandom
    private var candidates = TokenCandidates()

    public init(settings: SamplerSettings) {
        self.settings = settings
        random = SamplerRandom(seed: settings.seed)
        var chain: [any SamplerStep] = [
            LogitBiasStep(bias: settings.logitBias),
            PenaltyStep(
                repeatPenalty: settings.repeatPenalty, lastN: settings.repeatLastN,
                presence: settings.presencePenalty, frequency: settings.frequencyPenalty)
        ]
        if settings.temperature > 0 {
            chain += [
                TopKStep(k: settings.topK), TopPStep(p: settings.topP), MinPStep(p: settings.minP),
                TemperatureStep(temperature: settings.temperature)
            ]
        }
        steps = chain
    }

    /// Picks a token from `logits` given the context `history`.
    package mutating func sample(logits: UnsafeBufferPointer<Float>, history: ArraySlice<Int32>) -> Int32 {
        candidates.reset(logits: logits)
        for index in steps.indices { steps[index].apply(to: &candidates, history: history) }
        if settings.temperature <= 0 { return argmax() }
        let probabilities = candidates.probabilities()
        let draw = Float(random.nextUnitDouble())
        var cumulative: Float = 0
        for (index, probability) in probabilities.enumerated() {
            cumulative += probability
            if draw < cumulative { return candidates.ids[index] }
        }
        return candidates.ids[candidates.count - 1]
    }

    private func argmax() -> Int32 {
        var best = 0
        for index in 1..<max(candidates.count, 1) where candidates.logits[index] > candidates.logits[best] {
            best = index
        }
        return candidates.ids[best]
    }
}

/// xoshiro256** seeded through SplitMix64: fast, small state, the same stream on every platform.
public struct SamplerRandom: RandomNumberGenerator, Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    public init(seed: UInt64) {
        var mix = seed
        func splitMix() -> UInt64 {
            mix &+= 0x9E37_79B9_7F4A_7C15
            var z = mix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    public mutating func next() -> UInt64 {
        let result = ((state.1 &* 5) << 7 | (state.1 &* 5) >> 57) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = state.3 << 45 | state.3 >> 19
        return result
    }

    /// A double uniformly in [0, 1) from the top 53 bits.
    public mutating func nextUnitDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }
}
