import Chat
import Foundation
import Hummingbird
import Inference
import ServiceLifecycle

/// `POST /v1/chat/completions`: parses the body, submits it to the scheduler and answers with
/// one JSON object or an SSE stream.
///
/// Whatever ends a request early, its answer is cancelled so its slot frees within one token:
/// a client that goes away (the next write fails, or the task is cancelled) or a graceful
/// shutdown (the stream then ends normally, with its finish chunk and `[DONE]`).
struct ChatCompletionsHandler: Sendable {
    let scheduler: any CompletionScheduler
    let metrics: ServerMetrics
    let configuration: ParleyServer.Configuration

    func handle(_ request: Request, context: ServerContext) async throws -> Response {
        let arrival = ContinuousClock.now
        if let length = request.headers[.contentLength].flatMap(Int.init), length > configuration.maxBodyBytes {
            throw ServerError.payloadTooLarge(limit: configuration.maxBodyBytes)
        }
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: configuration.maxBodyBytes) } catch let error as HTTPError
            where error.status == .contentTooLarge
        {
            throw ServerError.payloadTooLarge(limit: configuration.maxBodyBytes)
        }
        let parsed = try ChatCompletionRequest.parse(
            Data(buffer.readableBytesView), contextLength: configuration.contextLength,
            vocabularySize: configuration.vocabularySize)
        if let model = parsed.model, !configuration.modelNames.contains(model) {
            throw ServerError.modelNotFound(model)
        }
        let ticket = try scheduler.submit(parsed.conversation)
        let encoding = CompletionEncoding(
            id: "chatcmpl-\(UUID().uuidString.lowercased())", model: configuration.modelID,
            created: Int(Date().timeIntervalSince1970),
            logprobs: parsed.conversation.parameters.logprobs)
        let admission = await cancelling(ticket) { await ticket.waitForAdmission() }
        if case .failed(let completion) = admission { throw Self.error(for: completion) }
        if parsed.stream { return stream(ticket, parsed, encoding, arrival: arrival, stats: context.stats) }

        let completion: Completion? = await cancelling(ticket) {
            var result: Completion?
            var first = true
            for await event in ticket.events {
                if case .delta = event, first {
                    metrics.firstToken(after: ContinuousClock.now - arrival)
                    first = false
                }
                if case .finished(let completion) = event { result = completion }
            }
            return result
        }
        guard let completion else { throw ServerError.internalError("the answer ended without a result") }
        if completion.reason == .error && completion.choices.allSatisfy({ $0.text.isEmpty }) {
            throw Self.error(for: completion)
        }
        record(completion.usage, stats: context.stats)
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: encoding.completion(completion).serialized + "\n")))
    }

    private func stream(
        _ ticket: CompletionTicket, _ parsed: ChatCompletionRequest, _ encoding: CompletionEncoding,
        arrival: ContinuousClock.Instant, stats: RequestStats
    ) -> Response {
        let choices = parsed.conversation.parameters.n
        let includeUsage = parsed.includeUsage
        let (metrics, handler) = (metrics, self)
        let deltaEvents = DeltaEventEncoder(encoding, withUsageField: includeUsage)
        let body = ResponseBody { writer in
            func send(_ json: JSONValue) async throws {
                try await writer.write(ByteBuffer(string: ServerSentEvents.event(json)))
            }
            do {
                try await handler.cancelling(ticket) {
                    for choice in 0..<choices {
                        try await send(
                            encoding.chunk(choice: choice, role: true, content: "", withUsageField: includeUsage))
                    }
                    var first = true
                    for await event in ticket.events {
                        switch event {
                        case .delta(let delta):
                            guard !delta.text.isEmpty || !delta.logprobs.isEmpty else { continue }
                            if first {
                                metrics.firstToken(after: ContinuousClock.now - arrival)
                                first = false
                            }
                            if encoding.logprobs && !delta.logprobs.isEmpty {
                                try await send(
                                    encoding.chunk(
                                        choice: delta.choice, content: delta.text, tokens: delta.logprobs,
                                        withUsageField: includeUsage))
                            } else {
                                try await writer.write(deltaEvents.event(choice: delta.choice, content: delta.text))
                            }
                        case .finished(let completion):
                            for choice in completion.choices {
                                try await send(
                                    encoding.chunk(
                                        choice: choice.index, content: nil, finishReason: choice.reason,
                                        withUsageField: includeUsage))
                            }
                            handler.record(completion.usage, stats: stats)
                            if includeUsage { try await send(encoding.usageChunk(completion.usage)) }
                        default: continue
                        }
                    }
                    try await writer.write(ByteBuffer(string: ServerSentEvents.done))
                }
                try await writer.finish(nil)
            } catch {
                // The client went away: stop its answer now rather than at max_tokens.
                ticket.cancel()
                throw error
            }
        }
        return Response(
            status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: body)
    }

    /// Runs `operation`, cancelling the ticket if the task is cancelled or the server shuts down.
    private func cancelling<T>(_ ticket: CompletionTicket, _ operation: () async throws -> T) async rethrows -> T {
        try await withGracefulShutdownHandler {
            try await withTaskCancellationHandler(operation: operation, onCancel: { ticket.cancel() })
        } onGracefulShutdown: {
            ticket.cancel()
        }
    }

    private func record(_ usage: Usage, stats: RequestStats) {
        stats.record(prompt: usage.promptTokens, completion: usage.completionTokens)
        metrics.tokens(prompt: usage.promptTokens, completion: usage.completionTokens)
    }

    /// The error of an answer that could not start: a prompt too long for the context (the
    /// only `ChatError` left once parameters are validated), or an engine failure.
    static func error(for completion: Completion) -> ServerError {
        let message = completion.error ?? "the answer failed"
        if completion.reason == .cancelled { return .shuttingDown }
        if message.hasPrefix("the message is ") { return .contextLengthExceeded(message) }
        return .internalError(message)
    }
}
