import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The three calls Parley makes to Hugging Face, over async-http-client: the repository's file
/// listing, a file's metadata (`X-Linked-Etag`, `X-Linked-Size` on the `resolve/main` redirect,
/// as `huggingface_hub` reads them), and the content, from a byte offset.
///
/// Redirects are followed here, by hand (at most `maxRedirects`), so that the metadata on the
/// redirect itself can be read and the token goes only to the endpoint's own host. A server that
/// sends nothing for `stallTimeout` seconds ends the request (the client's read timeout).
struct HubClient: Sendable {
    static let maxRedirects = 5
    /// One listing page larger than this is refused (Hugging Face's pages are ~1,000 entries).
    static let maxListingBytes = 32 << 20
    static let maxListingPages = 100
    static let userAgent = "parley"

    let endpoint: HubEndpoint
    let http: HTTPClient
    let stallSeconds: Int

    /// Every file of `repoID`'s main branch, following the listing's `Link: <…>; rel="next"` pages.
    func listFiles(repoID: String) async throws(ModelHubError) -> [RepositoryFile] {
        var url: String? = endpoint.listingURL(repoID: repoID)
        var files: [RepositoryFile] = []
        var pages = 0
        while let next = url {
            pages += 1
            guard pages <= Self.maxListingPages else {
                throw .badResponse("the file listing has more than \(Self.maxListingPages) pages")
            }
            let response = try await send(.GET, next, repoID: repoID, file: repoID, kept: 0)
            try await check(response, url: next, repoID: repoID, what: "repository \(repoID)")
            let body: ByteBuffer
            do { body = try await response.body.collect(upTo: Self.maxListingBytes) } catch {
                throw Self.transportError(error, file: "the listing of \(repoID)", kept: 0, stallSeconds: stallSeconds)
            }
            files += try RepositoryFile.decodeListing(Data(body.readableBytesView))
            url = Self.nextPage(response.headers["Link"].first)
        }
        return files
    }

    /// What the server says about one file before it is downloaded.
    struct FileMetadata: Sendable {
        var sha256: String?
        var size: Int64?
        /// Where the bytes are (the redirect's target, or the resolve URL itself).
        var contentURL: String
    }

    /// `HEAD resolve/main/PATH` without following the content redirect: Hugging Face puts the LFS
    /// sha256 and size on the redirect. Relative redirects (a renamed repository) are followed.
    func metadata(repoID: String, path: String) async throws(ModelHubError) -> FileMetadata {
        var url = endpoint.resolveURL(repoID: repoID, path: path)
        for _ in 0...Self.maxRedirects {
            let response = try await send(.HEAD, url, repoID: repoID, file: path, kept: 0)
            try await check(response, url: url, repoID: repoID, what: "\(path) in \(repoID)")
            let headers = response.headers
            let sha = headers["X-Linked-Etag"].first.flatMap(normalizedSHA256)
            let size = (headers["X-Linked-Size"].first ?? headers["Content-Length"].first).flatMap { Int64($0) }
            guard Self.isRedirect(response.status) else {
                return FileMetadata(sha256: sha, size: size, contentURL: url)
            }
            let target = try redirectTarget(response, from: url)
            if sha != nil { return FileMetadata(sha256: sha, size: size, contentURL: target) }
            url = target
        }
        throw .badResponse("more than \(Self.maxRedirects) redirects for \(path)")
    }

    /// `GET url` with `Range: bytes=offset-` when resuming, following redirects. The caller reads
    /// the body; statuses other than 200, 206 and 416 are errors here.
    func content(url start: String, from offset: Int64, repoID: String, file: String) async throws(ModelHubError)
        -> HTTPClientResponse
    {
        var url = start
        for _ in 0...Self.maxRedirects {
            let response = try await send(
                .GET, url, repoID: repoID, file: file, kept: offset,
                range: offset > 0 ? "bytes=\(offset)-" : nil, deadline: .distantFuture)
            if Self.isRedirect(response.status) {
                url = try redirectTarget(response, from: url)
                continue
            }
            if response.status == .rangeNotSatisfiable { return response }
            try await check(response, url: url, repoID: repoID, what: "\(file) in \(repoID)")
            return response
        }
        throw .badResponse("more than \(Self.maxRedirects) redirects for \(file)")
    }

    private func send(
        _ method: HTTPMethod, _ url: String, repoID: String, file: String, kept: Int64, range: String? = nil,
        deadline: NIODeadline = .now() + .minutes(5)
    ) async throws(ModelHubError) -> HTTPClientResponse {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "User-Agent", value: Self.userAgent)
        if let authorization = endpoint.authorization(for: url) {
            request.headers.add(name: "Authorization", value: authorization)
        }
        if let range { request.headers.add(name: "Range", value: range) }
        do { return try await http.execute(request, deadline: deadline) } catch {
            throw Self.transportError(error, file: file, kept: kept, stallSeconds: stallSeconds)
        }
    }

    /// Maps a non-success status to its error, after draining a little of the body so the
    /// connection can be reused.
    private func check(_ response: HTTPClientResponse, url: String, repoID: String, what: String)
        async throws(ModelHubError)
    {
        let code = Int(response.status.code)
        guard !(200..<400).contains(code) else { return }
        _ = try? await response.body.collect(upTo: 64 << 10)
        switch code {
        case 401, 403: throw .unauthorized(repo: repoID, status: code, tokenSet: endpoint.hasToken)
        case 404: throw .notFound(what)
        default: throw .http(status: code, url: displayURL(url))
        }
    }

    private func redirectTarget(_ response: HTTPClientResponse, from url: String) throws(ModelHubError) -> String {
        guard let location = response.headers["Location"].first, let base = URL(string: url),
            let target = URL(string: location, relativeTo: base)?.absoluteURL,
            let scheme = target.scheme?.lowercased(), scheme == "http" || scheme == "https"
        else { throw .badResponse("a redirect from \(displayURL(url)) without a usable http(s) Location") }
        return target.absoluteString
    }

    static func isRedirect(_ status: HTTPResponseStatus) -> Bool {
        [301, 302, 303, 307, 308].contains(status.code)
    }

    /// The `rel="next"` URL of a `Link` header, if any.
    static func nextPage(_ link: String?) -> String? {
        guard let link else { return nil }
        for part in link.split(separator: ",") where part.contains("rel=\"next\"") {
            guard let open = part.firstIndex(of: "<"), let close = part.firstIndex(of: ">"), open < close else {
                continue
            }
            return String(part[part.index(after: open)..<close])
        }
        return nil
    }

    /// A transport failure as the person should read it; a stall and Ctrl-C have their own cases.
    static func transportError(_ error: any Error, file: String, kept: Int64, stallSeconds: Int) -> ModelHubError {
        if let hub = error as? ModelHubError { return hub }
        if error is CancellationError { return .cancelled(file: file, kept: kept) }
        if let client = error as? HTTPClientError {
            switch client {
            case .readTimeout: return .stalled(file: file, seconds: stallSeconds, kept: kept)
            case .cancelled: return .cancelled(file: file, kept: kept)
            case .connectTimeout: return .connection(file: file, reason: "connecting timed out", kept: kept)
            case .remoteConnectionClosed:
                return .connection(file: file, reason: "the server closed the connection", kept: kept)
            default: break
            }
        }
        return .connection(file: file, reason: String(describing: error), kept: kept)
    }
}
