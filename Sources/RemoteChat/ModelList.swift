import AsyncHTTPClient
import Foundation
import NIOCore

/// `GET /models`: the model ids a server offers, in its order.
public enum ModelList {
    /// The most bytes of a model list read (a server with thousands of models fits easily).
    static let limit = 4 << 20

    static func fetch(_ endpoint: RemoteEndpoint, client: HTTPClient) async throws(RemoteError) -> [String] {
        var request = HTTPClientRequest(url: endpoint.modelsURL)
        if let key = endpoint.apiKey { request.headers.add(name: "Authorization", value: "Bearer \(key)") }
        let body: ByteBuffer
        let status: Int
        do {
            let response = try await client.execute(request, timeout: .seconds(30))
            status = Int(response.status.code)
            body = try await response.body.collect(upTo: limit)
        } catch {
            throw RemoteError.from(error, host: endpoint.host, stallSeconds: 30)
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
        return try ids(in: text, host: endpoint.host)
    }

    /// The `data[].id` of OpenAI's list object.
    static func ids(in text: String, host: String) throws(RemoteError) -> [String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            let data = object["data"] as? [[String: Any]]
        else { throw .noModels(host: host, reason: "/models did not answer an OpenAI model list") }
        return data.compactMap { $0["id"] as? String }
    }

    /// The models of `endpoint` (blocking; for the picker and `parley models`-style listings).
    public static func fetch(_ options: RemoteOptions) -> Result<[String], RemoteError> {
        let client = RemoteSession.makeClient(options)
        defer { try? client.syncShutdown() }
        return RemoteSession.waitFor { () async throws(RemoteError) -> [String] in
            try await fetch(options.endpoint, client: client)
        }
    }
}
