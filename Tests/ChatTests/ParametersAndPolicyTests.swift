import Foundation
import Testing

@testable import Chat
@testable import LocalChat

/// Parameter validation messages and the context policy's choice of what to drop.
struct ParametersAndPolicyTests {
    /// One out-of-range change per case, with the message a person sees.
    enum BadValue: String, CaseIterable, Sendable {
        case temperature, topP, maxTokens, stop, presence, logitBias, topK, minP, n, topLogprobs, topLogprobsAlone

        func apply(to p: inout SamplingParameters) {
            switch self {
            case .temperature: p.temperature = 2.5
            case .topP: p.topP = -0.1
            case .maxTokens: p.maxTokens = 0
            case .stop: p.stop = ["a", "b", "c", "d", "e"]
            case .presence: p.presencePenalty = 3
            case .logitBias: p.logitBias = ["x": 1]
            case .topK: p.topK = -1
            case .minP: p.minP = 1.5
            case .n: p.n = 9
            case .topLogprobs:
                p.logprobs = true
                p.topLogprobs = 21
            case .topLogprobsAlone: p.topLogprobs = 5
            }
        }

        var message: String {
            switch self {
            case .temperature: return "temperature must be between 0 and 2, got 2.5"
            case .topP: return "top_p must be between 0 and 1, got -0.1"
            case .maxTokens: return "max_tokens must be at least 1"
            case .stop: return "stop takes at most 4 strings, got 5"
            case .presence: return "presence_penalty must be between -2 and 2, got 3"
            case .logitBias: return "logit_bias keys must be token ids, got 'x'"
            case .topK: return "top_k must be 0 (off) or more"
            case .minP: return "min_p must be between 0 and 1, got 1.5"
            case .n: return "n must be between 1 and 8, got 9"
            case .topLogprobs: return "top_logprobs must be between 0 and 20, got 21"
            case .topLogprobsAlone: return "top_logprobs needs logprobs to be true"
            }
        }
    }

    @Test(arguments: BadValue.allCases)
    func outOfRangeValuesAreNamed(_ bad: BadValue) {
        var parameters = SamplingParameters.defaults
        bad.apply(to: &parameters)
        #expect(throws: ChatError.invalidParameter(bad.message)) { try parameters.validate() }
    }

    @Test func defaultsAreValid() throws {
        try SamplingParameters.defaults.validate()
    }

    /// `n` and the logprob fields round-trip, and a record without them (version 1) decodes to
    /// the defaults, with none of them written when they are at their defaults.
    @Test func choicesAndLogprobsRoundTrip() throws {
        var parameters = SamplingParameters.defaults
        parameters.n = 3
        parameters.logprobs = true
        parameters.topLogprobs = 5
        let data = try JSONEncoder().encode(parameters)
        #expect(try JSONDecoder().decode(SamplingParameters.self, from: data) == parameters)
        let plain = String(decoding: try JSONEncoder().encode(SamplingParameters.defaults), as: UTF8.self)
        #expect(!plain.contains("\"n\"") && !plain.contains("logprobs"))
        #expect(try JSONDecoder().decode(SamplingParameters.self, from: Data("{}".utf8)) == .defaults)
    }

    /// One token per character of every message, so the arithmetic is visible.
    private func encode(_ conversation: Conversation) -> (tokens: [Int32], notices: [String]) {
        let count = conversation.templateMessages.reduce(0) { $0 + $1.content.count }
        return (Array(repeating: 0, count: count), [])
    }

    private func conversation(maxTokens: Int) -> Conversation {
        var parameters = SamplingParameters.defaults
        parameters.maxTokens = maxTokens
        return Conversation(
            systemPrompt: "SSSSS",
            messages: [
                .user("u1u1u1u1u1"), .assistant("a1a1a1a1a1"), .user("u2u2u2u2u2"), .assistant("a2a2a2a2a2"),
                .user("u3u3u3u3u3")
            ], parameters: parameters)
    }

    @Test func everythingFitsNothingDropped() throws {
        let fit = try ContextPolicy(contextLength: 200).fit(conversation(maxTokens: 50), encode: encode)
        #expect(fit.droppedMessages == 0)
        #expect(fit.tokens.count == 55)
    }

    @Test func oldestTurnsGoFirstSystemAndNewestStay() throws {
        // Budget 60 - 20 reserved = 40: system (5) + the last three messages (30) fit, four (40+5) do not.
        let fit = try ContextPolicy(contextLength: 60).fit(conversation(maxTokens: 20), encode: encode)
        #expect(fit.droppedMessages == 2)
        #expect(fit.tokens.count == 35)
    }

    @Test func newestMessageAloneTooLongIsAnError() {
        #expect(throws: ChatError.messageTooLong(tokens: 15, available: 10)) {
            try ContextPolicy(contextLength: 20).fit(conversation(maxTokens: 10), encode: encode)
        }
    }

    @Test func hugeMaxTokensReservesAtMostHalfTheWindow() {
        #expect(ContextPolicy(contextLength: 4096).answerReserve(maxTokens: 100_000) == 2048)
        #expect(ContextPolicy(contextLength: 4096).answerReserve(maxTokens: 100) == 100)
    }
}
