import Foundation
import TestSupport
import Testing

/// Issue #17, bug 8: `parley run` applies the same rules, with the same messages, as the F3
/// panel and empty standard input: an empty `-p`, a `--max-tokens` beyond the context window
/// and a `--logit-bias` id beyond the vocabulary are usage errors (exit 2, as every usage error), and nothing runs.
@Suite(.serialized, .requires([ParleyBinary.requirement]))
struct RunValidationCLITests {
    @Test(.requires(.smolLM2Q4_1), arguments: ["", "   \n"])
    func anEmptyPromptIsAUsageErrorLikeEmptyStdin(_ prompt: String) throws {
        let flag = try ParleyBinary.run(["run", "-m", ParleyBinary.smolLM2, "-p", prompt])
        let stdin = try ParleyBinary.run(["run", "-m", ParleyBinary.smolLM2], input: prompt)
        #expect(stdin.status == 2 && flag.status == stdin.status, "\(flag.stderr)")
        #expect(flag.stderr.contains("the prompt given with -p is empty") && flag.stdout.isEmpty)
    }

    /// F3 caps max_tokens at the context; `run` refuses more with F3's message.
    @Test(.requires(.smolLM2Q4_1)) func maxTokensBeyondTheContextIsRefused() throws {
        let result = try ParleyBinary.run([
            "run", "-m", ParleyBinary.smolLM2, "--ctx", "256", "--max-tokens", "99999",
            "-p", "What is 2+2?"
        ])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("max_tokens must be at most the context length (256)") && result.stdout.isEmpty)
        // The default max_tokens (512) on a smaller window is not the person's choice: it still runs.
        let fallback = try ParleyBinary.run([
            "run", "-m", ParleyBinary.smolLM2, "--ctx", "256", "--temperature", "0",
            "-p", "What is 2+2?"
        ])
        #expect(fallback.status == 0, "\(fallback.stderr)")
        #expect(fallback.stdout == "The answer to this classic math problem is 4.\n")
    }

    /// SmolLM2's vocabulary has 49,152 tokens (llama.cpp's `n_vocab`): id 49151 is the last.
    @Test(.requires(.smolLM2Q4_1)) func logitBiasBeyondTheVocabularyIsRefused() throws {
        let result = try ParleyBinary.run(["run", "-m", ParleyBinary.smolLM2, "--logit-bias", "49152=5", "-p", "Hi"])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("logit_bias token id 49152 is beyond the vocabulary (ids 0 to 49151)"))
        let last = try ParleyBinary.run([
            "run", "-m", ParleyBinary.smolLM2, "--logit-bias", "49151=-100", "--max-tokens", "1",
            "-p", "Hi"
        ])
        #expect(last.status == 0, "\(last.stderr)")
    }
}
