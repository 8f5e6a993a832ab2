import Foundation

/// Everything that can go wrong talking to a remote engine, each with the message the status
/// bar and `parley run` show. No case carries the API key.
public enum RemoteError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `--endpoint` is not an http(s) URL with a host.
    case invalidEndpoint(String)
    /// Nothing listens on the host's port.
    case connectionRefused(host: String)
    /// The host name does not resolve.
    case unknownHost(host: String)
    /// The TLS handshake failed (a certificate, or TLS spoken to a plain HTTP server).
    case tls(host: String, reason: String)
    /// Any other failure to reach the server.
    case unreachable(host: String, reason: String)
    /// 401 or 403: the key is missing, wrong or not allowed.
    case unauthorized(host: String, status: Int, keyVariable: String?, message: String?)
    /// 404: usually a model the server does not have, or an API it does not serve (`api`:
    /// "Chat Completion", or "Completion (POST /completions)" for a text to continue).
    case notFound(host: String, model: String, api: String, message: String?)
    /// 429, with the server's `Retry-After` if it sent one. Parley does not retry by itself.
    case rateLimited(host: String, retryAfter: String?, message: String?)
    /// 5xx.
    case serverError(host: String, status: Int, message: String?)
    /// Any other status that is not 200.
    case httpStatus(host: String, status: Int, message: String?)
    /// The server's stream broke the SSE or Chat Completion chunk format.
    case malformedStream(String)
    /// No bytes arrived for the stall timeout.
    case stalled(host: String, seconds: Int)
    /// The connection closed before the answer's end (`[DONE]` or a finish reason).
    case connectionLost(host: String)
    /// `/models` listed nothing, or answered something that is not a model list.
    case noModels(host: String, reason: String)

    public var description: String {
        switch self {
        case .invalidEndpoint(let url):
            return "'\(url)' is not an endpoint URL; give a base URL such as http://gpu-box:8000/v1"
        case .connectionRefused(let host):
            return "connection refused by \(host): is the server running?"
        case .unknownHost(let host):
            return "unknown host \(host)"
        case .tls(let host, let reason):
            return "TLS failure talking to \(host): \(reason)"
        case .unreachable(let host, let reason):
            return "cannot reach \(host): \(reason)"
        case .unauthorized(let host, let status, let variable, let message):
            let hint = variable.map { "check the key in $\($0)" } ?? "set PARLEY_API_KEY or use --api-key-env VAR"
            return "\(host) refused the API key (\(status))\(Self.detail(message)); \(hint)"
        case .notFound(let host, let model, let api, let message):
            return "\(host) has no model '\(model)' or no \(api) API at this URL (404)\(Self.detail(message))"
        case .rateLimited(let host, let retryAfter, let message):
            let wait = retryAfter.map { "; retry after \($0) s" } ?? ""
            return "rate limited by \(host) (429)\(Self.detail(message))\(wait)"
        case .serverError(let host, let status, let message):
            return "\(host) failed with server error \(status)\(Self.detail(message))"
        case .httpStatus(let host, let status, let message):
            return "\(host) answered HTTP \(status)\(Self.detail(message))"
        case .malformedStream(let reason):
            return "malformed stream from the server: \(reason)"
        case .stalled(let host, let seconds):
            return "\(host) sent nothing for \(seconds) s; the request was closed"
        case .connectionLost(let host):
            return "connection to \(host) lost mid-answer"
        case .noModels(let host, let reason):
            return "\(host) lists no model to use: \(reason)"
        }
    }

    private static func detail(_ message: String?) -> String {
        guard let message, !message.isEmpty else { return "" }
        return ": " + Self.clip(message)
    }

    /// A server's message as shown: one line, at most 200 characters.
    static func clip(_ text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return line.count > 200 ? String(line.prefix(199)) + "…" : line
    }
}
