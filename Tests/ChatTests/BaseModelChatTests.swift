import Foundation
import TestSupport
import Testing

@testable import Chat
@testable import LocalChat

/// A model without a chat template (Gemma 3 270M, a base model) is prompted in ChatML, which its
/// vocabulary has no special tokens for: it writes `<|im_end|>` as text and goes on inventing
/// turns. The answer must end there, as a ChatML model's end-of-turn token ends it.
@Suite(.serialized, .requires(.gemma3_270M))
struct BaseModelChatTests {
    @Test func aChatMLAnswerEndsAtTheTurnEndWrittenAsText() throws {
        let session = try ChatSession(
            options: SessionOptions(modelPath: TestModel.gemma3_270M.path, contextLength: 512, threads: 2))
        var parameters = SamplingParameters.defaults
        parameters.temperature = 0
        parameters.maxTokens = 64
        var notices: [String] = []
        let completion = session.respond(
            to: Conversation(messages: [.user("What is the capital of France?")], parameters: parameters)
        ) { event in
            if case .notice(let text) = event { notices.append(text) }
        }
        #expect(notices == [PromptBuilder.noTemplateNotice + "; using ChatML"])
        // Greedy, the model repeats the question and closes the turn (12 tokens with the stop).
        #expect(completion.reason == .stop)
        #expect(completion.text == "What is the capital of France?")
        #expect(completion.usage.completionTokens < parameters.maxTokens)
    }

    /// The stop is added once, after the person's own stop strings, and only for ChatML.
    @Test func theTurnEndJoinsThePersonsStops() {
        var parameters = SamplingParameters.defaults
        parameters.stop = ["\n\n", PromptBuilder.chatMLEnd]
        #expect(ChatSession.request([1], parameters: parameters, seed: 1, chatML: true).stop == parameters.stop)
        parameters.stop = ["END"]
        #expect(ChatSession.request([1], parameters: parameters, seed: 1, chatML: true).stop == ["END", "<|im_end|>"])
        #expect(ChatSession.request([1], parameters: parameters, seed: 1, chatML: false).stop == ["END"])
    }
}
