/// What the model receives for a conversation: the prompt the chat template rendered, cut into
/// the tokens it becomes. The prompt inspector shows it, so the first step of the pipeline
/// (text to tokens) is visible too.
public struct PromptPreview: Sendable, Equatable {
    /// The token ids, in order (after any oldest turns were left out to fit the context).
    public var tokens: [Int32]
    /// Each token's exact bytes, special tokens as their text (`<|im_start|>`).
    public var pieces: [[UInt8]]
    /// Oldest messages left out to fit the context window, as an answer would.
    public var droppedMessages: Int
    /// Template fallbacks and other workarounds, as an answer would report them.
    public var notices: [String]

    public init(tokens: [Int32], pieces: [[UInt8]], droppedMessages: Int = 0, notices: [String] = []) {
        precondition(tokens.count == pieces.count, "one piece per token")
        self.tokens = tokens
        self.pieces = pieces
        self.droppedMessages = droppedMessages
        self.notices = notices
    }

    /// The whole prompt as text (a character split across tokens is whole here).
    public var text: String { String(decoding: pieces.joined(), as: UTF8.self) }
}
