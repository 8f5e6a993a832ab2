import Foundation
import TestSupport
import Testing

@testable import Chat
@testable import Inference
@testable import LocalChat

/// The conversation manager on the real SmolLM2 model: reference answer, seeds, KV-cache reuse,
/// cancellation and the context edge. Run in release (`Scripts/test.sh`).
@Suite(.serialized, .requires(.smolLM2Q4_1))
struct ChatSessionTests {
    static let smolLM2 = TestModel.smolLM2Q4_1.path

    private func session(context: Int? = 1024) throws -> ChatSession {
        try ChatSession(options: SessionOptions(modelPath: Self.smolLM2, contextLength: context, threads: 2))
    }

    private func greedy(_ text: String, maxTokens: Int = 64) -> Conversation {
        var parameters = SamplingParameters.defaults
        parameters.temperature = 0
        parameters.maxTokens = maxTokens
        return Conversation(messages: [.user(text)], parameters: parameters)
    }

    @Test func greedyAnswerMatchesLlamaCpp() throws {
        let completion = try session().respond(to: greedy("What is 2+2?")) { _ in }
        #expect(completion.text == "The answer to this classic math problem is 4.")
        #expect(completion.reason == .stop)
        #expect(completion.usage.promptTokens == 37) // the reference prompt_tokens length
    }

    /// n = 2 with logprobs through the session: two choices, their tokens' probabilities in the
    /// deltas and the completion, cross-entropy as the mean NLL, usage counting both answers,
    /// and the next turn still reusing the cache (choice 0 stays in it).
    @Test func alternativesWithLogprobs() throws {
        let chat = try session()
        var conversation = greedy("Write a short poem about the sea.", maxTokens: 16)
        conversation.parameters.temperature = 1
        conversation.parameters.n = 2
        conversation.parameters.logprobs = true
        conversation.parameters.topLogprobs = 3
        var streamed = ["", ""]
        var streamedTokens = [0, 0]
        let completion = chat.respond(to: conversation, seed: 3) { event in
            if case .delta(let delta) = event {
                streamed[delta.choice] += delta.text
                streamedTokens[delta.choice] += delta.logprobs.count
            }
        }
        #expect(completion.choices.count == 2)
        #expect(completion.choices.map(\.text) == streamed)
        #expect(completion.usage.completionTokens == completion.choices.reduce(0) { $0 + $1.completionTokens })
        for choice in completion.choices {
            let logprobs = try #require(choice.logprobs)
            #expect(logprobs.count == choice.completionTokens && streamedTokens[choice.index] == logprobs.count)
            #expect(logprobs.allSatisfy { $0.topLogprobs.count == 3 && $0.logprob <= 0 })
            #expect(String(decoding: logprobs.flatMap(\.bytes), as: UTF8.self) == choice.text)
            let mean = -logprobs.reduce(0) { $0 + $1.logprob } / Double(logprobs.count)
            #expect(abs((choice.crossEntropy ?? 0) - mean) < 1e-9)
            #expect((choice.perplexity ?? 0) > 1)
        }
        conversation.messages.append(completion.message(parameters: conversation.parameters))
        conversation.messages.append(.user("Another one."))
        conversation.parameters.n = 1
        let next = chat.respond(to: conversation, seed: 3) { _ in }
        #expect(next.usage.cachedTokens >= completion.usage.promptTokens + completion.choices[0].completionTokens - 1)
    }

    @Test func sameSeedSameTextDifferentSeedsDiffer() throws {
        let chat = try session()
        var conversation = greedy("Write a short poem about the sea.", maxTokens: 24)
        conversation.parameters.temperature = 1
        let first = chat.respond(to: conversation, seed: 11) { _ in }
        let again = chat.respond(to: conversation, seed: 11) { _ in }
        let other = chat.respond(to: conversation, seed: 12) { _ in }
        #expect(first.text == again.text)
        #expect(first.text != other.text)
        #expect(first.seed == 11)
    }

    @Test func nextTurnEvaluatesOnlyTheNewSuffix() throws {
        let chat = try session()
        var conversation = greedy("What is 2+2?", maxTokens: 16)
        let first = chat.respond(to: conversation) { _ in }
        #expect(first.usage.cachedTokens == 0)
        conversation.messages.append(first.message(parameters: conversation.parameters))
        conversation.messages.append(.user("And 3+3?"))
        let second = chat.respond(to: conversation) { _ in }
        // Everything up to the end of the first answer is reused; only the new turn is evaluated.
        #expect(second.usage.cachedTokens >= first.usage.promptTokens + first.usage.completionTokens - 1)
        #expect(second.usage.promptTokens - second.usage.cachedTokens < 20)
    }

    @Test func regenerateCutsBackToTheCommonPrefix() throws {
        let chat = try session()
        let conversation = greedy("Name a colour.", maxTokens: 8)
        let first = chat.respond(to: conversation) { _ in }
        let regenerated = chat.respond(to: conversation) { _ in }
        #expect(regenerated.usage.cachedTokens == first.usage.promptTokens - 1)
        #expect(regenerated.text == first.text)
    }

    @Test func cancelStopsWithinOneTokenAndKeepsPartialText() throws {
        let chat = try session()
        var conversation = greedy("Tell me a long story about a dragon.", maxTokens: 400)
        conversation.parameters.temperature = 0.8
        var deltas = 0
        let completion = chat.respond(to: conversation, seed: 3) { event in
            if case .delta = event {
                deltas += 1
                if deltas == 5 { chat.cancel() }
            }
        }
        #expect(completion.reason == .cancelled)
        #expect(completion.usage.completionTokens <= 6)
        #expect(!completion.text.isEmpty)
    }

    @Test func hittingTheContextEndFinishesWithLength() throws {
        // 100 tokens of context: the ~40-token prompt plus the 50 reserved fit, but 90 answer
        // tokens do not, so the answer runs into the end of the window.
        let chat = try session(context: 100)
        var conversation = greedy("Count from one to one hundred, in words.", maxTokens: 90)
        // Ban the end-of-generation tokens (<|endoftext|>, <|im_end|>, <reponame>) so only the window can end it.
        conversation.parameters.logitBias = ["0": -100, "2": -100, "4": -100]
        let completion = chat.respond(to: conversation) { _ in }
        #expect(completion.reason == .length)
        // Every position of the window was evaluated; the final token was sampled from the logits
        // of the last position, so prompt + answer is at most one past the window.
        #expect(completion.usage.promptTokens + completion.usage.completionTokens <= 101)
        #expect(completion.usage.completionTokens < 90)
    }

    @Test func aMessageTooLongForTheWindowIsAClearError() throws {
        let chat = try session(context: 64)
        let completion = chat.respond(to: greedy(String(repeating: "word ", count: 200), maxTokens: 8)) { _ in }
        #expect(completion.reason == .error)
        #expect(completion.error?.contains("fit in the context window") == true)
    }

    @Test func oldTurnsAreDroppedAndReported() throws {
        let chat = try session(context: 128)
        var conversation = greedy("Final question: what is 1+1?", maxTokens: 16)
        let filler = String(repeating: "blah ", count: 20)
        conversation.messages =
            (0..<6).flatMap { [ChatMessage.user("\($0) \(filler)"), .assistant("ok \($0)")] }
            + conversation.messages
        var dropped = 0
        let completion = chat.respond(to: conversation) { event in
            if case .contextTrimmed(let count) = event { dropped = count }
        }
        #expect(dropped > 0)
        #expect(completion.reason != .error)
    }
}
