/// Makes a conversation fit the context window by dropping its oldest turns.
///
/// The system prompt and the newest user message are never dropped; everything between may go,
/// oldest first. If even the newest message alone does not fit, that is an error the person can
/// act on (shorten it or raise the context size).
public struct ContextPolicy: Sendable {
    public let contextLength: Int
    /// Whether a larger `--ctx` could help: false when the window is already the model's largest.
    public let canGrow: Bool

    public init(contextLength: Int, canGrow: Bool = true) {
        self.contextLength = contextLength
        self.canGrow = canGrow
    }

    /// The prompt that fits, and how many of the oldest messages it leaves out.
    public struct Fit: Sendable, Equatable {
        public var tokens: [Int32]
        public var droppedMessages: Int
        public var notices: [String]
    }

    /// Room kept for the answer: `maxTokens`, but never more than half the window, so a large
    /// `max_tokens` does not evict the whole history (generation ends with `length` at the edge).
    public func answerReserve(maxTokens: Int) -> Int {
        min(maxTokens, contextLength / 2)
    }

    /// Finds the fewest oldest messages to drop so that prompt + reserve fits.
    /// `encode` renders and tokenizes a conversation's prompt; a prompt it refuses as too large
    /// (`promptTooLarge`) does not fit, like one with too many tokens.
    public func fit(
        _ conversation: Conversation,
        encode: (Conversation) throws(ChatError) -> (tokens: [Int32], notices: [String])
    )
        throws(ChatError) -> Fit
    {
        let budget = contextLength - answerReserve(maxTokens: conversation.parameters.maxTokens)
        /// The encoded prompt, or nil when it is too large to tokenize.
        func attempt(_ conversation: Conversation) throws(ChatError) -> (tokens: [Int32], notices: [String])? {
            do { return try encode(conversation) } catch {
                guard case .promptTooLarge = error else { throw error }
                return nil
            }
        }
        if let full = try attempt(conversation), full.tokens.count <= budget {
            return Fit(tokens: full.tokens, droppedMessages: 0, notices: full.notices)
        }
        // The newest user message (and anything after it) always stays.
        let lastUser = conversation.messages.lastIndex { $0.role == .user } ?? max(conversation.messages.count - 1, 0)
        func trimmed(_ drop: Int) -> Conversation {
            var copy = conversation
            copy.messages.removeFirst(drop)
            return copy
        }
        // Token count falls as more is dropped, so the smallest sufficient drop is found by bisection.
        var low = 1
        var high = lastUser
        let minimal = try encode(trimmed(lastUser))
        guard minimal.tokens.count <= budget else {
            throw .messageTooLong(tokens: minimal.tokens.count, available: budget, canGrow: canGrow)
        }
        var best = (drop: lastUser, encoded: minimal)
        while low < high {
            let middle = (low + high) / 2
            if let encoded = try attempt(trimmed(middle)), encoded.tokens.count <= budget {
                best = (middle, encoded)
                high = middle
            } else {
                low = middle + 1
            }
        }
        return Fit(tokens: best.encoded.tokens, droppedMessages: best.drop, notices: best.encoded.notices)
    }
}
