import Chat

/// The token inspector's state: one answer's tokens and which one is selected.
///
/// It keeps its own copy of the tokens, so it stays valid whatever happens to the conversation
/// while it is open.
public struct TokenInspector: Equatable, Sendable {
    /// `conversation.messages[message]` is the answer inspected.
    public var message: Int
    public var tokens: [TokenLogprob]
    public var position: Int

    public init(message: Int, tokens: [TokenLogprob], position: Int = 0) {
        self.message = message
        self.tokens = tokens
        self.position = min(max(0, position), max(0, tokens.count - 1))
    }

    public var selected: TokenLogprob? { tokens.indices.contains(position) ? tokens[position] : nil }

    /// Moves the selection by `delta` tokens, stopping at the ends.
    mutating func move(by delta: Int) {
        position = min(max(0, position + delta), max(0, tokens.count - 1))
    }
}

/// The prompt inspector's state: which conversation it shows and, once the backend answered,
/// the prompt as tokens.
public struct PromptInspector: Equatable, Sendable {
    /// The conversation whose prompt is shown.
    public var conversation: Conversation
    /// What that prompt is for ("the next answer", "the last answer").
    public var purpose: String
    /// nil while the backend renders it.
    public var preview: PromptPreview?
    public var error: String?
    /// First row shown.
    public var scroll = 0

    public init(conversation: Conversation, purpose: String) {
        self.conversation = conversation
        self.purpose = purpose
    }
}
