import Foundation

/// One of an assistant turn's alternative answers (transcript version 2).
///
/// A turn gets alternatives from `n > 1` or from regenerating it; the message's `content` and
/// record are always those of the chosen one, so readers that know only OpenAI's shape still
/// see the answer the conversation continued from.
public struct AnswerAlternative: Sendable, Equatable {
    public var content: String
    /// How it was produced (parameters, seed, finish reason, usage, timings).
    public var record: AnswerRecord?
    /// Which of its request's `n` choices it was (0 when `n == 1`): with the record's seed and
    /// parameters this replays it.
    public var choiceIndex: Int
    /// Mean negative log-likelihood of its own tokens, in nats, when known.
    public var crossEntropy: Double?
    /// Its tokens with their log probabilities, when `logprobs` was asked for.
    public var logprobs: [TokenLogprob]?

    public init(
        content: String, record: AnswerRecord? = nil, choiceIndex: Int = 0, crossEntropy: Double? = nil,
        logprobs: [TokenLogprob]? = nil
    ) {
        self.content = content
        self.record = record
        self.choiceIndex = choiceIndex
        self.crossEntropy = crossEntropy
        self.logprobs = logprobs
    }

    /// `exp(crossEntropy)`: how many tokens the model was choosing between, on average.
    public var perplexity: Double? { crossEntropy.map { Foundation.exp($0) } }

    /// Whether it carries more than a version 1 message could hold (so it must be written out).
    var hasExtras: Bool { choiceIndex != 0 || crossEntropy != nil || logprobs != nil }
}

extension AnswerAlternative: Codable {
    enum CodingKeys: String, CodingKey {
        case content, logprobs
        case choiceIndex = "choice_index"
        case crossEntropy = "cross_entropy"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        content = try c.decode(String.self, forKey: .content)
        record = try? AnswerRecord(from: decoder)
        choiceIndex = try c.decodeIfPresent(Int.self, forKey: .choiceIndex) ?? 0
        guard (0..<SamplingParameters.maxChoices).contains(choiceIndex) else {
            throw DecodingError.dataCorruptedError(
                forKey: .choiceIndex, in: c,
                debugDescription: "choice_index must be 0 to \(SamplingParameters.maxChoices - 1), got \(choiceIndex)")
        }
        crossEntropy = try c.decodeIfPresent(Double.self, forKey: .crossEntropy)
        logprobs = try c.decodeIfPresent(CompactLogprobs.self, forKey: .logprobs)?.tokens
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(content, forKey: .content)
        try record?.encode(to: encoder)
        if choiceIndex != 0 { try c.encode(choiceIndex, forKey: .choiceIndex) }
        try c.encodeIfPresent(crossEntropy.map(CompactLogprobs.round), forKey: .crossEntropy)
        try c.encodeIfPresent(logprobs.map(CompactLogprobs.init), forKey: .logprobs)
    }
}

extension Completion {
    /// Every choice as an alternative answer, with its record.
    public func alternatives(parameters: SamplingParameters) -> [AnswerAlternative] {
        choices.map { choice in
            AnswerAlternative(
                content: choice.text,
                record: AnswerRecord(
                    parameters: parameters, seed: seed, finishReason: choice.reason,
                    usage: Usage(
                        promptTokens: usage.promptTokens, completionTokens: choice.completionTokens,
                        cachedTokens: usage.cachedTokens),
                    timings: timings, error: choice.error, backend: backend),
                choiceIndex: choice.index, crossEntropy: choice.crossEntropy.map(CompactLogprobs.round),
                logprobs: choice.logprobs.map(CompactLogprobs.rounded))
        }
    }

    /// The assistant message holding every choice, the first one chosen.
    public func answerMessage(parameters: SamplingParameters) -> ChatMessage {
        ChatMessage.answer(alternatives(parameters: parameters), chosen: 0)
    }
}
