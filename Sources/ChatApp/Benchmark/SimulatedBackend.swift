import Chat
import Foundation

/// A stand-in model that streams a scripted answer, for tests and UI benchmarks.
///
/// Each answer is `reply(conversation)` cut into pieces of a few characters, sent from a
/// background thread with `delay` between pieces; `cancel()` stops it after the current piece,
/// like the real session. Prompt sizes are counted as one token per four characters.
public final class SimulatedBackend: ChatBackend, @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false
    private var sent: [Conversation] = []
    private var cacheCalls: [String] = []
    private let reply: @Sendable (Conversation) -> String
    private let delay: Duration
    private let pieceLength: Int
    private let queue = DispatchQueue(label: "parley.simulated-backend")

    public init(
        delay: Duration = .zero, pieceLength: Int = 4,
        reply: @escaping @Sendable (Conversation) -> String = { "You said: " + ($0.messages.last?.content ?? "") }
    ) {
        self.delay = delay
        self.pieceLength = max(1, pieceLength)
        self.reply = reply
    }

    /// The prompt-cache calls so far, oldest first: "save <file name>" / "restore <file name>".
    public var promptCacheCalls: [String] {
        lock.lock()
        defer { lock.unlock() }
        return cacheCalls.filter { $0 != "shut down" }
    }

    /// The prompt-cache and `shutDown()` calls so far, oldest first.
    public var lifecycleCalls: [String] {
        lock.lock()
        defer { lock.unlock() }
        return cacheCalls
    }

    public func shutDown() {
        cancel()
        lock.lock()
        cacheCalls.append("shut down")
        lock.unlock()
    }

    public func restorePromptCache(from url: URL) -> Int {
        lock.lock()
        cacheCalls.append("restore " + url.lastPathComponent)
        lock.unlock()
        return 0
    }

    public func savePromptCache(to url: URL) {
        lock.lock()
        cacheCalls.append("save " + url.lastPathComponent)
        lock.unlock()
    }

    /// The conversations sent so far, oldest first.
    public var conversations: [Conversation] {
        lock.lock()
        defer { lock.unlock() }
        return sent
    }

    public func send(_ conversation: Conversation, seed: UInt64?, onEvent: @escaping @Sendable (ChatEvent) -> Void) {
        lock.lock()
        cancelled = false
        sent.append(conversation)
        lock.unlock()
        let text = reply(conversation)
        let prompt = promptTokenCount(conversation)
        let delay = self.delay
        let pieceLength = self.pieceLength
        queue.async { [self] in
            onEvent(.started(promptTokens: prompt, cachedTokens: 0))
            var written = ""
            var pieces = 0
            var stopped = false
            let characters = Array(text)
            var index = 0
            while index < characters.count {
                if isCancelled {
                    stopped = true
                    break
                }
                let piece = String(characters[index..<min(characters.count, index + pieceLength)])
                index += pieceLength
                written += piece
                pieces += 1
                onEvent(.delta(AnswerDelta(text: piece)))
                if delay > .zero { Thread.sleep(forTimeInterval: Double(delay / .microseconds(1)) / 1_000_000) }
            }
            let hitLength = !stopped && pieces >= conversation.parameters.maxTokens
            onEvent(.finished(Completion(
                text: written, reason: stopped ? .cancelled : (hitLength ? .length : .stop),
                usage: Usage(promptTokens: prompt, completionTokens: pieces, cachedTokens: 0),
                timings: Timings(prefillTokensPerSecond: 1000, decodeTokensPerSecond: 100),
                seed: seed ?? 0)))
        }
    }

    private var isCancelled: Bool {
        lock.lock()
        defer { lock.unlock() }
        return cancelled
    }

    public func cancel() {
        lock.lock()
        cancelled = true
        lock.unlock()
    }

    public func promptTokenCount(_ conversation: Conversation) -> Int {
        let characters = conversation.templateMessages.reduce(0) { $0 + $1.content.count + 8 }
        return characters / 4
    }

    /// A loader that hands out `backend` with a small made-up model.
    public static func loader(_ backend: SimulatedBackend, contextLength: Int = 2048) -> BackendLoader {
        { (backend, ModelSummary(fileName: "simulated.gguf", contextLength: contextLength)) }
    }
}
