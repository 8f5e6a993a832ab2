import Dispatch
import Foundation
import GGUF
import Inference

/// What a session needs to start: which model, how much context, how many threads.
public struct SessionOptions: Sendable {
    public var modelPath: String
    /// nil: the model's training context, capped at 4096.
    public var contextLength: Int?
    /// nil: one per core.
    public var threads: Int?

    public init(modelPath: String, contextLength: Int? = nil, threads: Int? = nil) {
        self.modelPath = modelPath
        self.contextLength = contextLength
        self.threads = threads
    }

    public static let defaultContextCap = 4096
}

/// Facts about the loaded model, for status bars and transcripts.
public struct ModelInfo: Sendable, Equatable {
    public var path: String
    public var fileName: String
    public var fileSize: Int
    public var architecture: String
    public var name: String?
    /// The context window this session uses.
    public var contextLength: Int
    public var trainingContextLength: Int
    /// SHA-256 of the GGUF header, see `ModelFingerprint`.
    public var headerSHA256: String
}

/// A model loaded and ready to chat, owned by its own serial queue.
///
/// The transformer, KV cache and tokenizer are touched only on that queue; callers hand it a
/// conversation and receive events. Consecutive turns reuse the cached prompt prefix, and
/// `cancel()` stops an answer within one token.
public final class ChatSession: @unchecked Sendable {
    // Mutable state below is confined to `queue`.
    public let info: ModelInfo
    let queue = DispatchQueue(label: "parley.chat-session")
    let generator: TextGenerator
    let transformer: Transformer
    private let tokenizer: Tokenizer
    private let builder: PromptBuilder
    private let policy: ContextPolicy
    private let cancellation = CancellationFlag()

    /// Loads the model (parses the header, maps the weights, builds the tokenizer).
    public init(options: SessionOptions) throws {
        let file: GGUFFile
        do { file = try GGUFFile(path: options.modelPath) } catch {
            throw ChatError.modelLoadFailed(path: options.modelPath, reason: String(describing: error))
        }
        do {
            let model = try LanguageModel(file: file)
            let tokenizer = try Tokenizer(gguf: file)
            let training = model.config.trainedContextLength
            let context = max(16, min(options.contextLength ?? min(training, SessionOptions.defaultContextCap), training))
            let threads = options.threads ?? ProcessInfo.processInfo.activeProcessorCount
            // Twice the context in cells: alternatives (`n`) share the prompt's cells, and each
            // answer's own cells come from the rest (reserved, committed by the OS only as used).
            let transformer = try Transformer(model: model, contextLength: context, threads: threads,
                                              cacheCells: 2 * context)
            self.tokenizer = tokenizer
            self.transformer = transformer
            generator = TextGenerator(predictor: transformer, tokenizer: tokenizer)
            builder = PromptBuilder(templateSource: file.metadata.string("tokenizer.chat_template"),
                                    bosToken: tokenizer.bos.map { tokenizer.tokenText($0) } ?? "",
                                    eosToken: tokenizer.eos.map { tokenizer.tokenText($0) } ?? "")
            policy = ContextPolicy(contextLength: context)
            info = ModelInfo(path: options.modelPath, fileName: URL(fileURLWithPath: options.modelPath).lastPathComponent,
                             fileSize: file.fileSize, architecture: file.architecture ?? "unknown",
                             name: file.metadata.string("general.name"), contextLength: context,
                             trainingContextLength: training, headerSHA256: ModelFingerprint.headerSHA256(file))
        } catch let error as ChatError {
            throw error
        } catch {
            throw ChatError.modelLoadFailed(path: options.modelPath, reason: String(describing: error))
        }
    }

    /// The model as a transcript records it.
    public var modelReference: Transcript.ModelReference {
        Transcript.ModelReference(file: info.fileName, size: info.fileSize, sha256: info.headerSHA256,
                                  architecture: info.architecture)
    }

    /// Answers the last message of `conversation`, delivering events on the session's queue.
    /// A seed of nil draws a random one (reported in `finished`).
    public func send(_ conversation: Conversation, seed: UInt64? = nil,
                     onEvent: @escaping @Sendable (ChatEvent) -> Void) {
        cancellation.reset()
        queue.async { [self] in
            onEvent(.finished(answer(conversation, seed: seed, onEvent: onEvent)))
        }
    }

    /// Runs an answer on the calling thread, waiting for the session's queue (for the CLI).
    public func respond(to conversation: Conversation, seed: UInt64? = nil,
                        onEvent: (ChatEvent) -> Void) -> Completion {
        cancellation.reset()
        return queue.sync { answer(conversation, seed: seed, onEvent: onEvent) }
    }

    /// Stops the current answer after at most one more token; the partial text is kept.
    public func cancel() { cancellation.cancel() }

    /// Tokens the conversation's prompt takes (for "context used" displays).
    public func promptTokenCount(_ conversation: Conversation) -> Int {
        queue.sync { encode(conversation).tokens.count }
    }

    /// The prompt the model would receive for `conversation`, token by token, trimmed to the
    /// context window exactly as an answer trims it (for the prompt inspector).
    public func promptPreview(_ conversation: Conversation) throws(ChatError) -> PromptPreview {
        let result: Result<ContextPolicy.Fit, ChatError> = queue.sync {
            do throws(ChatError) { return .success(try policy.fit(conversation, encode: encode)) } catch { return .failure(error) }
        }
        let fit = try result.get()
        return PromptPreview(tokens: fit.tokens, pieces: fit.tokens.map { tokenizer.piece($0, special: true) },
                             droppedMessages: fit.droppedMessages, notices: fit.notices)
    }

    private func encode(_ conversation: Conversation) -> (tokens: [Int32], notices: [String]) {
        let rendered = builder.render(conversation.templateMessages)
        var tokens = tokenizer.encode(rendered.text, addSpecial: true, parseSpecial: true)
        // A template that writes BOS itself must not get a second one from the tokenizer.
        if tokens.count >= 2, let bos = tokenizer.bos, tokens[0] == bos, tokens[1] == bos { tokens.removeFirst() }
        return (tokens, rendered.notices)
    }

    private func answer(_ conversation: Conversation, seed: UInt64?, onEvent: (ChatEvent) -> Void) -> Completion {
        let parameters = conversation.parameters
        let seed = seed ?? parameters.seed ?? UInt64.random(in: 0...UInt64(UInt32.max))
        func failure(_ message: String) -> Completion {
            Completion(text: "", reason: .error, usage: Usage(promptTokens: 0, completionTokens: 0, cachedTokens: 0),
                       timings: Timings(prefillTokensPerSecond: 0, decodeTokensPerSecond: 0), seed: seed, error: message)
        }
        let fit: ContextPolicy.Fit
        do {
            try parameters.validate()
            fit = try policy.fit(conversation, encode: encode)
        } catch {
            return failure(String(describing: error))
        }
        for notice in fit.notices { onEvent(.notice(notice)) }
        if fit.droppedMessages > 0 { onEvent(.contextTrimmed(droppedMessages: fit.droppedMessages)) }
        onEvent(.started(promptTokens: fit.tokens.count, cachedTokens: generator.reusablePrefixLength(of: fit.tokens)))
        let request = GenerationRequest(promptTokens: fit.tokens, sampler: parameters.samplerSettings(seed: seed),
                                        maxTokens: parameters.maxTokens, stop: parameters.stop,
                                        choices: parameters.n, logprobs: parameters.logprobs,
                                        topLogprobs: parameters.topLogprobs)
        let outcome = generator.generate(request, cancel: cancellation) { delta in
            onEvent(.delta(AnswerDelta(choice: delta.choice, text: delta.text, logprobs: delta.scores.map(logprob))))
        }
        let choices = outcome.choices.map { choice in
            Completion.Choice(index: choice.index, text: choice.text, reason: choice.finishReason,
                              completionTokens: choice.tokens.count,
                              logprobs: parameters.logprobs ? choice.scores.map(logprob) : nil,
                              crossEntropy: choice.crossEntropy,
                              error: choice.finishReason == .error ? outcome.errorMessage : nil)
        }
        return Completion(
            choices: choices,
            usage: Usage(promptTokens: outcome.promptTokens, completionTokens: outcome.completionTokens,
                         cachedTokens: outcome.cachedPromptTokens),
            timings: Timings(prefillTokensPerSecond: outcome.prefillTokensPerSecond,
                             decodeTokensPerSecond: outcome.decodeTokensPerSecond),
            seed: seed)
    }

    /// A token's score with its text and exact bytes (a piece of a multi-byte character shows
    /// as U+FFFD in `token`; `bytes` keeps it whole).
    private func logprob(_ score: TokenScore) -> TokenLogprob {
        func piece(_ id: Int32) -> (String, [UInt8]) {
            let bytes = tokenizer.piece(id, special: true)
            return (String(decoding: bytes, as: UTF8.self), bytes)
        }
        let (text, bytes) = piece(score.token)
        return TokenLogprob(token: text, bytes: bytes, logprob: score.logprob, topLogprobs: score.top.map {
            let (alternative, alternativeBytes) = piece($0.token)
            return TokenLogprob.Alternative(token: alternative, bytes: alternativeBytes, logprob: $0.logprob)
        })
    }
}
