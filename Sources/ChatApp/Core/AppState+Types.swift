import Chat
import Foundation
import TerminalUI

/// What the app is doing, for the status bar and for deciding what keys may do.
public enum Activity: Hashable, Sendable {
    case loadingModel
    case idle
    /// Sent; the prompt is being read and no text has arrived yet.
    case thinking
    case generating
    /// Stop was asked for; waiting for the session to confirm.
    case stopping
}

/// The answer being written: its text so far and what it was asked with.
public struct AnswerProgress: Equatable, Sendable {
    public var text = ""
    public var seed: UInt64
    public var parameters: SamplingParameters
    public var promptTokens: Int?
    public var cachedTokens: Int?
    /// Text pieces received; one per token, near enough for a live rate.
    public var tokens = 0
    /// When the first piece arrived (monotonic), for the live tokens/s.
    public var firstTokenAt: Duration?
    /// When it was asked for (monotonic): prompt progress shows once it takes half a second.
    public var sentAt: Duration = .zero
    /// Prompt tokens evaluated so far and the prompt's length, while the prompt is read.
    public var promptProgress: PromptProgress?
    /// Text so far of choices 1..<n (choice 0's is `text`), when `n > 1`.
    public var otherTexts: [Int: String] = [:]
    /// Tokens with their log probabilities so far, per choice, when `logprobs` is on.
    public var streamedLogprobs: [Int: [TokenLogprob]] = [:]
    /// Which choice the pane shows while they stream (flipped with the alternative keys).
    public var viewing = 0
    /// The answer being regenerated (Ctrl+R): taken out of the conversation while the new one
    /// streams, and given it as a further alternative when it ends.
    public var previous: ChatMessage?

    /// The text so far of choice `index`.
    public func text(ofChoice index: Int) -> String {
        index == 0 ? text : otherTexts[index, default: ""]
    }

    public init(seed: UInt64, parameters: SamplingParameters) {
        self.seed = seed
        self.parameters = parameters
    }
}

/// How much of a long prompt the model has read.
public struct PromptProgress: Hashable, Sendable {
    public var evaluated: Int
    public var total: Int
}

/// A short message in the status bar that goes away by itself.
public struct Notice: Hashable, Sendable {
    public var text: String
    public var isError: Bool
    public var expires: Duration
}

/// Which saved conversation is open.
public struct TranscriptInfo: Equatable, Sendable {
    public var id: String
    public var title: String
    public var created: Date
    /// Where it is saved; nil until the first save (then the store's file for `id`).
    public var url: URL?
    /// The model recorded in the file, kept until this session's model is known.
    public var model: Transcript.ModelReference?

    public init(
        id: String, title: String = "New chat", created: Date, url: URL? = nil,
        model: Transcript.ModelReference? = nil
    ) {
        self.id = id
        self.title = title
        self.created = created
        self.url = url
        self.model = model
    }
}

/// The transcript browser: the saved conversations and the filterable list showing them.
public struct TranscriptBrowser: Equatable, Sendable {
    public var summaries: [TranscriptSummary] = []
    public var list = ListView()
    public var isLoading = true
    /// Files that could not be read, reported under the list.
    public var problems: [String] = []
    /// The full-text search shown: its query and, per matching file, the matching line.
    public var searchedQuery = ""
    public var searchHits: [URL: String] = [:]
    /// A full-text search is still running for the current filter.
    public var isSearching = false

    public init() {}

    public var selectedSummary: TranscriptSummary? {
        list.selectedIndex.flatMap { summaries.indices.contains($0) ? summaries[$0] : nil }
    }
}

/// A modal screen drawn over the chat; it takes the keys while open.
public enum Overlay: Equatable, Sendable {
    case help(scroll: Int)
    case systemPrompt(LineEditor)
    case parameters(ParameterPanel)
    case browser(TranscriptBrowser)
    case confirmDelete(TranscriptBrowser, TranscriptSummary)
    /// The token inspector (Alt+I): one answer's tokens and their top alternatives.
    case tokenInspector(TokenInspector)
    /// The prompt inspector (Alt+M): the prompt the model receives, token by token.
    case promptInspector(PromptInspector)
    /// Quitting found the conversation unsaved (the save failed): what now?
    case unsaved(UnsavedPrompt)
    /// The copy picker (Alt+K): any message or code block to the clipboard.
    case copyPicker(CopyPicker)
    /// The model picker (Ctrl+P): switch models, or pull one.
    case modelPicker(ModelPicker)
}

/// The question asked when quitting after a failed save: the error, and the path being typed
/// once "save to another path" is chosen.
public struct UnsavedPrompt: Equatable, Sendable {
    public var error: String
    /// nil while choosing; the path field after "save to another path".
    public var path: LineEditor?

    public init(error: String, path: LineEditor? = nil) {
        self.error = error
        self.path = path
    }
}

/// Holds data that does not decide what is on screen (the clock, caches) so that comparing two
/// states answers "does the screen need redrawing?". It always compares equal.
public struct Untracked<Value: Sendable>: Equatable, Sendable {
    public var value: Value

    public init(_ value: Value) {
        self.value = value
    }

    public static func == (lhs: Untracked, rhs: Untracked) -> Bool { true }
}

/// The state a destructive chat action replaced, kept so one undo can put it back.
public struct UndoStep: Equatable, Sendable {
    /// What is undone, for the status bar: "edit", "new chat", "parameter reset".
    public var label: String
    public var conversation: Conversation
    public var transcript: TranscriptInfo
    public var input: String
    public var isDirty: Bool
    /// Esc undoes it too: editing the last message is cancelled like any edit.
    public var escapeUndoes: Bool
}
