import Chat
import Inference

/// Turning a request into what the engine runs: parameters validated, a conversation rendered
/// by its chat template (ChatML when it has none) and fitted to the context window, or a text
/// tokenized as it is (`ChatSession+Raw.swift`). Runs on the session's queue.
extension ChatSession {
    /// A conversation turned into what the engine runs, or the answer it already ended with.
    enum Prepared {
        case ready(GenerationRequest, seed: UInt64)
        case ended(Completion)
    }

    /// Validates the parameters and turns `prompt` into tokens that fit the context: a
    /// conversation rendered by its template (`prepare(conversation:...)`), a text as it is
    /// (`ChatSession+Raw.swift`). Runs on the session's queue.
    func prepare(
        _ prompt: CompletionPrompt, seed: UInt64?, shouldStop: @escaping @Sendable () -> Bool,
        onEvent: (ChatEvent) -> Void
    ) -> Prepared {
        let seed = seed ?? prompt.parameters.seed ?? UInt64.random(in: 0...UInt64(UInt32.max))
        switch prompt {
        case .conversation(let conversation):
            return prepare(conversation: conversation, seed: seed, shouldStop: shouldStop, onEvent: onEvent)
        case .text(let text, let parseSpecial, let parameters):
            return prepare(text: text, parseSpecial: parseSpecial, parameters: parameters, seed: seed)
        case .tokens(let tokens, let parameters):
            return prepare(tokens: tokens, parameters: parameters, seed: seed)
        }
    }

    /// Validates the parameters, renders and tokenizes the prompt and fits it to the context
    /// (reporting notices and dropped turns); `shouldStop` ends a slow template render.
    private func prepare(
        conversation: Conversation, seed: UInt64, shouldStop: @escaping @Sendable () -> Bool,
        onEvent: (ChatEvent) -> Void
    ) -> Prepared {
        let parameters = conversation.parameters
        func failure(_ message: String) -> Prepared {
            .ended(
                Completion.empty(.error, seed: seed, error: message))
        }
        var stopped = shouldStop()
        // Once the template runs out of its work or time budget, the other renders this answer
        // needs (dropping old turns to fit) use ChatML at once instead of waiting for it again.
        var runaway: PromptBuilder.Rendered?
        // Whether the prompt is ChatML (every render of one conversation takes the same path).
        var chatML = false
        let fit: ContextPolicy.Fit
        do {
            try parameters.validate(vocabularySize: info.vocabularySize)
            fit = try policy.fit(conversation) { (candidate) throws(ChatError) in
                if stopped { return ([], []) }
                let bytes = Self.contentBytes(candidate)
                guard bytes <= Tokenizer.maxInputBytes else {
                    throw .promptTooLarge(bytes: bytes, limit: Tokenizer.maxInputBytes)
                }
                if let notices = runaway?.notices {
                    let text = PromptBuilder.chatML(candidate.templateMessages, addGenerationPrompt: true)
                    return (try tokenize(text), notices)
                }
                guard let rendered = builder.render(candidate.templateMessages, shouldStop: shouldStop) else {
                    stopped = true
                    return ([], [])
                }
                if rendered.templateHitLimit { runaway = rendered }
                chatML = rendered.isChatML
                return (try tokenize(rendered.text), rendered.notices)
            }
        } catch {
            return failure(String(describing: error))
        }
        if stopped {
            return .ended(
                Completion.empty(.cancelled, seed: seed))
        }
        for notice in fit.notices { onEvent(.notice(notice)) }
        if fit.droppedMessages > 0 { onEvent(.contextTrimmed(droppedMessages: fit.droppedMessages)) }
        return .ready(Self.request(fit.tokens, parameters: parameters, seed: seed, chatML: chatML), seed: seed)
    }

    /// What the engine runs for `prompt` (tokens that fit the context) with `parameters`; a
    /// ChatML prompt (`chatML`) also stops at the end of the assistant's turn written as text.
    static func request(_ prompt: [Int32], parameters: SamplingParameters, seed: UInt64, chatML: Bool = false)
        -> GenerationRequest
    {
        var stop = parameters.stop
        if chatML && !stop.contains(PromptBuilder.chatMLEnd) { stop.append(PromptBuilder.chatMLEnd) }
        var request = GenerationRequest(
            promptTokens: prompt, sampler: parameters.samplerSettings(seed: seed),
            maxTokens: parameters.maxTokens, stop: stop,
            choices: parameters.n, logprobs: parameters.logprobs, topLogprobs: parameters.topLogprobs)
        request.scoresPrompt = parameters.promptLogprobs
        return request
    }
}
