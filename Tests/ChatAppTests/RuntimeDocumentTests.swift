import Chat
import ChatApp
import Foundation
import TerminalUI
import Testing

/// Issue #17 through the runtime loop with a simulated model: attaching a real file, exporting
/// it, searching saved conversations, and the prompt cache kept when switching.
struct RuntimeDocumentTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-docs-\(UUID().uuidString)")
    var store: TranscriptStore { TranscriptStore(directory: folder.appendingPathComponent("transcripts")) }

    func run(
        _ steps: [ScriptedTerminal.Step], backend: SimulatedBackend = SimulatedBackend(),
        size: TerminalSize = TerminalSize(width: 100, height: 30)
    ) -> (ScriptedTerminal, Runtime.Outcome) {
        let terminal = ScriptedTerminal(size: size, steps: steps)
        let initial = AppState(
            size: terminal.size, transcriptID: "runtime-doc", created: Fixture.created, randomSeed: 9)
        let runtime = Runtime(
            terminal: terminal, state: initial, loader: SimulatedBackend.loader(backend), store: store,
            configURL: folder.appendingPathComponent("config.json"))
        return (terminal, runtime.run())
    }

    @Test func aFileIsAttachedSentSavedAndExported() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("notes.txt")
        try "Parley keeps every conversation.\nThe end.\n".write(to: file, atomically: true, encoding: .utf8)
        let (terminal, outcome) = run([
            .when("idle", .paste("/file \(file.path)")), .key(.enter),
            .when("notes.txt · ", .paste("Summarise this")), .key(.enter),
            .when("You said:", .paste("/export")), .key(.enter, when: "idle"),
            .key(.ctrl("q"), when: "exported to")
        ])
        #expect(terminal.timedOutWaitingFor == nil && outcome.error == nil, "\(terminal.screenText)")
        let url = store.directory.appendingPathComponent("runtime-doc.json")
        let saved = try store.load(url)
        let sent = try #require(saved.conversation.messages.first?.content)
        #expect(
            sent
                == Attachment.compose(
                    typed: "Summarise this",
                    attachments: [Attachment(name: "notes.txt", text: "Parley keeps every conversation.\nThe end.\n")]))
        let markdown = try String(contentsOf: url.deletingPathExtension().appendingPathExtension("md"), encoding: .utf8)
        #expect(markdown.contains("Attached file: notes.txt\n```\nParley keeps every conversation.\nThe end.\n```"))
        #expect(outcome.savedTo?.path == url.path, "quitting reports where the conversation is")
    }

    @Test func aBinaryFileIsRefusedOnScreen() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("blob.bin")
        try Data([1, 2, 0, 4]).write(to: file)
        let (terminal, _) = run([
            .when("idle", .paste("/file \(file.path)")), .key(.enter),
            .key(.ctrl("q"), when: "binary file")
        ])
        #expect(terminal.timedOutWaitingFor == nil, "\(terminal.screenText)")
    }

    @Test func tabCompletesARealPath() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("docs"), withIntermediateDirectories: true)
        try "x".write(to: folder.appendingPathComponent("docs/guide-to-parley.md"), atomically: true, encoding: .utf8)
        let (terminal, _) = run([
            .when("idle", .paste("/file \(folder.path)/do")), .key(.tab),
            .key(.tab, when: "docs/"), .key(.ctrl("q"), when: "guide-to-parley.md")
        ])
        #expect(terminal.timedOutWaitingFor == nil, "\(terminal.screenText)")
    }

    @Test func theBrowserFindsAWordOnlyInAnAnswer() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try store.save(
            Transcript(
                id: "garden", title: "Shade plants", created: Fixture.created,
                conversation: Conversation(
                    messages: [.user("What grows in shade?"), .assistant("Ferns, and Brunnera in moist soil.")])))
        try store.save(
            Transcript(
                id: "food", title: "Cooking", created: Fixture.created,
                conversation: Conversation(
                    messages: [.user("Pasta?"), .assistant("Boil water.")])))
        let (terminal, _) = run([
            .key(.ctrl("o"), when: "idle"), .when("Cooking", .paste("brunnera")),
            .key(.ctrl("q"), when: "Ferns, and Brunnera in moist soil.")
        ])
        #expect(terminal.timedOutWaitingFor == nil, "\(terminal.screenText)")
        #expect(terminal.screenText.contains("Shade plants") && !terminal.screenText.contains("Cooking"))
    }

    /// Opening another conversation saves the KV cache of the one being left, not only quitting.
    @Test func switchingConversationsSavesThePromptCacheOfTheOneLeft() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try store.save(
            Transcript(
                id: "earlier", title: "Ask about owls", created: Fixture.created,
                conversation: Conversation(messages: Fixture.pairs(1))))
        let backend = SimulatedBackend()
        let (terminal, _) = run(
            [
                .when("idle", .paste("Hello")), .key(.enter),
                .key(.ctrl("o"), when: "You said: Hello"), .key(.down, when: "Ask about owls"), .key(.enter),
                .key(.ctrl("q"), when: "Answer 0 is")
            ], backend: backend)
        #expect(terminal.timedOutWaitingFor == nil, "\(terminal.screenText)")
        let left = PromptCache.url(for: store.directory.appendingPathComponent("runtime-doc.json")).lastPathComponent
        let opened = PromptCache.url(for: store.directory.appendingPathComponent("earlier.json")).lastPathComponent
        #expect(backend.promptCacheCalls == ["save " + left, "restore " + opened, "save " + opened])
    }
}
