import Chat
import Foundation
import Inference
import Synchronization

/// Runs one answer at a time on one engine, with a bounded queue of waiting requests.
///
/// A request with `n > 1` first asks the engine for all `n`: an engine with the batch API answers
/// them together. An engine that answers only one gets the others one after another, alternative
/// `i` seeded with `seed + i` (the seed drawn once when the request gives none); either way they
/// are reported as one answer with `n` choices. Cancelling a waiting request removes it; cancelling the running one
/// stops the engine within one token, and the next request starts as soon as it has finished.
public final class SerialScheduler: CompletionScheduler {
    private let engine: any CompletionEngine
    private let queueCapacity: Int
    private let state = Mutex(State())

    private struct State {
        var nextID: UInt64 = 1
        var waiting: [Job] = []
        var running: Job?
        var closed = false
    }

    /// A request's progress through its alternatives.
    private struct Job {
        let id: UInt64
        let prompt: CompletionPrompt
        let seed: UInt64
        let admission: AsyncStream<Admission>.Continuation
        let events: AsyncStream<ChatEvent>.Continuation
        var choices: [Completion.Choice] = []
        var first: Completion?
        var admitted = false
        var cancelled = false
    }

    /// - Parameter queueCapacity: requests that may wait while one runs; more get `.queueFull`.
    public init(engine: any CompletionEngine, queueCapacity: Int) {
        self.engine = engine
        self.queueCapacity = max(0, queueCapacity)
    }

    public var load: SchedulerLoad {
        state.withLock { SchedulerLoad(slots: 1, active: $0.running == nil ? 0 : 1, queued: $0.waiting.count) }
    }

    public var capacity: Int { 1 + queueCapacity }

    public func submit(_ prompt: CompletionPrompt) throws(ServerError) -> CompletionTicket {
        let (admission, admissionContinuation) = AsyncStream<Admission>.makeStream(bufferingPolicy: .unbounded)
        let (events, eventContinuation) = AsyncStream<ChatEvent>.makeStream(bufferingPolicy: .unbounded)
        let seed = prompt.parameters.seed ?? UInt64.random(in: 0...UInt64(UInt32.max))
        let result: Result<UInt64, ServerError> = state.withLock { state in
            if state.closed { return .failure(.shuttingDown) }
            // Counted together: a burst of submissions is all still waiting when the next arrives.
            if (state.running == nil ? 0 : 1) + state.waiting.count >= capacity {
                return .failure(.queueFull(retryAfterSeconds: 1 + state.waiting.count))
            }
            let id = state.nextID
            state.nextID += 1
            state.waiting.append(
                Job(
                    id: id, prompt: prompt, seed: seed, admission: admissionContinuation,
                    events: eventContinuation))
            startNextIfIdle(&state)
            return .success(id)
        }
        let id = try result.get()
        return CompletionTicket(id: id, admission: admission, events: events) { [weak self] in self?.cancel(id) }
    }

    public func shutdown() {
        let ids = state.withLock { state -> [UInt64] in
            state.closed = true
            return state.waiting.map(\.id) + (state.running.map { [$0.id] } ?? [])
        }
        for id in ids { cancel(id) }
    }

    private func cancel(_ id: UInt64) {
        let removed: Job? = state.withLock { state in
            if var running = state.running, running.id == id {
                running.cancelled = true
                state.running = running
                engine.cancel()
                return nil
            }
            guard let index = state.waiting.firstIndex(where: { $0.id == id }) else { return nil }
            return state.waiting.remove(at: index)
        }
        if let removed { Self.finish(removed, with: Self.cancelledCompletion(seed: removed.seed)) }
    }

    /// Starts the next waiting job (or the running job's next alternative). Called with the lock
    /// held, so a cancel cannot fall between choosing a job and the engine's reset of its flag.
    private func startNextIfIdle(_ state: inout State) {
        guard state.running == nil, !state.waiting.isEmpty else { return }
        state.running = state.waiting.removeFirst()
        startPass(&state)
    }

    private func startPass(_ state: inout State) {
        guard let job = state.running else { return }
        var prompt = job.prompt
        let choice = job.choices.count
        if choice > 0 { prompt.parameters.n = 1 }
        let id = job.id
        engine.send(prompt, seed: job.seed &+ UInt64(choice)) { [weak self] event in
            self?.receive(event, job: id, choice: choice)
        }
    }

    /// Passes `event` on to job `id`'s stream while it is the running job (outside the lock).
    private func forward(_ event: ChatEvent, job id: UInt64) {
        let continuation = state.withLock { $0.running?.id == id ? $0.running?.events : nil }
        continuation?.yield(event)
    }

    /// Handles one engine event of the running job (on the engine's thread).
    private func receive(_ event: ChatEvent, job id: UInt64, choice: Int) {
        switch event {
        case .notice, .contextTrimmed, .promptProgress:
            return
        case .started(let promptTokens, let cachedTokens):
            state.withLock { state in
                guard var job = state.running, job.id == id, !job.admitted else { return }
                job.admitted = true
                state.running = job
                job.admission.yield(.started(promptTokens: promptTokens, cachedTokens: cachedTokens))
                job.admission.finish()
            }
        case .promptScored:
            // Every pass scores the same prompt: the first reports it.
            if choice == 0 { forward(event, job: id) }
        case .delta(var delta):
            if choice > 0 { delta.choice = choice }
            forward(.delta(delta), job: id)
        case .finished(let completion):
            let done: (Job, Completion)? = state.withLock { state in
                guard var job = state.running, job.id == id else { return nil }
                if choice == 0 && !completion.choices.isEmpty {
                    job.choices.append(contentsOf: completion.choices.prefix(job.prompt.parameters.n))
                } else {
                    var answer =
                        completion.choices.first
                        ?? Completion.Choice(index: choice, text: "", reason: completion.reason, completionTokens: 0)
                    answer.index = choice
                    job.choices.append(answer)
                }
                if job.first == nil { job.first = completion }
                let failed = completion.reason == .error && !job.admitted
                if failed || job.cancelled || job.choices.count >= job.prompt.parameters.n {
                    state.running = nil
                    startNextIfIdle(&state)
                    return (job, failed ? completion : Self.combine(job, last: completion))
                }
                state.running = job
                startPass(&state)
                return nil
            }
            if let done { Self.finish(done.0, with: done.1) }
        }
    }

    private static func combine(_ job: Job, last: Completion) -> Completion {
        let first = job.first ?? last
        let completionTokens = job.choices.reduce(0) { $0 + $1.completionTokens }
        var completion = Completion(
            choices: job.choices,
            usage: Usage(
                promptTokens: first.usage.promptTokens, completionTokens: completionTokens,
                cachedTokens: first.usage.cachedTokens),
            timings: first.timings, seed: job.seed)
        completion.promptLogprobs = first.promptLogprobs
        return completion
    }

    private static func finish(_ job: Job, with completion: Completion) {
        if !job.admitted { job.admission.yield(.failed(completion)) }
        job.admission.finish()
        job.events.yield(.finished(completion))
        job.events.finish()
    }

    static func cancelledCompletion(seed: UInt64) -> Completion {
        Completion.empty(.cancelled, seed: seed)
    }
}
