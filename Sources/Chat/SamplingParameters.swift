import Foundation

/// The parameters of one answer, with OpenAI Chat Completion names and meanings plus llama.cpp's
/// local samplers. Every field has a documented range; `validate()` names the first one outside.
public struct SamplingParameters: Codable, Sendable, Equatable {
    /// 0 is greedy; higher is more random.
    public var temperature: Double = 0.8
    public var topP: Double = 0.95
    /// Most tokens in one answer.
    public var maxTokens: Int = 512
    /// Up to four strings that end the answer when produced; they are not shown.
    public var stop: [String] = []
    public var presencePenalty: Double = 0
    public var frequencyPenalty: Double = 0
    /// nil draws a fresh seed per answer (recorded in the transcript so it can be replayed).
    public var seed: UInt64?
    /// Token id (as a string, as in OpenAI's API) to a bias in -100...100.
    public var logitBias: [String: Double] = [:]
    public var topK: Int = 40
    public var minP: Double = 0.05
    public var repeatPenalty: Double = 1.0
    public var repeatLastN: Int = 64
    /// How many alternative answers to generate (1–8); each draws from its own generator,
    /// seeded from `seed` and its index, so a run is reproducible.
    public var n: Int = 1
    /// Record each answer token's log probability (see `TokenLogprob`).
    public var logprobs: Bool = false
    /// How many of the most likely alternatives to record per token (0–20; needs `logprobs`).
    public var topLogprobs: Int = 0
    /// Score the prompt's own tokens too (the text API's `echo` with `logprobs`, which
    /// evaluation tools send for a text's cross-entropy); `maxTokens` may then be 0, to score
    /// the prompt alone. One request's option: never saved with a conversation.
    public var promptLogprobs = false

    public init() {}

    /// The most alternatives one request may ask for.
    public static let maxChoices = 8
    /// The most alternatives per token that `top_logprobs` may ask for (OpenAI's limit).
    public static let maxTopLogprobs = 20

    public static let defaults = SamplingParameters()

    enum CodingKeys: String, CodingKey {
        case temperature, stop, seed
        case topP = "top_p"
        case maxTokens = "max_tokens"
        case presencePenalty = "presence_penalty"
        case frequencyPenalty = "frequency_penalty"
        case logitBias = "logit_bias"
        case topK = "top_k"
        case minP = "min_p"
        case repeatPenalty = "repeat_penalty"
        case repeatLastN = "repeat_last_n"
        case n, logprobs
        case topLogprobs = "top_logprobs"
    }

    /// Decodes leniently: a missing field keeps its default, so older transcripts still load.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = SamplingParameters.defaults
        temperature = try c.decodeIfPresent(Double.self, forKey: .temperature) ?? d.temperature
        topP = try c.decodeIfPresent(Double.self, forKey: .topP) ?? d.topP
        maxTokens = try c.decodeIfPresent(Int.self, forKey: .maxTokens) ?? d.maxTokens
        stop = try c.decodeIfPresent([String].self, forKey: .stop) ?? d.stop
        presencePenalty = try c.decodeIfPresent(Double.self, forKey: .presencePenalty) ?? d.presencePenalty
        frequencyPenalty = try c.decodeIfPresent(Double.self, forKey: .frequencyPenalty) ?? d.frequencyPenalty
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed)
        logitBias = try c.decodeIfPresent([String: Double].self, forKey: .logitBias) ?? d.logitBias
        topK = try c.decodeIfPresent(Int.self, forKey: .topK) ?? d.topK
        minP = try c.decodeIfPresent(Double.self, forKey: .minP) ?? d.minP
        repeatPenalty = try c.decodeIfPresent(Double.self, forKey: .repeatPenalty) ?? d.repeatPenalty
        repeatLastN = try c.decodeIfPresent(Int.self, forKey: .repeatLastN) ?? d.repeatLastN
        n = try c.decodeIfPresent(Int.self, forKey: .n) ?? d.n
        logprobs = try c.decodeIfPresent(Bool.self, forKey: .logprobs) ?? d.logprobs
        topLogprobs = try c.decodeIfPresent(Int.self, forKey: .topLogprobs) ?? d.topLogprobs
    }

    /// Writes the fields of version 1 always, and the newer ones only when they differ from
    /// their defaults, so a plain answer's record stays as short as before.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(temperature, forKey: .temperature)
        try c.encode(topP, forKey: .topP)
        try c.encode(maxTokens, forKey: .maxTokens)
        try c.encode(stop, forKey: .stop)
        try c.encode(presencePenalty, forKey: .presencePenalty)
        try c.encode(frequencyPenalty, forKey: .frequencyPenalty)
        try c.encodeIfPresent(seed, forKey: .seed)
        try c.encode(logitBias, forKey: .logitBias)
        try c.encode(topK, forKey: .topK)
        try c.encode(minP, forKey: .minP)
        try c.encode(repeatPenalty, forKey: .repeatPenalty)
        try c.encode(repeatLastN, forKey: .repeatLastN)
        if n != 1 { try c.encode(n, forKey: .n) }
        if logprobs { try c.encode(logprobs, forKey: .logprobs) }
        if topLogprobs != 0 { try c.encode(topLogprobs, forKey: .topLogprobs) }
    }

    /// Throws `ChatError.invalidParameter` naming the first value outside its range.
    ///
    /// `contextLength` and `vocabularySize` are the loaded model's, when known: every surface
    /// (F3, `parley run`, the server, the session itself) passes them, so the rule and the
    /// message are the same everywhere.
    public func validate(contextLength: Int? = nil, vocabularySize: Int? = nil) throws(ChatError) {
        try Self.check(temperature, in: 0...2, "temperature")
        try Self.check(topP, in: 0...1, "top_p")
        if promptLogprobs {
            guard maxTokens >= 0 else { throw .invalidParameter("max_tokens must be at least 0") }
        } else {
            guard maxTokens >= 1 else { throw .invalidParameter("max_tokens must be at least 1") }
        }
        if let contextLength, maxTokens > contextLength {
            throw .invalidParameter("max_tokens must be at most the context length (\(contextLength))")
        }
        guard stop.count <= 4 else { throw .invalidParameter("stop takes at most 4 strings, got \(stop.count)") }
        guard !stop.contains("") else { throw .invalidParameter("stop strings must not be empty") }
        try Self.check(presencePenalty, in: -2...2, "presence_penalty")
        try Self.check(frequencyPenalty, in: -2...2, "frequency_penalty")
        for (token, bias) in logitBias {
            guard let id = Int32(token), id >= 0 else {
                throw .invalidParameter("logit_bias keys must be token ids, got '\(token)'")
            }
            if let vocabularySize, Int(id) >= vocabularySize {
                throw .invalidParameter(
                    "logit_bias token id \(token) is beyond the vocabulary (ids 0 to \(vocabularySize - 1))")
            }
            try Self.check(bias, in: -100...100, "logit_bias for token \(token)")
        }
        guard topK >= 0 else { throw .invalidParameter("top_k must be 0 (off) or more") }
        try Self.check(minP, in: 0...1, "min_p")
        guard repeatPenalty > 0, repeatPenalty <= 10, repeatPenalty.isFinite else {
            throw .invalidParameter("repeat_penalty must be greater than 0 and at most 10")
        }
        guard repeatLastN >= -1 else {
            throw .invalidParameter("repeat_last_n must be -1 (whole context), 0 (off) or more")
        }
        guard (1...Self.maxChoices).contains(n) else {
            throw .invalidParameter("n must be between 1 and \(Self.maxChoices), got \(n)")
        }
        guard (0...Self.maxTopLogprobs).contains(topLogprobs) else {
            throw .invalidParameter("top_logprobs must be between 0 and \(Self.maxTopLogprobs), got \(topLogprobs)")
        }
        guard topLogprobs == 0 || logprobs else {
            throw .invalidParameter("top_logprobs needs logprobs to be true")
        }
    }

    private static func check(_ value: Double, in range: ClosedRange<Double>, _ name: String) throws(ChatError) {
        guard value.isFinite, range.contains(value) else {
            throw .invalidParameter(
                "\(name) must be between \(format(range.lowerBound)) and \(format(range.upperBound)), got \(format(value))"
            )
        }
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : String(value)
    }
}
