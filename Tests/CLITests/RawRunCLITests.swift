import Foundation
import TestSupport
import Testing

/// `parley run --raw` (issue #16): a base model continues a text with no chat template.
@Suite(.serialized, .requires([ParleyBinary.requirement]))
struct RawRunCLITests {
    /// stories260K (no chat template) continues "Once upon a time" with llama.cpp's greedy text
    /// (`stories260K.greedy.json`: BOS, then the text's tokens, no template).
    @Test(.requires(.stories260K)) func greedyContinuationIsLlamaCppsText() throws {
        let data = try Data(contentsOf: TestPaths.referenceFile("stories260K.greedy.json"))
        let cases = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        let reference = try #require(cases.first { $0["prompt"] as? String == "Once upon a time" })
        let text = try #require(reference["greedy_text"] as? String)
        let count = try #require(reference["greedy_tokens"] as? [Int]).count
        let model = TestPaths.model(TestModel.stories260K.fileName).path
        let result = try ParleyBinary.run([
            "run", "--raw", "-m", model, "--temperature", "0",
            "--max-tokens", "\(count)", "-p", "Once upon a time"
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == text + "\n")
    }

    /// `--n` decodes alternatives of the same text; greedy ones are identical (any base model: the
    /// generated tiny llama, whose greedy choices are always text pieces).
    @Test(.requires([.syntheticLlamaSPM])) func alternativesApply() throws {
        let model = GeneratedModels.llamaSPM.path
        let result = try ParleyBinary.run([
            "run", "--raw", "-m", model, "--temperature", "0", "--max-tokens", "8",
            "--n", "2", "-p", "Once upon a time"
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let parts = result.stdout.components(separatedBy: "\n").filter { !$0.isEmpty }
        #expect(
            parts.count == 4 && parts[0] == "--- continuation 1 of 2 ---" && parts[2] == "--- continuation 2 of 2 ---")
        #expect(parts.count == 4 && parts[1] == parts[3] && !parts[1].isEmpty)
    }

    /// Roles and transcripts do not apply to raw text: a usage error, exit 2.
    @Test func rawRefusesTranscriptOptions() throws {
        let result = try ParleyBinary.run(["run", "--raw", "--save", "/tmp/never-written.json", "-p", "x"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--raw"))
    }
}
