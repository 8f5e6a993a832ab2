import Foundation
import TestSupport
import Testing

@testable import Chat

/// Transcripts round-trip, load with precise errors, and are never lost or clobbered.
struct TranscriptStoreTests {
    private func temporaryStore() throws -> TranscriptStore {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("parley-store-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return TranscriptStore(directory: folder)
    }

    private func sample() -> Transcript {
        var transcript = Transcript(id: "t1", title: "Greeting", created: Date(timeIntervalSince1970: 1_800_000_000))
        transcript.conversation = Conversation(
            systemPrompt: "Be brief.",
            messages: [
                .user("Hi 👋 你好"),
                Completion(
                    text: "Hello!", reason: .stop, usage: Usage(promptTokens: 20, completionTokens: 3, cachedTokens: 0),
                    timings: Timings(prefillTokensPerSecond: 100, decodeTokensPerSecond: 50), seed: 9
                )
                .message(parameters: .defaults)
            ])
        return transcript
    }

    @Test func saveThenLoadGivesTheSameTranscript() throws {
        let store = try temporaryStore()
        let url = try store.save(sample())
        let loaded = try TranscriptStore(directory: store.directory).load(url)
        #expect(loaded == sample())
        #expect(loaded.conversation.messages[1].record?.seed == 9)
    }

    @Test func theCommittedExamplesLoad() throws {
        // The examples sit beside schema.json and README.md; list them from a folder of their own.
        let store = try temporaryStore()
        let examples = TestPaths.repositoryFile("transcripts")
        for name in try FileManager.default.contentsOfDirectory(atPath: examples.path) where name.hasPrefix("example-")
        {
            try FileManager.default.copyItem(
                at: examples.appendingPathComponent(name),
                to: store.directory.appendingPathComponent(name))
        }
        let (summaries, failures) = store.list()
        #expect(failures.isEmpty)
        #expect(summaries.count >= 2)
        let multilingual = try store.load(store.directory.appendingPathComponent("example-multilingual.json"))
        #expect(multilingual.conversation.messages.first?.content == "你好！请用一句话介绍你自己。")
        #expect(multilingual.conversation.parameters.maxTokens == 64)
        #expect(multilingual.conversation.parameters.topK == 40) // missing field takes its default
        #expect(multilingual.conversation.messages[1].record?.finishReason == .cancelled)
    }

    @Test func malformedJSONReportsLineAndColumnAndIsNeverOverwritten() throws {
        let store = try temporaryStore()
        let url = store.directory.appendingPathComponent("broken.json")
        let bytes = Data("{\n  \"version\": 1,\n  \"id\": \"x\" \"title\": 3\n}\n".utf8)
        try bytes.write(to: url)
        #expect(throws: ChatError.transcriptMalformed(path: url.path, detail: "line 3, column 13: expected ',' or '}'"))
        {
            try store.load(url)
        }
        #expect(throws: ChatError.self) { try store.save(sample(), to: url) }
        #expect(try Data(contentsOf: url) == bytes)
    }

    @Test func futureVersionIsRefusedByNameAndKept() throws {
        let store = try temporaryStore()
        let url = store.directory.appendingPathComponent("future.json")
        let bytes = Data(#"{"version": 3, "id": "f", "hologram": true}"#.utf8)
        try bytes.write(to: url)
        #expect(throws: ChatError.transcriptTooNew(path: url.path, version: 3, supported: 2)) { try store.load(url) }
        #expect(throws: ChatError.self) { try store.save(sample(), to: url) }
        #expect(try Data(contentsOf: url) == bytes)
    }

    @Test func missingFieldIsNamed() throws {
        let store = try temporaryStore()
        let url = store.directory.appendingPathComponent("partial.json")
        try Data(
            #"{"version": 1, "id": "p", "title": "t", "created": "2026-01-01T00:00:00Z", "updated": "2026-01-01T00:00:00Z"}"#
                .utf8
        )
        .write(to: url)
        #expect(
            throws: ChatError.transcriptMalformed(path: url.path, detail: "missing field \"messages\" at top level")
        ) {
            try store.load(url)
        }
    }

    @Test func missingFileIsAClearError() throws {
        let store = try temporaryStore()
        let url = store.directory.appendingPathComponent("nope.json")
        #expect(throws: ChatError.transcriptNotFound(path: url.path)) { try store.load(url) }
    }

    @Test func unwritableFolderFailsCleanly() throws {
        // /proc refuses new files even for root, unlike a chmod-ed folder.
        let store = TranscriptStore(directory: URL(fileURLWithPath: "/proc/parley-test"))
        #expect(throws: ChatError.self) { try store.save(sample()) }
    }

    @Test func aDeviceIsNeverWrittenThrough() throws {
        let store = try temporaryStore()
        #expect(throws: ChatError.self) { try store.save(sample(), to: URL(fileURLWithPath: "/dev/full")) }
    }

    @Test func saveLeavesNoTemporaryFilesBehind() throws {
        let store = try temporaryStore()
        var transcript = sample()
        for turn in 0..<5 {
            transcript.conversation.messages.append(.user("turn \(turn)"))
            try store.save(transcript)
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: store.directory.path)
        #expect(names == ["t1.json"])
        #expect(try store.load(store.url(for: transcript)).conversation.messages.count == 7)
    }

    @Test func listingIsNewestFirstAndSkipsBrokenFiles() throws {
        let store = try temporaryStore()
        for index in 0..<3 {
            var transcript = sample()
            transcript.id = "t\(index)"
            transcript.title = "chat \(index)"
            transcript.updated = Date(timeIntervalSince1970: 1_800_000_000 + Double(index))
            try store.save(transcript)
        }
        try Data("not json".utf8).write(to: store.directory.appendingPathComponent("junk.json"))
        let (summaries, failures) = store.list()
        #expect(summaries.map(\.title) == ["chat 2", "chat 1", "chat 0"])
        #expect(summaries.first?.messageCount == 2)
        #expect(failures.count == 1)
    }
}
