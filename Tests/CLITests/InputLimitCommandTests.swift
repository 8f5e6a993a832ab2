import Foundation
import TestSupport
import Testing

/// Texts too long to tokenize (issue #10, finding 3) are refused with their size and the limit,
/// before they are tokenized, by every command that takes text.
@Suite(.requires([ParleyBinary.requirement]))
struct InputLimitCommandTests {
    static func oversizedText() -> String { String(repeating: "a", count: (8 << 20) + 1) }

    @Test func tokenizeRefusesAnOversizedFileNamingItsSizeAndTheLimit() throws {
        let folder = ParleyBinary.temporaryDirectory()
        let text = folder.appendingPathComponent("word.txt")
        try Data(Self.oversizedText().utf8).write(to: text)
        let result = try ParleyBinary.run(["tokenize", "-m", "/nonexistent.gguf", "-f", text.path])
        #expect(result.status == 1)
        #expect(
            result.stderr.contains("\(text.path): the text is 8388609 bytes long, more than the 8388608 bytes"),
            "\(result.stderr)")
    }

    @Test func tokenizeRefusesOversizedStandardInput() throws {
        let result = try ParleyBinary.run(
            ["tokenize", "-m", "/nonexistent.gguf", "--stdin"], input: Self.oversizedText())
        #expect(result.status == 1)
        #expect(result.stderr.contains("standard input: the text is"), "\(result.stderr)")
        #expect(result.stderr.contains("8388608 bytes (8 MiB)"), "\(result.stderr)")
    }

    @Test(.requires(.smolLM2Q4_1))
    func runRefusesAnOversizedPromptClearly() throws {
        let result = try ParleyBinary.run(
            ["run", "-m", ParleyBinary.smolLM2, "--max-tokens", "1"],
            input: Self.oversizedText())
        #expect(result.status == 1)
        #expect(
            result.stderr.contains("the message is 8388609 bytes long, more than the 8388608 bytes"),
            "\(result.stderr)")
    }
}
