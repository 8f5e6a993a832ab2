import Chat
import Foundation

/// What the runtime needs from a model: answer, stop, count tokens. `ChatSession` is the real
/// one; tests and benchmarks use `SimulatedBackend`.
public protocol ChatBackend: AnyObject, Sendable {
    /// Answers the last message of `conversation`; events arrive on another thread, ending
    /// with exactly one `.finished`.
    func send(_ conversation: Conversation, seed: UInt64?, onEvent: @escaping @Sendable (ChatEvent) -> Void)
    /// Stops the current answer soon, keeping its partial text.
    func cancel()
    /// Stops the current answer and anything else running (a slow chat template's render), at
    /// once and for good: the app is quitting.
    func shutDown()
    /// The conversation's prompt length in tokens; may block while an answer runs.
    func promptTokenCount(_ conversation: Conversation) -> Int
    /// The prompt the model would receive for the conversation, token by token (the prompt
    /// inspector); may block while an answer runs.
    func promptPreview(_ conversation: Conversation) throws(ChatError) -> PromptPreview
    /// Loads the KV cache saved beside a transcript (`PromptCache`); returns the tokens restored.
    @discardableResult
    func restorePromptCache(from url: URL) -> Int
    /// Saves the KV cache beside a transcript, so reopening it later skips re-evaluating it.
    func savePromptCache(to url: URL)
}

extension ChatSession: ChatBackend {}

extension ChatBackend {
    public func shutDown() { cancel() }
}

/// Loads a model off the UI thread: the backend and what the status bar shows about it.
public typealias BackendLoader = @Sendable () throws -> (backend: any ChatBackend, model: ModelSummary)

extension ChatSession {
    /// A loader for the real model described by `options`.
    public static func loader(options: SessionOptions) -> BackendLoader {
        {
            let session = try ChatSession(options: options)
            let summary = ModelSummary(
                fileName: session.info.fileName, contextLength: session.info.contextLength,
                reference: session.modelReference)
            return (session, summary)
        }
    }
}

/// A thread-safe queue of events for the UI loop: session callbacks and background work post,
/// the loop drains.
public final class Mailbox<Item: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Item] = []

    public init() {}

    public func post(_ item: Item) {
        lock.lock()
        items.append(item)
        lock.unlock()
    }

    /// Everything posted so far, oldest first.
    public func drain() -> [Item] {
        lock.lock()
        defer { lock.unlock() }
        let taken = items
        items.removeAll(keepingCapacity: true)
        return taken
    }

    public var isEmpty: Bool {
        lock.lock()
        defer { lock.unlock() }
        return items.isEmpty
    }
}
