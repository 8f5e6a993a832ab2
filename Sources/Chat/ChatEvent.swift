import Foundation

/// What a chat session reports while it answers, in order: notices and trimming (if any),
/// `started`, text deltas, then exactly one `finished`.
public enum ChatEvent: Sendable, Equatable {
    /// Something worked around that the person should know (template fallback, ...).
    case notice(String)
    /// The oldest `count` messages were left out of the prompt to fit the context window.
    case contextTrimmed(droppedMessages: Int)
    /// The prompt is ready: its size and how much of it came from the KV cache.
    case started(promptTokens: Int, cachedTokens: Int)
    /// Prompt evaluation advanced: `evaluated` of `total` prompt tokens are in the cache.
    case promptProgress(evaluated: Int, total: Int)
    /// The prompt's own tokens scored (`SamplingParameters.promptLogprobs`), once it is
    /// evaluated and before the first delta.
    case promptScored(PromptLogprobs)
    /// New answer text, of alternative `delta.choice` when `n > 1`.
    case delta(AnswerDelta)
    /// The answer ended. `text` is the whole answer; `error` is set when `reason == .error`.
    case finished(Completion)
}

/// How an answer ended and what it cost. With `n > 1` it holds every alternative; `text`,
/// `reason` and `error` are the first one's, so single-answer code reads them directly.
public struct Completion: Sendable, Equatable {
    public var choices: [Choice]
    /// Prompt tokens once, plus the completion tokens of every choice.
    public var usage: Usage
    public var timings: Timings
    public var seed: UInt64
    /// Which backend answered, for the transcript (set by the backend).
    public var backend: BackendReference?
    /// The prompt's own tokens scored, when `SamplingParameters.promptLogprobs` asked for them.
    public var promptLogprobs: PromptLogprobs?

    public var text: String { choices.first?.text ?? "" }
    public var reason: FinishReason { choices.first?.reason ?? .error }
    public var error: String? { choices.first?.error }

    /// One alternative answer.
    public struct Choice: Sendable, Equatable {
        public var index: Int
        public var text: String
        public var reason: FinishReason
        /// Tokens generated for this choice.
        public var completionTokens: Int
        /// Per-token probabilities when `logprobs` was asked for, else nil.
        public var logprobs: [TokenLogprob]?
        /// Mean negative log-likelihood of this answer's own tokens, in nats (nil without tokens).
        public var crossEntropy: Double?
        public var error: String?

        public init(
            index: Int, text: String, reason: FinishReason, completionTokens: Int,
            logprobs: [TokenLogprob]? = nil, crossEntropy: Double? = nil, error: String? = nil
        ) {
            self.index = index
            self.text = text
            self.reason = reason
            self.completionTokens = completionTokens
            self.logprobs = logprobs
            self.crossEntropy = crossEntropy
            self.error = error
        }

        /// `exp(crossEntropy)`: how many tokens the model was choosing between, on average.
        public var perplexity: Double? { crossEntropy.map { Foundation.exp($0) } }
    }

    public init(choices: [Choice], usage: Usage, timings: Timings, seed: UInt64) {
        self.choices = choices
        self.usage = usage
        self.timings = timings
        self.seed = seed
    }

    /// A single answer (n = 1).
    public init(text: String, reason: FinishReason, usage: Usage, timings: Timings, seed: UInt64, error: String? = nil)
    {
        self.init(
            choices: [
                Choice(
                    index: 0, text: text, reason: reason, completionTokens: usage.completionTokens,
                    error: error)
            ],
            usage: usage, timings: timings, seed: seed)
    }

    /// An answer that ended before it produced anything (cancelled before it started, refused,
    /// failed): no text, no tokens, no timings. Every backend and the server build these alike.
    public static func empty(_ reason: FinishReason, seed: UInt64, error: String? = nil) -> Completion {
        Completion(
            text: "", reason: reason, usage: Usage(promptTokens: 0, completionTokens: 0, cachedTokens: 0),
            timings: Timings(prefillTokensPerSecond: 0, decodeTokensPerSecond: 0), seed: seed, error: error)
    }

    /// The assistant message to append to the conversation.
    public func message(parameters: SamplingParameters) -> ChatMessage {
        ChatMessage(
            role: .assistant, content: text,
            record: AnswerRecord(
                parameters: parameters, seed: seed, finishReason: reason,
                usage: usage, timings: timings, error: error, backend: backend))
    }
}
