import Foundation
import TestSupport
import Testing

@testable import Chat

/// Issue #17, "Deliver" 1-3 below the UI: attaching files, exporting Markdown, finding
/// conversations by their text, by id prefix and by date.
struct DocumentTests {
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("parley-documents-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    // MARK: Attachments

    @Test func theRepositoryReadmeAttachesWithItsNameAndText() throws {
        let readme = TestPaths.repositoryFile("README.md")
        let attachment = try Attachment.read(path: readme.path)
        #expect(attachment.name == "README.md")
        #expect(attachment.text == (try String(contentsOf: readme, encoding: .utf8)))
        let message = Attachment.compose(typed: "Summarise this", attachments: [attachment])
        #expect(message.hasPrefix("Attached file: README.md\n````\n"), "README holds ``` fences, so four backticks")
        #expect(message.contains(attachment.text.trimmingCharacters(in: .newlines)))
        let split = Attachment.split(message)
        #expect(split.names == ["README.md"] && split.typed == "Summarise this")
        #expect(Transcript.title(for: Conversation(messages: [.user(message)])) == "Summarise this")
        #expect(
            Transcript.title(
                for: Conversation(messages: [.user(Attachment.compose(typed: "", attachments: [attachment]))]))
                == "README.md")
    }

    @Test func binaryNonUTF8MissingAndFolderFilesAreRefusedByName() throws {
        let dir = try Self.folder()
        let binary = dir.appendingPathComponent("model.bin")
        try Data([0x47, 0x47, 0x55, 0x46, 0x00, 0x03]).write(to: binary)
        let latin1 = dir.appendingPathComponent("latin1.txt")
        try Data("caf".utf8 + [0xE9] + Data(" au lait".utf8)).write(to: latin1)
        func message(_ path: String) -> String {
            do { _ = try Attachment.read(path: path) } catch { return error.description }
            return "accepted"
        }
        #expect(message(binary.path) == "cannot attach \(binary.path): it is a binary file, not text")
        #expect(
            message(latin1.path).hasPrefix("cannot attach \(latin1.path): it is not UTF-8 text (byte 0xE9 at offset 3)")
        )
        #expect(message(dir.appendingPathComponent("nope.txt").path).hasSuffix("no such file"))
        #expect(message(dir.path).hasSuffix("it is a folder"))
    }

    @Test func aFileOverTheLimitIsRefusedBySizeWithoutReadingIt() throws {
        let dir = try Self.folder()
        let big = dir.appendingPathComponent("big.txt")
        #expect(FileManager.default.createFile(atPath: big.path, contents: nil))
        let handle = try FileHandle(forWritingTo: big)
        try handle.truncate(atOffset: UInt64(Attachment.maxBytes + 10)) // sparse: no disk used
        try handle.close()
        #expect(
            throws: ChatError.attachmentRefused(
                path: big.path,
                reason:
                    "it is \(Attachment.maxBytes + 10) bytes, more than the \(Attachment.maxBytes) bytes (8 MiB) Parley attaches"
            )
        ) { try Attachment.read(path: big.path) }
    }

    /// Strict UTF-8: overlong forms, surrogates and truncated sequences are caught where
    /// Foundation's decoding would repair them silently.
    @Test(
        arguments: [
            ([0xC0, 0xAF], 0), ([0x61, 0xED, 0xA0, 0x80], 1), ([0x61, 0x62, 0xE2, 0x82], 2),
            ([0xF4, 0x90, 0x80, 0x80], 0)
        ] as [([UInt8], Int)])
    func invalidUTF8IsFoundAtItsOffset(bytes: [UInt8], offset: Int) {
        #expect(UTF8Check.firstInvalidOffset(bytes) == offset)
        #expect(UTF8Check.firstInvalidOffset(Array("héllo ✓ 𝄞".utf8)) == nil)
    }

    // MARK: Markdown export

    static func sampleTranscript() -> Transcript {
        let notes = Attachment(name: "notes.md", text: "# Notes\n\n```swift\nlet x = 1\n```\n\nLast line.\n")
        var parameters = SamplingParameters.defaults
        parameters.n = 2
        let record = AnswerRecord(
            parameters: parameters, seed: 3, finishReason: .stop,
            usage: Usage(promptTokens: 40, completionTokens: 9, cachedTokens: 0),
            timings: Timings(prefillTokensPerSecond: 100, decodeTokensPerSecond: 40))
        let alternatives = ChatMessage.answer(
            [
                AnswerAlternative(content: "First take.", record: record, choiceIndex: 0),
                AnswerAlternative(
                    content: "Second take:\n\n```python\nprint('hi')\n```", record: record, choiceIndex: 1)
            ], chosen: 1)
        var transcript = Transcript(
            id: "golden", title: "Reading notes", created: Date(timeIntervalSince1970: 1_795_000_000),
            model: Transcript.ModelReference(
                file: "SmolLM2-135M-Instruct.Q4_1.gguf", size: 1, sha256: "00", architecture: "llama"),
            conversation: Conversation(
                systemPrompt: "Be brief.",
                messages: [
                    .user(Attachment.compose(typed: "Summarise this", attachments: [notes])),
                    .assistant("The notes define x.\n"),
                    .user("## Not a heading of ours\nand a line\r\nwith CRLF"),
                    alternatives,
                    .user("")
                ]))
        transcript.updated = Date(timeIntervalSince1970: 1_795_000_600)
        return transcript
    }

    @Test func markdownExportMatchesItsGoldenFile() {
        assertSnapshot(text: TranscriptMarkdown.render(Self.sampleTranscript()), named: "export-reading-notes.md")
    }

    @Test func markdownExportRoundTripsEveryMessageAndAttachment() {
        let transcript = Self.sampleTranscript()
        let read = TranscriptMarkdown.messages(in: TranscriptMarkdown.render(transcript))
        let expected = transcript.conversation.templateMessages
        #expect(read.map(\.role) == expected.map(\.role))
        #expect(read.map(\.content) == expected.map(\.content))
        #expect(Attachment.split(read[1].content).names == ["notes.md"])
    }

    // MARK: Finding conversations

    static func store(with transcripts: [Transcript]) throws -> TranscriptStore {
        let store = TranscriptStore(directory: try folder())
        for transcript in transcripts { try store.save(transcript) }
        return store
    }

    @Test func fullTextSearchFindsAWordThatIsOnlyInAnAnswer() throws {
        let store = try Self.store(with: [
            Transcript(
                id: "aaa1", title: "Gardening",
                conversation: Conversation(messages: [
                    .user("What grows in shade?"),
                    .assistant("Ferns do well.\nHostas and the Brunnera too, in moist soil.")
                ])),
            Transcript(id: "bbb2", title: "Brunnera question", conversation: Conversation(messages: [.user("Hi")])),
            Transcript(
                id: "ccc3", title: "Cooking",
                conversation: Conversation(messages: [.user("Pasta?"), .assistant("Boil water.")]))
        ])
        let urls = store.list().summaries.map(\.url)
        var result: [TranscriptSearch.Hit] = []
        var calls = 0
        TranscriptSearch.run("brunnera", in: urls) { hits, done in
            calls += 1
            if done { result = hits }
        }
        #expect(calls == 1)
        // The title "Brunnera question" is the browser's own filter's business; the text search
        // finds only the message, and shows its line.
        #expect(result.map { $0.url.lastPathComponent } == ["aaa1.json"])
        #expect(result.first?.preview == "Hostas and the Brunnera too, in moist soil.")
    }

    @Test func aHitInTheModelNameOrKeysIsNotAMessageHit() throws {
        var transcript = Transcript(id: "m1", conversation: Conversation(messages: [.user("hello")]))
        transcript.model = Transcript.ModelReference(
            file: "Zebrafish.gguf", size: 1, sha256: "0", architecture: "llama")
        let store = try Self.store(with: [transcript])
        var result: [TranscriptSearch.Hit] = [.init(url: store.directory, preview: "")]
        TranscriptSearch.run("zebrafish", in: store.list().summaries.map(\.url)) { hits, _ in result = hits }
        #expect(result.isEmpty)
        TranscriptSearch.run("temperature", in: store.list().summaries.map(\.url)) { hits, _ in result = hits }
        #expect(result.isEmpty)
    }

    @Test func previewsCutLongLinesAroundTheMatch() {
        let line = String(repeating: "a", count: 200) + " needle " + String(repeating: "b", count: 200)
        let preview = TranscriptSearch.preview(of: "first\n" + line + "\nlast", query: "NEEDLE")
        #expect(preview?.contains("needle") == true)
        #expect(preview?.hasPrefix("…") == true && preview?.hasSuffix("…") == true)
        #expect((preview?.count ?? 0) <= TranscriptSearch.previewLength + 2)
    }

    @Test func openTakesAnIdOrAUniquePrefix() throws {
        let store = try Self.store(with: [
            Transcript(id: "4f2a9c00-1", conversation: Conversation(messages: [.user("one")])),
            Transcript(id: "4f2b1d00-2", conversation: Conversation(messages: [.user("two")]))
        ])
        #expect(try store.resolve("4f2a").lastPathComponent == "4f2a9c00-1.json")
        #expect(try store.resolve("4f2b1d00-2").lastPathComponent == "4f2b1d00-2.json")
        #expect(throws: ChatError.transcriptAmbiguous(reference: "4f2", matches: 2, examples: "4f2a9c00-1, 4f2b1d00-2"))
        {
            try store.resolve("4f2")
        }
        #expect(throws: ChatError.self) { try store.resolve("zzz") }
        #expect(try store.resolve("./somewhere.json").lastPathComponent == "somewhere.json")
    }

    @Test func lastIsTheMostRecentlyUpdated() throws {
        var old = Transcript(id: "old", conversation: Conversation(messages: [.user("a")]))
        old.updated = Date(timeIntervalSince1970: 1_000)
        var recent = Transcript(id: "recent", conversation: Conversation(messages: [.user("b")]))
        recent.updated = Date(timeIntervalSince1970: 2_000)
        let store = try Self.store(with: [recent, old])
        #expect(store.mostRecent()?.lastPathComponent == "recent.json")
    }
}
