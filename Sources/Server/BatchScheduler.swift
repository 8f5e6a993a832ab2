import Chat
import LocalChat
import Synchronization

/// Continuous batching behind `CompletionScheduler`: up to `slots` answers decode together in
/// one forward pass per step (`BatchedAnswers`), a new request joins between two steps, its
/// prompt prefilled in chunks beside the running streams, and a prompt that starts like a cached
/// one (the same system prompt, the next turn) reuses its keys and values. Requests beyond the
/// slots wait in a queue of `queueCapacity`; more get `.queueFull`. Cancelling (a client that
/// disconnects) frees the slot within one step.
public final class BatchScheduler: CompletionScheduler {
    private let answers: BatchedAnswers
    private let queueCapacity: Int
    private let state = Mutex((nextID: UInt64(1), closed: false))

    public init(answers: BatchedAnswers, queueCapacity: Int) {
        self.answers = answers
        self.queueCapacity = max(0, queueCapacity)
    }

    public var load: SchedulerLoad {
        let counts = answers.counts
        return SchedulerLoad(slots: answers.slots, active: counts.active, queued: counts.waiting)
    }

    public var capacity: Int { answers.slots + queueCapacity }

    public func submit(_ prompt: CompletionPrompt) throws(ServerError) -> CompletionTicket {
        let result: Result<UInt64, ServerError> = state.withLock { state in
            if state.closed { return .failure(.shuttingDown) }
            let counts = answers.counts
            // Counted together: a burst of submissions is all still waiting when the next arrives.
            if counts.active + counts.waiting >= capacity {
                return .failure(.queueFull(retryAfterSeconds: 1 + counts.waiting / answers.slots))
            }
            defer { state.nextID += 1 }
            return .success(state.nextID)
        }
        let id = try result.get()
        let (admission, admissionContinuation) = AsyncStream<Admission>.makeStream(bufferingPolicy: .unbounded)
        let (events, eventContinuation) = AsyncStream<ChatEvent>.makeStream(bufferingPolicy: .unbounded)
        let seed = prompt.parameters.seed ?? UInt64.random(in: 0...UInt64(UInt32.max))
        let admitted = Flag()
        let accepted = answers.submit(prompt, id: id, seed: seed) { event in
            switch event {
            case .notice, .contextTrimmed, .promptProgress:
                return
            case .started(let promptTokens, let cachedTokens):
                admitted.raise()
                admissionContinuation.yield(.started(promptTokens: promptTokens, cachedTokens: cachedTokens))
                admissionContinuation.finish()
            case .delta, .promptScored:
                eventContinuation.yield(event)
            case .finished(let completion):
                if !admitted.isRaised { admissionContinuation.yield(.failed(completion)) }
                admissionContinuation.finish()
                eventContinuation.yield(event)
                eventContinuation.finish()
            }
        }
        guard accepted else { throw .shuttingDown }
        return CompletionTicket(id: id, admission: admission, events: events) { [answers] in answers.cancel(id) }
    }

    public func shutdown() {
        state.withLock { $0.closed = true }
        answers.shutDown()
    }
}

/// A flag set once from the engine's thread (the admission was reported).
private final class Flag: Sendable {
    private let raised = Atomic<Bool>(false)
    func raise() { raised.store(true, ordering: .sequentiallyConsistent) }
    var isRaised: Bool { raised.load(ordering: .sequentiallyConsistent) }
}
