import Chat
import Foundation
import Hummingbird
import Inference

/// `POST /v1/chat/completions`: parses the body, submits it to the scheduler and answers with
/// one `chat.completion` object or an SSE stream of chunks.
extension CompletionEndpoint {
    func chatCompletions(_ request: Request, context: ServerContext) async throws -> Response {
        let arrival = ContinuousClock.now
        return try await watchingTheClient(request) { body, client in
            let parsed = try ChatCompletionRequest.parse(
                try await contents(of: body), contextLength: configuration.contextLength,
                vocabularySize: configuration.vocabularySize)
            let encoding = CompletionEncoding(
                id: "chatcmpl-\(UUID().uuidString.lowercased())", model: configuration.modelID,
                created: Int(Date().timeIntervalSince1970),
                logprobs: parsed.conversation.parameters.logprobs)
            let encoder =
                parsed.stream
                ? ChatStreamEncoder(
                    encoding: encoding, choices: parsed.conversation.parameters.n, includeUsage: parsed.includeUsage)
                : nil
            return try await answer(
                .conversation(parsed.conversation), model: parsed.model, promptField: "messages", client: client,
                stats: context.stats,
                arrival: arrival, streaming: encoder, object: encoding.completion)
        }
    }

}

/// `chat.completion.chunk` events: a role chunk per choice first, a text delta per token (the
/// common case written by `DeltaEventEncoder`), then each choice's finish chunk and the usage.
struct ChatStreamEncoder: StreamEncoding {
    let encoding: CompletionEncoding
    let choices: Int
    let includeUsage: Bool
    let deltaEvents: DeltaEventEncoder

    init(encoding: CompletionEncoding, choices: Int, includeUsage: Bool) {
        self.encoding = encoding
        self.choices = choices
        self.includeUsage = includeUsage
        deltaEvents = DeltaEventEncoder(encoding, withUsageField: includeUsage)
    }

    func opening() -> [ByteBuffer] {
        (0..<choices).map {
            sseEvent(encoding.chunk(choice: $0, role: true, content: "", withUsageField: includeUsage))
        }
    }

    func delta(_ delta: AnswerDelta) -> ByteBuffer? {
        guard !delta.text.isEmpty || !delta.logprobs.isEmpty else { return nil }
        if encoding.logprobs && !delta.logprobs.isEmpty {
            return sseEvent(
                encoding.chunk(
                    choice: delta.choice, content: delta.text, tokens: delta.logprobs, withUsageField: includeUsage))
        }
        return deltaEvents.event(choice: delta.choice, content: delta.text)
    }

    func finished(_ completion: Completion) -> [ByteBuffer] {
        var events = completion.choices.map { choice in
            sseEvent(
                encoding.chunk(
                    choice: choice.index, content: nil, finishReason: choice.reason, withUsageField: includeUsage))
        }
        if includeUsage { events.append(sseEvent(encoding.usageChunk(completion.usage))) }
        return events
    }
}
