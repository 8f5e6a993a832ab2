import AsyncHTTPClient
import Chat
import Foundation
import NIOCore

/// One streamed answer from a `RemoteSession`: sends the request, turns the SSE stream into
/// chat events, and ends in a `Completion` that holds exactly what was received.
struct RemoteStream: Sendable {
    let session: RemoteSession
    let prompt: CompletionPrompt
    let seed: UInt64

    /// The most bytes of an error response read for its message.
    static let errorBodyLimit = 64 << 10

    func run(_ onEvent: @escaping @Sendable (ChatEvent) -> Void) async -> Completion {
        let parameters = prompt.parameters
        let host = session.endpoint.host
        let clock = ContinuousClock()
        let start = clock.now
        var firstText: ContinuousClock.Instant?
        var accumulator = StreamAccumulator(choices: parameters.n)
        var parser = SSEParser()
        var ending: (reason: FinishReason, error: String?)?
        do {
            do { try parameters.validate() } catch { throw RemoteFailure.invalid(error.description) }
            let response = try await session.client.execute(request(), timeout: .hours(24))
            guard response.status == .ok else { throw await statusError(response) }
            onEvent(.started(promptTokens: 0, cachedTokens: 0))
            streaming: for try await buffer in response.body {
                for event in try parser.feed(buffer.readableBytesView) {
                    for delta in try accumulator.take(event) {
                        if firstText == nil, !delta.text.isEmpty { firstText = clock.now }
                        onEvent(.delta(delta))
                    }
                    if accumulator.done { break streaming }
                }
            }
            if !accumulator.done && !accumulator.allFinished {
                // The body ended without `[DONE]` or a finish reason: the connection was cut.
                throw RemoteError.connectionLost(host: host)
            }
        } catch {
            ending = Self.ending(
                for: error, host: host, stallSeconds: Int(session.options.stallTimeout.components.seconds),
                receivedText: accumulator.receivedText)
        }
        let end = clock.now
        var completion = accumulator.completion(
            seed: seed, wantsLogprobs: parameters.logprobs, ending: ending,
            timings: Self.timings(start: start, firstText: firstText, end: end, usage: accumulator.usage))
        completion.backend = session.backendReference
        return completion
    }

    /// How an interrupted stream ends: cancelled by the person, lost with its text kept, or failed.
    static func ending(for error: any Error, host: String, stallSeconds: Int, receivedText: Bool)
        -> (reason: FinishReason, error: String?)
    {
        if Task.isCancelled || error is CancellationError { return (.cancelled, nil) }
        if let error = error as? HTTPClientError, error == .cancelled { return (.cancelled, nil) }
        if case .invalid(let message)? = error as? RemoteFailure { return (.error, message) }
        let remote = RemoteError.from(error, host: host, stallSeconds: stallSeconds)
        switch remote {
        case .connectionLost, .stalled:
            return (receivedText ? .connectionLost : .error, remote.description)
        default:
            return (.error, remote.description)
        }
    }

    private func request() -> HTTPClientRequest {
        let (url, body): (String, Data)
        let (model, extensions) = (session.model, session.options.extensions)
        switch prompt {
        case .conversation(let conversation):
            url = session.endpoint.chatCompletionsURL
            body = ChatRequestBody.encode(conversation, model: model, seed: seed, extensions: extensions)
        case .text(let text, _, let parameters):
            // The server tokenizes: llama-server and vLLM read special-token text as special tokens.
            url = session.endpoint.completionsURL
            body = TextRequestBody.encode(
                text, parameters: parameters, model: model, seed: seed, extensions: extensions)
        case .tokens(let tokens, let parameters):
            url = session.endpoint.completionsURL
            body = TextRequestBody.encode(
                tokens.map { Int($0) }, parameters: parameters, model: model, seed: seed, extensions: extensions)
        }
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "text/event-stream")
        if let key = session.endpoint.apiKey { request.headers.add(name: "Authorization", value: "Bearer \(key)") }
        request.body = .bytes(ByteBuffer(bytes: body))
        return request
    }

    /// The error a non-200 response stands for, with the server's own message when it sent one.
    private func statusError(_ response: HTTPClientResponse) async -> RemoteError {
        let host = session.endpoint.host
        let body = (try? await response.body.collect(upTo: Self.errorBodyLimit)).map { String(buffer: $0) }
        let message = body.flatMap(Self.serverMessage)
        let status = Int(response.status.code)
        switch status {
        case 401, 403:
            return .unauthorized(
                host: host, status: status, keyVariable: session.endpoint.keyVariable, message: message)
        case 404:
            let api: String
            if case .conversation = prompt { api = "Chat Completion" } else { api = "Completion (POST /completions)" }
            return .notFound(host: host, model: session.model, api: api, message: message)
        case 429:
            return .rateLimited(host: host, retryAfter: response.headers.first(name: "retry-after"), message: message)
        case 500...599: return .serverError(host: host, status: status, message: message)
        default: return .httpStatus(host: host, status: status, message: message)
        }
    }

    /// OpenAI's `{"error": {"message": ...}}`, or a short plain-text body.
    static func serverMessage(_ body: String) -> String? {
        if let data = body.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        {
            if let error = object["error"] as? [String: Any], let message = error["message"] as? String {
                return message
            }
            if let message = object["error"] as? String { return message }
            if let message = object["message"] as? String { return message }
        }
        let trimmed = body.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty || trimmed.hasPrefix("<") ? nil : trimmed
    }

    static func timings(
        start: ContinuousClock.Instant, firstText: ContinuousClock.Instant?, end: ContinuousClock.Instant,
        usage: Usage?
    ) -> Timings {
        func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
        guard let firstText, let usage else { return Timings(prefillTokensPerSecond: 0, decodeTokensPerSecond: 0) }
        let prefill = seconds(firstText - start)
        let decode = seconds(end - firstText)
        return Timings(
            prefillTokensPerSecond: prefill > 0 ? Double(usage.promptTokens) / prefill : 0,
            decodeTokensPerSecond: decode > 0 && usage.completionTokens > 1
                ? Double(usage.completionTokens - 1) / decode : 0)
    }

    static func failed(seed: UInt64, reason: FinishReason, error: String?, backend: BackendReference) -> Completion {
        var completion = Completion.empty(reason, seed: seed, error: error)
        completion.backend = backend
        return completion
    }
}

/// A request refused before it was sent.
enum RemoteFailure: Error {
    case invalid(String)
}
