/// Batched decoding benchmarks: `n` sequences sharing a prompt, one token each per step.
extension ModelBenchmark {
    /// `tg<tokens>x<sequences>`: a prompt of `promptTokens` random tokens evaluated once, forked
    /// into `sequences` sequences, then `tokens` batched steps of one random token per sequence.
    /// Tokens/s counts every sequence's tokens (aggregate). With `topLogprobs` ≥ 0 each step also
    /// scores one token per sequence with that many alternatives (`LogSoftmax.score`), the work
    /// `--logprobs` adds to decoding; -1 leaves it out.
    public static func batchedGeneration(
        model: LanguageModel, sequences: Int, tokens: Int, promptTokens: Int = 32,
        topLogprobs: Int = -1, repetitions: Int = 5,
        threads: Int = Transformer.defaultThreads, seed: UInt64 = 1
    ) throws -> Result {
        let context = promptTokens + tokens
        let transformer = try Transformer(
            model: model, contextLength: context, threads: threads,
            cacheCells: promptTokens + sequences * tokens)
        var random = BenchmarkRandom(seed: seed)
        let prompt = (0..<promptTokens).map { _ in random.token(below: model.config.vocabularySize) }
        let ids = (0..<(tokens * sequences)).map { _ in random.token(below: model.config.vocabularySize) }
        var batch = TokenBatch(capacity: sequences)
        var scored = 0.0
        var rates: [Double] = []
        for run in 0...max(1, repetitions) {
            transformer.truncate(to: 0)
            for sequence in 1..<max(1, sequences) { transformer.remove(sequence: sequence) }
            _ = try transformer.evaluate(prompt, logits: .none)
            for sequence in 1..<max(1, sequences) { try transformer.fork(sequence, from: 0) }
            let seconds = try time {
                for step in 0..<tokens {
                    batch.removeAll()
                    for sequence in 0..<sequences {
                        batch.append(ids[step * sequences + sequence], sequence: sequence, logits: true)
                    }
                    let logits = try transformer.evaluate(batch)
                    if topLogprobs >= 0 {
                        for row in 0..<sequences {
                            scored +=
                                LogSoftmax.score(
                                    ids[step * sequences + row], logits: logits.row(row),
                                    top: topLogprobs
                                ).logprob
                        }
                    }
                }
            }
            if run > 0 { rates.append(Double(tokens * sequences) / seconds) }
        }
        let suffix = topLogprobs >= 0 ? " logprobs \(topLogprobs)" : ""
        return Result(
            name: "tg\(tokens)x\(sequences)\(suffix)" + (scored.isNaN ? " (nan)" : ""),
            threads: transformer.threads, tokensPerSecond: rates, generatedTokens: tokens * sequences)
    }
}
