import Foundation
import TestSupport
import Testing

/// Issue #17 from the shell: `run -f FILE`, `parley export`, `--open` by id prefix, `--last`.
@Suite(.serialized, .requires([ParleyBinary.requirement]))
struct DocumentCommandTests {
    static let model = ParleyBinary.smolLM2
    static var modelExists: Bool { FileManager.default.fileExists(atPath: model) }

    static func transcript(id: String, title: String, answer: String = "Hello!") -> String {
        """
        {"version": 2, "id": "\(id)", "title": "\(title)", "created": "2026-01-01T00:00:00Z",
         "updated": "2026-01-01T00:00:00Z", "system_prompt": "Be kind.",
         "parameters": {"temperature": 0.8, "max_tokens": 8},
         "messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "\(answer)"}]}
        """
    }

    @Test func exportPrintsMarkdownOrJSONAndNeverReplacesAFile() throws {
        let home = ParleyBinary.temporaryDirectory()
        let file = home.appendingPathComponent("chat.json")
        try Self.transcript(id: "abc", title: "Greeting", answer: "Hello!\\n\\n```sh\\nls\\n```").write(
            to: file, atomically: true, encoding: .utf8)
        let markdown = try ParleyBinary.run(["export", file.path], home: home)
        #expect(markdown.status == 0, "\(markdown.stderr)")
        #expect(markdown.stdout.hasPrefix("# Greeting\n"))
        for part in ["## System prompt\n\nBe kind.\n", "## You\n\nHi\n", "## Assistant\n\nHello!\n\n```sh\nls\n```\n"] {
            #expect(markdown.stdout.contains(part), "\(part) in \(markdown.stdout)")
        }
        let json = try ParleyBinary.run(["export", file.path, "--format", "json"], home: home)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect((object?["messages"] as? [Any])?.count == 2 && object?["title"] as? String == "Greeting")
        let out = home.appendingPathComponent("out.md")
        try "mine".write(to: out, atomically: true, encoding: .utf8)
        let refused = try ParleyBinary.run(["export", file.path, "-o", out.path], home: home)
        #expect(refused.status == 1 && refused.stderr.contains("already exists"))
        #expect(try String(contentsOf: out, encoding: .utf8) == "mine")
        let missing = try ParleyBinary.run(["export", home.appendingPathComponent("nope.json").path], home: home)
        #expect(missing.status == 1 && missing.stderr.contains("no transcript at"))
    }

    @Test func exportFindsATranscriptByIdPrefix() throws {
        let home = ParleyBinary.temporaryDirectory()
        let folder = home.appendingPathComponent("data/parley/transcripts")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Self.transcript(id: "7a1f-one", title: "One").write(
            to: folder.appendingPathComponent("7a1f-one.json"), atomically: true, encoding: .utf8)
        try Self.transcript(id: "7a2b-two", title: "Two").write(
            to: folder.appendingPathComponent("7a2b-two.json"), atomically: true, encoding: .utf8)
        let found = try ParleyBinary.run(["export", "7a1"], home: home)
        #expect(found.status == 0 && found.stdout.hasPrefix("# One\n"), "\(found.stderr)")
        let ambiguous = try ParleyBinary.run(["export", "7a"], home: home)
        #expect(ambiguous.status == 1)
        #expect(
            ambiguous.stderr.contains("7a is the start of 2 conversation ids (7a1f-one, 7a2b-two)"),
            "\(ambiguous.stderr)")
    }

    @Test func runRefusesABinaryOrNonUTF8FileBeforeLoadingTheModel() throws {
        let home = ParleyBinary.temporaryDirectory()
        let binary = home.appendingPathComponent("x.bin")
        try Data([0x7F, 0x45, 0x4C, 0x46, 0, 0]).write(to: binary)
        let latin1 = home.appendingPathComponent("l.txt")
        try Data([0x63, 0x61, 0x66, 0xE9]).write(to: latin1)
        let refused = try ParleyBinary.run(
            ["run", "-m", "/nonexistent.gguf", "-f", binary.path, "-p", "Summarise"], home: home)
        #expect(refused.status == 1 && refused.stderr.contains("cannot attach \(binary.path): it is a binary file"))
        let notUTF8 = try ParleyBinary.run(["run", "-m", "/nonexistent.gguf", "-f", latin1.path, "-p", "x"], home: home)
        #expect(
            notUTF8.status == 1 && notUTF8.stderr.contains("not UTF-8 text (byte 0xE9 at offset 3)"),
            "\(notUTF8.stderr)")
    }

    @Test func runAttachesAFileAndTheTranscriptKeepsItsNameAndText() throws {
        guard Self.modelExists else { return }
        let home = ParleyBinary.temporaryDirectory()
        let notes = home.appendingPathComponent("notes.txt")
        try "The meeting moved to Thursday at noon.\n".write(to: notes, atomically: true, encoding: .utf8)
        let saved = home.appendingPathComponent("summary.json")
        let result = try ParleyBinary.run(
            [
                "run", "-m", Self.model, "-f", notes.path, "-p", "Summarise this", "--temperature", "0", "--max-tokens",
                "16",
                "--save", saved.path
            ], home: home)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.isEmpty)
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: saved)) as? [String: Any]
        let first = ((object?["messages"] as? [[String: Any]])?.first?["content"] as? String) ?? ""
        #expect(first == "Attached file: notes.txt\n```\nThe meeting moved to Thursday at noon.\n```\n\nSummarise this")
        #expect(object?["title"] as? String == "Summarise this")
    }

    @Test func chatLastWithNothingSavedAndAmbiguousOpenAreClearErrors() throws {
        guard Self.modelExists else { return }
        let home = ParleyBinary.temporaryDirectory()
        let empty = home.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let last = try ParleyBinary.run(["chat", "-m", Self.model, "--last", "--transcripts", empty.path], home: home)
        #expect(last.status == 1 && last.stderr.contains("--last: there are no saved conversations in \(empty.path)"))
        try Self.transcript(id: "aa1", title: "A").write(
            to: empty.appendingPathComponent("aa1.json"), atomically: true, encoding: .utf8)
        try Self.transcript(id: "aa2", title: "B").write(
            to: empty.appendingPathComponent("aa2.json"), atomically: true, encoding: .utf8)
        let open = try ParleyBinary.run(
            ["chat", "-m", Self.model, "--open", "aa", "--transcripts", empty.path], home: home)
        #expect(open.status == 1 && open.stderr.contains("aa is the start of 2 conversation ids"), "\(open.stderr)")
    }
}
