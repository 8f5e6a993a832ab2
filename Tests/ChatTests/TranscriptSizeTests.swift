import Foundation
import TestSupport
import Testing

@testable import Chat

/// A huge transcript costs neither memory nor time to list or to refuse (issue #10, finding 3:
/// selecting a 20 MB transcript in Ctrl+O took 1.7 GB).
struct TranscriptSizeTests {
    private func temporaryStore() throws -> TranscriptStore {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("parley-sizes-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return TranscriptStore(directory: folder)
    }

    @Test func aTranscriptOverTheLimitIsRefusedByItsSizeBeforeItIsRead() throws {
        let store = try temporaryStore()
        let url = store.directory.appendingPathComponent("huge.json")
        // Not even JSON: only the size may be looked at.
        try Data(repeating: UInt8(ascii: "x"), count: TranscriptStore.maxFileBytes + 1).write(to: url)
        let expected = ChatError.transcriptTooLarge(
            path: url.path, bytes: TranscriptStore.maxFileBytes + 1,
            limit: TranscriptStore.maxFileBytes)
        #expect(throws: expected) { try store.load(url) }
        let listing = store.list()
        #expect(listing.summaries.isEmpty)
        #expect(listing.failures == [expected])
        #expect(expected.description.contains("16 MiB"))
    }

    @Test func listingCountsMessagesWithoutDecodingThem() throws {
        let store = try temporaryStore()
        var transcript = Transcript(id: "big", title: "Long one", created: Date(timeIntervalSince1970: 1_800_000_000))
        transcript.conversation.messages = (0..<300).map {
            $0.isMultiple(of: 2) ? .user("q\($0)") : .assistant("a\($0)")
        }
        let url = try store.save(transcript)
        let listing = TranscriptStore(directory: store.directory).list()
        #expect(listing.failures.isEmpty)
        #expect(
            listing.summaries == [
                TranscriptSummary(
                    url: url, title: "Long one", updated: transcript.updated,
                    messageCount: 300, model: nil)
            ])
    }

    @Test func aMalformedTranscriptIsStillListedAsAFailureWithItsPreciseError() throws {
        let store = try temporaryStore()
        let url = store.directory.appendingPathComponent("broken.json")
        try Data(#"{"version": 1, "title": 3}"#.utf8).write(to: url)
        let listing = store.list()
        #expect(listing.summaries.isEmpty)
        #expect(listing.failures.count == 1)
        if case .transcriptMalformed(let path, _)? = listing.failures.first {
            #expect(path == url.path)
        } else {
            Issue.record("expected transcriptMalformed, got \(listing.failures)")
        }
    }
}
