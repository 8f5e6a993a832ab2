import Foundation
import Testing

/// `--cache-type f16|q8_0` on every command that runs a model: another value is a usage error
/// naming the choices, and `run --cache-type q8_0` answers through the Q8_0 cache.
@Suite(.requires([ParleyBinary.requirement]))
struct CacheTypeCommandTests {
    @Test(arguments: [
        ["perplexity", "-m", "/nonexistent.gguf", "--tokens", "/nonexistent.json", "--cache-type", "q4_0"],
        ["run", "-m", "/nonexistent.gguf", "-p", "hi", "--cache-type", "f32"],
        ["serve", "-m", "/nonexistent.gguf", "--cache-type", "Q8"],
        ["chat", "--cache-type", ""],
        ["bench", "-m", "/nonexistent.gguf", "--cache-type", "q8"]
    ])
    func otherCacheTypesAreUsageErrors(arguments: [String]) throws {
        let result = try ParleyBinary.run(arguments)
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains("--cache-type must be one of f16, q8_0"), "\(result.stderr)")
    }

    /// Greedy "2+2" through the Q8_0 cache: an answer (the cache's rounding may change its
    /// words, so only that one comes, and that the JSON is a completion).
    @Test(.requires(.smolLM2Q4_1)) func runAnswersWithTheQ8Cache() throws {
        let result = try ParleyBinary.run([
            "run", "-m", ParleyBinary.smolLM2, "--temperature", "0", "--max-tokens", "8", "--json",
            "--cache-type", "q8_0", "-p", "What is 2+2?"
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let choices = object?["choices"] as? [[String: Any]]
        let content = (choices?.first?["message"] as? [String: Any])?["content"] as? String
        #expect(content?.isEmpty == false, "\(result.stdout)")
    }
}
