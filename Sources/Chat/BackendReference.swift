/// Which backend wrote an answer, as its transcript record keeps it: a local GGUF by its file
/// name and header fingerprint, or a remote server by host and model id. Never a URL path,
/// query or key: only what identifies the model.
public enum BackendReference: Codable, Sendable, Equatable {
    case local(model: String, sha256: String)
    case remote(host: String, model: String)

    /// `local` or `remote`, as the transcript writes it.
    public var kind: String {
        switch self {
        case .local: return "local"
        case .remote: return "remote"
        }
    }

    /// The model's name: the GGUF file, or the server's model id.
    public var model: String {
        switch self {
        case .local(let model, _), .remote(_, let model): return model
        }
    }

    /// Where it runs, for the status bar: "local", or the host.
    public var location: String {
        switch self {
        case .local: return "local"
        case .remote(let host, _): return host
        }
    }

    enum CodingKeys: String, CodingKey { case type, model, sha256, host }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let type = try c.decode(String.self, forKey: .type)
        switch type {
        case "local":
            self = .local(
                model: try c.decode(String.self, forKey: .model), sha256: try c.decode(String.self, forKey: .sha256))
        case "remote":
            self = .remote(
                host: try c.decode(String.self, forKey: .host), model: try c.decode(String.self, forKey: .model))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: c, debugDescription: "backend type must be 'local' or 'remote', got '\(type)'")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .type)
        switch self {
        case .local(let model, let sha256):
            try c.encode(model, forKey: .model)
            try c.encode(sha256, forKey: .sha256)
        case .remote(let host, let model):
            try c.encode(host, forKey: .host)
            try c.encode(model, forKey: .model)
        }
    }
}
