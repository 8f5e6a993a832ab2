import Foundation
import Hummingbird
import Logging

/// Wraps every route: checks the API key, turns every error into OpenAI's error body, counts
/// the request in `/metrics` and logs one line when its response has been written.
struct APIMiddleware: RouterMiddleware {
    typealias Context = ServerContext

    let apiKey: String?
    let metrics: ServerMetrics
    let logger: Logger

    /// Paths open without a key: liveness checks and scrapers.
    static let publicPaths: Set<String> = ["/health", "/metrics"]

    func handle(
        _ request: Request, context: ServerContext,
        next: (Request, ServerContext) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        let path = request.uri.path
        var response: Response
        do {
            try authorize(request, path: path)
            response = try await next(request, context)
        } catch {
            response = Self.errorResponse(Self.serverError(error, path: path))
        }
        let status = response.status.code
        let method = request.method.rawValue
        let stats = context.stats
        let (metrics, logger) = (metrics, logger)
        let body = response.body
        // Logged after the body is written, so a stream's tokens and duration are its own.
        response.body = ResponseBody(contentLength: body.contentLength) { writer in
            defer {
                let tokens = stats.tokens
                let elapsed = ContinuousClock.now - start
                metrics.request(path: path, status: status)
                logger.info(
                    "\(method) \(path) \(status)",
                    metadata: [
                        "prompt_tokens": "\(tokens.prompt)", "completion_tokens": "\(tokens.completion)",
                        "latency_ms":
                            "\(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)"
                    ])
            }
            try await body.write(writer)
        }
        return response
    }

    private func authorize(_ request: Request, path: String) throws(ServerError) {
        guard let apiKey, !Self.publicPaths.contains(path) else { return }
        let header = request.headers[.authorization] ?? ""
        let prefix = "Bearer "
        let given = header.hasPrefix(prefix) ? Array(header.utf8.dropFirst(prefix.utf8.count)) : []
        guard ConstantTime.equal(given, Array(apiKey.utf8)) else { throw .unauthorized }
    }

    /// Any error as a `ServerError`: Hummingbird's own (404 for no route, 413 from the body
    /// limit) keep their status.
    static func serverError(_ error: any Error, path: String) -> ServerError {
        if let error = error as? ServerError { return error }
        if let error = error as? HTTPError {
            switch error.status {
            case .notFound: return .unknownPath(path)
            case .contentTooLarge: return .payloadTooLarge(limit: ParleyServer.Configuration.defaultMaxBodyBytes)
            case .methodNotAllowed: return .methodNotAllowed(path)
            default: return .invalidRequest(error.body ?? "bad request", param: nil)
            }
        }
        return .internalError("internal error: \(error)")
    }

    static func errorResponse(_ error: ServerError) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        if case .queueFull(let seconds) = error { headers[.retryAfter] = String(seconds) }
        return Response(
            status: error.status, headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(string: error.body.serialized + "\n")))
    }
}
