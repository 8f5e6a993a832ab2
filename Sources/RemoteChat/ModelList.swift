import AsyncHTTPClient
import Foundation
import NIOCore

/// One model a server offers: its id and, when the server says, the context it serves it with.
public struct RemoteModel: Equatable, Sendable {
    public var id: String
    /// vLLM's `max_model_len`, or llama-server's `meta.n_ctx` (the context of one slot); nil when
    /// the server does not say (OpenAI, ollama).
    public var contextLength: Int?

    public init(id: String, contextLength: Int? = nil) {
        self.id = id
        self.contextLength = contextLength
    }
}

/// `GET /models`: the models a server offers, in its order.
public enum ModelList {
    /// The most bytes of a model list read (a server with thousands of models fits easily).
    static let limit = 4 << 20

    static func fetch(
        _ endpoint: RemoteEndpoint, client: HTTPClient, timeout: TimeAmount = .seconds(30)
    ) async throws(RemoteError) -> [RemoteModel] {
        var request = HTTPClientRequest(url: endpoint.modelsURL)
        if let key = endpoint.apiKey { request.headers.add(name: "Authorization", value: "Bearer \(key)") }
        let body: ByteBuffer
        let status: Int
        do {
            let response = try await client.execute(request, timeout: timeout)
            status = Int(response.status.code)
            body = try await response.body.collect(upTo: limit)
        } catch {
            throw RemoteError.from(error, host: endpoint.host, stallSeconds: Int(timeout.nanoseconds / 1_000_000_000))
        }
        let text = String(buffer: body)
        switch status {
        case 200: break
        case 401, 403:
            throw .unauthorized(
                host: endpoint.host, status: status, keyVariable: endpoint.keyVariable,
                message: RemoteStream.serverMessage(text))
        case 404:
            throw .noModels(
                host: endpoint.host,
                reason: "no /models at this URL (404); is it the API's base URL, such as http://host:8000/v1?")
        case 429: throw .rateLimited(host: endpoint.host, retryAfter: nil, message: RemoteStream.serverMessage(text))
        case 500...599:
            throw .serverError(host: endpoint.host, status: status, message: RemoteStream.serverMessage(text))
        default: throw .httpStatus(host: endpoint.host, status: status, message: RemoteStream.serverMessage(text))
        }
        return try models(in: text, host: endpoint.host)
    }

    /// The `data[]` of OpenAI's list object: each `id`, with its context where the server adds one.
    static func models(in text: String, host: String) throws(RemoteError) -> [RemoteModel] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            let data = object["data"] as? [[String: Any]]
        else { throw .noModels(host: host, reason: "/models did not answer an OpenAI model list") }
        return data.compactMap { entry in
            guard let id = entry["id"] as? String else { return nil }
            let meta = entry["meta"] as? [String: Any]
            return RemoteModel(id: id, contextLength: contextLength(entry["max_model_len"] ?? meta?["n_ctx"]))
        }
    }

    /// A context length the server reported, if it is a whole number of tokens in a sane range
    /// (a server that sends `0`, a string or 1e300 is treated as saying nothing).
    private static func contextLength(_ value: Any?) -> Int? {
        guard !(value is Bool), let number = value as? NSNumber else { return nil }
        let double = number.doubleValue
        guard double >= 1, double <= Double(1 << 30), double == double.rounded() else { return nil }
        return Int(double)
    }

    /// The models of `endpoint` (blocking; for the picker and `parley models`-style listings).
    public static func fetch(_ options: RemoteOptions) -> Result<[RemoteModel], RemoteError> {
        let client = RemoteSession.makeClient(options)
        defer { try? client.syncShutdown() }
        return RemoteSession.waitFor { () async throws(RemoteError) -> [RemoteModel] in
            try await fetch(options.endpoint, client: client)
        }
    }
}
