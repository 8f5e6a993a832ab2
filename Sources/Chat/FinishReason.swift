/// Why an answer ended, with Chat Completion's names plus the ones only a chat has.
///
/// The engine has its own enum (`Inference.FinishReason`); this one belongs to the conversation
/// and its transcripts, so a remote answer can end in ways no local engine does. A name this
/// version does not know (a newer Parley's, another tool's) is kept as `.other(name)`, so reading
/// a transcript never drops the answer's record and saving it again writes the same name back.
public enum FinishReason: Sendable, Equatable, Hashable {
    /// An end-of-generation token or a stop string.
    case stop
    /// `max_tokens` reached, or the context is full.
    case length
    /// Stopped by the person (Esc, Ctrl-C): the partial text is kept.
    case cancelled
    /// Failed: the record's `error` says why.
    case error
    /// A remote stream was cut mid-answer: the text received so far is kept.
    case connectionLost
    /// A name this version does not know, kept as written.
    case other(String)

    /// The reasons this version knows (every case but `.other`).
    public static let known: [FinishReason] = [.stop, .length, .cancelled, .error, .connectionLost]

    /// A finish reason as a remote server spells it (OpenAI's `content_filter` and
    /// `tool_calls` are kinds of stop for a chat that shows text).
    public init(remote name: String) {
        switch name {
        case "length": self = .length
        default: self = .stop
        }
    }
}

extension FinishReason: RawRepresentable {
    /// The name as transcripts store it; every string is a reason (unknown ones are `.other`).
    public init(rawValue: String) {
        switch rawValue {
        case "stop": self = .stop
        case "length": self = .length
        case "cancelled": self = .cancelled
        case "error": self = .error
        case "connection_lost": self = .connectionLost
        default: self = .other(rawValue)
        }
    }

    public var rawValue: String {
        switch self {
        case .stop: return "stop"
        case .length: return "length"
        case .cancelled: return "cancelled"
        case .error: return "error"
        case .connectionLost: return "connection_lost"
        case .other(let name): return name
        }
    }
}

extension FinishReason: Codable {
    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
