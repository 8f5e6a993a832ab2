import Chat
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
    /// KV cache cells shared by every sequence, in contexts: 2 leaves room for `n` answers; a
    /// server decoding several requests at once needs about one per slot.
    public var cacheContexts = 2
    /// Prompt-lookup speculation for single answers (`--no-speculate` turns it off); it changes
    /// no answer, only how many forward passes produce it.
    public var speculate = true
    /// How the KV cache stores keys and values (`--cache-type`): F16, or Q8_0 for nearly half
    /// the memory and attention reads at a small perplexity cost.
    public var cacheType: KVCachePrecision = .f16
    /// Sequences alive at once (answers, their `n` alternatives, prompts kept for reuse) that
    /// the rings of sliding-window layers are sized for: the chat's one answer and up to
    /// `maxChoices` alternatives by default; a server needs that per slot, plus its kept prompts.
    public var liveSequences = SamplingParameters.maxChoices + 1

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
    /// Tokens in the model's vocabulary: valid ids are 0 to `vocabularySize - 1`.
    public var vocabularySize: Int
    public var trainingContextLength: Int
    /// SHA-256 of the GGUF header, see `ModelFingerprint`.
    public var headerSHA256: String
    /// Whether the GGUF has a chat template (`tokenizer.chat_template`); without one it is
    /// most likely a base model.
    public var hasChatTemplate = true
}

/// A model loaded and ready to chat, owned by its own serial queue.
///
/// The transformer, KV cache and tokenizer are touched only on that queue; callers hand it a
/// conversation and receive events. Consecutive turns reuse the cached prompt prefix, and
/// `cancel()` stops an answer within one token, or within milliseconds while the chat template
/// is still rendering its prompt.
public final class ChatSession: @unchecked Sendable {
    // @unchecked: the mutable state below is confined to `queue`.
    public let info: ModelInfo
    let queue = DispatchQueue(label: "parley.chat-session")
    let generator: TextGenerator
    let transformer: Transformer
    let tokenizer: Tokenizer
    let builder: PromptBuilder
    let policy: ContextPolicy
    /// Which requests a cancel stops; its flag is what the engine checks between tokens.
    let tickets = CancelTickets()
    var cancellation: CancellationFlag { tickets.flag }
    /// Raised once by `shutDown()`: every render and answer, running or queued, stops.
    let closing = CancellationFlag()

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
            if let requested = options.contextLength, requested > training {
                throw ChatError.contextTooLarge(requested: requested, maximum: training)
            }
            let context = max(
                16, min(options.contextLength ?? min(training, SessionOptions.defaultContextCap), training))
            let threads = options.threads ?? Transformer.defaultThreads
            // Twice the context in cells by default: alternatives (`n`) share the prompt's cells, and
            // each answer's own cells come from the rest (reserved, committed by the OS only as used).
            let transformer = try Transformer(
                model: model, contextLength: context, threads: threads, cachePrecision: options.cacheType,
                cacheCells: max(1, options.cacheContexts) * context,
                windowedSequences: max(1, options.liveSequences))
            self.tokenizer = tokenizer
            self.transformer = transformer
            generator = TextGenerator(predictor: transformer, tokenizer: tokenizer)
            generator.speculation.enabled = options.speculate
            builder = PromptBuilder(
                templateSource: file.metadata.string("tokenizer.chat_template"),
                bosToken: tokenizer.bos.map { tokenizer.tokenText($0) } ?? "",
                eosToken: tokenizer.eos.map { tokenizer.tokenText($0) } ?? "")
            policy = ContextPolicy(contextLength: context, canGrow: context < training)
            info = ModelInfo(
                path: options.modelPath, fileName: URL(fileURLWithPath: options.modelPath).lastPathComponent,
                fileSize: file.fileSize, architecture: file.architecture ?? "unknown",
                name: file.metadata.string("general.name"), contextLength: context,
                vocabularySize: tokenizer.vocabularySize,
                trainingContextLength: training, headerSHA256: ModelFingerprint.headerSHA256(file),
                hasChatTemplate: file.metadata.string("tokenizer.chat_template") != nil)
        } catch let error as ChatError {
            throw error
        } catch {
            throw ChatError.modelLoadFailed(path: options.modelPath, reason: String(describing: error))
        }
    }

    /// The model as a transcript records it.
    public var modelReference: Transcript.ModelReference {
        Transcript.ModelReference(
            file: info.fileName, size: info.fileSize, sha256: info.headerSHA256,
            architecture: info.architecture)
    }

    /// Answers the last message of `conversation`, delivering events on the session's queue.
    /// A seed of nil draws a random one (reported in `finished`).
    public func send(
        _ conversation: Conversation, seed: UInt64? = nil,
        onEvent: @escaping @Sendable (ChatEvent) -> Void
    ) {
        send(.conversation(conversation), seed: seed, onEvent: onEvent)
    }

    /// Answers `prompt` (a conversation or a text to continue) as `send(_:seed:onEvent:)` does.
    public func send(
        _ prompt: CompletionPrompt, seed: UInt64? = nil,
        onEvent: @escaping @Sendable (ChatEvent) -> Void
    ) {
        let ticket = tickets.issue()
        queue.async { [self] in
            tickets.begin(ticket)
            onEvent(.finished(answer(prompt, seed: seed, onEvent: onEvent)))
        }
    }

    /// Runs an answer on the calling thread, waiting for the session's queue (for the CLI).
    public func respond(
        to conversation: Conversation, seed: UInt64? = nil,
        onEvent: (ChatEvent) -> Void
    ) -> Completion {
        let ticket = tickets.issue()
        return queue.sync {
            tickets.begin(ticket)
            return answer(.conversation(conversation), seed: seed, onEvent: onEvent)
        }
    }

    /// Stops the current answer after at most one more token; the partial text is kept. If the
    /// chat template is still rendering the prompt, the render stops within milliseconds and the
    /// answer ends as cancelled with no text. Answers sent before the cancel and still waiting
    /// for the queue end as cancelled too; answers sent after it run (`CancelTickets`).
    public func cancel() { tickets.cancelIssued() }

    /// Stops the current answer, token counts and every later request at once: for quitting, so
    /// that saving the prompt cache does not wait behind a slow template render.
    public func shutDown() {
        closing.cancel()
        tickets.cancelIssued()
    }

    /// The prompt the model would receive for `conversation`, token by token, trimmed to the
    /// context window exactly as an answer trims it (for the prompt inspector).
    public func promptPreview(_ conversation: Conversation) throws(ChatError) -> PromptPreview {
        let closing = self.closing
        let result: Result<ContextPolicy.Fit, ChatError> = queue.sync {
            do throws(ChatError) {
                return .success(
                    try policy.fit(conversation) { (candidate) throws(ChatError) in
                        let bytes = Self.contentBytes(candidate)
                        guard bytes <= Tokenizer.maxInputBytes else {
                            throw .promptTooLarge(bytes: bytes, limit: Tokenizer.maxInputBytes)
                        }
                        guard
                            let rendered = builder.render(
                                candidate.templateMessages, shouldStop: { closing.isCancelled })
                        else { return ([], []) }
                        return (try tokenize(rendered.text), rendered.notices)
                    })
            } catch { return .failure(error) }
        }
        let fit = try result.get()
        return PromptPreview(
            tokens: fit.tokens, pieces: fit.tokens.map { tokenizer.piece($0, special: true) },
            droppedMessages: fit.droppedMessages, notices: fit.notices)
    }

    /// The system prompt the GGUF's chat template writes when a conversation has none, or nil
    /// (`PromptBuilder.defaultSystemPrompt`); waits for the session's queue.
    public func defaultSystemPrompt() -> String? {
        let closing = self.closing
        return queue.sync { builder.defaultSystemPrompt(shouldStop: { closing.isCancelled }) }
    }

    /// Tokens the conversation's prompt takes (for "context used" displays); 0 after `shutDown()`.
    /// A conversation too large to tokenize counts as 0 (sending it reports the error).
    public func promptTokenCount(_ conversation: Conversation) -> Int {
        let closing = self.closing
        return queue.sync {
            guard Self.contentBytes(conversation) <= Tokenizer.maxInputBytes,
                let rendered = builder.render(conversation.templateMessages, shouldStop: { closing.isCancelled })
            else { return 0 }
            return (try? tokenize(rendered.text))?.count ?? 0
        }
    }

    /// The bytes of every message: the prompt holds them all, so their total alone can rule it
    /// out before the template renders.
    static func contentBytes(_ conversation: Conversation) -> Int {
        conversation.messages.reduce(conversation.systemPrompt?.utf8.count ?? 0) { $0 + $1.content.utf8.count }
    }

    func tokenize(_ text: String) throws(ChatError) -> [Int32] {
        var tokens: [Int32]
        do {
            tokens = try tokenizer.encode(text, addSpecial: true, parseSpecial: true)
        } catch {
            throw .promptTooLarge(bytes: text.utf8.count, limit: Tokenizer.maxInputBytes)
        }
        // A template that writes BOS itself must not get a second one from the tokenizer.
        if tokens.count >= 2, let bos = tokenizer.bos, tokens[0] == bos, tokens[1] == bos { tokens.removeFirst() }
        return tokens
    }

    func answer(_ prompt: CompletionPrompt, seed: UInt64?, onEvent: (ChatEvent) -> Void) -> Completion {
        let (cancellation, closing) = (self.cancellation, self.closing)
        let request: GenerationRequest
        let chosenSeed: UInt64
        switch prepare(
            prompt, seed: seed, shouldStop: { cancellation.isCancelled || closing.isCancelled },
            onEvent: onEvent)
        {
        case .ended(let completion): return completion
        case .ready(let ready, let chosen): (request, chosenSeed) = (ready, chosen)
        }
        return generate(request, for: prompt, seed: chosenSeed, onEvent: onEvent)
    }

    /// Runs `request` on this thread's engine: the part of an answer shared by chat turns and raw
    /// text continuation (`ChatSession+Raw.swift`). Runs on the session's queue.
    func generate(
        _ request: GenerationRequest, for prompt: CompletionPrompt, seed: UInt64,
        onEvent: (ChatEvent) -> Void
    ) -> Completion {
        onEvent(
            .started(
                promptTokens: request.promptTokens.count,
                cachedTokens: generator.reusablePrefixLength(of: request.promptTokens)))
        // Prefill reports its progress (the chat's "reading prompt 512/1079") only during this call.
        let outcome = withoutActuallyEscaping(onEvent) { onEvent in
            generator.onPrefillProgress = { evaluated, total in
                onEvent(.promptProgress(evaluated: evaluated, total: total))
            }
            defer { generator.onPrefillProgress = nil }
            return generator.generate(request, cancel: cancellation) { delta in onEvent(.delta(answerDelta(delta))) }
        }
        return completion(outcome, for: prompt, seed: seed)
    }

    func answerDelta(_ delta: GenerationDelta) -> AnswerDelta {
        AnswerDelta(choice: delta.choice, text: delta.text, logprobs: delta.scores.map(logprob))
    }

    /// The answer a finished generation makes.
    func completion(_ outcome: GenerationOutcome, for prompt: CompletionPrompt, seed: UInt64) -> Completion {
        let parameters = prompt.parameters
        let choices = outcome.choices.map { choice in
            Completion.Choice(
                index: choice.index, text: choice.text, reason: Chat.FinishReason(choice.finishReason),
                completionTokens: choice.tokens.count,
                logprobs: parameters.logprobs ? choice.scores.map(logprob) : nil,
                crossEntropy: choice.crossEntropy,
                error: choice.finishReason == .error ? outcome.errorMessage : nil)
        }
        var completion = Completion(
            choices: choices,
            usage: Usage(
                promptTokens: outcome.promptTokens, completionTokens: outcome.completionTokens,
                cachedTokens: outcome.cachedPromptTokens),
            timings: Timings(
                prefillTokensPerSecond: outcome.prefillTokensPerSecond,
                decodeTokensPerSecond: outcome.decodeTokensPerSecond,
                draftedTokens: outcome.speculation.drafted > 0 ? outcome.speculation.drafted : nil,
                acceptedDraftTokens: outcome.speculation.drafted > 0 ? outcome.speculation.accepted : nil),
            seed: seed)
        completion.backend = backendReference
        completion.promptLogprobs = outcome.promptScores.map { promptLogprobs($0, for: prompt) }
        return completion
    }

    /// A scored prompt as the Chat layer lists it. A BOS the model adds comes first with empty
    /// text, as it is not in the prompt's text (`PromptLogprobs.firstToken`); token ids get none
    /// added, so a BOS among them is listed with its text.
    func promptLogprobs(_ scores: PromptScores, for prompt: CompletionPrompt) -> PromptLogprobs {
        let added = prompt.getsModelBOS && tokenizer.addBOS && scores.first == tokenizer.bos
        let bytes = added ? [] : tokenizer.piece(scores.first, special: true)
        return PromptLogprobs(
            firstToken: String(decoding: bytes, as: UTF8.self), firstBytes: bytes, scored: scores.scores.map(logprob))
    }

    /// This model as an answer's record names it.
    public var backendReference: BackendReference { .local(model: info.fileName, sha256: info.headerSHA256) }

    /// A token's score with its text and exact bytes (a piece of a multi-byte character shows
    /// as U+FFFD in `token`; `bytes` keeps it whole).
    private func logprob(_ score: TokenScore) -> TokenLogprob {
        func piece(_ id: Int32) -> (String, [UInt8]) {
            let bytes = tokenizer.piece(id, special: true)
            return (String(decoding: bytes, as: UTF8.self), bytes)
        }
        let (text, bytes) = piece(score.token)
        return TokenLogprob(
            token: text, bytes: bytes, logprob: score.logprob,
            topLogprobs: score.top.map {
                let (alternative, alternativeBytes) = piece($0.token)
                return TokenLogprob.Alternative(token: alternative, bytes: alternativeBytes, logprob: $0.logprob)
            })
    }
}
