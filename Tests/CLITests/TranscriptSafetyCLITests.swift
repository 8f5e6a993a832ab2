import Foundation
import GGUF
import TestSupport
import Testing

/// Issue #10, findings 5 and 6, through the release binary: transcripts are never replaced,
/// raced or exposed, file errors are runtime errors, and odd inputs fail clearly.
@Suite(.serialized, .requires([ParleyBinary.requirement]))
struct TranscriptSafetyCLITests {
    static let model = ParleyBinary.smolLM2
    static var modelExists: Bool { FileManager.default.fileExists(atPath: model) }

    /// A valid one-exchange transcript, written by hand (not by Parley).
    static func transcriptJSON(temperature: Double = 0.8, version: Int = 1) -> String {
        """
        {"version": \(version), "id": "hand", "title": "Hand made", "created": "2026-01-01T00:00:00Z",
         "updated": "2026-01-01T00:00:00Z", "system_prompt": null,
         "parameters": {"temperature": \(temperature), "max_tokens": 8},
         "messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}]}
        """
    }

    static func messageCount(_ url: URL) throws -> Int {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
        return (object?["messages"] as? [Any])?.count ?? -1
    }

    // MARK: 5a: --save never replaces a conversation silently

    @Test func saveRefusesAnExistingFileUnlessForced() throws {
        let home = ParleyBinary.temporaryDirectory()
        let file = home.appendingPathComponent("chat.json")
        let bytes = Data(Self.transcriptJSON().utf8)
        try bytes.write(to: file)
        let refused = try ParleyBinary.run(["run", "-m", Self.model, "--save", file.path, "-p", "Hi"], home: home)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("\(file.path) already exists"), "\(refused.stderr)")
        #expect(refused.stderr.contains("--force") && !refused.stderr.contains("Usage:"))
        #expect(try Data(contentsOf: file) == bytes)
        guard Self.modelExists else { return }
        let forced = try ParleyBinary.run(
            [
                "run", "-m", Self.model, "--max-tokens", "4", "--save", file.path, "--force",
                "-p", "Hi"
            ], home: home)
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try Self.messageCount(file) == 2)
        #expect(try Data(contentsOf: file) != bytes)
    }

    // MARK: 5c: two runs on one transcript never lose a turn

    @Test func aHeldTranscriptIsRefusedByName() throws {
        let home = ParleyBinary.temporaryDirectory()
        let file = home.appendingPathComponent("chat.json")
        let bytes = Data(Self.transcriptJSON().utf8)
        try bytes.write(to: file)
        // Another process's claim, as Parley takes it: flock on the sidecar `.chat.json.lock`.
        let fd = open(home.appendingPathComponent(".chat.json.lock").path, O_RDWR | O_CREAT, 0o600)
        #expect(fd >= 0)
        defer { close(fd) }
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
        let start = ContinuousClock.now
        let result = try ParleyBinary.run(["run", "-m", Self.model, "--continue", file.path, "-p", "Hi"], home: home)
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(file.path)") && result.stderr.contains("another Parley"), "\(result.stderr)")
        #expect(ContinuousClock.now - start >= .seconds(1)) // it waited before giving up
        #expect(try Data(contentsOf: file) == bytes)
    }

    @Test(.requires(.smolLM2Q4_1))
    func twoContinuesAtOnceNeverLoseATurn() throws {
        let home = ParleyBinary.temporaryDirectory()
        let file = home.appendingPathComponent("chat.json")
        try Data(Self.transcriptJSON().utf8).write(to: file)
        let first = try ParleyBinary.start(
            [
                "run", "-m", Self.model, "--max-tokens", "200", "--temperature", "0",
                "--continue", file.path, "-p", "Tell me a long story."
            ], home: home)
        _ = first.stdout.fileHandleForReading.availableData // it has loaded and started answering
        let second = try ParleyBinary.run(
            [
                "run", "-m", Self.model, "--max-tokens", "4", "--continue", file.path,
                "-p", "And another?"
            ], home: home)
        _ = first.stdout.fileHandleForReading.readDataToEndOfFile()
        first.process.waitUntilExit()
        #expect(first.process.terminationStatus == 0)
        // Either the second waited for the first and added its own turn, or it refused clearly.
        if second.status == 0 {
            #expect(try Self.messageCount(file) == 6)
        } else {
            #expect(second.status == 1 && second.stderr.contains("another Parley"), "\(second.stderr)")
            #expect(try Self.messageCount(file) == 4)
        }
    }

    // MARK: 6: file errors are runtime errors, named

    @Test func inspectAndRunReportFileProblemsAsRuntimeErrors() throws {
        let home = ParleyBinary.temporaryDirectory()
        let corrupt = home.appendingPathComponent("corrupt.gguf")
        try Data("GGUF but not really".utf8).write(to: corrupt)
        for path in ["/nonexistent/model.gguf", corrupt.path] {
            let inspect = try ParleyBinary.run(["inspect", path], home: home)
            #expect(inspect.status == 1, "\(inspect.stderr)")
            #expect(inspect.stderr.contains(path) && !inspect.stderr.contains("Usage:"), "\(inspect.stderr)")
            let run = try ParleyBinary.run(["run", "-m", path, "-p", "hi"], home: home)
            #expect(run.status == 1 && !run.stderr.contains("Usage:"))
        }
    }

    @Test func outOfRangeTranscriptValuesNameTheFileAndTheField() throws {
        let home = ParleyBinary.temporaryDirectory()
        let file = home.appendingPathComponent("hot.json")
        try Data(Self.transcriptJSON(temperature: 7).utf8).write(to: file)
        let result = try ParleyBinary.run(["run", "-m", Self.model, "--continue", file.path, "-p", "hi"], home: home)
        #expect(result.status == 1)
        #expect(result.stderr.contains(file.path), "\(result.stderr)")
        #expect(
            result.stderr.contains("\"parameters\": temperature must be between 0 and 2, got 7"), "\(result.stderr)")
        #expect(!result.stderr.contains("Usage:"))
    }

    @Test func versionBelowOneIsRefusedByName() throws {
        let home = ParleyBinary.temporaryDirectory()
        let file = home.appendingPathComponent("old.json")
        let bytes = Data(Self.transcriptJSON(version: -1).utf8)
        try bytes.write(to: file)
        let result = try ParleyBinary.run(["run", "-m", Self.model, "--continue", file.path, "-p", "hi"], home: home)
        #expect(result.status == 1)
        #expect(
            result.stderr.contains("\(file.path) is not a valid transcript: \"version\" must be 1 or more, got -1"),
            "\(result.stderr)")
        #expect(try Data(contentsOf: file) == bytes)
    }

    @Test func anUnreadableTranscriptSaysCannotRead() throws {
        let home = ParleyBinary.temporaryDirectory()
        // A folder where the file should be: unreadable even for root, unlike chmod 000.
        let file = home.appendingPathComponent("folder.json")
        try FileManager.default.createDirectory(at: file, withIntermediateDirectories: true)
        let result = try ParleyBinary.run(["run", "-m", Self.model, "--continue", file.path, "-p", "hi"], home: home)
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot read \(file.path)"), "\(result.stderr)")
        #expect(!result.stderr.contains("cannot write"))
    }

    // MARK: 6: --ctx beyond the model is a usage error

    @Test(.requires(.smolLM2Q4_1))
    func aContextBeyondTheModelIsAUsageError() throws {
        let run = try ParleyBinary.run(["run", "-m", Self.model, "--ctx", "1000000000", "-p", "hi"])
        #expect(run.status == 2)
        #expect(
            run.stderr.contains("--ctx 1000000000 is larger than the model's training context (8192 tokens)"),
            "\(run.stderr)")
        #expect(!run.stderr.contains("raise --ctx"))
        let perplexity = try ParleyBinary.run([
            "perplexity", "-m", Self.model, "--ctx", "1000000000", "--tokens", "/dev/null"
        ])
        #expect(perplexity.status == 2, "\(perplexity.stderr)")
        #expect(perplexity.stderr.contains("training context"))
    }
}

extension TranscriptSafetyCLITests {
    /// The chat checks the lock before the screen opens, so this needs no terminal.
    @Test(.requires(.smolLM2Q4_1))
    func theChatRefusesToOpenAHeldTranscript() throws {
        let home = ParleyBinary.temporaryDirectory()
        let file = home.appendingPathComponent("chat.json")
        try Data(Self.transcriptJSON().utf8).write(to: file)
        let fd = open(home.appendingPathComponent(".chat.json.lock").path, O_RDWR | O_CREAT, 0o600)
        defer { close(fd) }
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
        let result = try ParleyBinary.run(["chat", "-m", Self.model, "--open", file.path], home: home)
        #expect(result.status == 1)
        #expect(result.stderr.contains("another Parley") && result.stderr.contains(file.path), "\(result.stderr)")
    }
}
