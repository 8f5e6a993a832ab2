#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Perplexity of `model` on `tokens`, by llama.cpp's `llama-perplexity` protocol, so the numbers
/// compare directly with llama.cpp's.
///
/// The tokens are cut into `tokens.count / context` chunks of `context` tokens (the remainder
/// is dropped). Each chunk is evaluated from an empty cache at positions `0..<context`; with
/// `addBOS` its first token is replaced by `bos`. Only the second half is scored: the logits at
/// positions `context/2 ..< context-1` predict the tokens after them. The result is
/// `exp(mean negative log-likelihood)` over all scored tokens, and each chunk's own perplexity.
/// llama.cpp's published figures use an F16 KV cache, this function's default.
///
/// - Throws: `InferenceError.invalidArgument` when there is not one whole chunk, the context is
///   below 4, `addBOS` is set without a `bos` id, or a scored logit is NaN or infinite (corrupt
///   weights: a `nan` result would look like an answer); model errors from evaluation.
public func perplexity(
    model: LanguageModel, tokens: [Int32], context: Int = 256, addBOS: Bool, bos: Int32?,
    threads: Int = Transformer.defaultThreads, cachePrecision: KVCachePrecision = .f16
)
    throws -> (ppl: Double, perChunk: [Double])
{
    guard context >= 4 else {
        throw InferenceError.invalidArgument("perplexity context must be at least 4, got \(context)")
    }
    let chunkCount = tokens.count / context
    guard chunkCount > 0 else {
        throw InferenceError.invalidArgument("perplexity needs at least \(context) tokens, got \(tokens.count)")
    }
    if addBOS && bos == nil { throw InferenceError.invalidArgument("addBOS is set but the model has no BOS token id") }

    let transformer = try Transformer(
        model: model, contextLength: context, threads: threads,
        batchSize: context - context / 2, cachePrecision: cachePrecision)
    let first = context / 2
    var chunk = [Int32](repeating: 0, count: context)
    var totalNLL = 0.0
    var scored = 0
    var perChunk: [Double] = []
    for index in 0..<chunkCount {
        chunk.replaceSubrange(0..<context, with: tokens[(index * context)..<((index + 1) * context)])
        if addBOS, let bos { chunk[0] = bos }
        transformer.truncate(to: 0)
        _ = try transformer.evaluate(Array(chunk[0..<first]), logits: .none)
        let logits = try transformer.evaluate(Array(chunk[first..<context]), logits: .all)
        var chunkNLL = 0.0
        for row in 0..<(context - first - 1) {
            try FiniteLogits.check(logits.row(row), "in chunk \(index + 1) at position \(first + row)")
            chunkNLL += negativeLogLikelihood(logits.row(row), target: Int(chunk[first + row + 1]))
        }
        let count = context - first - 1
        totalNLL += chunkNLL
        scored += count
        perChunk.append(exp(chunkNLL / Double(count)))
    }
    return (exp(totalNLL / Double(scored)), perChunk)
}

/// `-log softmax(logits)[target]`: exponentials in F32 eight at a time (each term is at most
/// 1 after subtracting the maximum), summed in Double.
func negativeLogLikelihood(_ logits: UnsafeBufferPointer<Float>, target: Int) -> Double {
    var maxLogit = -Float.infinity
    for value in logits { maxLogit = max(maxLogit, value) }
    let shift = SIMD8<Float>(repeating: maxLogit)
    var sum = 0.0
    var i = 0
    if let base = logits.baseAddress {
        while i + 8 <= logits.count {
            let e = VectorMath.exp(UnsafeRawPointer(base + i).loadUnaligned(as: SIMD8<Float>.self) - shift)
            sum += Double(e.sum())
            i += 8
        }
    }
    while i < logits.count {
        sum += exp(Double(logits[i] - maxLogit))
        i += 1
    }
    return log(sum) - Double(logits[target] - maxLogit)
}
