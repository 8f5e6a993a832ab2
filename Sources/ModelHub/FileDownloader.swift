import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore

/// Downloads one file into its partial file, resuming with a Range request, hashing as it
/// writes, and checking size and sha256 at the end. A file that fails the check is deleted; a
/// broken, stalled or interrupted download keeps its bytes for the next attempt.
struct FileDownloader {
    let client: HubClient
    let repoID: String

    /// One file, resolved: where to fetch it from and what it must be.
    struct Plan {
        var file: RepositoryFile
        var contentURL: String
        var sha256: String
        var size: Int64
        var partial: PartialDownload
        /// Bytes kept from an earlier attempt.
        var have: Int64
    }

    /// Asks the server for the file's sha256 and size and finds what an earlier attempt left.
    func plan(_ file: RepositoryFile, partialFolder: URL) async throws(ModelHubError) -> Plan {
        let meta = try await client.metadata(repoID: repoID, path: file.path)
        if let listed = file.sha256, let reported = meta.sha256, listed != reported {
            throw .badResponse("the listing says \(file.path) has sha256 \(listed), the download says \(reported)")
        }
        guard let sha = meta.sha256 ?? file.sha256 else { throw .noChecksum(file.path) }
        guard let size = meta.size ?? file.size, size >= 0 else {
            throw .badResponse("no size reported for \(file.path)")
        }
        if let listed = file.size, listed != size {
            throw .badResponse("the listing says \(file.path) has \(listed) bytes, the download says \(size)")
        }
        let partial = PartialDownload(
            folder: partialFolder, fileName: file.fileName,
            stamp: .init(sha256: sha, size: size, source: "\(repoID)/\(file.path)"))
        return Plan(
            file: file, contentURL: meta.contentURL, sha256: sha, size: size, partial: partial,
            have: partial.existingBytes())
    }

    /// Fetches the rest of the file and verifies it; returns the path of the verified partial file.
    func fetch(_ plan: Plan, number: Int, count: Int, report: @Sendable (PullEvent) -> Void) async throws(ModelHubError)
        -> String
    {
        let name = plan.file.fileName
        var have = plan.have
        try plan.partial.writeStamp()
        var hasher = try plan.partial.hashExisting(have)
        if have < plan.size {
            let response = try await client.content(url: plan.contentURL, from: have, repoID: repoID, file: name)
            switch response.status.code {
            case 206:
                guard Self.rangeStart(response.headers["Content-Range"].first) == have else {
                    throw .badResponse("the server answered the Range request for \(name) with a different range")
                }
            case 416:
                throw .badResponse("the server refused to resume \(name) at byte \(have) (HTTP 416)")
            default:
                // 200: the server ignored the Range; start again from the first byte.
                have = 0
                hasher = SHA256()
            }
            let output = try plan.partial.openForAppend(keeping: have)
            defer { output.close() }
            let resumedFrom = have
            let start = ContinuousClock.now
            do {
                for try await buffer in response.body {
                    let count64 = Int64(buffer.readableBytes)
                    guard have + count64 <= plan.size else {
                        throw ModelHubError.sizeMismatch(file: name, expected: plan.size, received: have + count64)
                    }
                    try buffer.withUnsafeReadableBytes { bytes throws(ModelHubError) in
                        try output.write(bytes)
                        hasher.update(bufferPointer: bytes)
                    }
                    have += count64
                    let elapsed = start.duration(to: .now)
                    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
                    report(
                        .progress(
                            PullProgress(
                                file: name, fileNumber: number, fileCount: count, received: have,
                                total: plan.size, resumedFrom: resumedFrom, elapsed: seconds)))
                }
            } catch let error as ModelHubError {
                if case .sizeMismatch = error { plan.partial.discard() }
                throw error
            } catch {
                throw HubClient.transportError(error, file: name, kept: have, stallSeconds: client.stallSeconds)
            }
            try output.sync()
            guard have == plan.size else {
                throw .connection(
                    file: name, reason: "the connection ended after \(have) of \(plan.size) bytes", kept: have)
            }
        }
        let actual = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        guard actual == plan.sha256 else {
            plan.partial.discard()
            throw .checksumMismatch(file: name, expected: plan.sha256, actual: actual)
        }
        report(.verified(file: name))
        return plan.partial.path
    }

    /// The first byte of `Content-Range: bytes START-END/TOTAL`.
    static func rangeStart(_ header: String?) -> Int64? {
        guard let header, header.hasPrefix("bytes ") else { return nil }
        return header.dropFirst(6).split(separator: "-").first.flatMap { Int64($0) }
    }
}
