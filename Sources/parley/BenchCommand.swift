import ArgumentParser
import Foundation
import GGUF
import Inference

/// `parley bench`: prompt-processing and generation speed, measured like llama-bench.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure prompt processing (pp) and generation (tg) tokens/s, like llama-bench."
    )

    @Option(name: [.short, .customLong("model")], help: "GGUF model file.") var model: String
    @Option(name: [.short, .customLong("prompt")], help: "Prompt tokens for the pp test (0 skips it).") var prompt = 128
    /// `-n` as in llama-bench (and the command line); `-g` kept for earlier scripts.
    @Option(
        name: [.customShort("n"), .customShort("g"), .customLong("n-gen"), .customLong("generate")],
        help: "Tokens for the tg test (0 skips it).") var generate = 64
    @Option(name: [.short, .customLong("threads")], help: "Comma-separated thread counts.") var threads = "1,2"
    @Option(name: [.short, .customLong("repetitions")], help: "Timed runs per test.") var repetitions = 5
    /// llama-bench's `-d`: tokens already in the KV cache when each test starts.
    @Option(
        name: [.short, .customLong("n-depth")],
        help: "Comma-separated context depths (tokens already cached), e.g. 0,512,2048.")
    var depth = "0"
    @OptionGroup var cacheTypeOptions: CacheTypeOptions
    @Flag(help: "Print JSON instead of a table.") var json = false
    @Flag(
        name: .customLong("verify-pass"),
        help:
            "Run the pp test as speculative decoding's verification pass (logits for every token, each as a one-token step): its t/s over tg's is the most speculation with passes of that size can gain."
    )
    var verifyPass = false
    /// Batched decoding, like llama-batched-bench's `-npl`: sequences sharing a 32-token prompt.
    @Option(name: .customLong("parallel"), help: "Comma-separated sequence counts for a batched tg test (e.g. 1,4).")
    var parallel: String?
    @Option(
        name: .customLong("top-logprobs"), help: "With --parallel: also score each token with K alternatives (0-20).")
    var topLogprobs: Int?

    func threadCounts() throws -> [Int] {
        let counts = threads.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !counts.isEmpty, counts.allSatisfy({ $0 != nil }) else {
            throw ValidationError("-t takes comma-separated thread counts, e.g. 1,2")
        }
        let parsed = counts.compactMap { $0 }
        for count in parsed { try ThreadOptions.check(count, option: "-t") }
        return parsed
    }

    func depths() throws -> [Int] {
        let values = depth.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ (0...1_048_576).contains($0 ?? -1) }) else {
            throw ValidationError("-d takes comma-separated depths from 0 to 1048576, e.g. 0,512,2048")
        }
        return values.compactMap { $0 }
    }

    func parallelCounts() throws -> [Int] {
        guard let parallel else { return [] }
        let counts = parallel.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !counts.isEmpty, counts.allSatisfy({ (1...64).contains($0 ?? 0) }) else {
            throw ValidationError("--parallel takes comma-separated sequence counts from 1 to 64, e.g. 1,4")
        }
        return counts.compactMap { $0 }
    }

    func validate() throws {
        _ = try threadCounts()
        _ = try parallelCounts()
        _ = try depths()
        if let topLogprobs, !(0...20).contains(topLogprobs) { throw ValidationError("--top-logprobs must be 0 to 20") }
        guard prompt >= 0, generate >= 0, prompt + generate > 0 else {
            throw ValidationError("-p and -n must not both be 0")
        }
        guard repetitions >= 1 else { throw ValidationError("-r must be at least 1") }
    }

    func run() throws {
        let gguf: GGUFFile
        do { gguf = try GGUFFile(path: model) } catch { throw RuntimeError("\(model): \(error)") }
        let languageModel = try LanguageModel(file: gguf)
        var results: [ModelBenchmark.Result] = []
        for count in try threadCounts() {
            for depth in try depths() {
                if prompt > 0 {
                    results.append(
                        try ModelBenchmark.promptProcessing(
                            model: languageModel, promptTokens: prompt,
                            repetitions: repetitions, threads: count, depth: depth,
                            cachePrecision: cacheTypeOptions.cacheType, verificationPass: verifyPass))
                }
                for sequences in try parallelCounts() where generate > 0 && depth == 0 {
                    results.append(
                        try ModelBenchmark.batchedGeneration(
                            model: languageModel, sequences: sequences,
                            tokens: generate, topLogprobs: topLogprobs ?? -1,
                            repetitions: repetitions, threads: count))
                }
                if generate > 0 && parallel == nil {
                    results.append(
                        try ModelBenchmark.textGeneration(
                            model: languageModel, tokens: generate,
                            repetitions: repetitions, threads: count, depth: depth,
                            cachePrecision: cacheTypeOptions.cacheType))
                }
            }
        }
        let name = URL(fileURLWithPath: model).lastPathComponent
        let cpu = CPUSummary()
        if json {
            let rows: [[String: Any]] = results.map {
                [
                    "model": name, "test": $0.name, "threads": $0.threads, "tokens_per_second": $0.mean,
                    "stddev": $0.standardDeviation, "samples": $0.tokensPerSecond,
                    "n_prompt": $0.promptTokens, "n_gen": $0.generatedTokens,
                    "cpu": cpu.model, "kernels": cpu.kernels, "cache_type": cacheTypeOptions.cacheType.rawValue
                ]
            }
            let data = try JSONSerialization.data(withJSONObject: rows, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            // Like llama-bench's build line: on stderr, so the table stays a table.
            FileHandle.standardError.write(
                Data(
                    "cpu: \(cpu.model), kernels: \(cpu.kernels), prefetch: \(cpu.prefetch), KV cache: \(cacheTypeOptions.cacheType.rawValue)\n"
                        .utf8))
            let size = String(format: "%.2f MiB", Double(gguf.fileSize) / 1_048_576)
            print("| model | size | threads | test | t/s |")
            print("| --- | ---: | ---: | ---: | ---: |")
            for result in results {
                print(
                    "| \(name) | \(size) | \(result.threads) | \(result.name) | "
                        + String(format: "%.2f ± %.2f", result.mean, result.standardDeviation) + " |")
            }
        }
    }
}
