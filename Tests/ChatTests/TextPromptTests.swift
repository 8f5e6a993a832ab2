import Foundation
import TestSupport
import Testing

@testable import Chat
@testable import LocalChat

/// A text prompt (`CompletionPrompt.text`, what `POST /v1/completions` submits) on the real
/// SmolLM2: tokenized as llama.cpp tokenizes it and continued as llama.cpp continues it, alone
/// and batched beside each other (`Tests/Fixtures/reference/*.greedy.json`, llama.cpp's own
/// tokens and greedy texts for ChatML prompts written out as text).
@Suite(.serialized, .requires(.smolLM2Q4_1))
struct TextPromptTests {
    struct Case: Decodable {
        var prompt: String
        var prompt_tokens: [Int32]
        var greedy_tokens: [Int32]
        var greedy_text: String
        var stopped_on_eog: Bool
    }

    static func cases() throws -> [Case] {
        try JSONDecoder().decode(
            [Case].self,
            from: Data(contentsOf: TestPaths.referenceFile("SmolLM2-135M-Instruct.Q4_1.greedy.json")))
    }

    static func greedy(maxTokens: Int) -> SamplingParameters {
        var parameters = SamplingParameters.defaults
        parameters.temperature = 0
        parameters.maxTokens = maxTokens
        return parameters
    }

    @Test func batchedTextPromptsContinueAsLlamaCppDoes() throws {
        let cases = try Self.cases()
        var options = SessionOptions(modelPath: TestModel.smolLM2Q4_1.path, contextLength: 512, threads: 2)
        options.cacheContexts = cases.count + 1
        let answers = BatchedAnswers(session: try ChatSession(options: options), slots: cases.count)
        let recorder = BatchedAnswersTests.Recorder()
        for (index, item) in cases.enumerated() {
            let parameters = Self.greedy(maxTokens: item.greedy_tokens.count + (item.stopped_on_eog ? 8 : 0))
            answers.submit(
                .text(item.prompt, parseSpecial: true, parameters: parameters), id: UInt64(index), seed: 1,
                onEvent: recorder.handler(UInt64(index)))
        }
        #expect(recorder.wait(for: cases.indices.map(UInt64.init)))
        for (index, item) in cases.enumerated() {
            let completion = try #require(recorder.completion(UInt64(index)))
            #expect(completion.text == item.greedy_text, "prompt \(index)")
            #expect(completion.reason == (item.stopped_on_eog ? .stop : .length), "prompt \(index)")
            #expect(completion.usage.promptTokens == item.prompt_tokens.count, "prompt \(index)")
        }
    }

    /// `run --raw` keeps special-token text plain: the same prompt is more tokens, none special.
    @Test func plainTextPromptsDoNotReadSpecialTokens() throws {
        let item = try #require(try Self.cases().first)
        let session = try ChatSession(
            options: SessionOptions(modelPath: TestModel.smolLM2Q4_1.path, contextLength: 512, threads: 2))
        /// The prompt's token count as `.started` reports it.
        func promptTokens(parseSpecial: Bool) -> Int {
            let recorder = BatchedAnswersTests.Recorder()
            session.send(
                .text(item.prompt, parseSpecial: parseSpecial, parameters: Self.greedy(maxTokens: 1)), seed: 1,
                onEvent: recorder.handler(0))
            #expect(recorder.wait(for: [0]))
            for case .started(let tokens, _) in recorder.events(0) { return tokens }
            return 0
        }
        let plain = promptTokens(parseSpecial: false)
        let special = promptTokens(parseSpecial: true)
        #expect(special == item.prompt_tokens.count)
        #expect(plain > special)
    }

    @Test func anEmptyPromptIsRefusedWithAReason() throws {
        let session = try ChatSession(
            options: SessionOptions(modelPath: TestModel.smolLM2Q4_1.path, contextLength: 512, threads: 2))
        let completion = session.respondWaiting(
            to: .text("", parseSpecial: false, parameters: Self.greedy(maxTokens: 4))
        ) { _ in }
        #expect(completion.reason == .error)
        #expect(completion.error?.hasPrefix("there is no text to continue") == true)
    }
}
