import Foundation
import Synchronization
import TestSupport
import Testing

@testable import Chat
@testable import Inference
@testable import LocalChat

/// Continuous batching through the chat layer (what `parley serve --parallel N` runs) on the
/// real SmolLM2: concurrent answers equal their answers alone, a cancel frees the slot, the
/// next turn reuses the cached prompt, and `n` alternatives still work beside other requests.
@Suite(.serialized, .requires(.smolLM2Q4_1))
struct BatchedAnswersTests {
    static let smolLM2 = TestModel.smolLM2Q4_1.path

    static func session(slots: Int) throws -> ChatSession {
        var options = SessionOptions(modelPath: smolLM2, contextLength: 1024, threads: 2)
        options.cacheContexts = slots + 1
        return try ChatSession(options: options)
    }

    static func greedy(_ text: String, maxTokens: Int = 32) -> Conversation {
        var parameters = SamplingParameters.defaults
        parameters.temperature = 0
        parameters.maxTokens = maxTokens
        return Conversation(messages: [.user(text)], parameters: parameters)
    }

    /// Events of each answer, collected from the engine's thread.
    final class Recorder: Sendable {
        private let state = Mutex<(events: [UInt64: [ChatEvent]], done: Set<UInt64>)>(([:], []))
        func handler(_ id: UInt64) -> BatchedAnswers.EventHandler {
            { event in
                self.state.withLock { state in
                    state.events[id, default: []].append(event)
                    if case .finished = event { state.done.insert(id) }
                }
            }
        }
        func events(_ id: UInt64) -> [ChatEvent] { state.withLock { $0.events[id] ?? [] } }
        func completion(_ id: UInt64) -> Completion? {
            for case .finished(let completion) in events(id) { return completion }
            return nil
        }
        func deltas(_ id: UInt64) -> Int { events(id).filter { if case .delta = $0 { true } else { false } }.count }
        /// Waits (polling, at most `seconds`) until every id in `ids` has finished.
        func wait(for ids: [UInt64], seconds: Double = 120) -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if state.withLock({ ids.allSatisfy($0.done.contains) }) { return true }
                Thread.sleep(forTimeInterval: 0.01)
            }
            return false
        }
    }

    static let questions = [
        "What is 2+2?", "Write a short poem about the sea.", "Name three colours of the rainbow.",
        "Why is the sky blue?", "Tell me a long story about a lighthouse keeper."
    ]

    /// Five greedy requests submitted at once to three slots: each answer's text, reason and
    /// usage equal what the session gives for it alone (`respond`, as `parley run` does).
    @Test func concurrentAnswersEqualTheirAnswersAlone() throws {
        let alone = try Self.session(slots: 1)
        let expected = Self.questions.map { alone.respond(to: Self.greedy($0)) { _ in } }
        let answers = BatchedAnswers(session: try Self.session(slots: 3), slots: 3, prefillChunk: 8)
        let recorder = Recorder()
        for (index, question) in Self.questions.enumerated() {
            #expect(
                answers.submit(
                    .conversation(Self.greedy(question)), id: UInt64(index), seed: nil,
                    onEvent: recorder.handler(UInt64(index))))
        }
        #expect(answers.counts.active + answers.counts.waiting == 5)
        #expect(recorder.wait(for: (0..<5).map(UInt64.init)))
        for index in Self.questions.indices {
            let completion = try #require(recorder.completion(UInt64(index)))
            #expect(completion.text == expected[index].text, "question \(index)")
            #expect(completion.reason == expected[index].reason)
            #expect(completion.usage.completionTokens == expected[index].usage.completionTokens)
            #expect(completion.usage.promptTokens == expected[index].usage.promptTokens)
        }
        #expect(recorder.completion(0)?.text == "The answer to this classic math problem is 4.")
        #expect(answers.counts.active == 0 && answers.counts.waiting == 0)
    }

    /// A cancelled answer (a client gone) ends as cancelled and frees its slot: with one slot,
    /// the waiting request starts and answers as it does alone.
    @Test func cancellingFreesTheSlotForTheWaitingRequest() throws {
        let answers = BatchedAnswers(session: try Self.session(slots: 1), slots: 1)
        let recorder = Recorder()
        answers.submit(
            .conversation(Self.greedy(Self.questions[4], maxTokens: 400)), id: 1, seed: nil,
            onEvent: recorder.handler(1))
        answers.submit(.conversation(Self.greedy(Self.questions[0])), id: 2, seed: nil, onEvent: recorder.handler(2))
        let deadline = Date().addingTimeInterval(60)
        while recorder.deltas(1) < 5 && Date() < deadline { Thread.sleep(forTimeInterval: 0.005) }
        #expect(answers.counts.active == 1 && answers.counts.waiting == 1)
        answers.cancel(1)
        #expect(recorder.wait(for: [1, 2]))
        #expect(recorder.completion(1)?.reason == .cancelled)
        #expect((recorder.completion(1)?.usage.completionTokens ?? 400) < 400)
        #expect(recorder.completion(2)?.text == "The answer to this classic math problem is 4.")
        #expect(answers.counts.active == 0 && answers.counts.waiting == 0)
    }

    /// The next turn of a conversation reports the previous prompt and answer as cached
    /// (`started`'s and the usage's `cachedTokens`), and still answers as the session alone does.
    @Test func theNextTurnReusesTheCache() throws {
        let answers = BatchedAnswers(session: try Self.session(slots: 2), slots: 2)
        let recorder = Recorder()
        var conversation = Self.greedy("What is 2+2?")
        answers.submit(.conversation(conversation), id: 1, seed: nil, onEvent: recorder.handler(1))
        #expect(recorder.wait(for: [1]))
        let first = try #require(recorder.completion(1))
        #expect(first.usage.cachedTokens == 0)
        conversation.messages.append(first.message(parameters: conversation.parameters))
        conversation.messages.append(.user("And 3+3?"))
        answers.submit(.conversation(conversation), id: 2, seed: nil, onEvent: recorder.handler(2))
        #expect(recorder.wait(for: [2]))
        let second = try #require(recorder.completion(2))
        #expect(second.usage.cachedTokens > first.usage.promptTokens)
        var started = 0
        for case .started(_, let cached) in recorder.events(2) { started = cached }
        #expect(started == second.usage.cachedTokens)
        let alone = try Self.session(slots: 1).respond(to: conversation) { _ in }
        #expect(second.text == alone.text)
    }

    /// `n = 2` with a seed beside a greedy request: the same two answers as the session gives
    /// for that request alone.
    @Test func alternativesBesideAnotherRequest() throws {
        var conversation = Self.greedy(Self.questions[1], maxTokens: 16)
        conversation.parameters.temperature = 1
        conversation.parameters.n = 2
        let alone = try Self.session(slots: 1).respond(to: conversation, seed: 7) { _ in }
        let answers = BatchedAnswers(session: try Self.session(slots: 2), slots: 2)
        let recorder = Recorder()
        answers.submit(.conversation(Self.greedy(Self.questions[3])), id: 1, seed: nil, onEvent: recorder.handler(1))
        answers.submit(.conversation(conversation), id: 2, seed: 7, onEvent: recorder.handler(2))
        #expect(recorder.wait(for: [1, 2]))
        let batched = try #require(recorder.completion(2))
        #expect(batched.choices.map(\.text) == alone.choices.map(\.text))
    }
}
