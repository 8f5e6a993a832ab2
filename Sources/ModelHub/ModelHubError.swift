/// Everything that can go wrong fetching, listing or removing a model, each with a message a
/// person can act on. No case ever carries the Hugging Face token, and URLs are shown without
/// their query (a content URL's query is a signature).
public enum ModelHubError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The REF argument is not `owner/repo[:QUANT]` or `owner/repo/path/file.gguf`.
    case badReference(String, reason: String)
    /// `HF_ENDPOINT` is not an http(s) URL.
    case badEndpoint(String)
    /// The repository lists no file that fits the request; `available` names the GGUF files it has.
    case noMatchingFile(repo: String, wanted: String, available: [String])
    /// Several files fit the request.
    case ambiguous(repo: String, wanted: String, candidates: [String])
    /// 404: the repository or file does not exist.
    case notFound(String)
    /// 401 or 403: the repository is gated or private, or the token was refused.
    case unauthorized(repo: String, status: Int, tokenSet: Bool)
    /// Any other HTTP status that is not a success.
    case http(status: Int, url: String)
    /// The server's answer is not what Hugging Face sends (bad listing JSON, bad headers, too many redirects).
    case badResponse(String)
    /// The server reported no sha256 for the file, so it could not be verified.
    case noChecksum(String)
    /// The finished file's sha256 differs from the one the server reported; the file was deleted.
    case checksumMismatch(file: String, expected: String, actual: String)
    /// More or fewer bytes than announced.
    case sizeMismatch(file: String, expected: Int64, received: Int64)
    /// Not enough free space in the models folder.
    case notEnoughSpace(folder: String, needed: Int64, available: Int64)
    /// No byte arrived for `seconds`; the partial file is kept.
    case stalled(file: String, seconds: Int, kept: Int64)
    /// The connection failed or broke; the partial file is kept.
    case connection(file: String, reason: String, kept: Int64)
    /// Interrupted (Ctrl-C); the partial file is kept.
    case cancelled(file: String, kept: Int64)
    /// A local file operation failed.
    case io(path: String, reason: String)
    /// `parley rm NAME`: no installed model has that name.
    case notInstalled(String)

    public var description: String {
        switch self {
        case .badReference(let text, let reason):
            return
                "bad model reference '\(text)': \(reason) (expected owner/repo, owner/repo:QUANT or owner/repo/path/file.gguf)"
        case .badEndpoint(let value):
            return
                "HF_ENDPOINT must be an http:// or https:// URL (it is \(value.count) characters starting '\(value.prefix(8))')"
        case .noMatchingFile(let repo, let wanted, let available):
            let list = available.isEmpty ? "it has no GGUF file" : "its GGUF files: \(Self.list(available))"
            return "\(repo) has no GGUF file matching \(wanted); \(list)"
        case .ambiguous(let repo, let wanted, let candidates):
            return
                "several files in \(repo) match \(wanted): \(Self.list(candidates)); name one as owner/repo/path/file.gguf"
        case .notFound(let what):
            return "not found: \(what) (HTTP 404)"
        case .unauthorized(let repo, let status, let tokenSet):
            let hint =
                tokenSet
                ? "HF_TOKEN is set but was refused: check that the token is valid and has accepted the repository's terms"
                : "the repository may be gated or private: set HF_TOKEN to a Hugging Face access token that can read it"
            return "access to \(repo) denied (HTTP \(status)); \(hint)"
        case .http(let status, let url):
            return "HTTP \(status) from \(url)"
        case .badResponse(let reason):
            return "unexpected answer from the server: \(reason)"
        case .noChecksum(let file):
            return
                "the server reported no sha256 for \(file) (no X-Linked-Etag), so it cannot be verified; nothing was installed"
        case .checksumMismatch(let file, let expected, let actual):
            return
                "\(file) is corrupt: its sha256 is \(actual), the server said \(expected); the download was deleted and nothing was installed"
        case .sizeMismatch(let file, let expected, let received):
            return "\(file): the server sent \(received) bytes, expected \(expected); nothing was installed"
        case .notEnoughSpace(let folder, let needed, let available):
            return "not enough disk space in \(folder): the download needs \(ByteFormat.string(needed)), "
                + "\(ByteFormat.string(available)) is free; nothing was downloaded"
        case .stalled(let file, let seconds, let kept):
            return "the server sent nothing for \(seconds) s while downloading \(file); \(Self.kept(kept))"
        case .connection(let file, let reason, let kept):
            return "download of \(file) failed: \(reason); \(Self.kept(kept))"
        case .cancelled(let file, let kept):
            return "interrupted while downloading \(file); \(Self.kept(kept))"
        case .io(let path, let reason):
            return "\(path): \(reason)"
        case .notInstalled(let name):
            return "no installed model named '\(name)' (see `parley models`)"
        }
    }

    private static func kept(_ bytes: Int64) -> String {
        bytes > 0
            ? "the \(ByteFormat.string(bytes)) received are kept: run the same command again to resume; nothing was installed"
            : "nothing was installed"
    }

    private static func list(_ names: [String]) -> String {
        names.count <= 12
            ? names.joined(separator: ", ") : names.prefix(12).joined(separator: ", ") + ", … (\(names.count) in all)"
    }
}
