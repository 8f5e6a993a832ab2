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
    /// `canGrow`: a larger `--ctx` would help (the window is below the model's training context).
    case messageTooLong(tokens: Int, available: Int, canGrow: Bool = true)
    /// A transcript file that is not valid JSON, with the position of the problem.
    case transcriptMalformed(path: String, detail: String)
    /// A transcript written by a newer Parley.
    case transcriptTooNew(path: String, version: Int, supported: Int)
    case transcriptNotFound(path: String)
    /// Writing a transcript failed; existing files are untouched.
    case transcriptIO(path: String, reason: String)
    /// A transcript exists but could not be read (permissions, a folder, an I/O error).
    case transcriptUnreadable(path: String, reason: String)
    /// Another Parley process holds the transcript's lock (it is answering into it).
    case transcriptInUse(path: String, holder: Int32?)
    /// `--ctx` asks for more than the model was trained on.
    case contextTooLarge(requested: Int, maximum: Int)
    /// The chat template failed and no fallback applied.
    case templateFailed(String)
    /// The prompt is longer than the tokenizer accepts at once (`Tokenizer.maxInputBytes`),
    /// even with every message that may be left out gone.
    case promptTooLarge(bytes: Int, limit: Int)
    /// A transcript file larger than Parley opens (`TranscriptStore.maxFileBytes`); it was not read.
    case transcriptTooLarge(path: String, bytes: Int, limit: Int)
    /// A file that cannot be attached to a message (missing, binary, not UTF-8, too large).
    case attachmentRefused(path: String, reason: String)
    /// `--open PREFIX` matches more than one saved conversation's id.
    case transcriptAmbiguous(reference: String, matches: Int, examples: String)

    public var description: String {
        switch self {
        case .invalidParameter(let message): return message
        case .modelNotFound(let message): return message
        case .modelLoadFailed(let path, let reason): return "cannot load model \(path): \(reason)"
        case .messageTooLong(let tokens, let available, let canGrow):
            let advice =
                canGrow ? "shorten it or raise --ctx" : "shorten it (the context is already the model's largest)"
            return "the message is \(tokens) tokens long but only \(available) fit in the context window; \(advice)"
        case .transcriptMalformed(let path, let detail): return "\(path) is not a valid transcript: \(detail)"
        case .transcriptTooNew(let path, let version, let supported):
            return
                "\(path) is transcript format version \(version), newer than this Parley understands (version \(supported)); upgrade Parley to open it"
        case .transcriptNotFound(let path): return "no transcript at \(path)"
        case .transcriptIO(let path, let reason): return "cannot write \(path): \(reason)"
        case .transcriptUnreadable(let path, let reason): return "cannot read \(path): \(reason)"
        case .transcriptInUse(let path, let holder):
            let who = holder.map { "another Parley (process \($0))" } ?? "another Parley"
            return "\(who) is using \(path); try again when it has finished"
        case .contextTooLarge(let requested, let maximum):
            return
                "--ctx \(requested) is larger than the model's training context (\(maximum) tokens); use at most \(maximum)"
        case .templateFailed(let message): return "chat template failed: \(message)"
        case .transcriptTooLarge(let path, let bytes, let limit):
            return
                "\(path) is \(bytes) bytes, more than the \(limit) bytes (\(limit >> 20) MiB) a transcript may have; it was not opened"
        case .attachmentRefused(let path, let reason): return "cannot attach \(path): \(reason)"
        case .transcriptAmbiguous(let reference, let matches, let examples):
            return "\(reference) is the start of \(matches) conversation ids (\(examples)); type more of it"
        case .promptTooLarge(let bytes, let limit):
            return
                "the message is \(bytes) bytes long, more than the \(limit) bytes (\(limit >> 20) MiB) Parley tokenizes at once; shorten it"
        }
    }

    public var errorDescription: String? { description }
}
