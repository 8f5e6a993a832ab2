import Chat
import Foundation
import Hummingbird

/// Every way a request can fail, each with the HTTP status, OpenAI error `type` and `code` that
/// clients branch on. The body is always OpenAI's `{"error": {message, type, param, code}}`.
public enum ServerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Malformed JSON or a parameter outside its range: 400, naming the parameter.
    case invalidRequest(String, param: String?)
    /// A feature Parley does not have (tools, a JSON schema, images): 400, naming it.
    case unsupported(String, param: String)
    /// The prompt does not fit the context window: 400 `context_length_exceeded`, naming the
    /// field that holds it (`messages`, or `prompt` for `/v1/completions`).
    case contextLengthExceeded(String, param: String = "messages")
    /// Missing or wrong API key: 401.
    case unauthorized
    /// Unknown path: 404.
    case unknownPath(String)
    /// Unknown model id: 404.
    case modelNotFound(String)
    /// Wrong method on a known path: 405.
    case methodNotAllowed(String)
    /// A body over the limit: 413.
    case payloadTooLarge(limit: Int)
    /// Every slot busy and the queue full: 503 with `Retry-After`.
    case queueFull(retryAfterSeconds: Int)
    /// The server is shutting down: 503.
    case shuttingDown
    /// The engine failed: 500.
    case internalError(String)

    public var status: HTTPResponse.Status {
        switch self {
        case .invalidRequest, .unsupported, .contextLengthExceeded: return .badRequest
        case .unauthorized: return .unauthorized
        case .unknownPath, .modelNotFound: return .notFound
        case .methodNotAllowed: return .methodNotAllowed
        case .payloadTooLarge: return .contentTooLarge
        case .queueFull, .shuttingDown: return .serviceUnavailable
        case .internalError: return .internalServerError
        }
    }

    /// OpenAI's error `type`.
    public var type: String {
        switch self {
        case .invalidRequest, .unsupported, .contextLengthExceeded, .payloadTooLarge, .unknownPath,
            .modelNotFound, .methodNotAllowed:
            return "invalid_request_error"
        case .unauthorized: return "authentication_error"
        case .queueFull, .shuttingDown: return "server_overloaded"
        case .internalError: return "server_error"
        }
    }

    /// OpenAI's error `code`, where it has one.
    public var code: String? {
        switch self {
        case .invalidRequest, .internalError: return nil
        case .unsupported: return "unsupported_parameter"
        case .contextLengthExceeded: return "context_length_exceeded"
        case .unauthorized: return "invalid_api_key"
        case .unknownPath: return "unknown_url"
        case .modelNotFound: return "model_not_found"
        case .methodNotAllowed: return "method_not_allowed"
        case .payloadTooLarge: return "request_too_large"
        case .queueFull: return "queue_full"
        case .shuttingDown: return "shutting_down"
        }
    }

    public var param: String? {
        switch self {
        case .invalidRequest(_, let param): return param
        case .unsupported(_, let param): return param
        case .contextLengthExceeded(_, let param): return param
        case .modelNotFound: return "model"
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .invalidRequest(let message, _), .unsupported(let message, _), .contextLengthExceeded(let message, _),
            .internalError(let message):
            return message
        case .unauthorized: return "missing or incorrect API key; send it as 'Authorization: Bearer KEY'"
        case .unknownPath(let path): return "no endpoint at \(path)"
        case .modelNotFound(let model):
            return "the model '\(model)' does not exist; GET /v1/models lists the one served"
        case .methodNotAllowed(let path): return "\(path) does not take this method"
        case .payloadTooLarge(let limit): return "the request body is larger than \(limit) bytes"
        case .queueFull(let seconds): return "every slot is busy and the queue is full; retry in \(seconds) s"
        case .shuttingDown: return "the server is shutting down"
        }
    }

    /// `{"error": {...}}` as OpenAI writes it.
    public var body: JSONValue {
        .object([
            (
                "error",
                .object([
                    ("message", .string(description)),
                    ("type", .string(type)),
                    ("param", param.map(JSONValue.string) ?? .null),
                    ("code", code.map(JSONValue.string) ?? .null)
                ])
            )
        ])
    }

    /// A parameter error from `SamplingParameters.validate`, whose message starts with the
    /// parameter's name.
    static func parameter(_ error: ChatError) -> ServerError {
        let message = error.description
        let name = message.prefix { $0 != " " }
        return .invalidRequest(message, param: name.isEmpty ? nil : String(name))
    }
}
