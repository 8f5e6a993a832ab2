import Chat
import Foundation
import TerminalUI

/// Everything the chat screen shows and remembers. Only `ChatUI.update` changes it.
///
/// Two states compare equal when they draw the same screen; the clock and the wrap cache are
/// `Untracked`, so a tick that changes nothing visible does not cause a redraw.
public struct AppState: Equatable, Sendable {
    public var size: TerminalSize
    public var conversation: Conversation
    public var transcript: TranscriptInfo
    /// Changes not yet saved.
    public var isDirty = false
    /// The loaded model; nil while it loads.
    public var model: ModelSummary?
    /// The model being switched to (Ctrl+P), while it loads.
    public var modelSwitch: ModelSwitch?
    public var activity: Activity
    public var answer: AnswerProgress?
    /// The last answer failed before writing anything (shown as an error block).
    public var failure: String?
    /// Answers cancelled without waiting whose events must still be skipped.
    public var discardedAnswers = 0
    public var lastTokensPerSecond: Double?
    /// The last answer's speculative drafts (nil when it drafted nothing), for the status bar.
    public var lastDrafts: DraftCounts?
    /// Tokens in the context window after the last prompt or answer.
    public var contextUsed: Int?
    /// The index of the first message the last prompt held, when older ones were left out to
    /// fit the context window; the pane draws a rule above it.
    public var contextStart: Int?
    /// An error that stays in the status bar until the next action.
    public var lastError: String?
    public var notice: Notice?
    public var input: LineEditor
    /// Files to send with the next message (`/file PATH`), shown above the input.
    public var attachments: [PendingAttachment] = []
    /// Messages sent, oldest first, for Up/Down recall.
    public var history: [String] = []
    public var historyIndex: Int?
    public var historyDraft = ""
    public var scroll = ConversationScroll()
    public var overlay: Overlay?
    /// Answer tokens coloured by their probability (Alt+L); it turns `logprobs` on.
    public var probabilityView = false
    public var themes: [Theme]
    /// The key bindings in effect: the built-in table with `config.json`'s overrides applied.
    public var bindings: [KeyBinding] = KeyBindings.table
    public var themeIndex: Int
    /// Until when a second Ctrl+C quits.
    public var quitArmedUntil: Duration?
    public var isQuitting = false
    /// Quitting waits for the result of the save it started.
    public var pendingQuit = false
    /// The signal that ended the app (SIGTERM, SIGHUP): the process exits with 128 + its number.
    public var exitSignal: TerminalSignal?
    /// Why the last save failed, until a save succeeds: quitting reports it, never forgets it.
    public var unsavedError: String?
    /// The person chose "quit without saving" after a failed save.
    public var unsavedDiscarded = false
    /// What the last destructive action (edit of the last message, new chat, parameter reset)
    /// took away; Esc or Alt+U puts it back. One step only.
    public var undo: UndoStep?
    /// Set when the app must stop with an error (the model failed to load).
    public var fatalError: String?
    /// Advances on ticks while busy, to animate the status bar.
    public var spinnerFrame = 0
    /// Dates in the transcript browser are shown in this zone.
    public var timeZone: TimeZone
    public var now: Untracked<Duration> = Untracked(.zero)
    public var wallClock: Untracked<Date>
    /// SplitMix64 state for answer seeds and transcript ids, so `update` stays deterministic.
    public var randomState: UInt64
    public let wrapCache: Untracked<WrapCache> = Untracked(WrapCache())

    public init(
        size: TerminalSize, conversation: Conversation = Conversation(), transcriptID: String,
        created: Date, themes: [Theme] = ThemeCatalog().themes, themeName: String? = nil,
        model: ModelSummary? = nil, timeZone: TimeZone = .current, randomSeed: UInt64 = 0
    ) {
        self.size = size
        self.conversation = conversation
        self.transcript = TranscriptInfo(id: transcriptID, created: created)
        self.model = model
        self.activity = model == nil ? .loadingModel : .idle
        self.input = LineEditor(
            width: max(1, size.width - ScreenLayout.promptWidth), maxVisibleRows: ScreenLayout.maxInputRows(size))
        self.themes = themes.isEmpty ? ThemeCatalog().themes : themes
        self.themeIndex = max(0, self.themes.firstIndex { $0.name == themeName } ?? 0)
        self.timeZone = timeZone
        self.wallClock = Untracked(created)
        self.randomState = randomSeed
        self.history = conversation.messages.filter { $0.role == .user }.map(\.content)
    }

    public var theme: Theme { themes[min(max(0, themeIndex), themes.count - 1)] }
    /// The context window in tokens (a guess until the model is loaded).
    public var contextLength: Int { model?.contextLength ?? 4096 } // before loading: the local default cap
    public var isAnswering: Bool { answer != nil }

    /// The next value of the state's SplitMix64 generator.
    public mutating func nextRandom() -> UInt64 {
        randomState &+= 0x9E37_79B9_7F4A_7C15
        var z = randomState
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A fresh transcript id shaped like a UUID, from the state's generator.
    public mutating func nextTranscriptID() -> String {
        let high = String(nextRandom(), radix: 16)
        let low = String(nextRandom(), radix: 16)
        let hex =
            String(repeating: "0", count: 16 - high.count) + high + String(repeating: "0", count: 16 - low.count) + low
        let characters = Array(hex)
        let groups = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(characters[$0]) }
        return groups.joined(separator: "-")
    }

    /// Replaces the conversation with a saved one, ready to continue.
    public mutating func open(_ saved: Transcript, url: URL?) {
        conversation = saved.conversation
        transcript = TranscriptInfo(
            id: saved.id, title: saved.title, created: saved.created, url: url, model: saved.model)
        history = saved.conversation.messages.filter { $0.role == .user }.map(\.content)
        historyIndex = nil
        historyDraft = ""
        scroll = ConversationScroll()
        failure = nil
        lastError = nil
        isDirty = false
        contextUsed = nil
        contextStart = nil
        attachments = []
        let lastTimings = saved.conversation.messages.last { $0.record != nil }?.record?.timings
        lastTokensPerSecond = lastTimings?.decodeTokensPerSecond
        lastDrafts = lastTimings.flatMap(ChatUI.drafts)
    }

    /// The conversation as a transcript, ready to save.
    public func transcriptSnapshot() -> Transcript {
        var snapshot = Transcript(
            id: transcript.id, title: transcript.title, created: transcript.created,
            model: model?.reference ?? transcript.model, conversation: conversation)
        snapshot.updated = wallClock.value
        return snapshot
    }
}

extension AppState {
    /// Shows a message in the status bar for `duration` (start-up problems, for example).
    public mutating func showNotice(_ text: String, isError: Bool, for duration: Duration) {
        notice = Notice(text: text, isError: isError, expires: now.value + duration)
    }
}

/// How many tokens an answer's speculative decoding drafted and how many the model accepted.
public struct DraftCounts: Equatable, Sendable {
    public var accepted: Int
    public var drafted: Int

    public init(accepted: Int, drafted: Int) {
        self.accepted = accepted
        self.drafted = drafted
    }
}
