import Chat
import Foundation
import Hummingbird
import Inference
import Synchronization
import Testing

@testable import Server

/// An engine that answers with a fixed number of one-word tokens, one per `step()` call, so tests
/// decide exactly when each token is produced.
final class StepEngine: CompletionEngine, @unchecked Sendable {
    private struct Running {
        var prompt: CompletionPrompt
        var seed: UInt64?
        var onEvent: @Sendable (ChatEvent) -> Void
        var produced = 0
    }
    private let lock = NSLock()
    private var running: Running?
    private var cancelled = false
    private(set) var seeds: [UInt64?] = []
    private(set) var prompts: [CompletionPrompt] = []
    let tokens: Int
    let refuse: Bool
    /// Answers all `n` alternatives in one run, as an engine with the batch API does.
    let alternatives: Bool

    init(tokens: Int, refuse: Bool = false, alternatives: Bool = false) {
        self.tokens = tokens
        self.refuse = refuse
        self.alternatives = alternatives
    }

    func send(_ prompt: CompletionPrompt, seed: UInt64?, onEvent: @escaping @Sendable (ChatEvent) -> Void) {
        lock.withLock {
            precondition(running == nil, "the scheduler sent a second answer while one was running")
            cancelled = false
            seeds.append(seed)
            prompts.append(prompt)
            running = Running(prompt: prompt, seed: seed, onEvent: onEvent)
        }
    }

    func cancel() { lock.withLock { cancelled = true } }

    var isRunning: Bool { lock.withLock { running != nil } }

    /// Produces one event of the running answer (started, a token, or finished), on this thread.
    func step() {
        let next: (ChatEvent, @Sendable (ChatEvent) -> Void)? = lock.withLock {
            guard var current = running else { return nil }
            let timings = Timings(prefillTokensPerSecond: 1, decodeTokensPerSecond: 1)
            func finish(_ reason: Chat.FinishReason, error: String? = nil) -> ChatEvent {
                running = nil
                let count = max(current.produced, 0)
                let n = alternatives ? current.prompt.parameters.n : 1
                let choices = (0..<n).map {
                    Completion.Choice(
                        index: $0, text: String(repeating: "w", count: count), reason: reason,
                        completionTokens: count, error: error)
                }
                return .finished(
                    Completion(
                        choices: choices,
                        usage: Usage(promptTokens: 4, completionTokens: count * n, cachedTokens: 0),
                        timings: timings, seed: current.seed ?? 0))
            }
            if refuse {
                return (
                    finish(.error, error: "the message is 9 tokens long but only 4 fit in the context window"),
                    current.onEvent
                )
            }
            if current.produced == 0 {
                current.produced = -1 // started, no token yet
                running = current
                return (.started(promptTokens: 4, cachedTokens: 0), current.onEvent)
            }
            if current.produced < 0 { current.produced = 0 }
            if cancelled { return (finish(.cancelled), current.onEvent) }
            if current.produced == tokens { return (finish(.length), current.onEvent) }
            current.produced += 1
            running = current
            return (.delta(AnswerDelta(text: "w")), current.onEvent)
        }
        if let next { next.1(next.0) }
    }

    /// Steps until nothing runs.
    func drain(limit: Int = 1000) {
        for _ in 0..<limit where isRunning { step() }
    }
}

private func collect(_ ticket: CompletionTicket) async -> (
    admission: Admission, text: [Int: String], completion: Completion?
) {
    let admission = await ticket.waitForAdmission()
    var text: [Int: String] = [:]
    var completion: Completion?
    for await event in ticket.events {
        if case .delta(let delta) = event { text[delta.choice, default: ""] += delta.text }
        if case .finished(let result) = event { completion = result }
    }
    return (admission, text, completion)
}

private func conversation(n: Int = 1, seed: UInt64? = 100) -> Conversation {
    var parameters = SamplingParameters.defaults
    parameters.n = n
    parameters.seed = seed
    return Conversation(messages: [.user("hi")], parameters: parameters)
}

@Suite struct SchedulerTests {
    @Test func runsOneAtATimeAndRefusesBeyondTheQueue() throws {
        let engine = StepEngine(tokens: 3)
        let scheduler = SerialScheduler(engine: engine, queueCapacity: 2)
        let first = try scheduler.submit(conversation())
        _ = try scheduler.submit(conversation())
        _ = try scheduler.submit(conversation())
        #expect(scheduler.load == SchedulerLoad(slots: 1, active: 1, queued: 2))
        #expect(throws: ServerError.queueFull(retryAfterSeconds: 3)) { try scheduler.submit(conversation()) }
        first.cancel()
        engine.step() // started
        engine.step() // the first ends cancelled and the second starts at once
        #expect(scheduler.load == SchedulerLoad(slots: 1, active: 1, queued: 1))
        engine.drain()
        #expect(scheduler.load == SchedulerLoad(slots: 1, active: 0, queued: 0))
    }

    @Test func alternativesRunInTurnWithConsecutiveSeedsAndAddUp() async throws {
        let engine = StepEngine(tokens: 2)
        let scheduler = SerialScheduler(engine: engine, queueCapacity: 4)
        let ticket = try scheduler.submit(conversation(n: 3, seed: 100))
        engine.drain()
        let result = await collect(ticket)
        #expect(result.admission == .started(promptTokens: 4, cachedTokens: 0))
        #expect(result.text == [0: "ww", 1: "ww", 2: "ww"])
        let completion = try #require(result.completion)
        #expect(completion.choices.map(\.index) == [0, 1, 2])
        #expect(completion.usage == Usage(promptTokens: 4, completionTokens: 6, cachedTokens: 0))
        #expect(engine.seeds == [100, 101, 102])
    }

    @Test func anEngineThatAnswersAllAlternativesRunsOnce() async throws {
        let engine = StepEngine(tokens: 2, alternatives: true)
        let scheduler = SerialScheduler(engine: engine, queueCapacity: 4)
        let ticket = try scheduler.submit(conversation(n: 3, seed: 100))
        engine.drain()
        let completion = try #require(await collect(ticket).completion)
        #expect(completion.choices.map(\.index) == [0, 1, 2])
        #expect(completion.usage == Usage(promptTokens: 4, completionTokens: 6, cachedTokens: 0))
        #expect(engine.seeds == [100])
    }

    @Test func cancellingAWaitingRequestRemovesItAndEndsItsStream() async throws {
        let engine = StepEngine(tokens: 2)
        let scheduler = SerialScheduler(engine: engine, queueCapacity: 4)
        _ = try scheduler.submit(conversation())
        let waiting = try scheduler.submit(conversation())
        waiting.cancel()
        #expect(scheduler.load.queued == 0)
        let result = await collect(waiting)
        #expect(result.completion?.reason == .cancelled)
        if case .failed = result.admission {} else { Issue.record("a cancelled waiting request was admitted") }
    }

    @Test func cancellingTheRunningRequestFreesTheSlotForTheNext() async throws {
        let engine = StepEngine(tokens: 50)
        let scheduler = SerialScheduler(engine: engine, queueCapacity: 4)
        let running = try scheduler.submit(conversation())
        let next = try scheduler.submit(conversation())
        engine.step() // started
        engine.step() // one token
        running.cancel()
        engine.step() // the engine notices within one step
        let result = await collect(running)
        #expect(result.completion?.reason == .cancelled)
        #expect(result.text[0] == "w")
        #expect(scheduler.load == SchedulerLoad(slots: 1, active: 1, queued: 0))
        next.cancel()
        engine.drain()
        #expect(scheduler.load.active == 0)
    }

    @Test func aPromptThatDoesNotFitFailsAdmissionAsContextLengthExceeded() async throws {
        let engine = StepEngine(tokens: 2, refuse: true)
        let scheduler = SerialScheduler(engine: engine, queueCapacity: 1)
        let ticket = try scheduler.submit(conversation(n: 2))
        engine.step()
        let result = await collect(ticket)
        guard case .failed(let completion) = result.admission else {
            Issue.record("admitted")
            return
        }
        let error = CompletionEndpoint.error(for: completion, promptField: "messages")
        #expect(error.code == "context_length_exceeded" && error.status == .badRequest)
        #expect(engine.seeds.count == 1) // the second alternative never ran
        #expect(scheduler.load.active == 0)
    }

    @Test func shutdownCancelsEverythingAndRefusesNewRequests() async throws {
        let engine = StepEngine(tokens: 100)
        let scheduler = SerialScheduler(engine: engine, queueCapacity: 4)
        let running = try scheduler.submit(conversation())
        let waiting = try scheduler.submit(conversation())
        engine.step()
        scheduler.shutdown()
        #expect(throws: ServerError.shuttingDown) { try scheduler.submit(conversation()) }
        engine.drain()
        #expect(await collect(running).completion?.reason == .cancelled)
        #expect(await collect(waiting).completion?.reason == .cancelled)
        #expect(scheduler.load.active == 0 && scheduler.load.queued == 0)
    }
}
