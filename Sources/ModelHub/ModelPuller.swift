import AsyncHTTPClient
import Foundation
import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// `parley pull`: finds the model a reference names, checks the disk, downloads every file
/// (resuming what an earlier attempt kept), verifies each, and only then moves them into the
/// models folder, the first part last, so the folder never shows a model that is not whole.
///
/// Cancel the task that runs `pull` to stop it (Ctrl-C in the CLI, Esc in an app): the bytes
/// received stay in `models/.partial` and the next pull of the same file resumes from them.
public struct ModelPuller: Sendable {
    /// What the bytes of a pull are checked against before it starts.
    public typealias FreeSpace = @Sendable (String) -> Int64?

    public let endpoint: HubEndpoint
    public let modelsFolder: URL
    /// Seconds without a byte before a download is called stalled.
    public let stallSeconds: Int
    let freeSpace: FreeSpace

    public init(
        endpoint: HubEndpoint, modelsFolder: URL, stallSeconds: Int = 60,
        freeSpace: @escaping FreeSpace = { DiskSpace.available(at: $0) }
    ) {
        self.endpoint = endpoint
        self.modelsFolder = modelsFolder
        self.stallSeconds = max(1, stallSeconds)
        self.freeSpace = freeSpace
    }

    /// The folder for downloads in progress (inside the models folder: same file system).
    public var partialFolder: URL { modelsFolder.appendingPathComponent(".partial", isDirectory: true) }

    /// What a finished pull did.
    public struct Result: Sendable, Equatable {
        /// Every file of the model in the models folder, first part first.
        public var paths: [String]
        /// True when the model was there already and nothing was downloaded.
        public var alreadyInstalled: Bool
    }

    public func pull(
        _ reference: ModelReference,
        report: @escaping @Sendable (PullEvent) -> Void = { _ in }
    ) async throws(ModelHubError) -> Result {
        do {
            try FileManager.default.createDirectory(at: partialFolder, withIntermediateDirectories: true)
        } catch {
            throw .io(path: partialFolder.path, reason: "cannot create the folder: \(error.localizedDescription)")
        }
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .seconds(30), read: .seconds(Int64(stallSeconds)))
        let http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        let outcome: Swift.Result<Result, ModelHubError>
        do throws(ModelHubError) {
            outcome = .success(try await pull(reference, http: http, report: report))
        } catch {
            outcome = .failure(error)
        }
        try? await http.shutdown()
        return try outcome.get()
    }

    private func pull(
        _ reference: ModelReference, http: HTTPClient,
        report: @escaping @Sendable (PullEvent) -> Void
    ) async throws(ModelHubError) -> Result {
        let client = HubClient(endpoint: endpoint, http: http, stallSeconds: stallSeconds)
        report(.listing(repo: reference.repoID))
        let listing = try await client.listFiles(repoID: reference.repoID)
        let files = try ModelSelection.choose(reference.selector, from: listing, repo: reference.repoID)
        let destinations = files.map { modelsFolder.appendingPathComponent($0.fileName).path }
        if destinations.allSatisfy({ FileManager.default.fileExists(atPath: $0) }) {
            return Result(paths: destinations, alreadyInstalled: true)
        }
        let downloader = FileDownloader(client: client, repoID: reference.repoID)
        var plans: [FileDownloader.Plan] = []
        for file in files { plans.append(try await downloader.plan(file, partialFolder: partialFolder)) }
        let needed = plans.reduce(Int64(0)) { $0 + $1.size - $1.have }
        if let available = freeSpace(modelsFolder.path), available < needed {
            throw .notEnoughSpace(folder: modelsFolder.path, needed: needed, available: available)
        }
        report(
            .planned(
                files: files.map(\.fileName), totalBytes: plans.reduce(0) { $0 + $1.size },
                alreadyHave: plans.reduce(0) { $0 + $1.have }))
        var verified: [String] = []
        for (index, plan) in plans.enumerated() {
            try checkCancelled(file: plan.file.fileName, kept: plan.have)
            verified.append(try await downloader.fetch(plan, number: index + 1, count: plans.count, report: report))
        }
        // Later parts first: the loader and the catalog see a split model by its first part.
        for index in verified.indices.reversed() {
            try install(verified[index], as: destinations[index])
            plans[index].partial.discard()
        }
        syncFolder(modelsFolder.path)
        report(.installed(paths: destinations))
        return Result(paths: destinations, alreadyInstalled: false)
    }

    /// rename(2): atomic, and the partial folder is on the models folder's file system.
    private func install(_ source: String, as destination: String) throws(ModelHubError) {
        guard rename(source, destination) == 0 else {
            throw .io(
                path: destination,
                reason: "cannot move the verified download into place: \(String(cString: strerror(errno)))")
        }
    }

    /// Makes the renames durable.
    private func syncFolder(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }
}

/// Throws `.cancelled` when the pull's task has been cancelled.
func checkCancelled(file: String, kept: Int64) throws(ModelHubError) {
    if Task.isCancelled { throw .cancelled(file: file, kept: kept) }
}
