import Foundation
import TestSupport
import Testing

@testable import Chat
@testable import LocalChat

/// A text's own tokens scored through the chat layer (`SamplingParameters.promptLogprobs`, what
/// `POST /v1/completions` runs for `echo` with `logprobs`): the tokens' texts join to the text,
/// a BOS the model adds is listed with empty text, the scores arrive before the answer, and the
/// cross-entropy tells a sentence from the same words shuffled.
@Suite(.serialized)
struct PromptLogprobsTests {
    static let sentence = "The capital of France is Paris, and the capital of Italy is Rome."
    static let shuffled = "Rome capital of is the and France, Paris Italy capital of the is."

    static func scored(
        _ text: String, on answers: BatchedAnswers, maxTokens: Int = 0, id: UInt64, tokens: [Int32]? = nil
    ) throws -> (Completion, [ChatEvent]) {
        var parameters = SamplingParameters.defaults
        parameters.temperature = 0
        parameters.maxTokens = maxTokens
        parameters.logprobs = true
        parameters.topLogprobs = 2
        parameters.promptLogprobs = true
        let recorder = BatchedAnswersTests.Recorder()
        let prompt: CompletionPrompt =
            tokens.map { .tokens($0, parameters: parameters) }
            ?? .text(text, parseSpecial: true, parameters: parameters)
        answers.submit(prompt, id: id, seed: 1, onEvent: recorder.handler(id))
        #expect(recorder.wait(for: [id]))
        return (try #require(recorder.completion(id)), recorder.events(id))
    }

    static func answers(_ model: TestModel) throws -> BatchedAnswers {
        var options = SessionOptions(modelPath: model.path, contextLength: 512, threads: 2)
        options.cacheContexts = 2
        return BatchedAnswers(session: try ChatSession(options: options), slots: 1)
    }

    /// Checks what every model must give, and returns the text's cross-entropy.
    static func check(_ text: String, on answers: BatchedAnswers, id: UInt64, addsBOS: Bool) throws -> Double {
        let (completion, events) = try scored(text, on: answers, id: id)
        let prompt = try #require(completion.promptLogprobs)
        #expect(completion.error == nil && completion.reason == .length && completion.text.isEmpty)
        #expect(prompt.count == completion.usage.promptTokens)
        #expect(completion.usage.completionTokens == 0)
        #expect(prompt.firstToken + prompt.scored.map(\.token).joined() == text)
        #expect(prompt.firstToken.isEmpty == addsBOS)
        #expect(prompt.scored.allSatisfy { $0.logprob <= 0 && $0.topLogprobs.count == 2 })
        let scoredEvents = events.compactMap { if case .promptScored(let p) = $0 { p } else { nil } }
        #expect(scoredEvents == [prompt])
        return try #require(prompt.crossEntropy)
    }

    /// A sentence and its words shuffled on `model`: the sentence's cross-entropy is lower by
    /// more than a nat (by about 3.5 on both models).
    static func sentenceBeatsShuffled(_ model: TestModel, addsBOS: Bool) throws -> BatchedAnswers {
        let answers = try Self.answers(model)
        let natural = try Self.check(Self.sentence, on: answers, id: 1, addsBOS: addsBOS)
        let shuffled = try Self.check(Self.shuffled, on: answers, id: 2, addsBOS: addsBOS)
        print("\(model.fileName) cross-entropy: sentence \(natural) nats, shuffled \(shuffled) nats")
        #expect(natural + 1 < shuffled)
        return answers
    }

    /// The text's own token ids, sent as ids, are scored as the text is. A BOS among them was
    /// sent, not added, so it is listed with its text, which the echo (`promptText`) writes too.
    static func tokensScoreAsTheirText(_ model: TestModel, answers: BatchedAnswers) throws {
        let ids = try answers.session.tokenizer.encode(Self.sentence, addSpecial: true, parseSpecial: true)
        let (text, _) = try Self.scored(Self.sentence, on: answers, id: 10)
        let (tokens, _) = try Self.scored("", on: answers, id: 11, tokens: ids)
        let fromText = try #require(text.promptLogprobs)
        let fromTokens = try #require(tokens.promptLogprobs)
        #expect(tokens.usage.promptTokens == ids.count)
        #expect(fromTokens.scored == fromText.scored)
        let echo = answers.session.promptText(ofTokens: ids)
        #expect(fromTokens.firstToken + fromTokens.scored.map(\.token).joined() == echo)
        let bos = answers.session.tokenizer.addBOS
        #expect(echo == (bos ? "<bos>" : "") + Self.sentence, "\(model.fileName): \(echo)")
        #expect(fromTokens.firstToken == (bos ? "<bos>" : fromText.firstToken))

        // An id outside the vocabulary ends the answer with an error that names it.
        let vocabulary = Int32(answers.session.info.vocabularySize)
        let (bad, _) = try Self.scored("", on: answers, id: 12, tokens: [1, vocabulary])
        #expect(bad.reason == .error && bad.error?.contains("\(vocabulary)") == true)
    }

    /// SmolLM2 adds no BOS: the first listed token is the text's first, unscored.
    @Test(.requires(.smolLM2Q4_1)) func smolLM2ScoresItsPrompt() throws {
        let answers = try Self.sentenceBeatsShuffled(.smolLM2Q4_1, addsBOS: false)

        // With tokens to generate, the answer follows as it does unscored.
        let (withAnswer, events) = try Self.scored(Self.sentence, on: answers, maxTokens: 6, id: 3)
        var plain = SamplingParameters.defaults
        plain.temperature = 0
        plain.maxTokens = 6
        let recorder = BatchedAnswersTests.Recorder()
        answers.submit(
            .text(Self.sentence, parseSpecial: true, parameters: plain), id: 4, seed: 1, onEvent: recorder.handler(4))
        #expect(recorder.wait(for: [4]))
        #expect(withAnswer.text == recorder.completion(4)?.text)
        #expect(withAnswer.usage.completionTokens == 6)
        let order = events.compactMap { event -> String? in
            switch event {
            case .promptScored: "scored"
            case .delta: "delta"
            default: nil
            }
        }
        #expect(order.first == "scored" && order.filter { $0 == "scored" }.count == 1)
        try Self.tokensScoreAsTheirText(.smolLM2Q4_1, answers: answers)
    }

    /// Gemma 3 adds a BOS: it comes first with empty text, and every token of the text is scored.
    @Test(.requires(.gemma3_270M)) func gemmaListsItsAddedBOSWithEmptyText() throws {
        let answers = try Self.sentenceBeatsShuffled(.gemma3_270M, addsBOS: true)
        try Self.tokensScoreAsTheirText(.gemma3_270M, answers: answers)
    }
}
