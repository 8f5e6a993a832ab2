import ChatApp
import Foundation
import TerminalUI

@testable import Chat

/// Builders for states and events shared by the chat-app tests.
enum Fixture {
    static let created = Date(timeIntervalSince1970: 1_795_000_000)
    static let model = ModelSummary(fileName: "SmolLM2-135M-Instruct.Q4_1.gguf", contextLength: 2048)
    static let utc = TimeZone(identifier: "UTC") ?? .current

    /// A chat screen of `width`×`height` with the compiled-in themes and a loaded model.
    static func state(
        width: Int = 80, height: Int = 24, messages: [ChatMessage] = [], systemPrompt: String? = nil,
        model: ModelSummary? = model
    ) -> AppState {
        let size = TerminalSize(width: width, height: height)
        var state = AppState(
            size: size, conversation: Conversation(systemPrompt: systemPrompt, messages: messages),
            transcriptID: "test-id", created: created, model: model, timeZone: utc, randomSeed: 42)
        _ = ChatUI.update(&state, .input(.resize(size)))
        return state
    }

    static func completion(_ text: String, _ reason: FinishReason, tokens: Int = 10, error: String? = nil) -> Completion
    {
        Completion(
            text: text, reason: reason, usage: Usage(promptTokens: 30, completionTokens: tokens, cachedTokens: 0),
            timings: Timings(prefillTokensPerSecond: 500, decodeTokensPerSecond: 42.5), seed: 7, error: error)
    }

    /// An answer with `reason`; `completionTokens` below `maxTokens` (512) with "length" means
    /// the context filled up, equal to it means the limit was reached.
    static func answer(_ text: String, reason: FinishReason = .stop, error: String? = nil, completionTokens: Int = 5)
        -> ChatMessage
    {
        ChatMessage(
            role: .assistant, content: text,
            record: AnswerRecord(
                parameters: .defaults, seed: 1, finishReason: reason,
                usage: Usage(promptTokens: 10, completionTokens: completionTokens, cachedTokens: 0),
                timings: Timings(prefillTokensPerSecond: 0, decodeTokensPerSecond: 40), error: error))
    }

    /// An answer with `texts` as its alternatives (the first chosen) and, when `logprobs`,
    /// seeded token probabilities from the simulated backend (pieces of 4 characters, top 3).
    static func alternatives(_ texts: [String], logprobs: Bool = true, seed: UInt64 = 7) -> ChatMessage {
        var parameters = SamplingParameters.defaults
        parameters.n = texts.count
        parameters.logprobs = logprobs
        parameters.topLogprobs = logprobs ? 3 : 0
        let choices = texts.enumerated().map { index, text in
            let tokens = SimulatedBackend.pieces(of: text, length: 4, limit: .max).enumerated().map { step, piece in
                SimulatedBackend.token(piece, seed: seed, choice: index, step: step, top: 3)
            }
            return Completion.Choice(
                index: index, text: text, reason: .stop, completionTokens: tokens.count,
                logprobs: logprobs ? tokens : nil,
                crossEntropy: -tokens.map(\.logprob).reduce(0, +) / Double(max(1, tokens.count)))
        }
        return Completion(
            choices: choices, usage: Usage(promptTokens: 30, completionTokens: 20, cachedTokens: 0),
            timings: Timings(prefillTokensPerSecond: 500, decodeTokensPerSecond: 42.5), seed: seed
        ).answerMessage(parameters: parameters)
    }

    /// A conversation of `pairs` question/answer pairs, numbered so tests can find them.
    static func pairs(_ count: Int) -> [ChatMessage] {
        (0..<count).flatMap { index -> [ChatMessage] in
            [.user("Question \(index)"), answer("Answer \(index) is a short reply that fits on one line.")]
        }
    }

    static func summary(_ title: String, _ messages: Int, minutes: Int) -> TranscriptSummary {
        TranscriptSummary(
            url: URL(
                fileURLWithPath: "/tmp/parley-tests/\(title.lowercased().replacingOccurrences(of: " ", with: "-")).json"
            ),
            title: title, updated: created.addingTimeInterval(Double(minutes * 60)), messageCount: messages,
            model: "SmolLM2-135M-Instruct.Q4_1.gguf")
    }
}

extension AppState {
    /// Applies events in order and returns all their effects.
    @discardableResult
    mutating func apply(_ events: AppEvent...) -> [Effect] {
        events.flatMap { ChatUI.update(&self, $0) }
    }

    @discardableResult
    mutating func press(_ keys: KeyEvent...) -> [Effect] {
        keys.flatMap { ChatUI.update(&self, .input(.key($0))) }
    }

    mutating func type(_ text: String) {
        for character in text { _ = ChatUI.update(&self, .input(.key(.character(character)))) }
    }

    var screen: ScreenGrid { ChatUI.view(self, size: size) }
}
