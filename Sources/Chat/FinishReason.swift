/// Why an answer ended, with Chat Completion's names plus the ones only a chat has.
///
/// The engine has its own enum (`Inference.FinishReason`); this one belongs to the conversation
/// and its transcripts, so a remote answer can end in ways no local engine does.
public enum FinishReason: String, Sendable, Codable, Equatable, CaseIterable {
    /// An end-of-generation token or a stop string.
    case stop
    /// `max_tokens` reached, or the context is full.
    case length
    /// Stopped by the person (Esc, Ctrl-C): the partial text is kept.
    case cancelled
    /// Failed: the record's `error` says why.
    case error
    /// A remote stream was cut mid-answer: the text received so far is kept.
    case connectionLost = "connection_lost"

    /// A finish reason as a remote server spells it (OpenAI's `content_filter` and
    /// `tool_calls` are kinds of stop for a chat that shows text).
    public init(remote name: String) {
        switch name {
        case "length": self = .length
        default: self = .stop
        }
    }
}
