import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// A loopback imitation of Hugging Face, as much of it as `parley pull` uses: the tree listing
/// (`/api/models/OWNER/REPO/tree/main`, paged with `Link`), `resolve/main/PATH` answering with a
/// 302 to a content URL and the LFS `X-Linked-Etag` / `X-Linked-Size` headers, and the content
/// URL itself with Range support. It counts what it serves and injects the faults a test asks
/// for. It listens on 127.0.0.1 only; the content URLs name `localhost`, another host name
/// for the same loopback server, so a test can see that the token does not follow a redirect.
final class FakeHub: @unchecked Sendable {
    struct File: Sendable {
        var path: String
        var bytes: [UInt8]
        var sha256: String { SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined() }
    }

    /// What the hub does wrong, on purpose.
    struct Faults: Sendable {
        /// Close the connection after this fraction of the body (once; then serve normally).
        var cutAt: Double?
        /// Report this sha256 in X-Linked-Etag instead of the real one (and leave it out of the listing).
        var wrongSHA256: String?
        /// After this many body bytes, send nothing for `stallFor`.
        var stallAfter: Int?
        var stallFor: Duration = .seconds(4)
        /// Answer `resolve` for every file with this status (404, 500, ...).
        var resolveStatus: HTTPResponse.Status?
        /// Entries per listing page (paging with `Link: <…>; rel="next"`).
        var pageSize = 1000
    }

    /// One request as the server saw it.
    struct Seen: Sendable {
        var method: String
        var path: String
        var host: String?
        var range: String?
        var authorization: String?
    }

    private let lock = NSLock()
    private var repos: [String: [File]] = [:]
    private var gated: [String: String] = [:]
    private var _faults = Faults()
    private var _seen: [Seen] = []
    private var _bodyBytesServed = 0
    private var _servedFrom: [Int: Int] = [:]
    private(set) var port = 0

    var faults: Faults {
        get { lock.withLock { _faults } }
        set { lock.withLock { _faults = newValue } }
    }
    var seen: [Seen] { lock.withLock { _seen } }
    /// Content bytes written to clients (what a resume must not send again).
    var bodyBytesServed: Int { lock.withLock { _bodyBytesServed } }
    /// Content bytes written by the responses that started at byte `offset` (a Range's start, 0
    /// without one); unlike the total, a response to an earlier client that wakes up late does
    /// not count here.
    func served(from offset: Int) -> Int { lock.withLock { _servedFrom[offset] ?? 0 } }
    var base: String { "http://127.0.0.1:\(port)" }

    func add(repo: String, files: [File], token: String? = nil) {
        lock.withLock {
            repos[repo] = files
            gated[repo] = token
        }
    }

    func resetCounters() {
        lock.withLock {
            _seen = []
            _bodyBytesServed = 0
            _servedFrom = [:]
        }
    }

    /// Runs the server for the length of `body`, then stops it.
    static func with<T: Sendable>(_ setUp: (FakeHub) -> Void, _ body: @Sendable (FakeHub) async throws -> T)
        async throws -> T
    {
        let hub = FakeHub()
        setUp(hub)
        let (started, continuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "fake-hub")
        logger.logLevel = .critical
        let app = Application(
            router: hub.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
            logger: logger)
        var configuration = ServiceGroupConfiguration(services: [.init(service: app)], logger: logger)
        configuration.maximumGracefulShutdownDuration = .seconds(2)
        let group = ServiceGroup(configuration: configuration)
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            for await port in started {
                hub.lock.withLock { hub.port = port }
                break
            }
            do {
                let result = try await body(hub)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }

    private func record(_ request: Request) {
        let seen = Seen(
            method: request.method.rawValue, path: request.uri.path, host: request.head.authority,
            range: request.headers[.range], authorization: request.headers[.authorization])
        lock.withLock { _seen.append(seen) }
    }

    private func allowed(_ repo: String, _ request: Request) -> Bool {
        lock.withLock { gated[repo] }.map { request.headers[.authorization] == "Bearer \($0)" } ?? true
    }

    private func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/api/models/{owner}/{repo}/tree/main") { request, context in
            self.record(request)
            let repo = try context.parameters.require("owner") + "/" + context.parameters.require("repo")
            guard let files = self.lock.withLock({ self.repos[repo] }) else {
                return Self.text(.unauthorized, "Repository not found")
            }
            guard self.allowed(repo, request) else { return Self.text(.unauthorized, "gated") }
            let faults = self.faults
            let start = request.uri.queryParameters.get("cursor").flatMap { Int($0) } ?? 0
            let page = Array(files.dropFirst(start).prefix(faults.pageSize))
            let entries: [[String: Any]] = page.map { file in
                var lfs: [String: Any] = ["size": file.bytes.count, "pointerSize": 134]
                if faults.wrongSHA256 == nil { lfs["oid"] = file.sha256 }
                return ["type": "file", "oid": "0000", "size": file.bytes.count, "path": file.path, "lfs": lfs]
            }
            var headers: HTTPFields = [.contentType: "application/json"]
            if start + page.count < files.count {
                headers[.init("Link")!] =
                    "<\(self.base)/api/models/\(repo)/tree/main?recursive=true&cursor=\(start + page.count)>; rel=\"next\""
            }
            let data = try JSONSerialization.data(withJSONObject: entries)
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
        }
        let resolve: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, context in
            self.record(request)
            let repo = try context.parameters.require("owner") + "/" + context.parameters.require("repo")
            let path = context.parameters.getCatchAll().joined(separator: "/")
            guard let files = self.lock.withLock({ self.repos[repo] }) else {
                return Self.text(.unauthorized, "Repository not found")
            }
            guard self.allowed(repo, request) else { return Self.text(.unauthorized, "gated") }
            if let status = self.faults.resolveStatus { return Self.text(status, "injected") }
            guard let file = files.first(where: { $0.path == path }) else {
                return Self.text(.notFound, "Entry not found")
            }
            return Response(
                status: .found,
                headers: [
                    .location: "http://localhost:\(self.port)/cdn/\(repo)/\(file.sha256)",
                    .init("X-Linked-Etag")!: "\"\(self.faults.wrongSHA256 ?? file.sha256)\"",
                    .init("X-Linked-Size")!: "\(file.bytes.count)",
                    .init("X-Repo-Commit")!: "0123456789abcdef0123456789abcdef01234567"
                ])
        }
        router.get("/{owner}/{repo}/resolve/main/**", use: resolve)
        router.head("/{owner}/{repo}/resolve/main/**", use: resolve)
        router.get("/cdn/{owner}/{repo}/{sha}") { request, context in
            self.record(request)
            let repo = try context.parameters.require("owner") + "/" + context.parameters.require("repo")
            let sha = try context.parameters.require("sha")
            guard let file = self.lock.withLock({ self.repos[repo]?.first { $0.sha256 == sha } }) else {
                return Self.text(.notFound, "no such object")
            }
            return self.content(file, range: request.headers[.range])
        }
        return router
    }

    /// The object's bytes, from the Range's start when there is one, with the faults applied.
    private func content(_ file: File, range: String?) -> Response {
        let total = file.bytes.count
        var start = 0
        var status = HTTPResponse.Status.ok
        var headers: HTTPFields = [.contentType: "application/octet-stream", .init("Accept-Ranges")!: "bytes"]
        if let range, range.hasPrefix("bytes="), range.hasSuffix("-"), let from = Int(range.dropFirst(6).dropLast()) {
            guard from < total else {
                return Response(status: .rangeNotSatisfiable, headers: [.contentRange: "bytes */\(total)"])
            }
            start = from
            status = .partialContent
            headers[.contentRange] = "bytes \(from)-\(total - 1)/\(total)"
        }
        let faults = lock.withLock { () -> Faults in
            let current = _faults
            _faults.cutAt = nil // a cut happens once
            return current
        }
        let cut = faults.cutAt.map { Int(Double(total) * $0) }
        let body = Array(file.bytes[start...])
        let offset = start
        return Response(
            status: status, headers: headers,
            body: ResponseBody(contentLength: body.count) { writer in
                var sent = 0
                let chunk = 16 << 10
                while sent < body.count {
                    var end = min(body.count, sent + chunk)
                    if let cut, offset + sent < cut { end = min(end, cut - offset) }
                    if let stall = faults.stallAfter, offset + sent < stall { end = min(end, stall - offset) }
                    try await writer.write(ByteBuffer(bytes: body[sent..<end]))
                    self.lock.withLock {
                        self._bodyBytesServed += end - sent
                        self._servedFrom[offset, default: 0] += end - sent
                    }
                    sent = end
                    if let cut, offset + sent == cut { throw CutConnection() }
                    if let stall = faults.stallAfter, offset + sent == stall {
                        try await Task.sleep(for: faults.stallFor)
                    }
                }
                try await writer.finish(nil)
            })
    }

    struct CutConnection: Error {}

    private static func text(_ status: HTTPResponse.Status, _ message: String) -> Response {
        Response(
            status: status, headers: [.contentType: "text/plain"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: message)))
    }
}
