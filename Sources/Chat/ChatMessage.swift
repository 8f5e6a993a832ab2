import Foundation

/// Who wrote a message, with Chat Completion's role names.
public enum Role: String, Codable, Sendable, CaseIterable {
    case system, user, assistant
}

/// Token counts of one answer, as Chat Completion's `usage`.
public struct Usage: Codable, Sendable, Equatable {
    public var promptTokens: Int
    public var completionTokens: Int
    /// Prompt tokens served from the KV cache instead of being evaluated again.
    public var cachedTokens: Int

    public init(promptTokens: Int, completionTokens: Int, cachedTokens: Int) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.cachedTokens = cachedTokens
    }

    public var totalTokens: Int { promptTokens + completionTokens }

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case cachedTokens = "cached_tokens"
    }
}

/// How fast an answer was produced.
public struct Timings: Codable, Sendable, Equatable {
    public var prefillTokensPerSecond: Double
    public var decodeTokensPerSecond: Double
    /// Tokens drafted by speculative decoding and how many the model accepted (nil when the
    /// answer was decoded without drafting: speculation off, `n` > 1, a remote engine).
    public var draftedTokens: Int?
    public var acceptedDraftTokens: Int?

    public init(
        prefillTokensPerSecond: Double, decodeTokensPerSecond: Double, draftedTokens: Int? = nil,
        acceptedDraftTokens: Int? = nil
    ) {
        self.prefillTokensPerSecond = prefillTokensPerSecond
        self.decodeTokensPerSecond = decodeTokensPerSecond
        self.draftedTokens = draftedTokens
        self.acceptedDraftTokens = acceptedDraftTokens
    }

    /// accepted / drafted, when anything was drafted.
    public var draftAcceptanceRate: Double? {
        guard let draftedTokens, let acceptedDraftTokens, draftedTokens > 0 else { return nil }
        return Double(acceptedDraftTokens) / Double(draftedTokens)
    }

    enum CodingKeys: String, CodingKey {
        case prefillTokensPerSecond = "prefill_tokens_per_second"
        case decodeTokensPerSecond = "decode_tokens_per_second"
        case draftedTokens = "drafted_tokens"
        case acceptedDraftTokens = "accepted_draft_tokens"
    }
}

/// What produced an assistant message, kept so a transcript says how each answer came about.
public struct AnswerRecord: Codable, Sendable, Equatable {
    public var parameters: SamplingParameters
    public var seed: UInt64
    public var finishReason: FinishReason
    public var usage: Usage
    public var timings: Timings
    public var error: String?
    /// Which backend answered (absent in transcripts written before remote engines).
    public var backend: BackendReference?

    public init(
        parameters: SamplingParameters, seed: UInt64, finishReason: FinishReason, usage: Usage,
        timings: Timings, error: String? = nil, backend: BackendReference? = nil
    ) {
        self.parameters = parameters
        self.seed = seed
        self.finishReason = finishReason
        self.usage = usage
        self.timings = timings
        self.error = error
        self.backend = backend
    }

    enum CodingKeys: String, CodingKey {
        case parameters, seed, usage, timings, error, backend
        case finishReason = "finish_reason"
    }
}

/// One message in OpenAI's shape (`role`, `content`); assistant messages also carry their record
/// and, in transcript version 2, their alternative answers.
public struct ChatMessage: Codable, Sendable, Equatable {
    public var role: Role
    /// The text; for an answer with alternatives, the chosen one's (what the conversation
    /// continues from).
    public var content: String
    /// How the answer was produced; for an answer with alternatives, the chosen one's record.
    public var record: AnswerRecord?
    /// Every alternative answer of this turn, empty for a plain single answer (content and
    /// record say it all). When not empty, `alternatives[chosen]` is the content and record.
    public private(set) var alternatives: [AnswerAlternative] = []
    /// Which alternative is chosen (0 without alternatives).
    public private(set) var chosen = 0

    public init(role: Role, content: String, record: AnswerRecord? = nil) {
        self.role = role
        self.content = content
        self.record = record
    }

    public static func user(_ text: String) -> ChatMessage { ChatMessage(role: .user, content: text) }
    public static func assistant(_ text: String) -> ChatMessage { ChatMessage(role: .assistant, content: text) }
    public static func system(_ text: String) -> ChatMessage { ChatMessage(role: .system, content: text) }

    /// An assistant message holding `alternatives` with `chosen` shown; a single plain answer
    /// (no probabilities) stays a version 1 message.
    public static func answer(_ alternatives: [AnswerAlternative], chosen: Int = 0) -> ChatMessage {
        var message = ChatMessage(role: .assistant, content: "")
        message.setAlternatives(alternatives, chosen: chosen)
        return message
    }

    /// The answers of this turn: its alternatives, or the message itself as the only one.
    public var answers: [AnswerAlternative] {
        alternatives.isEmpty ? [AnswerAlternative(content: content, record: record)] : alternatives
    }

    /// The answer shown and continued from.
    public var chosenAnswer: AnswerAlternative { answers[min(chosen, answers.count - 1)] }

    /// Shows alternative `index` (clamped): its text and record become the message's.
    public mutating func choose(_ index: Int) {
        guard !alternatives.isEmpty else { return }
        chosen = min(max(0, index), alternatives.count - 1)
        content = alternatives[chosen].content
        record = alternatives[chosen].record
    }

    /// Adds answers to this turn (regenerating) and shows the first of them. Past
    /// `maxAlternatives` the oldest are dropped, so the file can always be read back.
    public mutating func add(_ more: [AnswerAlternative]) {
        guard !more.isEmpty else { return }
        let combined = answers + more.suffix(Self.maxAlternatives)
        let kept = Array(combined.suffix(Self.maxAlternatives))
        setAlternatives(kept, chosen: kept.count - min(more.count, Self.maxAlternatives))
    }

    private mutating func setAlternatives(_ list: [AnswerAlternative], chosen index: Int) {
        guard !list.isEmpty else { return }
        let chosenIndex = min(max(0, index), list.count - 1)
        if list.count == 1 && !list[0].hasExtras {
            alternatives = []
            chosen = 0
        } else {
            alternatives = list
            chosen = chosenIndex
        }
        content = list[chosenIndex].content
        record = list[chosenIndex].record
    }

    // The record's fields sit beside role and content, so readers that know only the OpenAI
    // shape still see a plain message.
    enum CodingKeys: String, CodingKey { case role, content, alternatives, chosen }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        role = try container.decode(Role.self, forKey: .role)
        content = try container.decode(String.self, forKey: .content)
        record = role == .assistant ? try? AnswerRecord(from: decoder) : nil
        guard role == .assistant, container.contains(.alternatives) else { return }
        let list = try container.decode([AnswerAlternative].self, forKey: .alternatives)
        let index = try container.decodeIfPresent(Int.self, forKey: .chosen) ?? 0
        guard !list.isEmpty, list.count <= Self.maxAlternatives else {
            throw DecodingError.dataCorruptedError(
                forKey: .alternatives, in: container,
                debugDescription: "alternatives must hold 1 to \(Self.maxAlternatives) answers, got \(list.count)")
        }
        guard list.indices.contains(index) else {
            throw DecodingError.dataCorruptedError(
                forKey: .chosen, in: container,
                debugDescription: "chosen is \(index) but there are \(list.count) alternatives")
        }
        alternatives = list
        chosen = index
        // The message's own content is what OpenAI-shaped tools show and may have edited: it wins.
        alternatives[index].content = content
        if let record { alternatives[index].record = record }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(role, forKey: .role)
        try container.encode(content, forKey: .content)
        try record?.encode(to: encoder)
        if !alternatives.isEmpty {
            try container.encode(alternatives, forKey: .alternatives)
            try container.encode(chosen, forKey: .chosen)
        }
    }

    /// The most answers one turn keeps: 8 requests of 8 is far past any real use, and it bounds
    /// what a hand-edited file can make the app hold.
    public static let maxAlternatives = 64
}
