import Foundation
import TestSupport
import Testing

/// The harness itself: `ParleyBinary.run` returns whatever the binary writes, however much it
/// writes to either stream (issue #12 item 8).
@Suite(.requires([ParleyBinary.requirement]))
struct ParleyBinaryTests {
    /// An error message of about 100 KB (the missing model's path, echoed) fills the stderr pipe
    /// while nothing is written to stdout: reading stdout to its end first waited for ever.
    @Test func moreThanAPipeOfStderrDoesNotDeadlock() throws {
        let path = "/nonexistent-parley/" + String(repeating: "deep/", count: 20_000) + "model.gguf"
        let result = try ParleyBinary.run(["run", "-m", path, "-p", "hi"])
        #expect(result.status != 0)
        #expect(result.stderr.utf8.count > 100_000, "\(result.stderr.utf8.count) bytes of stderr")
        #expect(result.stderr.contains("model file not found") && result.stderr.contains("model.gguf"))
    }

    /// Far more than a pipe of input and of output in one run.
    @Test(.requires([.vocabularies])) func muchInputAndMuchOutput() throws {
        let text = String(repeating: "hello world ", count: 20_000) // 240 KB, about 40,000 tokens
        let vocab = TestPaths.model("vocab/ggml-vocab-smollm2.gguf").path
        let result = try ParleyBinary.run(["tokenize", "-m", vocab, "--stdin"], input: text)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.utf8.count > 65_536)
    }
}
