/// Every activation buffer of the forward pass, allocated once for batches of up to `batch` tokens.
///
/// A batch of `n` tokens uses the first `n` rows of each matrix. Nothing here is allocated
/// while tokens are evaluated, except `allLogits`, which grows (rarely) to the largest
/// "logits for every token" request.
final class RunState {
    /// Tokens per forward micro-batch (rows of every matrix below).
    let batch: Int
    /// Residual stream, `[batch × dim]`.
    let x: StateMatrix
    /// Normalized input of a sub-layer, `[batch × dim]`.
    let normed: StateMatrix
    /// Queries, `[batch × queryDim]`.
    let query: StateMatrix
    /// Keys and values of the batch before they enter the cache, `[batch × kvDim]` each.
    let key: StateMatrix
    let value: StateMatrix
    /// Attention output (all heads), `[batch × queryDim]`.
    let attention: StateMatrix
    /// Output of a sub-layer before it is added to the residual, `[batch × dim]`.
    let delta: StateMatrix
    /// SwiGLU gate and up projections, `[batch × ffn]` each; the gate holds the product after.
    let gate: StateMatrix
    let up: StateMatrix
    /// cos/sin of each token's RoPE angles, `[batch × ropeDims/2]` each, one pair of matrices
    /// per RoPE base of the model (`LanguageModel.ropeTables`; Gemma 3 has two).
    let ropeCos: [StateMatrix]
    let ropeSin: [StateMatrix]
    /// Attention scratch (`Attention.scratchShape`): a row per worker, then chunk partials.
    let scores: StateMatrix
    /// Logits of the last token, `[1 × vocab]`.
    let lastLogits: StateMatrix
    /// Logits of every token of the last `evaluate(.all)`, `[tokens × vocab]`; grown on demand.
    var allLogits: StateMatrix?
    /// The quantized-activation buffers of `matmul`.
    var scratch: MatMulScratch
    /// `[query, key, value]` base pointers: outputs of the grouped Q/K/V `matmul`.
    let queryKeyValue: [UnsafeMutablePointer<Float>]
    /// `[gate, up]` base pointers: outputs of the grouped feed-forward `matmul`.
    let gateUp: [UnsafeMutablePointer<Float>]

    init(config c: ModelConfig, batch: Int, contextLength: Int, workers: Int) {
        self.batch = batch
        x = StateMatrix(rows: batch, columns: c.embeddingLength)
        normed = StateMatrix(rows: batch, columns: c.embeddingLength)
        query = StateMatrix(rows: batch, columns: c.queryDimension)
        key = StateMatrix(rows: batch, columns: c.kvDimension)
        value = StateMatrix(rows: batch, columns: c.kvDimension)
        attention = StateMatrix(rows: batch, columns: c.queryDimension)
        delta = StateMatrix(rows: batch, columns: c.embeddingLength)
        gate = StateMatrix(rows: batch, columns: c.feedForwardLength)
        up = StateMatrix(rows: batch, columns: c.feedForwardLength)
        let tables = max(1, c.ropeBases.count)
        ropeCos = (0..<tables).map { _ in StateMatrix(rows: batch, columns: c.ropeDimensionCount / 2) }
        ropeSin = (0..<tables).map { _ in StateMatrix(rows: batch, columns: c.ropeDimensionCount / 2) }
        let attentionScratch = Attention.scratchShape(config: c, contextLength: contextLength, workers: workers)
        scores = StateMatrix(rows: attentionScratch.rows, columns: attentionScratch.columns)
        lastLogits = StateMatrix(rows: 1, columns: c.vocabularySize)
        let widest = max(c.embeddingLength, c.queryDimension, c.feedForwardLength)
        scratch = MatMulScratch(maxColumns: widest, maxTokens: batch, workers: workers)
        queryKeyValue = [query.base, key.base, value.base]
        gateUp = [gate.base, up.base]
    }

    /// A logits matrix with room for `tokens` rows (reused when large enough).
    func logitsForAll(tokens: Int, vocabulary: Int) -> StateMatrix {
        if let existing = allLogits, existing.rows >= tokens { return existing }
        let grown = StateMatrix(rows: tokens, columns: vocabulary)
        allLogits = grown
        return grown
    }

    /// Bytes of all buffers (activations, scores, logits; the matmul scratch excluded).
    var byteCount: Int {
        ([x, normed, query, key, value, attention, delta, gate, up, scores, lastLogits] + ropeCos + ropeSin)
            .reduce(allLogits?.byteCount ?? 0) { $0 + $1.byteCount }
    }
}
