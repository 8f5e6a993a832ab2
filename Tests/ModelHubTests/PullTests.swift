import Foundation
import GGUF
import ModelHub
import TestSupport
import Testing

/// `parley pull`'s acceptance, against the loopback imitation of Hugging Face (`FakeHub`)
/// serving a real GGUF file (the generated tiny llama). Nothing here leaves 127.0.0.1.
@Suite(.serialized, .requires([.syntheticLlamaSPM])) struct PullTests {
    static let repo = "tester/tiny-llama-GGUF"
    static let fileName = "tiny-llama-Q8_0.gguf"

    static func setUp(_ hub: FakeHub) {
        let bytes = (try? PullFixtures.model) ?? []
        hub.add(
            repo: repo,
            files: [
                .init(path: "README.md", bytes: Array("# tiny llama\n".utf8)),
                .init(path: fileName, bytes: bytes),
                .init(path: "mmproj-tiny-llama-Q8_0.gguf", bytes: Array(bytes.prefix(4096)))
            ])
    }

    @Test func pullInstallsTheFileVerifiedAndTheCatalogListsIt() async throws {
        let source = try PullFixtures.model
        let folder = PullFixtures.temporaryFolder()
        try await FakeHub.with(Self.setUp) { hub in
            let events = EventLog()
            let result = try await PullFixtures.puller(hub, folder: folder, token: "hf_secret_should_not_travel")
                .pull(ModelReference(parsing: "\(Self.repo):Q8_0")) { events.append($0) }
            #expect(result.alreadyInstalled == false)
            #expect(result.paths == [folder.appendingPathComponent(Self.fileName).path])
            #expect(try PullFixtures.sha256(file: result.paths[0]) == PullFixtures.sha256(source))
            #expect(PullFixtures.models(in: folder) == [Self.fileName])
            // The content server (another host name) never got the token; the hub did.
            let content = hub.seen.filter { $0.path.hasPrefix("/cdn/") }
            #expect(!content.isEmpty && content.allSatisfy { $0.authorization == nil })
            #expect(
                hub.seen.contains {
                    $0.path.contains("/resolve/main/") && $0.authorization == "Bearer hf_secret_should_not_travel"
                })
            #expect(hub.bodyBytesServed == source.count)
            #expect(events.all.contains(.verified(file: Self.fileName)))
            #expect(events.progress.last?.received == Int64(source.count))

            let models = ModelCatalog(folder: folder).installed()
            #expect(models.map(\.name) == ["tiny-llama-Q8_0"])
            #expect(models.first?.architecture == "llama")
            #expect(models.first?.sizeBytes == Int64(source.count))
            #expect(models.first?.parameters ?? 0 > 200_000)

            // A second pull finds it installed and downloads nothing.
            hub.resetCounters()
            let again = try await PullFixtures.puller(hub, folder: folder).pull(
                ModelReference(parsing: "\(Self.repo):Q8_0"))
            #expect(again.alreadyInstalled)
            #expect(hub.bodyBytesServed == 0)
        }
    }

    @Test func aCutAt40PercentResumesWithARangeAndFetchesOnlyTheRest() async throws {
        let source = try PullFixtures.model
        let folder = PullFixtures.temporaryFolder()
        try await FakeHub.with(Self.setUp) { hub in
            hub.faults.cutAt = 0.4
            let reference = try ModelReference(parsing: "\(Self.repo)/\(Self.fileName)")
            var kept: Int64 = 0
            do {
                _ = try await PullFixtures.puller(hub, folder: folder).pull(reference)
                Issue.record("the cut pull succeeded")
            } catch let error as ModelHubError {
                guard case .connection(_, _, let bytes) = error else { throw error }
                kept = bytes
                #expect(error.description.contains("run the same command again to resume"), "\(error)")
            }
            // The server wrote 40% before closing; what was still in flight when it closed is lost,
            // so the client keeps at most that much, and the resume must start exactly there.
            let cut = Int(Double(source.count) * 0.4)
            #expect(hub.bodyBytesServed == cut)
            #expect(kept > 0 && kept <= Int64(cut), "kept \(kept) of the \(cut) bytes sent before the cut")
            #expect(PullFixtures.models(in: folder).isEmpty, "a broken download must not appear as a model")

            hub.resetCounters()
            let result = try await PullFixtures.puller(hub, folder: folder).pull(reference)
            #expect(try PullFixtures.sha256(file: result.paths[0]) == PullFixtures.sha256(source))
            let ranges = hub.seen.filter { $0.path.hasPrefix("/cdn/") }.map(\.range)
            #expect(ranges == ["bytes=\(kept)-"])
            #expect(hub.bodyBytesServed == source.count - Int(kept), "the resume served \(hub.bodyBytesServed) bytes")
            print(
                "resume: \(kept) bytes kept after the cut, \(hub.bodyBytesServed) served on resume, \(source.count) in all"
            )
        }
    }

    @Test func aWrongHashInstallsNothingAndSaysWhy() async throws {
        let folder = PullFixtures.temporaryFolder()
        try await FakeHub.with(Self.setUp) { hub in
            hub.faults.wrongSHA256 = String(repeating: "ab", count: 32)
            do {
                _ = try await PullFixtures.puller(hub, folder: folder).pull(
                    ModelReference(parsing: "\(Self.repo):Q8_0"))
                Issue.record("a corrupt download was accepted")
            } catch let error as ModelHubError {
                guard case .checksumMismatch = error else { throw error }
                #expect(
                    error.description.contains("corrupt")
                        && error.description.contains(String(repeating: "ab", count: 32)))
            }
            #expect(PullFixtures.models(in: folder).isEmpty)
            let partials =
                (try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(".partial").path))
                ?? []
            #expect(partials.isEmpty, "the corrupt bytes are deleted, not kept for a resume: \(partials)")
        }
    }

    @Test func missingFilesAndRepositoriesAre404s() async throws {
        let folder = PullFixtures.temporaryFolder()
        try await FakeHub.with(Self.setUp) { hub in
            await #expect(
                throws: ModelHubError.noMatchingFile(repo: Self.repo, wanted: "Q2_K", available: [Self.fileName])
            ) {
                _ = try await PullFixtures.puller(hub, folder: folder).pull(
                    ModelReference(parsing: "\(Self.repo):Q2_K"))
            }
            hub.faults.resolveStatus = .notFound
            do {
                _ = try await PullFixtures.puller(hub, folder: folder).pull(
                    ModelReference(parsing: "\(Self.repo):Q8_0"))
                Issue.record("a 404 was accepted")
            } catch let error as ModelHubError {
                guard case .notFound = error else { throw error }
                #expect(error.description.contains("404") && error.description.contains(Self.fileName))
            }
            #expect(PullFixtures.models(in: folder).isEmpty)
        }
    }

    @Test func aGatedRepositorySays401AndHintsAtHFTokenWithoutPrintingIt() async throws {
        let folder = PullFixtures.temporaryFolder()
        let bytes = try PullFixtures.model
        let setUp: (FakeHub) -> Void = {
            $0.add(repo: "org/gated", files: [.init(path: "m-Q4_K_M.gguf", bytes: bytes)], token: "hf_right")
        }
        try await FakeHub.with(setUp) { hub in
            let reference = try ModelReference(parsing: "org/gated")
            await #expect(throws: ModelHubError.unauthorized(repo: "org/gated", status: 401, tokenSet: false)) {
                _ = try await PullFixtures.puller(hub, folder: folder).pull(reference)
            }
            #expect(
                ModelHubError.unauthorized(repo: "org/gated", status: 401, tokenSet: false).description.contains(
                    "set HF_TOKEN"))
            do {
                _ = try await PullFixtures.puller(hub, folder: folder, token: "hf_wrong_secret").pull(reference)
                Issue.record("a wrong token was accepted")
            } catch let error as ModelHubError {
                #expect(error == .unauthorized(repo: "org/gated", status: 401, tokenSet: true))
                #expect(error.description.contains("HF_TOKEN is set but was refused"))
                #expect(!error.description.contains("hf_wrong_secret"))
            }
            #expect(PullFixtures.models(in: folder).isEmpty)
            let result = try await PullFixtures.puller(hub, folder: folder, token: "hf_right").pull(reference)
            #expect(try PullFixtures.sha256(file: result.paths[0]) == PullFixtures.sha256(bytes))
        }
    }

    @Test func tooLittleFreeSpaceStopsBeforeAnyByte() async throws {
        let folder = PullFixtures.temporaryFolder()
        let size = try PullFixtures.model.count
        try await FakeHub.with(Self.setUp) { hub in
            let puller = try PullFixtures.puller(hub, folder: folder, freeSpace: { _ in Int64(size - 1) })
            await #expect(
                throws: ModelHubError.notEnoughSpace(
                    folder: folder.path, needed: Int64(size), available: Int64(size - 1))
            ) {
                _ = try await puller.pull(ModelReference(parsing: "\(Self.repo):Q8_0"))
            }
            #expect(hub.bodyBytesServed == 0)
            #expect(PullFixtures.models(in: folder).isEmpty)
            // Exactly enough is enough.
            _ = try await PullFixtures.puller(hub, folder: folder, freeSpace: { _ in Int64(size) })
                .pull(ModelReference(parsing: "\(Self.repo):Q8_0"))
            #expect(PullFixtures.models(in: folder) == [Self.fileName])
        }
    }

    @Test func aStalledServerEndsThePullAndKeepsTheBytes() async throws {
        let folder = PullFixtures.temporaryFolder()
        try await FakeHub.with(Self.setUp) { hub in
            hub.faults.stallAfter = 100_000
            hub.faults.stallFor = .seconds(4)
            let start = ContinuousClock.now
            do {
                _ = try await PullFixtures.puller(hub, folder: folder, stallSeconds: 1).pull(
                    ModelReference(parsing: "\(Self.repo):Q8_0"))
                Issue.record("a stalled download succeeded")
            } catch let error as ModelHubError {
                #expect(error == .stalled(file: Self.fileName, seconds: 1, kept: 100_000))
                #expect(error.description.contains("sent nothing for 1 s"))
            }
            #expect(start.duration(to: .now) < .seconds(4), "the stall was noticed before the server woke up")
            #expect(PullFixtures.models(in: folder).isEmpty)
            let partial = folder.appendingPathComponent(".partial/\(Self.fileName).part").path
            #expect(
                (try? FileManager.default.attributesOfItem(atPath: partial)[.size] as? NSNumber)?.intValue == 100_000)
        }
    }

    @Test func cancellingKeepsThePartialFileForTheNextPull() async throws {
        let source = try PullFixtures.model
        let folder = PullFixtures.temporaryFolder()
        try await FakeHub.with(Self.setUp) { hub in
            hub.faults.stallAfter = 200_000
            hub.faults.stallFor = .seconds(3)
            let puller = try PullFixtures.puller(hub, folder: folder)
            let reference = try ModelReference(parsing: "\(Self.repo):Q8_0")
            let events = EventLog()
            let task = Task { try await puller.pull(reference) { events.append($0) } }
            while events.progress.last?.received ?? 0 < 200_000 { try await Task.sleep(for: .milliseconds(20)) }
            task.cancel()
            do {
                _ = try await task.value
                Issue.record("a cancelled pull succeeded")
            } catch let error as ModelHubError {
                #expect(error == .cancelled(file: Self.fileName, kept: 200_000), "\(error)")
            }
            #expect(PullFixtures.models(in: folder).isEmpty)
            hub.faults.stallAfter = nil
            hub.resetCounters()
            let result = try await puller.pull(reference)
            #expect(try PullFixtures.sha256(file: result.paths[0]) == PullFixtures.sha256(source))
            #expect(hub.served(from: 200_000) == source.count - 200_000)
            #expect(hub.seen.filter { $0.path.hasPrefix("/cdn/") }.map(\.range) == ["bytes=200000-"])
        }
    }

    @Test func aListingInPagesIsFollowed() async throws {
        let folder = PullFixtures.temporaryFolder()
        try await FakeHub.with(Self.setUp) { hub in
            hub.faults.pageSize = 1
            _ = try await PullFixtures.puller(hub, folder: folder).pull(ModelReference(parsing: "\(Self.repo)"))
            #expect(hub.seen.filter { $0.path.hasSuffix("/tree/main") }.count == 3)
            #expect(PullFixtures.models(in: folder) == [Self.fileName])
        }
    }
}

/// Collects a pull's events from the puller's callback.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [PullEvent] = []
    func append(_ event: PullEvent) { lock.withLock { events.append(event) } }
    var all: [PullEvent] { lock.withLock { events } }
    var progress: [PullProgress] {
        all.compactMap { if case .progress(let p) = $0 { return p } else { return nil } }
    }
}
