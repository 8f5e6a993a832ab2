import Testing

/// Every command takes `-t/--threads` through one option group with one range (issue #10,
/// finding 2: `perplexity --threads 2000` trapped in `pthread_create`, 100000 exhausted the machine).
@Suite(.requires([ParleyBinary.requirement]))
struct ThreadOptionCommandTests {
    @Test(arguments: [
        ["perplexity", "-m", "/nonexistent.gguf", "--tokens", "/nonexistent.json", "--threads", "2000"],
        ["perplexity", "-m", "/nonexistent.gguf", "--tokens", "/nonexistent.json", "-t", "100000"],
        ["run", "-m", "/nonexistent.gguf", "-p", "hi", "--threads", "0"],
        ["chat", "--threads", "257"],
        ["bench", "-m", "/nonexistent.gguf", "-t", "1,2000"]
    ])
    func threadCountsOutsideOneTo256AreUsageErrors(arguments: [String]) throws {
        let result = try ParleyBinary.run(arguments)
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains("must be between 1 and 256"), "\(result.stderr)")
    }
}
