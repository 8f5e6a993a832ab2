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
    /// Where the chain resumes after `candidates` was filled straight from the model's row with
    /// the top `k` (nil: the steps before top-k change logits, so every step runs on a copy).
    private let topKShortcut: Int?
    /// Take the shortcuts (false: the full chain on a copy of the vocabulary, the reference the
    /// tests compare the shortcuts with).
    package var usesShortcuts = true

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
        let afterTopK = chain.firstIndex { $0 is TopKStep }.map { $0 + 1 }
        topKShortcut = settings.topK > 0 && Self.keepsLogits(settings) ? afterTopK : nil
    }

    /// Whether logit bias and penalties leave every logit as the model gave it.
    private static func keepsLogits(_ settings: SamplerSettings) -> Bool {
        settings.logitBias.isEmpty
            && (settings.repeatLastN == 0
                || (settings.repeatPenalty == 1 && settings.presencePenalty == 0 && settings.frequencyPenalty == 0))
    }

    /// Picks a token from `logits` given the context `history`.
    ///
    /// Two shortcuts give the chain's answer without copying the vocabulary (49k logits and ids
    /// a row, most of a row's sampling time) when bias and penalties change nothing: greedy takes
    /// the argmax of the row itself, and top-k fills the candidates with the row's best `k`,
    /// which is what the copy holds after top-k (the same scan, in id order, with the same ties).
    package mutating func sample(logits: UnsafeBufferPointer<Float>, history: ArraySlice<Int32>) -> Int32 {
        var first = 0
        if usesShortcuts, settings.temperature <= 0, Self.keepsLogits(settings) {
            return Self.argmax(of: logits)
        } else if usesShortcuts, let shortcut = topKShortcut, settings.topK < logits.count {
            candidates.resetToTop(settings.topK, of: logits)
            first = shortcut
        } else {
            candidates.reset(logits: logits)
        }
        for index in steps.indices.dropFirst(first) { steps[index].apply(to: &candidates, history: history) }
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
        candidates.ids[Self.firstMaximum(of: candidates.logits)]
    }

    /// The first index of the largest logit: `argmax()` on an untouched copy of `logits`.
    private static func argmax(of logits: UnsafeBufferPointer<Float>) -> Int32 {
        Int32(firstMaximum(of: logits))
    }

    /// The index of the first of the largest values (0 when empty): one scan for the candidates
    /// and for a model's row alike, so the greedy shortcut picks exactly what the chain picks.
    private static func firstMaximum<C: RandomAccessCollection<Float>>(of values: C) -> Int where C.Index == Int {
        var best = values.startIndex
        for index in values.indices.dropFirst() where values[index] > values[best] { best = index }
        return best
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
