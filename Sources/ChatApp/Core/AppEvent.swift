import Chat
import Foundation
import TerminalUI

/// Everything that can change the app's state: input, the chat session, time, and the results
/// of effects the runtime performed. Time enters only as `tick`, so tests never sleep.
public enum AppEvent: Equatable, Sendable {
    case input(InputEvent)
    case session(ChatEvent)
    /// `now` is monotonic time since start; `wallClock` dates transcripts.
    case tick(now: Duration, wallClock: Date)
    case modelLoaded(ModelSummary)
    case modelFailed(String)
    /// The prompt size of `conversation`, for the status bar's context gauge.
    case promptTokens(Int, for: Conversation)
    case transcriptsListed([TranscriptSummary], problems: [String])
    case transcriptOpened(Transcript, URL)
    case transcriptFailed(String)
    /// The transcript with id `id` was written to `url`.
    case transcriptSaved(id: String, url: URL)
    case saveFailed(String)
    case transcriptDeleted(URL)
    case deleteFailed(String)
    case configFailed(String)
    /// The prompt of `conversation` as the model receives it (for the prompt inspector).
    case promptPreviewed(PromptPreview, for: Conversation)
    case promptPreviewFailed(String, for: Conversation)
    /// A file for the next message was read; `tokens` is what it adds to the message.
    case attachmentRead(Attachment, tokens: Int)
    case attachmentFailed(String)
    /// The paths that complete `typed` (the text after `/file `), folders ending in `/`.
    case pathCompletions(typed: String, candidates: [String])
    /// The conversation was exported as Markdown to this file.
    case exported(URL)
    case exportFailed(String)
    /// Copied text reached a clipboard; `how` says which ("through the terminal (OSC 52)").
    case copied(how: String)
    /// Copied text reached no clipboard, for this reason.
    case copyFailed(String)
    /// Conversations whose messages contain `query`, newest first; `done` once all were searched.
    case transcriptsSearched(query: String, hits: [TranscriptSearch.Hit], done: Bool)
    /// Model listings, switches and pulls (the model picker, Ctrl+P).
    case models(ModelEvent)
}

/// A side effect `update` asks the runtime to perform, as data, so tests compare them with `==`.
public enum Effect: Equatable, Sendable {
    /// Answer the last message of the conversation with this seed.
    case send(Conversation, seed: UInt64)
    /// Stop the answer being written (the partial text is kept).
    case cancel
    /// Measure the conversation's prompt in tokens (answered with `.promptTokens`).
    case countTokens(Conversation)
    /// Render and tokenize the conversation's prompt (answered with `.promptPreviewed`).
    case previewPrompt(Conversation)
    /// Save atomically to `url`, or to the store's default file for the transcript's id.
    case save(Transcript, to: URL?)
    case loadTranscript(URL)
    case deleteTranscript(URL)
    case listTranscripts
    case copyToClipboard(String)
    case persistConfig(AppConfig)
    case bell
    /// A save failed while a signal ends the app: write the conversation to a fallback file
    /// (or, failing that, standard error) and report `reason` on the way out.
    case rescue(Transcript, reason: String)
    /// Read the text file at `path` for the next message (answered with `.attachmentRead`).
    case readAttachment(path: String)
    /// List the paths that complete `typed` (answered with `.pathCompletions`).
    case completePath(String)
    /// Write the transcript as Markdown beside `beside` (or the store's file for its id).
    case export(Transcript, beside: URL?)
    /// Search the messages of these files for the text (answered with `.transcriptsSearched`).
    case searchTranscripts(String, in: [URL])
    /// List, switch or pull models (the model picker, Ctrl+P).
    case models(ModelEffect)
    case quit
}

/// What the status bar and transcripts need to know about the loaded model.
public struct ModelSummary: Equatable, Sendable {
    public var fileName: String
    public var contextLength: Int
    public var reference: Transcript.ModelReference?
    /// The GGUF has no chat template: most likely a base model, which continues text rather
    /// than answering; the chat says so when it loads.
    public var isBaseModel: Bool
    /// Where a remote model runs (the endpoint's host), shown after its name; nil when local.
    public var location: String?
    /// The backend as an answer's record names it, for answers the app ends itself (a stopped
    /// answer left behind when another conversation opens).
    public var backend: BackendReference?
    /// The system prompt the model's chat template writes when the conversation has none
    /// (`ChatBackend.defaultSystemPrompt()`), shown dimmed in the F2 editor; nil: none known.
    public var defaultSystemPrompt: String?

    public init(
        fileName: String, contextLength: Int, reference: Transcript.ModelReference? = nil,
        isBaseModel: Bool = false, location: String? = nil, backend: BackendReference? = nil,
        defaultSystemPrompt: String? = nil
    ) {
        self.fileName = fileName
        self.contextLength = contextLength
        self.reference = reference
        self.isBaseModel = isBaseModel
        self.location = location
        self.backend = backend
        self.defaultSystemPrompt = defaultSystemPrompt
    }
}
