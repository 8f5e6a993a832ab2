import Chat
import Foundation
import Inference

/// Chat Completion response objects and stream chunks, in OpenAI's field order.
public struct CompletionEncoding: Sendable {
    public var id: String
    public var model: String
    public var created: Int
    public var logprobs: Bool

    public init(id: String, model: String, created: Int, logprobs: Bool) {
        self.id = id
        self.model = model
        self.created = created
        self.logprobs = logprobs
    }

    /// OpenAI's finish reasons; a cancelled answer (shutdown) ends as `stop`, which every client knows.
    public static func finishReason(_ reason: Chat.FinishReason) -> String {
        switch reason {
        case .stop, .cancelled: return "stop"
        case .length: return "length"
        case .error, .connectionLost: return "error"
        case .other: return "stop" // no engine ends so; only a transcript from a newer version holds it
        }
    }

    /// The whole non-streamed `chat.completion` object.
    public func completion(_ completion: Completion) -> JSONValue {
        let choices: [JSONValue] = completion.choices.map { choice in
            .object([
                ("index", .int(Int64(choice.index))),
                ("message", .object([("role", "assistant"), ("content", .string(choice.text))])),
                ("logprobs", logprobs ? Self.logprobs(choice.logprobs ?? []) : .null),
                ("finish_reason", .string(Self.finishReason(choice.reason)))
            ])
        }
        return .object([
            ("id", .string(id)), ("object", "chat.completion"), ("created", .int(Int64(created))),
            ("model", .string(model)), ("choices", .array(choices)), ("usage", Self.usage(completion.usage)),
            ("system_fingerprint", .null), ("seed", .int(Int64(bitPattern: completion.seed)))
        ])
    }

    /// A `chat.completion.chunk` with one choice's delta (role, content, or neither at the end).
    public func chunk(
        choice: Int, role: Bool = false, content: String?, tokens: [TokenLogprob] = [],
        finishReason: Chat.FinishReason? = nil, withUsageField: Bool = false
    ) -> JSONValue {
        var delta: [(String, JSONValue)] = []
        if role { delta.append(("role", "assistant")) }
        if let content { delta.append(("content", .string(content))) }
        let choiceObject: JSONValue = .object([
            ("index", .int(Int64(choice))), ("delta", .object(delta)),
            ("logprobs", logprobs && !tokens.isEmpty ? Self.logprobs(tokens) : .null),
            ("finish_reason", finishReason.map { JSONValue.string(Self.finishReason($0)) } ?? .null)
        ])
        var fields = header
        fields.append(("choices", .array([choiceObject])))
        if withUsageField { fields.append(("usage", .null)) }
        return .object(fields)
    }

    /// The last chunk of `stream_options.include_usage`: no choices, the whole usage.
    public func usageChunk(_ usage: Usage) -> JSONValue {
        var fields = header
        fields.append(("choices", .array([])))
        fields.append(("usage", Self.usage(usage)))
        return .object(fields)
    }

    private var header: [(String, JSONValue)] {
        [
            ("id", .string(id)), ("object", "chat.completion.chunk"), ("created", .int(Int64(created))),
            ("model", .string(model)), ("system_fingerprint", .null)
        ]
    }

    static func usage(_ usage: Usage) -> JSONValue {
        .object([
            ("prompt_tokens", .int(Int64(usage.promptTokens))),
            ("completion_tokens", .int(Int64(usage.completionTokens))),
            ("total_tokens", .int(Int64(usage.totalTokens))),
            ("prompt_tokens_details", .object([("cached_tokens", .int(Int64(usage.cachedTokens)))]))
        ])
    }

    static func logprobs(_ tokens: [TokenLogprob]) -> JSONValue {
        func bytes(_ values: [UInt8]) -> JSONValue { .array(values.map { .int(Int64($0)) }) }
        let content: [JSONValue] = tokens.map { token in
            .object([
                ("token", .string(token.token)), ("logprob", .double(token.logprob)), ("bytes", bytes(token.bytes)),
                (
                    "top_logprobs",
                    .array(
                        token.topLogprobs.map { alternative in
                            .object([
                                ("token", .string(alternative.token)), ("logprob", .double(alternative.logprob)),
                                ("bytes", bytes(alternative.bytes))
                            ])
                        })
                )
            ])
        }
        return .object([("content", .array(content)), ("refusal", .null)])
    }
}

/// Server-sent events framing: each event is `data: ` + one line of JSON + a blank line.
public enum ServerSentEvents {
    /// One event. JSON from `JSONValue.serialized` never holds a raw newline, so one `data:` line suffices.
    public static func event(_ json: JSONValue) -> String {
        "data: \(json.serialized)\n\n"
    }

    /// The stream's end, as OpenAI sends it.
    public static let done = "data: [DONE]\n\n"
}
