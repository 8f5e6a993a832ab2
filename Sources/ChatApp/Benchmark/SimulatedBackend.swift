import Chat
import Foundation
import Synchronization

/// A stand-in model that streams a scripted answer, for tests and UI benchmarks.
///
/// Each answer is `reply(conversation)` cut into pieces of a few characters, sent from a
/// background thread with `delay` between pieces; `cancel()` stops it after the current piece,
/// like the real session. With `n > 1` choice `i` is the same reply prefixed with `(i+1)`, and
/// every piece gets a seeded, plausible log probability (`token(_:seed:choice:step:top:)`).
/// Prompt sizes are counted as one token per four characters.
public final class SimulatedBackend: ChatBackend, Sendable {
    private let state = Mutex(State())

    private struct State {
        var cancelled = false
        var sent: [Conversation] = []
        var cacheCalls: [String] = []
    }
    private let reply: @Sendable (Conversation) -> String
    private let delay: Duration
    private let pieceLength: Int
    private let queue = DispatchQueue(label: "parley.simulated-backend")
    /// What `defaultSystemPrompt()` answers: a template's default, as a local model's would.
    public let templateDefault: String?

    /// What each answer's record names as its backend (nil: nothing, like old transcripts).
    private let backendReference: BackendReference?

    public init(
        delay: Duration = .zero, pieceLength: Int = 4, backend: BackendReference? = nil, templateDefault: String? = nil,
        reply: @escaping @Sendable (Conversation) -> String = { "You said: " + ($0.messages.last?.content ?? "") }
    ) {
        self.templateDefault = templateDefault
        self.delay = delay
        self.pieceLength = max(1, pieceLength)
        self.backendReference = backend
        self.reply = reply
    }

    /// The prompt-cache calls so far, oldest first: "save <file name>" / "restore <file name>".
    public var promptCacheCalls: [String] {
        state.withLock { $0.cacheCalls.filter { $0 != "shut down" } }
    }

    /// The prompt-cache and `shutDown()` calls so far, oldest first.
    public var lifecycleCalls: [String] {
        state.withLock { $0.cacheCalls }
    }

    public func shutDown() {
        cancel()
        state.withLock { $0.cacheCalls.append("shut down") }
    }

    public func defaultSystemPrompt() -> String? { templateDefault }

    public func restorePromptCache(from url: URL) -> Int {
        state.withLock { $0.cacheCalls.append("restore " + url.lastPathComponent) }
        return 0
    }

    public func savePromptCache(to url: URL) {
        state.withLock { $0.cacheCalls.append("save " + url.lastPathComponent) }
    }

    /// The conversations sent so far, oldest first.
    public var conversations: [Conversation] {
        state.withLock { $0.sent }
    }

    public func send(_ conversation: Conversation, seed: UInt64?, onEvent: @escaping @Sendable (ChatEvent) -> Void) {
        state.withLock {
            $0.cancelled = false
            $0.sent.append(conversation)
        }
        let parameters = conversation.parameters
        let seed = seed ?? 0
        let texts = (0..<max(1, parameters.n)).map {
            $0 == 0 ? reply(conversation) : "(\($0 + 1)) " + reply(conversation)
        }
        let prompt = promptTokenCount(conversation)
        let delay = self.delay
        let pieceLength = self.pieceLength
        let backendReference = self.backendReference
        queue.async { [self] in
            onEvent(.started(promptTokens: prompt, cachedTokens: 0))
            let pieces = texts.map { Self.pieces(of: $0, length: pieceLength, limit: parameters.maxTokens) }
            var tokens = texts.map { _ in [TokenLogprob]() }
            var stopped = false
            // Choices advance together, one piece each per step, as the batched engine does.
            for step in 0..<(pieces.map(\.count).max() ?? 0) {
                if isCancelled {
                    stopped = true
                    break
                }
                for choice in pieces.indices where step < pieces[choice].count {
                    let token = Self.token(
                        pieces[choice][step], seed: seed, choice: choice, step: step,
                        top: parameters.topLogprobs)
                    tokens[choice].append(token)
                    onEvent(
                        .delta(
                            AnswerDelta(
                                choice: choice, text: token.token,
                                logprobs: parameters.logprobs ? [token] : [])))
                }
                if delay > .zero { Thread.sleep(forTimeInterval: Double(delay / .microseconds(1)) / 1_000_000) }
            }
            let choices = tokens.enumerated().map { index, list in
                let hitLength = !stopped && list.count >= parameters.maxTokens
                return Completion.Choice(
                    index: index, text: list.map(\.token).joined(),
                    reason: stopped ? .cancelled : (hitLength ? .length : .stop), completionTokens: list.count,
                    logprobs: parameters.logprobs ? list : nil,
                    crossEntropy: list.isEmpty ? nil : -list.map(\.logprob).reduce(0, +) / Double(list.count))
            }
            var completion = Completion(
                choices: choices,
                usage: Usage(promptTokens: prompt, completionTokens: tokens.map(\.count).reduce(0, +), cachedTokens: 0),
                timings: Timings(prefillTokensPerSecond: 1000, decodeTokensPerSecond: 100), seed: seed)
            completion.backend = backendReference
            onEvent(.finished(completion))
        }
    }

    /// `text` cut into pieces of `length` characters, at most `limit` of them.
    public static func pieces(of text: String, length: Int, limit: Int) -> [String] {
        let characters = Array(text)
        return stride(from: 0, to: characters.count, by: length).prefix(max(0, limit)).map {
            String(characters[$0..<min(characters.count, $0 + length)])
        }
    }

    /// A made-up but plausible probability for `piece`: drawn from the seed, the choice and the
    /// step (SplitMix64), with `top` alternatives around it that sum to at most 1.
    public static func token(_ piece: String, seed: UInt64, choice: Int, step: Int, top: Int) -> TokenLogprob {
        var state = seed &+ UInt64(choice) &* 0x1_0000_0001 &+ UInt64(step) &* 0x9E37_79B9
        func next() -> Double {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
        }
        // Most tokens are likely, a few are surprising, as in a real answer.
        let probability = max(0.02, min(0.99, 1 - pow(next(), 3)))
        let logprob = Foundation.log(probability)
        var alternatives = [TokenLogprob.Alternative(token: piece, bytes: Array(piece.utf8), logprob: logprob)]
        var left = 1 - probability
        for word in fillers.prefix(max(0, top - 1)) {
            let share = left * (0.3 + 0.5 * next())
            left -= share
            alternatives.append(.init(token: word, bytes: Array(word.utf8), logprob: Foundation.log(max(share, 1e-6))))
        }
        alternatives.sort { $0.logprob > $1.logprob }
        return TokenLogprob(
            token: piece, bytes: Array(piece.utf8), logprob: logprob,
            topLogprobs: Array(alternatives.prefix(top)))
    }

    private static let fillers = [
        " the", " a", ",", ".", " and", " is", " of", " to", " it", " in", "\n", " I",
        " that", " you", " for", " on", " with", " as", " was", " be"
    ]

    private var isCancelled: Bool {
        state.withLock { $0.cancelled }
    }

    public func cancel() {
        state.withLock { $0.cancelled = true }
    }

    public func promptTokenCount(_ conversation: Conversation) -> Int {
        let characters = conversation.templateMessages.reduce(0) { $0 + $1.content.count + 8 }
        return characters / 4
    }

    /// A ChatML rendering cut into tokens: special markers whole, other text in pieces of four
    /// characters (as `promptTokenCount` counts).
    public func promptPreview(_ conversation: Conversation) throws(ChatError) -> PromptPreview {
        var texts: [String] = []
        for message in conversation.templateMessages {
            texts +=
                ["<|im_start|>"]
                + Self.pieces(of: message.role.rawValue + "\n" + message.content, length: 4, limit: .max)
            texts += ["<|im_end|>", "\n"]
        }
        texts += ["<|im_start|>"] + Self.pieces(of: "assistant\n", length: 4, limit: .max)
        return PromptPreview(tokens: texts.indices.map { Int32($0) }, pieces: texts.map { Array($0.utf8) })
    }

    /// A loader that hands out `backend` with a small made-up model.
    public static func loader(_ backend: SimulatedBackend, contextLength: Int = 2048) -> BackendLoader {
        { (backend, ModelSummary(fileName: "simulated.gguf", contextLength: contextLength)) }
    }
}
