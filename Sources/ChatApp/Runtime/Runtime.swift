import Chat
import Foundation
import Synchronization
import TerminalUI

/// The UI loop: owns the state, feeds it events, performs the effects `update` returns and
/// redraws when something visible changed.
///
/// One thread (the caller's) runs the loop and is the only one touching the state and the
/// terminal. The model loads and answers on other threads, which only post to `mailbox`.
public final class Runtime {
    /// How the loop ended: `error` is set when the app could not go on (the model failed to load).
    public struct Outcome: Equatable, Sendable {
        public var error: String?
        /// The signal that ended the app: the process should exit with 128 + its number.
        public var signal: Int32?
        /// What to tell the person once the screen is restored: a save that failed on the way
        /// out, and where the conversation was written instead.
        public var report: [String] = []
        /// The conversation as JSON when it could be written nowhere: printed to standard error.
        public var unsavedJSON: Data?
        /// Where the open conversation is saved, when it is (printed on the way out).
        public var savedTo: URL?
    }

    let terminal: any Terminal
    public private(set) var state: AppState
    let loader: BackendLoader
    let store: TranscriptStore
    let configURL: URL?
    let mailbox = Mailbox<AppEvent>()
    let backendBox = LockedValue<(any ChatBackend)?>(nil)
    /// The query of the newest transcript search; older searches stop when it changes.
    let latestSearch = LockedValue<String>("")
    /// The transcript last written (id, file), for the prompt cache saved on quitting.
    var lastWritten: (id: String, url: URL)?
    /// The lock on the open transcript, so no other Parley answers into it meanwhile.
    var heldLock: TranscriptLock?
    /// The lock taken for a transcript being loaded, held once it is open.
    var pendingLock: TranscriptLock?
    /// How copies reach a clipboard (tests give it their own environment).
    public var clipboard = Clipboard()
    /// Where a conversation goes when saving it failed and a signal ends the app.
    public var rescueDirectory = TranscriptStore.rescueDirectory()
    /// Filled on the way out: see `Outcome.report` and `Outcome.unsavedJSON`.
    var report: [String] = []
    var unsavedJSON: Data?
    /// Listing and loading transcripts.
    let work = DispatchQueue(label: "parley.ui-work", qos: .userInitiated)
    /// Token counting, which waits for the session while it answers; kept apart so the
    /// transcript browser never waits behind it.
    let counting = DispatchQueue(label: "parley.ui-token-count", qos: .utility)
    /// The longest wait for input before the mailbox is checked again.
    public var pollInterval: Duration = .milliseconds(15)
    public var tickInterval: Duration = .milliseconds(100)
    /// What the model picker (Ctrl+P) lists, loads and pulls; nil lists nothing.
    public var modelDirectory: (any ModelDirectory)?
    /// The pull the picker started, cancelled by Esc or by quitting.
    var pullTask: Task<Void, Never>?
    /// Called after every draw with the frame drawn (benchmarks time keystrokes with it).
    public var onDraw: ((Frame) -> Void)?
    var needsRedraw = true

    public init(
        terminal: any Terminal, state: AppState, loader: @escaping BackendLoader, store: TranscriptStore,
        configURL: URL?
    ) {
        self.terminal = terminal
        self.state = state
        self.loader = loader
        self.store = store
        self.configURL = configURL
    }

    /// Runs until the app quits; the caller restores the terminal afterwards.
    public func run() -> Outcome {
        let clock = ContinuousClock()
        let start = clock.now
        startLoading()
        apply(.tick(now: .zero, wallClock: Date()))
        apply(.input(.resize(terminal.size)))
        drawIfNeeded()
        var lastTick = clock.now
        while !state.isQuitting {
            if let event = terminal.nextEvent(timeout: pollInterval) {
                apply(.input(event))
                var burst = 0
                while burst < 256, !state.isQuitting, let more = terminal.nextEvent(timeout: .milliseconds(1)) {
                    apply(.input(more))
                    burst += 1
                }
            }
            for event in mailbox.drain() where !state.isQuitting {
                apply(event)
            }
            let now = clock.now
            if now - lastTick >= tickInterval && !state.isQuitting {
                lastTick = now
                apply(.tick(now: now - start, wallClock: Date()))
            }
            drawIfNeeded()
        }
        if state.unsavedDiscarded, let error = state.unsavedError {
            report.append("the conversation was not saved (you chose to quit without saving): \(error)")
        }
        var outcome = Outcome(
            error: state.fatalError, signal: state.exitSignal?.rawValue, report: report,
            unsavedJSON: unsavedJSON)
        if state.unsavedError == nil, !state.isDirty || state.conversation.messages.isEmpty {
            outcome.savedTo =
                lastWritten.flatMap { $0.id == state.transcript.id ? $0.url : nil } ?? state.transcript.url
        }
        return outcome
    }

    /// Holds `lock` (the transcript opened with `--open`) while that transcript stays open.
    public func hold(_ lock: TranscriptLock?) {
        heldLock = lock
    }

    /// Posts an event from any thread (signal handlers, tests).
    public func post(_ event: AppEvent) {
        mailbox.post(event)
    }

    /// Runs `update` and performs its effects. Ticks redraw only when they change something shown.
    func apply(_ event: AppEvent) {
        let before = TickSignature(state)
        let effects = ChatUI.update(&state, event)
        if case .tick = event {
            if TickSignature(state) != before { needsRedraw = true }
        } else {
            needsRedraw = true
        }
        for effect in effects {
            perform(effect)
        }
        updateLocks()
    }

    /// Keeps the lock of the transcript on screen and only that one.
    private func updateLocks() {
        let open = state.transcript.url?.standardizedFileURL
        if let pending = pendingLock, pending.url.standardizedFileURL == open {
            heldLock = pending
            pendingLock = nil
        }
        if let held = heldLock, held.url.standardizedFileURL != open { heldLock = nil }
    }

    func drawIfNeeded() {
        guard needsRedraw else { return }
        needsRedraw = false
        let frame = ChatUI.render(state, size: state.size)
        terminal.draw(frame.grid)
        terminal.setCursor(frame.cursor)
        onDraw?(frame)
    }

    private func startLoading() {
        let loader = self.loader
        let mailbox = self.mailbox
        let box = backendBox
        let openTranscript = state.transcript.url // `--open FILE`: its cache, if any, goes in first
        Thread.detachNewThread {
            do {
                let (backend, loaded) = try loader()
                var model = loaded
                // The template's default system prompt, for F2 (renders the template: off the UI thread).
                if model.defaultSystemPrompt == nil { model.defaultSystemPrompt = backend.defaultSystemPrompt() }
                if let openTranscript { backend.restorePromptCache(from: PromptCache.url(for: openTranscript)) }
                box.set(backend)
                mailbox.post(.modelLoaded(model))
            } catch {
                mailbox.post(.modelFailed(String(describing: error)))
            }
        }
    }
}

/// The parts of the state a tick can change that show on screen.
private struct TickSignature: Equatable {
    var spinner: Int
    var notice: Notice?
    var quitArmed: Duration?
    var tokens: Int?

    init(_ state: AppState) {
        spinner = state.spinnerFrame
        notice = state.notice
        quitArmed = state.quitArmedUntil
        tokens = state.answer?.tokens
    }
}

/// A value shared between threads behind a lock.
final class LockedValue<Value: Sendable>: Sendable {
    private let value: Mutex<Value>

    init(_ value: Value) {
        self.value = Mutex(value)
    }

    func get() -> Value {
        value.withLock { $0 }
    }

    func set(_ newValue: Value) {
        value.withLock { $0 = newValue }
    }
}
