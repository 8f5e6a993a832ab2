import Foundation

/// Where Hugging Face is and who we are to it: `HF_ENDPOINT` (default `https://huggingface.co`,
/// as `huggingface_hub` reads it) and `HF_TOKEN`.
///
/// The token is sent only to the endpoint's own scheme, host and port, never to the content
/// server a download is redirected to (its URL is signed already), and it is never printed:
/// `description` leaves it out, and no error carries it.
public struct HubEndpoint: Sendable, CustomStringConvertible {
    public static let defaultBase = "https://huggingface.co"

    /// The base URL without a trailing `/`.
    public let base: String
    let token: String?

    public var hasToken: Bool { token != nil }
    public var description: String { "\(base) (\(hasToken ? "with" : "without") HF_TOKEN)" }

    public init(base: String = HubEndpoint.defaultBase, token: String? = nil) throws(ModelHubError) {
        var base = base
        while base.hasSuffix("/") { base.removeLast() }
        guard let url = URL(string: base), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            url.host?.isEmpty == false, url.query == nil, url.user == nil
        else { throw .badEndpoint(base) }
        self.base = base
        self.token = token.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// From `HF_ENDPOINT` and `HF_TOKEN`.
    public init(environment: [String: String]) throws(ModelHubError) {
        let base = environment["HF_ENDPOINT"].flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultBase
        try self.init(base: base, token: environment["HF_TOKEN"])
    }

    /// The repository's recursive file listing (Hugging Face's tree API).
    func listingURL(repoID: String) -> String {
        "\(base)/api/models/\(repoID)/tree/main?recursive=true"
    }

    /// The download URL of one file (`resolve/main`), each path segment percent-encoded.
    func resolveURL(repoID: String, path: String) -> String {
        let encoded = path.split(separator: "/").map {
            String($0).addingPercentEncoding(withAllowedCharacters: Self.segmentCharacters) ?? String($0)
        }
        return "\(base)/\(repoID)/resolve/main/\(encoded.joined(separator: "/"))"
    }

    /// The `Authorization` header value for `url`, or nil when the token must not go there.
    func authorization(for url: String) -> String? {
        guard let token, let target = URL(string: url), let own = URL(string: base),
            target.scheme?.lowercased() == own.scheme?.lowercased(),
            target.host?.lowercased() == own.host?.lowercased(),
            target.port == own.port
        else { return nil }
        return "Bearer \(token)"
    }

    private static let segmentCharacters: CharacterSet = {
        // ASCII only: `alphanumerics` would let non-ASCII letters through unencoded.
        CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
    }()
}

/// A URL as it may be shown: without its query (a content URL's query is a signature).
func displayURL(_ url: String) -> String {
    url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? url
}
