/// llama-bench-style throughput measurements: prompt processing (`pp`) and text generation (`tg`).
///
/// `pp p`: a prompt of `p` random tokens evaluated as one batch in an empty context.
/// `tg n`: `n` tokens evaluated one at a time from an empty context (each a decoding step).
/// Each test runs once untimed (warm-up: page faults, caches, worker spin-up), then `repetitions`
/// timed runs; the result is tokens/s per run with mean and standard deviation, like llama-bench.
/// Token ids are drawn from a seeded generator so runs are reproducible. With `depth` d (as
/// llama-bench's `-d`), d random tokens are evaluated once first and every run starts from them
/// (the cache cut back to d): the test is then named `pp128 @ d512`, `tg64 @ d2048`, ...
/// `verify p` is `pp p` evaluated as speculative decoding's verification pass (a logit row
/// for every token, each rounded as a one-token step): p tokens/s over `tg`'s is the speed-up
/// that drafts of p - 1 tokens give when every one is accepted, the most they can gain.
public enum ModelBenchmark {
    /// The measured runs of one test.
    public struct Result: Sendable, CustomStringConvertible {
        /// `pp128`, `tg64`, ...
        public let name: String
        public let threads: Int
        /// Tokens per second of each timed run.
        public let tokensPerSecond: [Double]
        /// Tokens each run evaluates as a prompt (llama-bench's `n_prompt`; 0 for `tg`).
        public var promptTokens = 0
        /// Tokens each run generates, every sequence's counted (llama-bench's `n_gen`; 0 for `pp`).
        public var generatedTokens = 0

        public var mean: Double { tokensPerSecond.reduce(0, +) / Double(max(1, tokensPerSecond.count)) }

        /// Sample standard deviation (0 for a single run).
        public var standardDeviation: Double {
            guard tokensPerSecond.count > 1 else { return 0 }
            let m = mean
            let squares = tokensPerSecond.reduce(0) { $0 + ($1 - m) * ($1 - m) }
            return (squares / Double(tokensPerSecond.count - 1)).squareRoot()
        }

        public var description: String {
            let sd = (standardDeviation * 100).rounded() / 100
            return "\(name) threads \(threads): \((mean * 100).rounded() / 100) ± \(sd) tokens/s"
        }
    }

    /// Prompt processing: `promptTokens` random tokens as one batch, `repetitions` times; as a
    /// verification pass (`verify p`) when `verificationPass` is set.
    public static func promptProcessing(
        model: LanguageModel, promptTokens: Int, repetitions: Int = 5,
        threads: Int = Transformer.defaultThreads, depth: Int = 0,
        seed: UInt64 = 1, cachePrecision: KVCachePrecision = .f16, verificationPass: Bool = false
    ) throws -> Result {
        let transformer = try Transformer(
            model: model, contextLength: depth + promptTokens, threads: threads,
            batchSize: promptTokens, cachePrecision: cachePrecision)
        var random = BenchmarkRandom(seed: seed)
        let context = try fill(transformer, depth: depth, random: &random, vocabulary: model.config.vocabularySize)
        let tokens = (0..<promptTokens).map { _ in random.token(below: model.config.vocabularySize) }
        // The batch speculative decoding verifies (`TextGenerator+Speculation.swift`).
        var pass = TokenBatch(capacity: promptTokens)
        pass.append(tokens, sequence: 0, logitsForAll: true)
        pass.decodesRowsAlone = true
        var rates: [Double] = []
        for run in 0...max(1, repetitions) {
            try refill(transformer, to: context)
            let seconds = try time {
                _ = try verificationPass ? transformer.evaluate(pass) : transformer.evaluate(tokens, logits: .last)
            }
            if run > 0 { rates.append(Double(promptTokens) / seconds) }
        }
        return Result(
            name: (verificationPass ? "verify" : "pp") + "\(promptTokens)" + suffix(depth),
            threads: transformer.threads, tokensPerSecond: rates, promptTokens: promptTokens)
    }

    /// Text generation: `tokens` single-token steps from an empty context, `repetitions` times.
    public static func textGeneration(
        model: LanguageModel, tokens: Int, repetitions: Int = 5,
        threads: Int = Transformer.defaultThreads, depth: Int = 0,
        seed: UInt64 = 1, cachePrecision: KVCachePrecision = .f16
    ) throws -> Result {
        let transformer = try Transformer(
            model: model, contextLength: depth + tokens, threads: threads, cachePrecision: cachePrecision)
        var random = BenchmarkRandom(seed: seed)
        let context = try fill(transformer, depth: depth, random: &random, vocabulary: model.config.vocabularySize)
        let ids = (0..<tokens).map { _ in random.token(below: model.config.vocabularySize) }
        var rates: [Double] = []
        for run in 0...max(1, repetitions) {
            try refill(transformer, to: context)
            let seconds = try time {
                for id in ids { _ = try transformer.evaluate(token: id) }
            }
            if run > 0 { rates.append(Double(tokens) / seconds) }
        }
        return Result(
            name: "tg\(tokens)" + suffix(depth), threads: transformer.threads, tokensPerSecond: rates,
            generatedTokens: tokens)
    }

    /// Evaluates `depth` random tokens (untimed), the context every run starts from; returns them.
    static func fill(_ transformer: Transformer, depth: Int, random: inout BenchmarkRandom, vocabulary: Int) throws
        -> [Int32]
    {
        guard depth > 0 else { return [] }
        let tokens = (0..<depth).map { _ in random.token(below: vocabulary) }
        _ = try transformer.evaluate(tokens, logits: .last)
        return tokens
    }

    /// Cuts the cache back to `context` (untimed); where a sliding window's ring cannot keep
    /// that much, evaluates the part it dropped again.
    static func refill(_ transformer: Transformer, to context: [Int32]) throws {
        let kept = transformer.truncate(to: context.count)
        if kept < context.count { _ = try transformer.evaluate(Array(context[kept...]), logits: .none) }
    }

    /// llama-bench's name for a test at a depth: ` @ d512` (nothing at depth 0).
    static func suffix(_ depth: Int) -> String { depth > 0 ? " @ d\(depth)" : "" }

    /// Wall-clock seconds of `body`.
    static func time(_ body: () throws -> Void) rethrows -> Double {
        let clock = ContinuousClock()
        let elapsed = try clock.measure(body)
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }
}

/// SplitMix64, for reproducible benchmark token ids.
struct BenchmarkRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func token(below limit: Int) -> Int32 { Int32(next() % UInt64(limit)) }
}
