import Foundation
import Synchronization

/// What a chat needs from a model, wherever it runs: answer, stop, count tokens.
///
/// `LocalChat.ChatSession` (a GGUF model in this process) and `RemoteChat.RemoteSession` (an
/// OpenAI-compatible server) implement it; tests and benchmarks use `SimulatedBackend`. Only
/// values cross it, so the app and `parley run` never link the engine of a backend they do
/// not use. Failures arrive as values too: a `.finished` whose reason is `.error` (or
/// `.connectionLost`) with its message.
public protocol ChatBackend: AnyObject, Sendable {
    /// Answers the last message of `conversation`; events arrive on another thread, ending
    /// with exactly one `.finished`.
    func send(_ conversation: Conversation, seed: UInt64?, onEvent: @escaping @Sendable (ChatEvent) -> Void)
    /// Answers a conversation or continues a text (`parley run --raw`); a backend that only
    /// chats ends a text at once with an error that says so.
    func send(_ prompt: CompletionPrompt, seed: UInt64?, onEvent: @escaping @Sendable (ChatEvent) -> Void)
    /// Stops the current answer soon, keeping its partial text.
    func cancel()
    /// Stops the current answer and anything else running (a slow chat template's render), at
    /// once and for good: the app is quitting.
    func shutDown()
    /// The conversation's prompt length in tokens; may block while an answer runs. A backend
    /// that cannot count (a remote server) answers 0.
    func promptTokenCount(_ conversation: Conversation) -> Int
    /// The prompt the model would receive for the conversation, token by token (the prompt
    /// inspector); may block while an answer runs.
    func promptPreview(_ conversation: Conversation) throws(ChatError) -> PromptPreview
    /// Loads the KV cache saved beside a transcript (`PromptCache`); returns the tokens restored.
    @discardableResult
    func restorePromptCache(from url: URL) -> Int
    /// Saves the KV cache beside a transcript, so reopening it later skips re-evaluating it.
    func savePromptCache(to url: URL)
    /// The system prompt the model's chat template writes when the conversation has none
    /// (SmolLM2's "You are a helpful AI assistant named SmolLM, …"), or nil when it writes none
    /// or it cannot be known (a remote server does not show its template); may block while an
    /// answer runs. The F2 editor shows it.
    func defaultSystemPrompt() -> String?
}

extension ChatBackend {
    public func shutDown() { cancel() }

    /// Unknown: a backend that cannot see the template shows no default.
    public func defaultSystemPrompt() -> String? { nil }

    public func send(_ prompt: CompletionPrompt, seed: UInt64?, onEvent: @escaping @Sendable (ChatEvent) -> Void) {
        switch prompt {
        case .conversation(let conversation): send(conversation, seed: seed, onEvent: onEvent)
        case .text, .tokens:
            onEvent(.finished(Completion.empty(.error, seed: seed ?? 0, error: "this backend cannot continue a text")))
        }
    }

    /// Runs an answer and waits for it, delivering events on the backend's thread (for the CLI).
    public func respondWaiting(
        to conversation: Conversation, seed: UInt64? = nil,
        onEvent: @escaping @Sendable (ChatEvent) -> Void
    ) -> Completion {
        respondWaiting(to: .conversation(conversation), seed: seed, onEvent: onEvent)
    }

    /// Runs an answer to `prompt` and waits for it, delivering events on the backend's thread.
    public func respondWaiting(
        to prompt: CompletionPrompt, seed: UInt64? = nil,
        onEvent: @escaping @Sendable (ChatEvent) -> Void
    ) -> Completion {
        let done = DispatchSemaphore(value: 0)
        let result = CompletionBox()
        send(prompt, seed: seed) { event in
            onEvent(event)
            if case .finished(let completion) = event {
                result.set(completion)
                done.signal()
            }
        }
        done.wait()
        return result.get()
            ?? Completion.empty(.error, seed: 0, error: "the backend finished without an answer")
    }
}

/// The one completion `respondWaiting` hands from the backend's thread to the waiting one.
private final class CompletionBox: Sendable {
    private let value = Mutex<Completion?>(nil)
    func set(_ completion: Completion) { value.withLock { $0 = completion } }
    func get() -> Completion? { value.withLock { $0 } }
}
