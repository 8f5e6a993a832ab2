import Chat
import Inference
import LocalChat

/// Decides when each request's answer runs on the engine.
///
/// The HTTP layer only submits conversations and reads events, so a scheduler that runs one
/// request at a time and one that batches several share it unchanged.
public protocol CompletionScheduler: Sendable {
    /// Queues an answer to `prompt` (a chat or a text to continue). Throws `.queueFull` when
    /// every slot and queue place is taken, and `.shuttingDown` after `shutdown()`.
    func submit(_ prompt: CompletionPrompt) throws(ServerError) -> CompletionTicket
    /// Slots, busy slots and waiting requests, for `/metrics`.
    var load: SchedulerLoad { get }
    /// The most answers held at once, running and waiting: more are refused with `.queueFull`.
    var capacity: Int { get }
    /// Refuses new requests and cancels every answer, running or waiting.
    func shutdown()
}

extension CompletionScheduler {
    /// Queues an answer to the conversation's last message.
    public func submit(_ conversation: Conversation) throws(ServerError) -> CompletionTicket {
        try submit(.conversation(conversation))
    }
}

/// How busy a scheduler is.
public struct SchedulerLoad: Sendable, Equatable {
    public var slots: Int
    public var active: Int
    public var queued: Int

    public init(slots: Int, active: Int, queued: Int) {
        self.slots = slots
        self.active = active
        self.queued = queued
    }
}

/// What the engine reports before the answer streams: the prompt fitted, or it failed.
public enum Admission: Sendable, Equatable {
    case started(promptTokens: Int, cachedTokens: Int)
    case failed(Completion)
}

/// One submitted answer: its events, and a way to stop it.
///
/// `admission` yields exactly once, before any text; `events` yields the deltas and then one
/// `finished` with every choice. `cancel()` is safe at any time and from any thread; a cancelled
/// answer still ends with `finished` (reason `cancelled`), so its slot is always released.
public final class CompletionTicket: Sendable {
    public let id: UInt64
    public let admission: AsyncStream<Admission>
    public let events: AsyncStream<ChatEvent>
    private let onCancel: @Sendable () -> Void

    public init(
        id: UInt64, admission: AsyncStream<Admission>, events: AsyncStream<ChatEvent>,
        onCancel: @escaping @Sendable () -> Void
    ) {
        self.id = id
        self.admission = admission
        self.events = events
        self.onCancel = onCancel
    }

    public func cancel() { onCancel() }

    /// Waits for the prompt to be fitted (or refused).
    public func waitForAdmission() async -> Admission {
        for await admission in admission { return admission }
        return .failed(
            Completion.empty(.cancelled, seed: 0))
    }
}

/// The engine a scheduler drives: `ChatSession`, or a fake in tests.
public protocol CompletionEngine: AnyObject, Sendable {
    /// Answers `prompt` on the engine's own thread, reporting events.
    func send(_ prompt: CompletionPrompt, seed: UInt64?, onEvent: @escaping @Sendable (ChatEvent) -> Void)
    /// Stops the running answer after at most one more token.
    func cancel()
}

extension ChatSession: CompletionEngine {}
