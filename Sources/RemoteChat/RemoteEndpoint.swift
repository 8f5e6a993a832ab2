import Foundation

/// Where a remote engine is: an OpenAI-compatible base URL (`http://gpu-box:8000/v1`), the
/// model to ask for, and the key, which lives only in memory and in the request's header.
public struct RemoteEndpoint: Sendable, Equatable {
    /// The base URL without a trailing slash; `/chat/completions` and `/models` go after it.
    public var baseURL: String
    /// `host` or `host:port`, for messages and transcripts (never the path or the key).
    public var host: String
    /// The API key, when one is set.
    public var apiKey: String?
    /// The environment variable the key came from (named in a 401's message).
    public var keyVariable: String?

    /// The variables tried for the key when `--api-key-env` is not given, in order.
    public static let defaultKeyVariables = ["PARLEY_API_KEY", "OPENAI_API_KEY"]

    /// Parses `url` and takes the key from `keyVariable`, or else the first of
    /// `defaultKeyVariables` that is set and not empty.
    public init(
        url: String, keyVariable: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(RemoteError) {
        var trimmed = url.trimmingCharacters(in: .whitespaces)
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let components = URLComponents(string: trimmed),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let hostName = components.host, !hostName.isEmpty,
            components.user == nil, components.password == nil, components.query == nil, components.fragment == nil
        else { throw .invalidEndpoint(url) }
        baseURL = trimmed
        let shownHost = hostName.contains(":") ? "[\(hostName)]" : hostName
        host = components.port.map { "\(shownHost):\($0)" } ?? shownHost
        let candidates = keyVariable.map { [$0] } ?? Self.defaultKeyVariables
        self.keyVariable = keyVariable
        apiKey = nil
        for name in candidates {
            if let value = environment[name], !value.isEmpty {
                apiKey = value
                self.keyVariable = name
                break
            }
        }
    }

    var chatCompletionsURL: String { baseURL + "/chat/completions" }
    var completionsURL: String { baseURL + "/completions" }
    var modelsURL: String { baseURL + "/models" }
}
