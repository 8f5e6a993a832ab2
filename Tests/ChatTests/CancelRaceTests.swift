import Foundation
import TestSupport
import Testing

@testable import Chat
@testable import LocalChat

/// A cancel stops the answers sent before it and none sent after it, however the cancel and the
/// next send interleave with the session's queue (issue #12 item 5). The interleavings are
/// forced with semaphores on the session's own queue, so no test depends on timing.
@Suite(.serialized, .requires(.smolLM2Q4_1))
struct CancelRaceTests {
    private func session() throws -> ChatSession {
        try ChatSession(options: SessionOptions(modelPath: TestModel.smolLM2Q4_1.path, contextLength: 512, threads: 2))
    }

    /// A prompt SmolLM2 answers at length, greedily, so only a cancel ends it before `maxTokens`.
    private func story() -> Conversation {
        var parameters = SamplingParameters.defaults
        parameters.temperature = 0
        parameters.maxTokens = 24
        return Conversation(
            messages: [.user("Write a long story about a dragon who learns to paint.")],
            parameters: parameters)
    }

    /// Collects one answer's completion from the session's thread.
    final class Finish: @unchecked Sendable {
        private let lock = NSLock()
        private var value: Completion?
        let done = DispatchSemaphore(value: 0)
        func set(_ completion: Completion) {
            lock.withLock { value = completion }
            done.signal()
        }
        func wait() -> Completion? {
            _ = done.wait(timeout: .now() + 120)
            return lock.withLock { value }
        }
    }

    private func send(_ chat: ChatSession, _ conversation: Conversation, onDelta: @escaping @Sendable () -> Void = {})
        -> Finish
    {
        let finish = Finish()
        chat.send(conversation, seed: 1) { event in
            switch event {
            case .delta: onDelta()
            case .finished(let completion): finish.set(completion)
            default: break
            }
        }
        return finish
    }

    /// The race the issue names: the answer is running (held inside its first token's event, on
    /// the session's queue), the person cancels it and sends again at once. The send used to
    /// clear the cancel flag before the running answer saw it, so that answer ran to its end.
    @Test func cancelThenSendStopsTheRunningAnswer() throws {
        let chat = try session()
        let running = DispatchSemaphore(value: 0)
        let go = DispatchSemaphore(value: 0)
        let first = send(
            chat, story(),
            onDelta: {
                running.signal()
                go.wait()
            })
        running.wait()
        chat.cancel()
        let second = send(chat, story())
        go.signal()
        for _ in 0..<64 { go.signal() } // the first answer's later deltas (if the cancel was lost) do not wait
        let stopped = try #require(first.wait())
        let next = try #require(second.wait())
        #expect(
            stopped.reason == .cancelled,
            "the cancelled answer ran on: \(stopped.reason), \(stopped.usage.completionTokens) tokens")
        #expect(stopped.usage.completionTokens < 24)
        #expect(
            next.reason == .length && next.usage.completionTokens == 24, "the answer sent after the cancel was stopped")
    }

    /// The same while the cancelled answer is still waiting for the queue (behind a blocked
    /// job): it ends cancelled with no text, and the one sent after the cancel still runs.
    @Test func cancelReachesAnAnswerStillWaitingForTheQueue() throws {
        let chat = try session()
        let gate = DispatchSemaphore(value: 0)
        chat.queue.async { gate.wait() }
        let first = send(chat, story())
        chat.cancel()
        let second = send(chat, story())
        gate.signal()
        let stopped = try #require(first.wait())
        let next = try #require(second.wait())
        #expect(stopped.reason == .cancelled && stopped.text.isEmpty)
        #expect(next.reason == .length && next.usage.completionTokens == 24)
    }

    /// A cancel right after a send, before the answer has started, still stops it (clearing
    /// the flag on the queue when the answer starts must not undo this cancel).
    @Test func cancelBeforeTheAnswerStartsStopsIt() throws {
        let chat = try session()
        let gate = DispatchSemaphore(value: 0)
        chat.queue.async { gate.wait() }
        let first = send(chat, story())
        chat.cancel()
        gate.signal()
        let stopped = try #require(first.wait())
        #expect(stopped.reason == .cancelled && stopped.text.isEmpty)
        // The session is not left cancelled: the next answer runs to its limit.
        let next = try #require(send(chat, story()).wait())
        #expect(next.reason == .length && next.usage.completionTokens == 24)
    }
}
