import Foundation
import TestSupport
import Testing

@testable import Chat

/// Issue #10, findings 5c, 5d and 6: saving keeps a file's mode and writes through symbolic
/// links, a transcript can be claimed by one process at a time, and bad files are named.
struct TranscriptSafetyTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-safety-\(UUID().uuidString)")

    func sample(_ text: String = "Hi") -> Transcript {
        Transcript(
            id: "s1", title: "Sample", created: Date(timeIntervalSince1970: 1_800_000_000),
            conversation: Conversation(messages: [.user(text)]))
    }

    func mode(_ url: URL) -> mode_t {
        var info = stat()
        return lstat(url.path, &info) == 0 ? info.st_mode & 0o7777 : 0
    }

    // MARK: 5d: mode and symbolic links

    @Test func savingKeepsThePermissions() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = TranscriptStore(directory: folder)
        let url = try store.save(sample())
        for wanted: mode_t in [0o600, 0o640, 0o604] {
            #expect(chmod(url.path, wanted) == 0)
            try store.save(sample("changed \(wanted)"), to: url)
            #expect(
                mode(url) == wanted, "saving changed mode \(String(wanted, radix: 8)) to \(String(mode(url), radix: 8))"
            )
        }
    }

    @Test func newTranscriptsArePrivate() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = try TranscriptStore(directory: folder).save(sample())
        #expect(mode(url) == 0o600)
    }

    @Test func savingThroughASymlinkReplacesItsTargetAndKeepsTheLink() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let real = folder.appendingPathComponent("real", isDirectory: true)
        let links = folder.appendingPathComponent("links", isDirectory: true)
        try FileManager.default.createDirectory(at: links, withIntermediateDirectories: true)
        let store = TranscriptStore(directory: real)
        let target = try store.save(sample())
        #expect(chmod(target.path, 0o600) == 0)
        let link = links.appendingPathComponent("chat.json")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "../real/s1.json")
        let other = TranscriptStore(directory: links)
        _ = try other.load(link)
        try other.save(sample("through the link"), to: link)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == "../real/s1.json")
        #expect(try store.load(target).conversation.messages.first?.content == "through the link")
        #expect(mode(target) == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: links.path) == ["chat.json"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: real.path) == ["s1.json"])
    }

    @Test func aDanglingSymlinkCreatesItsTarget() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let link = folder.appendingPathComponent("link.json")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "later.json")
        try TranscriptStore(directory: folder).save(sample(), to: link)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == "later.json")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("later.json").path))
    }

    // MARK: 5c: locking

    @Test func aHeldTranscriptIsRefusedWithTheHolder() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("chat.json")
        var first = try TranscriptLock.acquire(url)
        #expect(first != nil)
        #expect(throws: ChatError.transcriptInUse(path: url.path, holder: getpid())) {
            _ = try TranscriptLock.acquire(url)
        }
        first = nil
        #expect(try TranscriptLock.acquire(url) != nil)
        withExtendedLifetime(first) {}
    }

    @Test func aSymlinkSharesItsTargetsLock() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent("chat.json")
        let link = folder.appendingPathComponent("alias.json")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: url.path)
        let held = try TranscriptLock.acquire(url)
        #expect(throws: ChatError.self) { _ = try TranscriptLock.acquire(link) }
        withExtendedLifetime(held) {}
    }

    @Test func waitingForALockGetsItOnceReleased() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("chat.json")
        let held = LockBox(try TranscriptLock.acquire(url))
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { held.release() }
        #expect(try TranscriptLock.acquire(url, wait: .seconds(5)) != nil)
    }

    final class LockBox: @unchecked Sendable {
        private let lock = NSLock()
        private var value: TranscriptLock?
        init(_ value: TranscriptLock?) { self.value = value }
        func release() { lock.withLock { value = nil } }
    }

    // MARK: 6: bad files are named

    @Test func versionsBelowOneAreRefusedByName() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = TranscriptStore(directory: folder)
        for version in [-1, 0] {
            let url = folder.appendingPathComponent("v\(version).json")
            let bytes = Data(
                #"{"version": \#(version), "id": "v", "title": "t", "created": "2026-01-01T00:00:00Z", "updated": "2026-01-01T00:00:00Z", "messages": []}"#
                    .utf8)
            try bytes.write(to: url)
            #expect(
                throws: ChatError.transcriptMalformed(
                    path: url.path, detail: "\"version\" must be 1 or more, got \(version)")
            ) {
                try store.load(url)
            }
            #expect(throws: ChatError.self) { try store.save(sample(), to: url) }
            #expect(try Data(contentsOf: url) == bytes)
        }
    }

    @Test func outOfRangeParametersNameTheFileAndTheField() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent("hot.json")
        try Data(
            #"{"version": 1, "id": "h", "title": "t", "created": "2026-01-01T00:00:00Z", "updated": "2026-01-01T00:00:00Z", "parameters": {"top_p": 1.5}, "messages": []}"#
                .utf8
        )
        .write(to: url)
        #expect(
            throws: ChatError.transcriptMalformed(
                path: url.path, detail: "\"parameters\": top_p must be between 0 and 1, got 1.5")
        ) {
            try TranscriptStore(directory: folder).load(url)
        }
    }

    @Test func anUnreadableTranscriptIsReportedAsCannotRead() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("folder.json")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        let error = try #require(throws: ChatError.self) { try TranscriptStore(directory: folder).load(url) }
        #expect(error.description == "cannot read \(url.path): it is a folder")
    }

    @Test func rescueNeverReplacesAFile() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = TranscriptStore(directory: folder)
        let rescued = folder.appendingPathComponent("rescued")
        let first = try store.rescue(sample("one"), in: rescued)
        let second = try store.rescue(sample("two"), in: rescued)
        #expect(first.lastPathComponent == "s1.json" && second.lastPathComponent == "s1-2.json")
        #expect(try store.load(first).conversation.messages.first?.content == "one")
        #expect(try store.load(second).conversation.messages.first?.content == "two")
    }

    @Test func messageTooLongOnlySuggestsALargerContextWhenOneExists() {
        #expect(ChatError.messageTooLong(tokens: 20, available: 10).description.hasSuffix("shorten it or raise --ctx"))
        #expect(
            !ChatError.messageTooLong(tokens: 20, available: 10, canGrow: false).description.contains("raise --ctx"))
    }
}
