/// Where each row of one micro-batch goes: its sequence position, its cache cell, the cells
/// its attention reads, and which rows produce logits.
///
/// `Transformer` fills it before `forward` from a `TokenBatch` (or a single sequence's tokens);
/// the forward pass and `Attention` only read it. The arrays keep their capacity, so a decoding
/// step allocates nothing once the first step has sized them.
final class BatchPlan {
    /// Rows in this micro-batch.
    private(set) var count = 0
    /// Token of each row.
    private(set) var tokens: [Int32] = []
    /// Position of each row within its sequence (RoPE angle, causal limit).
    private(set) var positions: [Int] = []
    /// Cache cell each row's key and value are stored in.
    private(set) var cells: [Int] = []
    /// Each row's attention: `spanCount[t]` spans from `spanStart[t]` in `spans`, of which the
    /// first `positions[t] + 1` cells are visible to it (causality within the sequence).
    private(set) var spanStart: [Int] = []
    private(set) var spanCount: [Int] = []
    /// Cell spans of the batch's sequences, in position order, concatenated.
    private(set) var spans: [Range<Int>] = []
    /// Whether each row's attention takes the exact F32 kernels rather than the F16 one-row
    /// kernel (see `Attention.usesExactKernel`).
    private(set) var exact: [Bool] = []
    /// Rows whose logits are wanted, ascending.
    private(set) var outputRows: [Int] = []
    /// Whether the rows belong to more than one sequence.
    private(set) var isMultiSequence = false
    /// Whether every row must round as a one-token step would (`TokenBatch.decodesRowsAlone`).
    var decodesRowsAlone = false
    /// Whether the matrix products take the one-token kernels for every row.
    var isRowInvariant: Bool { isMultiSequence || decodesRowsAlone }
    /// Sequences attached so far.
    private var attached = 0
    /// Token counts per sequence of the whole `TokenBatch` being evaluated (it may span several
    /// micro-batches, so `removeAll` leaves it alone).
    let sequenceCounts = SequenceCounts()
    /// Each row's sequence (for `attachSequences`), and scratch for grouping rows by it.
    private var rowSequences: [Int] = []
    private var grouped: [Bool] = []
    private var groupRows: [Int] = []

    init(capacity: Int) {
        tokens.reserveCapacity(capacity)
        positions.reserveCapacity(capacity)
        cells.reserveCapacity(capacity)
        spanStart.reserveCapacity(capacity)
        spanCount.reserveCapacity(capacity)
        exact.reserveCapacity(capacity)
        outputRows.reserveCapacity(capacity)
        rowSequences.reserveCapacity(capacity)
        grouped.reserveCapacity(capacity)
        groupRows.reserveCapacity(capacity)
    }

    func removeAll() {
        count = 0
        tokens.removeAll(keepingCapacity: true)
        positions.removeAll(keepingCapacity: true)
        cells.removeAll(keepingCapacity: true)
        spanStart.removeAll(keepingCapacity: true)
        spanCount.removeAll(keepingCapacity: true)
        spans.removeAll(keepingCapacity: true)
        exact.removeAll(keepingCapacity: true)
        outputRows.removeAll(keepingCapacity: true)
        rowSequences.removeAll(keepingCapacity: true)
        isMultiSequence = false
        decodesRowsAlone = false
        attached = 0
    }

    /// Adds a row; its attention spans are filled by `attach(spans:rows:)` once every row of
    /// its sequence has a cell.
    func append(token: Int32, position: Int, cell: Int, wantsLogits: Bool, sequence: Int = 0) {
        if wantsLogits { outputRows.append(count) }
        rowSequences.append(sequence)
        tokens.append(token)
        positions.append(position)
        cells.append(cell)
        spanStart.append(0)
        spanCount.append(0)
        exact.append(false)
        count += 1
    }

    /// Gives `rows` (all of one sequence) that sequence's cell spans, and the attention kernel
    /// chosen for a sequence contributing `rows.count` rows.
    func attach(spans sequenceSpans: [Range<Int>], rows: some Collection<Int>, precision: KVCachePrecision) {
        let start = spans.count
        attached += 1
        isMultiSequence = attached > 1
        spans.append(contentsOf: sequenceSpans)
        for row in rows {
            spanStart[row] = start
            spanCount[row] = sequenceSpans.count
            exact[row] = Attention.usesExactKernel(
                precision: precision, sequenceRows: decodesRowsAlone ? 1 : rows.count,
                position: positions[row])
        }
    }

    /// Attaches every row's sequence spans (`spansOf(sequence)`), one sequence at a time, its
    /// rows grouped without allocating (scratch arrays keep their capacity).
    func attachSequences(precision: KVCachePrecision, spansOf: (Int) -> [Range<Int>]) {
        grouped.removeAll(keepingCapacity: true)
        grouped.append(contentsOf: repeatElement(false, count: count))
        for first in 0..<count where !grouped[first] {
            let sequence = rowSequences[first]
            groupRows.removeAll(keepingCapacity: true)
            for t in first..<count where !grouped[t] && rowSequences[t] == sequence {
                grouped[t] = true
                groupRows.append(t)
            }
            attach(spans: spansOf(sequence), rows: groupRows, precision: precision)
        }
    }

    /// The spans row `t` attends over (the first `positions[t] + 1` of their cells).
    @inline(__always)
    func spans(ofRow t: Int, in buffer: UnsafeBufferPointer<Range<Int>>) -> UnsafeBufferPointer<Range<Int>> {
        UnsafeBufferPointer(rebasing: buffer[spanStart[t]..<(spanStart[t] + spanCount[t])])
    }

    /// The tokens as a buffer (for the embedding lookup).
    func withTokens<R>(_ body: (UnsafeBufferPointer<Int32>) -> R) -> R {
        tokens.withUnsafeBufferPointer(body)
    }
}

/// The distinct sequences of a batch and how many of their tokens are still to be placed, in
/// arrays that keep their capacity (a batch holds few sequences: linear search, no hashing).
final class SequenceCounts {
    private(set) var sequences: [Int] = []
    var remaining: [Int] = []

    /// Counts the tokens of each sequence in `batchSequences`.
    func count(_ batchSequences: [Int]) {
        sequences.removeAll(keepingCapacity: true)
        remaining.removeAll(keepingCapacity: true)
        for sequence in batchSequences {
            if let index = sequences.firstIndex(of: sequence) {
                remaining[index] += 1
            } else {
                sequences.append(sequence)
                remaining.append(1)
            }
        }
    }

    /// The index of `sequence`, which `count` saw.
    func index(of sequence: Int) -> Int {
        guard let index = sequences.firstIndex(of: sequence) else {
            preconditionFailure("sequence \(sequence) not counted")
        }
        return index
    }
}
