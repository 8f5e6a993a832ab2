import Chat
import Inference
import Synchronization

/// Answers several conversations at once on one session's model (continuous batching, for
/// `parley serve --parallel N`).
///
/// Up to `slots` answers decode together, one forward pass per step (`BatchedGenerator`); a
/// submitted prompt waits until a slot is free, is prepared (template, tokens, context
/// fit) between two steps and joins the next one. Each answer reports the same events as
/// `ChatSession.send` (`started`, `delta`s, one `finished`) and ends on its own. The loop runs
/// on the session's queue while there is work, so the model stays confined to that queue;
/// the session must not answer anything else meanwhile.
public final class BatchedAnswers: Sendable {
    public typealias EventHandler = @Sendable (ChatEvent) -> Void

    private struct Submission: Sendable {
        let id: UInt64
        let prompt: CompletionPrompt
        let seed: UInt64?
        let onEvent: EventHandler
    }

    private struct Inbox {
        var waiting: [Submission] = []
        /// Admitted or being prepared, until `finished` is reported.
        var active: Set<UInt64> = []
        var cancelled: [UInt64] = []
        var looping = false
        var closed = false
    }

    public let session: ChatSession
    public let slots: Int
    private let inbox = Mutex(Inbox())
    /// Confined to the session's queue.
    private nonisolated(unsafe) let generator: BatchedGenerator

    /// Takes over `session`'s model: its single-conversation cache is emptied.
    public init(session: ChatSession, slots: Int, prefillChunk: Int = 32) {
        self.session = session
        self.slots = max(1, slots)
        let generator = session.queue.sync {
            session.generator.reset()
            return BatchedGenerator(predictor: session.transformer, tokenizer: session.tokenizer, slots: max(1, slots))
        }
        generator.prefillChunk = max(1, prefillChunk)
        self.generator = generator
    }

    /// Answers running and waiting.
    public var counts: (active: Int, waiting: Int) {
        inbox.withLock { ($0.active.count, $0.waiting.count) }
    }

    /// Queues `prompt` (a conversation or a text to continue) under the caller's `id`; false
    /// after `shutDown()`.
    @discardableResult
    public func submit(_ prompt: CompletionPrompt, id: UInt64, seed: UInt64?, onEvent: @escaping EventHandler) -> Bool {
        let (accepted, start) = inbox.withLock { inbox -> (Bool, Bool) in
            guard !inbox.closed else { return (false, false) }
            inbox.waiting.append(Submission(id: id, prompt: prompt, seed: seed, onEvent: onEvent))
            let start = !inbox.looping
            inbox.looping = true
            return (true, start)
        }
        if start { session.queue.async { [self] in loop() } }
        return accepted
    }

    /// Stops answer `id` within one step (a waiting one at once); its `finished` reports
    /// `cancelled` with the text so far.
    public func cancel(_ id: UInt64) {
        let waiting: Submission? = inbox.withLock { inbox in
            if let index = inbox.waiting.firstIndex(where: { $0.id == id }) { return inbox.waiting.remove(at: index) }
            if inbox.active.contains(id) { inbox.cancelled.append(id) }
            return nil
        }
        waiting?.onEvent(.finished(Self.cancelled(seed: waiting?.seed ?? 0)))
    }

    /// Refuses new answers and cancels every one, running or waiting.
    public func shutDown() {
        let ids = inbox.withLock { inbox -> [UInt64] in
            inbox.closed = true
            return inbox.waiting.map(\.id) + Array(inbox.active)
        }
        for id in ids { cancel(id) }
    }

    // MARK: - The loop (on the session's queue)

    /// Steps while any answer runs or waits; admits waiting ones into free slots and applies
    /// cancels between steps. Ends (and lets `submit` start it again) once idle.
    private func loop() {
        while true {
            let work: (cancels: [UInt64], admissions: [Submission])? = inbox.withLock { inbox in
                let free = max(0, slots - inbox.active.count)
                let taken = Array(inbox.waiting.prefix(free))
                inbox.waiting.removeFirst(taken.count)
                for submission in taken { inbox.active.insert(submission.id) }
                let cancels = inbox.cancelled
                inbox.cancelled.removeAll()
                if taken.isEmpty && cancels.isEmpty && generator.isIdle {
                    inbox.looping = false
                    return nil
                }
                return (cancels, taken)
            }
            guard let work else { return }
            for id in work.cancels { generator.cancel(id) }
            for submission in work.admissions { admit(submission) }
            generator.step()
        }
    }

    private func admit(_ submission: Submission) {
        let id = submission.id
        let onEvent = submission.onEvent
        let shouldStop: @Sendable () -> Bool = { [self] in inbox.withLock { $0.cancelled.contains(id) || $0.closed } }
        switch session.prepare(submission.prompt, seed: submission.seed, shouldStop: shouldStop, onEvent: onEvent)
        {
        case .ended(let completion):
            inbox.withLock { _ = $0.active.remove(id) }
            onEvent(.finished(completion))
        case .ready(var request, let seed):
            // A served answer never reports its cross-entropy: skip the pass over the vocabulary
            // per token that measures it (logprobs, when asked for, still score every token).
            request.measuresCrossEntropy = false
            let (session, prompt) = (session, submission.prompt)
            var admitted = false
            let cached = generator.admit(
                request, id: id,
                onDelta: { delta in
                    onEvent(.delta(session.answerDelta(delta)))
                },
                onFinish: { [self] outcome in
                    inbox.withLock { _ = $0.active.remove(id) }
                    if !admitted, let message = outcome.errorMessage {
                        // Refused before it started (the prompt does not fit): an error, no answer.
                        onEvent(
                            .finished(
                                Completion.empty(.error, seed: seed, error: message)))
                        return
                    }
                    onEvent(.finished(session.completion(outcome, for: prompt, seed: seed)))
                },
                onPromptScored: { scores in
                    onEvent(.promptScored(session.promptLogprobs(scores, for: prompt)))
                })
            if inbox.withLock({ $0.active.contains(id) }) {
                admitted = true
                onEvent(.started(promptTokens: request.promptTokens.count, cachedTokens: cached))
            }
        }
    }

    static func cancelled(seed: UInt64) -> Completion {
        Completion.empty(.cancelled, seed: seed)
    }
}
