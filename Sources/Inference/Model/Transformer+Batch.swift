/// The batch API: several sequences in one KV cache, evaluated together.
///
/// Sequences are numbered by the caller. A sequence forked from another shares that one's
/// cached positions (its prompt is stored once, `KVCells`); each can then grow, be truncated
/// or be removed on its own. `evaluate(_ batch:)` runs one forward pass over all the batch's
/// tokens, so every weight matrix is read once per step however many sequences step.
extension Transformer {
    /// Tokens cached for `sequence` (0 for an unknown one).
    public func length(of sequence: Int) -> Int { cache.length(of: sequence) }

    /// Sequences currently in the cache.
    public var sequenceIDs: [Int] { cache.main.cells.sequences.keys.sorted() }

    /// Cells of the main pool holding a position of some sequence; a prompt shared by forks
    /// counts once.
    public var cellsInUse: Int { cache.main.cells.cellsInUse }

    /// KV cache cells of the main pool (positions of all sequences together).
    public var cacheCellCount: Int { cache.capacity }

    /// Rows one step can still add, of any sequences: the free cells of the fullest pool (a
    /// sliding window's ring frees a sequence's oldest cells after each step).
    public var freeCells: Int { cache.freeCells }

    /// How many of the first `length` positions of `sequence` the cache can continue from:
    /// `length`, or 0 when a sliding-window ring no longer holds what the next token would see.
    public func servableLength(of sequence: Int, atMost length: Int) -> Int {
        cache.servableLength(of: sequence, atMost: min(length, cache.length(of: sequence)))
    }

    /// Makes `sequence` a copy of the first `length` positions of `source` (all of them when
    /// nil) without copying keys or values: the cells are shared. Replaces an existing `sequence`.
    /// Returns the positions shared: `length`, or fewer (0) where `truncate` would keep fewer.
    @discardableResult
    public func fork(_ sequence: Int, from source: Int, length: Int? = nil) throws(InferenceError) -> Int {
        let available = cache.length(of: source)
        let count = length ?? available
        guard count >= 0, count <= available else {
            throw .invalidArgument("cannot fork \(count) positions of sequence \(source), which has \(available)")
        }
        guard sequence != source else { throw .invalidArgument("a sequence cannot be forked into itself") }
        return cache.fork(sequence, from: source, length: count)
    }

    /// Forgets `sequence`; cells no other sequence shares become free.
    public func remove(sequence: Int) {
        cache.remove(sequence)
    }

    /// Keeps the first `length` positions of `sequence`, or none when a sliding-window ring no
    /// longer holds what its next token would see (see `truncate(to:)`); returns the length kept.
    @discardableResult
    public func truncate(sequence: Int, to length: Int) throws(InferenceError) -> Int {
        let current = cache.length(of: sequence)
        guard length >= 0, length <= current else {
            throw .invalidArgument("cannot truncate sequence \(sequence) of \(current) positions to \(length)")
        }
        return cache.truncate(sequence, to: length)
    }

    /// Keeps only `sequence`, which becomes the default sequence (0) of the single-sequence API,
    /// its keys and values moved to the front of the cache so it evaluates exactly as if it had
    /// been evaluated alone (e.g. the alternative a conversation continues from).
    public func keepOnly(sequence: Int) {
        cache.compact(keeping: sequence, as: Self.defaultSequence)
    }

    /// Evaluates every token of `batch` at the next positions of its sequence (a sequence not
    /// yet in the cache starts empty) and returns the logits of the entries that asked for them,
    /// one row each in entry order (valid until the next call). Micro-batches of `batchSize`
    /// entries; within one, each weight matrix is applied to all rows in one product.
    public func evaluate(_ batch: TokenBatch) throws(InferenceError) -> EvaluatedLogits {
        let vocabulary = model.config.vocabularySize
        guard !batch.isEmpty else { throw .invalidArgument("evaluate needs at least one token") }
        for token in batch.tokens where token < 0 || Int(token) >= vocabulary {
            throw .tokenOutOfRange(token: token, vocabularySize: vocabulary)
        }
        // Each sequence's token count, in scratch arrays that keep their capacity: a step
        // allocates nothing (a batch holds few sequences, so a linear search beats hashing).
        let groups = plan.sequenceCounts
        groups.count(batch.sequences)
        for (sequence, count) in zip(groups.sequences, groups.remaining)
        where length(of: sequence) + count > contextLength {
            throw .contextOverflow(position: length(of: sequence), tokenCount: count, contextLength: contextLength)
        }
        guard cache.fits(rows: batch.count) else {
            throw .contextOverflow(position: cellsInUse, tokenCount: batch.count, contextLength: cache.capacity)
        }
        let wanted = batch.logitsCount
        let output = wanted > 0 ? state.logitsForAll(tokens: wanted, vocabulary: vocabulary) : nil
        var start = 0
        var outputRow = 0
        while start < batch.count {
            let end = min(start + state.batch, batch.count)
            // A ring frees old positions between micro-batches; others may have filled it.
            guard cache.fits(rows: end - start) else {
                throw .contextOverflow(
                    position: cellsInUse, tokenCount: batch.count - start, contextLength: cache.capacity)
            }
            plan.removeAll()
            plan.decodesRowsAlone = batch.decodesRowsAlone
            for entry in start..<end {
                let sequence = batch.sequences[entry]
                let group = groups.index(of: sequence)
                cache.append(
                    sequence, upcoming: groups.remaining[group], token: batch.tokens[entry],
                    wantsLogits: batch.wantsLogits[entry], into: plan)
                groups.remaining[group] -= 1
            }
            plan.attachSequences(precision: cache.precision) { cache.spans(of: $0, pool: $1) }
            forward(plan, logits: output.map { ($0, outputRow) })
            cache.slide(plan)
            outputRow += plan.outputRows.count
            start = end
        }
        return wanted > 0
            ? EvaluatedLogits(rows: wanted, vocabularySize: vocabulary, base: output?.base)
            : .empty(vocabularySize: vocabulary)
    }
}
