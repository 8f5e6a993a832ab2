/// Where each row of one micro-batch goes: its sequence position, its cell in each pool of the
/// cache (`KVPool`), the cells its attention reads there, and which rows produce logits.
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
    /// Per pool: the cell each row's key and value are stored in.
    private(set) var cells: [[Int]]
    /// Per pool, each row's attention: `spanCount[p][t]` spans from `spanStart[p][t]` in
    /// `spans[p]`, holding its sequence's positions from `firstPosition[p][t]` on (0 unless a
    /// ring released older ones), of which those up to `positions[t]` are visible to it.
    private(set) var spanStart: [[Int]]
    private(set) var spanCount: [[Int]]
    private(set) var firstPosition: [[Int]]
    /// Per pool, cell spans of the batch's sequences, in position order, concatenated.
    private(set) var spans: [[Range<Int>]]
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
    /// Each row's sequence, and scratch for grouping rows by it (`attachSequences`).
    private(set) var rowSequences: [Int] = []
    private var grouped: [Bool] = []
    private var groupRows: [Int] = []

    init(capacity: Int, pools: Int = 1) {
        cells = Array(repeating: [], count: pools)
        spanStart = cells
        spanCount = cells
        firstPosition = cells
        spans = Array(repeating: [], count: pools)
        for p in 0..<pools {
            cells[p].reserveCapacity(capacity)
            spanStart[p].reserveCapacity(capacity)
            spanCount[p].reserveCapacity(capacity)
            firstPosition[p].reserveCapacity(capacity)
        }
        tokens.reserveCapacity(capacity)
        positions.reserveCapacity(capacity)
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
        for p in cells.indices {
            cells[p].removeAll(keepingCapacity: true)
            spanStart[p].removeAll(keepingCapacity: true)
            spanCount[p].removeAll(keepingCapacity: true)
            firstPosition[p].removeAll(keepingCapacity: true)
            spans[p].removeAll(keepingCapacity: true)
        }
        exact.removeAll(keepingCapacity: true)
        outputRows.removeAll(keepingCapacity: true)
        rowSequences.removeAll(keepingCapacity: true)
        isMultiSequence = false
        decodesRowsAlone = false
        attached = 0
    }

    /// Adds a row; its cells are given by `place(cell:pool:)`, its attention spans by
    /// `attach(rows:precision:spansOf:)` once every row of its sequence has its cells.
    func append(token: Int32, position: Int, wantsLogits: Bool, sequence: Int = 0) {
        if wantsLogits { outputRows.append(count) }
        rowSequences.append(sequence)
        tokens.append(token)
        positions.append(position)
        for p in cells.indices {
            cells[p].append(0)
            spanStart[p].append(0)
            spanCount[p].append(0)
            firstPosition[p].append(0)
        }
        exact.append(false)
        count += 1
    }

    /// Stores the last row's key and value in `cell` of pool `pool`.
    func place(cell: Int, pool: Int) {
        cells[pool][count - 1] = cell
    }

    /// Gives `rows` (all of one sequence) that sequence's cell spans in each pool
    /// (`spansOf(pool)`: the spans and the position of their first cell), and the attention
    /// kernel chosen for a sequence contributing `rows.count` rows.
    func attach(
        rows: some Collection<Int>, precision: KVCachePrecision,
        spansOf: (_ pool: Int) -> (spans: [Range<Int>], first: Int)
    ) {
        attached += 1
        isMultiSequence = attached > 1
        for p in spans.indices {
            let (sequenceSpans, first) = spansOf(p)
            let start = spans[p].count
            spans[p].append(contentsOf: sequenceSpans)
            for row in rows {
                spanStart[p][row] = start
                spanCount[p][row] = sequenceSpans.count
                firstPosition[p][row] = first
            }
        }
        for row in rows {
            exact[row] = Attention.usesExactKernel(
                precision: precision, sequenceRows: decodesRowsAlone ? 1 : rows.count,
                position: positions[row])
        }
    }

    /// Attaches every row's sequence spans (`spansOf(sequence, pool)`), one sequence at a time,
    /// its rows grouped without allocating (scratch arrays keep their capacity).
    func attachSequences(
        precision: KVCachePrecision, spansOf: (_ sequence: Int, _ pool: Int) -> (spans: [Range<Int>], first: Int)
    ) {
        grouped.removeAll(keepingCapacity: true)
        grouped.append(contentsOf: repeatElement(false, count: count))
        for first in 0..<count where !grouped[first] {
            let sequence = rowSequences[first]
            groupRows.removeAll(keepingCapacity: true)
            for t in first..<count where !grouped[t] && rowSequences[t] == sequence {
                grouped[t] = true
                groupRows.append(t)
            }
            attach(rows: groupRows, precision: precision) { spansOf(sequence, $0) }
        }
    }

    /// The spans row `t` attends over in pool `p` (`buffer` is `spans[p]`).
    @inline(__always)
    func spans(ofRow t: Int, pool p: Int, in buffer: UnsafeBufferPointer<Range<Int>>) -> UnsafeBufferPointer<Range<Int>>
    {
        UnsafeBufferPointer(rebasing: buffer[spanStart[p][t]..<(spanStart[p][t] + spanCount[p][t])])
    }

    /// Which of row `t`'s cells in pool `p` its attention reads: after skipping `skip` cells of
    /// its spans, the next `rows` (its position and the `window − 1` before it, or every
    /// earlier position without a window).
    @inline(__always)
    func visibleCells(ofRow t: Int, pool p: Int, window: Int?) -> (skip: Int, rows: Int) {
        let visible = positions[t] + 1
        let first = window.map { max(0, visible - $0) } ?? 0
        assert(first >= firstPosition[p][t], "a ring released a position row \(t) still sees")
        return (first - firstPosition[p][t], visible - first)
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
