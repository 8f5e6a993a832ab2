import Foundation

/// Everything the conversation layer reports to a person: bad parameters, unusable files,
/// a conversation that cannot fit the model.
public enum ChatError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    /// A parameter outside its range: the message says which and what is allowed.
    case invalidParameter(String)
    /// No model file could be found by any of the resolution rules.
    case modelNotFound(String)
    /// The model file exists but could not be loaded.
    case modelLoadFailed(path: String, reason: String)
    /// The newest message alone is larger than the context window.
    case messageTooLong(tokens: Int, available: Int)
    /// A transcript file that is not valid JSON, with the position of the problem.
    case transcriptMalformed(path: String, detail: String)
    /// A transcript written by a newer Parley.
    case transcriptTooNew(path: String, version: Int, supported: Int)
    case transcriptNotFound(path: String)
    /// Reading or writing a transcript failed; existing files are untouched.
    case transcriptIO(path: String, reason: String)
    /// The chat template failed and no fallback applied.
    case templateFailed(String)
    /// The prompt is longer than the tokenizer accepts at once (`Tokenizer.maxInputBytes`),
    /// even with every message that may be left out gone.
    case promptTooLarge(bytes: Int, limit: Int)
    /// A transcript file larger than Parley opens (`TranscriptStore.maxFileBytes`); it was not read.
    case transcriptTooLarge(path: String, bytes: Int, limit: Int)

    public var description: String {
        switch self {
        case let .invalidParameter(message): return message
        case let .modelNotFound(message): return message
        case let .modelLoadFailed(path, reason): return "cannot load model \(path): \(reason)"
        case let .messageTooLong(tokens, available):
            return "the message is \(tokens) tokens long but only \(available) fit in the context window; shorten it or raise --ctx"
        case let .transcriptMalformed(path, detail): return "\(path) is not a valid transcript: \(detail)"
        case let .transcriptTooNew(path, version, supported):
            return "\(path) is transcript format version \(version), newer than this Parley understands (version \(supported)); upgrade Parley to open it"
        case let .transcriptNotFound(path): return "no transcript at \(path)"
        case let .transcriptIO(path, reason): return "cannot write \(path): \(reason)"
        case let .templateFailed(message): return "chat template failed: \(message)"
        case let .transcriptTooLarge(path, bytes, limit):
            return "\(path) is \(bytes) bytes, more than the \(limit) bytes (\(limit >> 20) MiB) a transcript may have; it was not opened"
        case let .promptTooLarge(bytes, limit):
            return "the message is \(bytes) bytes long, more than the \(limit) bytes (\(limit >> 20) MiB) Parley tokenizes at once; shorten it"
        }
    }

    public var errorDescription: String? { description }
}
