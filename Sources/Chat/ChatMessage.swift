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
        case promptTokens = "prompt_tokens", completionTokens = "completion_tokens", cachedTokens = "cached_tokens"
    }
}

/// How fast an answer was produced.
public struct Timings: Codable, Sendable, Equatable {
    public var prefillTokensPerSecond: Double
    public var decodeTokensPerSecond: Double

    public init(prefillTokensPerSecond: Double, decodeTokensPerSecond: Double) {
        self.prefillTokensPerSecond = prefillTokensPerSecond
        self.decodeTokensPerSecond = decodeTokensPerSecond
    }

    enum CodingKeys: String, CodingKey {
        case prefillTokensPerSecond = "prefill_tokens_per_second", decodeTokensPerSecond = "decode_tokens_per_second"
    }
}

/// What produced an assistant message, kept so a transcript says how each answer came about.
public struct AnswerRecord: Codable, Sendable, Equatable {
    public var parameters: SamplingParameters
    public var seed: UInt64
    public var finishReason: String
    public var usage: Usage
    public var timings: Timings
    public var error: String?

    public init(parameters: SamplingParameters, seed: UInt64, finishReason: String, usage: Usage,
                timings: Timings, error: String? = nil) {
        self.parameters = parameters
        self.seed = seed
        self.finishReason = finishReason
        self.usage = usage
        self.timings = timings
        self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case parameters, seed, usage, timings, error
        case finishReason = "finish_reason"
    }
}

/// One message in OpenAI's shape (`role`, `content`); assistant messages also carry their record.
public struct ChatMessage: Codable, Sendable, Equatable {
    public var role: Role
    public var content: String
    public var record: AnswerRecord?

    public init(role: Role, content: String, record: AnswerRecord? = nil) {
        self.role = role
        self.content = content
        self.record = record
    }

    public static func user(_ text: String) -> ChatMessage { ChatMessage(role: .user, content: text) }
    public static func assistant(_ text: String) -> ChatMessage { ChatMessage(role: .assistant, content: text) }
    public static func system(_ text: String) -> ChatMessage { ChatMessage(role: .system, content: text) }

    // The record's fields sit beside role and content, so readers that know only the OpenAI
    // shape still see a plain message.
    enum CodingKeys: String, CodingKey { case role, content }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        role = try container.decode(Role.self, forKey: .role)
        content = try container.decode(String.self, forKey: .content)
        record = role == .assistant ? try? AnswerRecord(from: decoder) : nil
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(role, forKey: .role)
        try container.encode(content, forKey: .content)
        try record?.encode(to: encoder)
    }
}
