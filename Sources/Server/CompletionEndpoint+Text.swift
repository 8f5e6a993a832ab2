import Chat
import Foundation
import Hummingbird

/// `POST /v1/completions`: continues a text with no chat template (base models, evaluation
/// tools) and answers with one `text_completion` object or an SSE stream of them, through the
/// same scheduler, batching and prompt cache as the chat endpoint.
extension CompletionEndpoint {
    func textCompletions(_ request: Request, context: ServerContext) async throws -> Response {
        let arrival = ContinuousClock.now
        return try await watchingTheClient(request) { body, client in
            let parsed = try TextCompletionRequest.parse(
                try await contents(of: body), contextLength: configuration.contextLength,
                vocabularySize: configuration.vocabularySize)
            let encoding = TextCompletionEncoding(
                id: "cmpl-\(UUID().uuidString.lowercased())", model: configuration.modelID,
                created: Int(Date().timeIntervalSince1970), logprobs: parsed.parameters.logprobs)
            let echo = parsed.echo ? try echoText(parsed.prompt) : nil
            let encoder =
                parsed.stream
                ? TextStreamEncoder(
                    encoding: encoding, choices: parsed.parameters.n, echo: echo, includeUsage: parsed.includeUsage)
                : nil
            return try await answer(
                parsed.prompted, model: parsed.model, promptField: "prompt", client: client, stats: context.stats,
                arrival: arrival,
                streaming: encoder, object: { encoding.completion($0, echo: echo) })
        }
    }
}

extension CompletionEndpoint {
    /// The prompt as `echo` returns it; token ids as the model's tokenizer writes them.
    func echoText(_ prompt: TextCompletionRequest.Prompt) throws(ServerError) -> String {
        switch prompt {
        case .text(let text): return text
        case .tokens(let tokens):
            guard let promptText = configuration.promptText else {
                throw .unsupported("echo of a token-id prompt is not supported here: send the text", param: "echo")
            }
            return promptText(tokens)
        }
    }
}

/// `text_completion` chunks: the echoed prompt first (when asked for), one chunk per token's
/// text with its logprobs (their `text_offset`s running on per choice), then each choice's
/// finish chunk and the usage.
struct TextStreamEncoder: StreamEncoding {
    let encoding: TextCompletionEncoding
    let choices: Int
    let echo: String?
    let includeUsage: Bool
    /// Where each choice's next token starts in its text, in `text_offset`'s units.
    var offsets: [Int]

    init(encoding: TextCompletionEncoding, choices: Int, echo: String?, includeUsage: Bool) {
        self.encoding = encoding
        self.choices = choices
        self.echo = echo
        self.includeUsage = includeUsage
        offsets = Array(repeating: TextCompletionEncoding.length(echo ?? ""), count: max(1, choices))
    }

    /// The echoed prompt, unless its scored tokens must come with it (`promptScored`).
    func opening() -> [ByteBuffer] {
        guard let echo, !echo.isEmpty, !encoding.logprobs else { return [] }
        return (0..<choices).map {
            sseEvent(encoding.chunk(choice: $0, text: echo, withUsageField: includeUsage))
        }
    }

    /// The echoed prompt with its own tokens' logprobs, once the prompt is evaluated.
    func promptScored(_ prompt: PromptLogprobs) -> [ByteBuffer] {
        guard let echo, encoding.logprobs else { return [] }
        let logprobs = TextCompletionEncoding.logprobs([], offset: 0, prompt: prompt).json
        return (0..<choices).map {
            sseEvent(encoding.chunk(choice: $0, text: echo, logprobs: logprobs, withUsageField: includeUsage))
        }
    }

    mutating func delta(_ delta: AnswerDelta) -> ByteBuffer? {
        guard !delta.text.isEmpty || !delta.logprobs.isEmpty else { return nil }
        var logprobs = JSONValue.null
        if encoding.logprobs && offsets.indices.contains(delta.choice) {
            let (json, end) = TextCompletionEncoding.logprobs(delta.logprobs, offset: offsets[delta.choice])
            (logprobs, offsets[delta.choice]) = (json, end)
        }
        return sseEvent(
            encoding.chunk(choice: delta.choice, text: delta.text, logprobs: logprobs, withUsageField: includeUsage))
    }

    func finished(_ completion: Completion) -> [ByteBuffer] {
        var events = completion.choices.map { choice in
            sseEvent(
                encoding.chunk(
                    choice: choice.index, text: "", finishReason: choice.reason, withUsageField: includeUsage))
        }
        if includeUsage { events.append(sseEvent(encoding.usageChunk(completion.usage))) }
        return events
    }
}
