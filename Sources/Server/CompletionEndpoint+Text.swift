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
            let echoes = try parsed.prompts.map { prompt throws(ServerError) in
                parsed.echo ? try echoText(prompt) : nil
            }
            let prompted = parsed.prompted
            guard prompted.count == 1, let prompt = prompted.first, let echo = echoes.first else {
                return try await answerEach(
                    prompted, echoes: echoes, request: parsed, encoding: encoding, client: client,
                    stats: context.stats, arrival: arrival)
            }
            let encoder =
                parsed.stream
                ? TextStreamEncoder(
                    encoding: encoding, choices: parsed.parameters.n, echo: echo, includeUsage: parsed.includeUsage)
                : nil
            return try await answer(
                prompt, model: parsed.model, promptField: "prompt", client: client, stats: context.stats,
                arrival: arrival,
                streaming: encoder, object: { encoding.completion($0, echo: echo) })
        }
    }

    /// Several prompts in one request: all submitted at once, so they batch as separate
    /// requests would, and answered in prompt order, in one object or one stream (each answer
    /// whole in turn, prompt i's choices numbered from i·n, one usage chunk for all at the end).
    /// Every prompt is admitted before anything is written, so one that cannot start (too
    /// long, or no room in the queue) fails the whole request with its status and cancels the
    /// others: nothing runs on for an answer nobody will read.
    private func answerEach(
        _ prompts: [CompletionPrompt], echoes: [String?], request: TextCompletionRequest,
        encoding: TextCompletionEncoding, client: ClientWatch, stats: RequestStats, arrival: ContinuousClock.Instant
    ) async throws -> Response {
        try checkModel(request.model)
        // Past what the scheduler holds, a retry could never succeed: say so instead of a 503.
        guard prompts.count <= scheduler.capacity else {
            throw ServerError.invalidRequest(
                "prompt lists \(prompts.count) prompts but this server holds \(scheduler.capacity) requests at once"
                    + " (its slots and queue): send at most that many per request",
                param: "prompt")
        }
        let n = request.parameters.n
        var tickets: [CompletionTicket] = []
        do {
            for prompt in prompts {
                let ticket = try scheduler.submit(prompt)
                client.hold(ticket)
                tickets.append(ticket)
            }
            for (index, ticket) in tickets.enumerated() { try await admit(ticket, promptField: "prompt[\(index)]") }
            if request.stream {
                client.release()
                let parts = tickets.enumerated().map { index, ticket in
                    (
                        ticket: ticket,
                        encoder: TextStreamEncoder(
                            encoding: encoding, choices: n, echo: echoes[index], includeUsage: request.includeUsage,
                            firstChoice: index * n, usageChunk: false)
                    )
                }
                let includeUsage = request.includeUsage
                return stream(parts, arrival: arrival, stats: stats) { results in
                    includeUsage ? [sseEvent(encoding.usageChunk(Usage(summing: results.map(\.usage))))] : []
                }
            }
            var answers: [(completion: Completion, echo: String?)] = []
            for (index, ticket) in tickets.enumerated() {
                let completion = try await collect(
                    ticket, arrival: arrival, stats: stats, promptField: "prompt[\(index)]")
                answers.append((completion, echoes[index]))
            }
            return ParleyServer.json(encoding.completion(answers, choicesEach: n))
        } catch {
            for ticket in tickets { ticket.cancel() }
            throw error
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
///
/// One of several prompts' answers in a stream numbers its choices from `firstChoice` (prompt
/// i's are i·n onward) and leaves the usage chunk to the stream's end (`usageChunk` false).
struct TextStreamEncoder: StreamEncoding {
    let encoding: TextCompletionEncoding
    let choices: Int
    let echo: String?
    let includeUsage: Bool
    let firstChoice: Int
    let usageChunk: Bool
    /// Where each choice's next token starts in its text, in `text_offset`'s units.
    var offsets: [Int]

    init(
        encoding: TextCompletionEncoding, choices: Int, echo: String?, includeUsage: Bool, firstChoice: Int = 0,
        usageChunk: Bool = true
    ) {
        self.encoding = encoding
        self.choices = choices
        self.echo = echo
        self.includeUsage = includeUsage
        self.firstChoice = firstChoice
        self.usageChunk = usageChunk
        offsets = Array(repeating: TextCompletionEncoding.length(echo ?? ""), count: max(1, choices))
    }

    /// The echoed prompt, unless its scored tokens must come with it (`promptScored`).
    func opening() -> [ByteBuffer] {
        guard let echo, !echo.isEmpty, !encoding.logprobs else { return [] }
        return (0..<choices).map {
            sseEvent(encoding.chunk(choice: firstChoice + $0, text: echo, withUsageField: includeUsage))
        }
    }

    /// The echoed prompt with its own tokens' logprobs, once the prompt is evaluated.
    func promptScored(_ prompt: PromptLogprobs) -> [ByteBuffer] {
        guard let echo, encoding.logprobs else { return [] }
        let logprobs = TextCompletionEncoding.logprobs([], offset: 0, prompt: prompt).json
        return (0..<choices).map {
            sseEvent(
                encoding.chunk(choice: firstChoice + $0, text: echo, logprobs: logprobs, withUsageField: includeUsage))
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
            encoding.chunk(
                choice: firstChoice + delta.choice, text: delta.text, logprobs: logprobs, withUsageField: includeUsage))
    }

    func finished(_ completion: Completion) -> [ByteBuffer] {
        var events = completion.choices.map { choice in
            sseEvent(
                encoding.chunk(
                    choice: firstChoice + choice.index, text: "", finishReason: choice.reason,
                    withUsageField: includeUsage))
        }
        if includeUsage && usageChunk { events.append(sseEvent(encoding.usageChunk(completion.usage))) }
        return events
    }
}
