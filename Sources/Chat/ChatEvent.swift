import Inference

/// What a chat session reports while it answers, in order: notices and trimming (if any),
/// `started`, text deltas, then exactly one `finished`.
public enum ChatEvent: Sendable, Equatable {
    /// Something worked around that the person should know (template fallback, ...).
    case notice(String)
    /// The oldest `count` messages were left out of the prompt to fit the context window.
    case contextTrimmed(droppedMessages: Int)
    /// The prompt is ready: its size and how much of it came from the KV cache.
    case started(promptTokens: Int, cachedTokens: Int)
    /// New answer text.
    case delta(String)
    /// The answer ended. `text` is the whole answer; `error` is set when `reason == .error`.
    case finished(Completion)
}

/// How an answer ended and what it cost.
public struct Completion: Sendable, Equatable {
    public var text: String
    public var reason: FinishReason
    public var usage: Usage
    public var timings: Timings
    public var seed: UInt64
    public var error: String?

    public init(text: String, reason: FinishReason, usage: Usage, timings: Timings, seed: UInt64, error: String? = nil) {
        self.text = text
        self.reason = reason
        self.usage = usage
        self.timings = timings
        self.seed = seed
        self.error = error
    }

    /// The assistant message to append to the conversation.
    public func message(parameters: SamplingParameters) -> ChatMessage {
        ChatMessage(role: .assistant, content: text,
                    record: AnswerRecord(parameters: parameters, seed: seed, finishReason: reason.rawValue,
                                         usage: usage, timings: timings, error: error))
    }
}
