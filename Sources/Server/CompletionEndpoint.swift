import Chat
import Foundation
import Hummingbird
import ServiceLifecycle
import Synchronization

/// What the two completion endpoints (`/v1/chat/completions`, `/v1/completions`) share: reading
/// the body, waiting for admission, collecting or streaming the answer, and cancelling it
/// whenever the request ends early.
///
/// Whatever ends a request early, its answer is cancelled so its slot frees within one token:
/// a client that goes away (the next write fails, or the task is cancelled) or a graceful
/// shutdown (the stream then ends normally, with its finish chunk and `[DONE]`).
/// The endpoints themselves are in `CompletionEndpoint+Chat.swift` and `CompletionEndpoint+Text.swift`.
struct CompletionEndpoint: Sendable {
    let scheduler: any CompletionScheduler
    let metrics: ServerMetrics
    let configuration: ParleyServer.Configuration
}

/// Turns one answer's events into SSE events, keeping whatever state its format needs.
protocol StreamEncoding: Sendable {
    /// Events before the first token (the chat API's role chunks).
    mutating func opening() -> [ByteBuffer]
    /// The event for new text of one choice, or nil when there is nothing to send.
    mutating func delta(_ delta: AnswerDelta) -> ByteBuffer?
    /// The finish chunks, and the usage chunk when asked for.
    mutating func finished(_ completion: Completion) -> [ByteBuffer]
    /// Events for the prompt's own scored tokens (the text API's `echo` with `logprobs`).
    func promptScored(_ prompt: PromptLogprobs) -> [ByteBuffer]
}

extension StreamEncoding {
    func promptScored(_ prompt: PromptLogprobs) -> [ByteBuffer] { [] }
}

extension CompletionEndpoint {
    /// The request's `body`, refused with a 413 past `maxBodyBytes` (a body that says its
    /// length is refused before `watchingTheClient`).
    func contents(of body: RequestBody) async throws -> Data {
        do { return Data(try await body.collect(upTo: configuration.maxBodyBytes).readableBytesView) } catch let
            error as HTTPError where error.status == .contentTooLarge
        {
            throw ServerError.payloadTooLarge(limit: configuration.maxBodyBytes)
        }
    }

    /// Submits `prompt` and answers: an SSE stream through `encoder` when the request streams
    /// (a non-nil encoder), else the `object` of the whole answer. `promptField` names the
    /// request field that held the prompt, for a prompt that does not fit.
    func answer<Encoder: StreamEncoding>(
        _ prompt: CompletionPrompt, model: String?, promptField: String, client: ClientWatch, stats: RequestStats,
        arrival: ContinuousClock.Instant, streaming encoder: Encoder?, object: (Completion) -> JSONValue
    ) async throws -> Response {
        try checkModel(model)
        let ticket = try scheduler.submit(prompt)
        // Held from submission: a client that leaves while queued gives up its place at once.
        client.hold(ticket)
        try await admit(ticket, promptField: promptField)
        if let encoder {
            // A stream is written after this handler returns, when the watch reports the inbound
            // side closed (it cut streams after their first token); its writes fail instead.
            client.release()
            return stream(ticket, encoder: encoder, arrival: arrival, stats: stats)
        }
        return ParleyServer.json(
            object(try await collect(ticket, arrival: arrival, stats: stats, promptField: promptField)))
    }

    /// Runs a whole request, `handle` reading the body it is given, while watching the
    /// connection. A non-streamed answer writes nothing until it is whole, so only the inbound
    /// side closing says that its client has gone: the answer then stops (`ClientWatch`) rather
    /// than running on to max_tokens in a slot others wait for. (A stream finds out at its next
    /// write.) Hummingbird closes a connection watched this way once the response is written,
    /// so every response, errors included, says `Connection: close` and clients open a new one.
    func watchingTheClient(
        _ request: Request, _ handle: (RequestBody, ClientWatch) async throws -> Response
    ) async throws -> Response {
        // Refused before the body is read: the connection then stays as Hummingbird keeps it,
        // draining the rest of the body, where a watched one stalled on a 10 MB upload.
        if let length = request.headers[.contentLength].flatMap(Int.init), length > configuration.maxBodyBytes {
            throw ServerError.payloadTooLarge(limit: configuration.maxBodyBytes)
        }
        let watch = ClientWatch()
        let path = request.uri.path
        var response = try await request.body.consumeWithInboundCloseHandler { body in
            do { return try await handle(body, watch) } catch {
                return APIMiddleware.errorResponse(APIMiddleware.serverError(error, path: path))
            }
        } onInboundClosed: {
            watch.clientLeft()
        }
        response.headers[.connection] = "close"
        return response
    }

    /// Refuses a model name the server does not serve.
    func checkModel(_ model: String?) throws {
        if let model, !configuration.modelNames.contains(model) { throw ServerError.modelNotFound(model) }
    }

    /// Waits for the answer to start; an answer that could not start throws its error
    /// (`promptField` names the request field that held the prompt).
    func admit(_ ticket: CompletionTicket, promptField: String) async throws {
        let admission = await cancelling(ticket) { await ticket.waitForAdmission() }
        if case .failed(let completion) = admission { throw Self.error(for: completion, promptField: promptField) }
    }

    /// The whole answer, for a non-streamed response.
    func collect(
        _ ticket: CompletionTicket, arrival: ContinuousClock.Instant, stats: RequestStats, promptField: String
    ) async throws -> Completion {
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
            throw Self.error(for: completion, promptField: promptField)
        }
        record(completion.usage, stats: stats)
        return completion
    }

    /// The answer as an SSE stream in `encoder`'s format, ending with `[DONE]`.
    func stream<Encoder: StreamEncoding>(
        _ ticket: CompletionTicket, encoder: Encoder, arrival: ContinuousClock.Instant, stats: RequestStats
    ) -> Response {
        stream([(ticket, encoder)], arrival: arrival, stats: stats) { _ in [] }
    }

    /// Several answers as one SSE stream, each whole in turn in its own encoder's format, then
    /// `closing`'s events (given every answer's result) and `[DONE]`. A client that goes away
    /// cancels every answer, streamed or not yet.
    func stream<Encoder: StreamEncoding>(
        _ parts: [(ticket: CompletionTicket, encoder: Encoder)], arrival: ContinuousClock.Instant,
        stats: RequestStats, closing: @escaping @Sendable ([Completion]) -> [ByteBuffer]
    ) -> Response {
        let endpoint = self
        let body = ResponseBody { writer in
            var first = true
            var results: [Completion] = []
            do {
                for (ticket, encoder) in parts {
                    var encoder = encoder
                    try await endpoint.cancelling(ticket) {
                        for event in encoder.opening() { try await writer.write(event) }
                        for await event in ticket.events {
                            switch event {
                            case .delta(let delta):
                                guard let chunk = encoder.delta(delta) else { continue }
                                if first {
                                    endpoint.metrics.firstToken(after: ContinuousClock.now - arrival)
                                    first = false
                                }
                                try await writer.write(chunk)
                            case .promptScored(let prompt):
                                for chunk in encoder.promptScored(prompt) { try await writer.write(chunk) }
                            case .finished(let completion):
                                for chunk in encoder.finished(completion) { try await writer.write(chunk) }
                                endpoint.record(completion.usage, stats: stats)
                                results.append(completion)
                            default: continue
                            }
                        }
                    }
                }
                for event in closing(results) { try await writer.write(event) }
                try await writer.write(ByteBuffer(string: ServerSentEvents.done))
                try await writer.finish(nil)
            } catch {
                // The client went away: stop the answers now rather than at max_tokens.
                for part in parts { part.ticket.cancel() }
                throw error
            }
        }
        return Response(
            status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: body)
    }

    /// Runs `operation`, cancelling the ticket if the task is cancelled or the server shuts down.
    func cancelling<T>(_ ticket: CompletionTicket, _ operation: () async throws -> T) async rethrows -> T {
        try await withGracefulShutdownHandler {
            try await withTaskCancellationHandler(operation: operation, onCancel: { ticket.cancel() })
        } onGracefulShutdown: {
            ticket.cancel()
        }
    }

    func record(_ usage: Usage, stats: RequestStats) {
        stats.record(prompt: usage.promptTokens, completion: usage.completionTokens)
        metrics.tokens(prompt: usage.promptTokens, completion: usage.completionTokens)
    }

    /// The error of an answer that could not start: a prompt too long for the context, an empty
    /// one or a token id beyond the vocabulary (the only `ChatError`s left once parameters are
    /// validated), or an engine failure.
    static func error(for completion: Completion, promptField: String) -> ServerError {
        let message = completion.error ?? "the answer failed"
        if completion.reason == .cancelled { return .shuttingDown }
        if message.hasPrefix("the message is ") { return .contextLengthExceeded(message, param: promptField) }
        if message.hasPrefix("there is no text to continue") || message.hasPrefix("prompt token ") {
            return .invalidRequest(message, param: promptField)
        }
        return .internalError(message)
    }
}

/// One SSE event's bytes.
func sseEvent(_ json: JSONValue) -> ByteBuffer { ByteBuffer(string: ServerSentEvents.event(json)) }

/// The answers of a request whose client may leave before they are written: cancelled when the
/// connection's inbound side closes, whether that comes before or after they start.
final class ClientWatch: Sendable {
    private let state = Mutex<(tickets: [CompletionTicket], left: Bool)>(([], false))

    func hold(_ ticket: CompletionTicket) {
        let left = state.withLock { state in
            state.tickets.append(ticket)
            return state.left
        }
        if left { ticket.cancel() }
    }

    /// Stops watching: the tickets are no longer cancelled when the client leaves.
    func release() { state.withLock { $0.tickets = [] } }

    func clientLeft() {
        let tickets = state.withLock { state in
            state.left = true
            return state.tickets
        }
        for ticket in tickets { ticket.cancel() }
    }
}
