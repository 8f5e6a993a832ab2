/// How the next token is chosen from the model's logits.
///
/// The names follow llama.cpp's samplers and OpenAI's Chat Completion penalties; `temperature` 0
/// means greedy. Validation with user-facing messages lives with the chat parameters; here the
/// values are taken as given.
public struct SamplerSettings: Sendable, Equatable {
    public var temperature: Float
    /// Keep only the `topK` most likely tokens; 0 disables.
    public var topK: Int
    /// Keep the smallest set of tokens whose probability mass reaches `topP`; 1 disables.
    public var topP: Float
    /// Drop tokens less likely than `minP` times the most likely one; 0 disables.
    public var minP: Float
    /// llama.cpp's repetition penalty over the last `repeatLastN` tokens; 1 disables.
    public var repeatPenalty: Float
    public var repeatLastN: Int
    /// OpenAI's penalties: subtract `presence` once per seen token, `frequency` per occurrence.
    public var presencePenalty: Float
    public var frequencyPenalty: Float
    /// Added to the logit of each listed token id (-100 effectively bans it).
    public var logitBias: [Int32: Float]
    public var seed: UInt64

    public init(
        temperature: Float = 0.8, topK: Int = 40, topP: Float = 0.95, minP: Float = 0.05,
        repeatPenalty: Float = 1.0, repeatLastN: Int = 64, presencePenalty: Float = 0,
        frequencyPenalty: Float = 0, logitBias: [Int32: Float] = [:], seed: UInt64 = 0
    ) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.minP = minP
        self.repeatPenalty = repeatPenalty
        self.repeatLastN = repeatLastN
        self.presencePenalty = presencePenalty
        self.frequencyPenalty = frequencyPenalty
        self.logitBias = logitBias
        self.seed = seed
    }

    /// Always the most likely token, the setting reference comparisons use.
    public static let greedy = SamplerSettings(temperature: 0, topK: 1, topP: 1, minP: 0)
}

extension SamplerSettings {
    /// The seed of alternative `index` of one request: `seed` itself for the first, so a single
    /// answer is unchanged by the existence of alternatives, and for the others a SplitMix64 mix
    /// of the seed and the index, so neighbouring seeds do not give overlapping streams.
    public static func choiceSeed(_ seed: UInt64, index: Int) -> UInt64 {
        guard index > 0 else { return seed }
        var z = seed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
