/// BPE merging for long words with a binary heap, as llama.cpp's priority queue does it.
///
/// Symbols form a linked list; every adjacent pair with a rule is queued by `(rank, left index)`.
/// A popped pair is stale when either side was merged since it was queued; the ids then differ
/// from the ones recorded, so it is skipped. O(n log n) where the linear scan would be O(n²).
struct BPEMergeHeap {
    private struct Pair: HeapKeyed {
        /// `rank << 32 | left`: the smallest key is the next merge.
        var key: UInt64
        var right: Int32
        var leftID: Int32
        var rightID: Int32
        var merged: Int32
    }

    private static let dead = Int32.min
    private var pairs = KeyedMinHeap<Pair>()
    private var previous: [Int32] = []
    private var next: [Int32] = []

    /// Merges `symbols` in place; on return it holds the surviving symbols in order.
    mutating func merge(_ symbols: inout [Int32], merges: BPEMergeTable) {
        let count = symbols.count
        guard count > 1 else { return }
        pairs.removeAll()
        previous.removeAll(keepingCapacity: true)
        next.removeAll(keepingCapacity: true)
        for index in 0..<count {
            previous.append(Int32(index - 1))
            next.append(index + 1 < count ? Int32(index + 1) : -1)
        }
        for index in 0..<(count - 1) { push(index, index + 1, symbols, merges) }
        while let pair = pairs.pop() {
            let left = Int(pair.key & 0xFFFF_FFFF)
            let right = Int(pair.right)
            guard symbols[left] == pair.leftID, symbols[right] == pair.rightID else { continue }
            symbols[left] = pair.merged
            symbols[right] = Self.dead
            let after = next[right]
            next[left] = after
            if after >= 0 { previous[Int(after)] = Int32(left) }
            if previous[left] >= 0 { push(Int(previous[left]), left, symbols, merges) }
            if after >= 0 { push(left, Int(after), symbols, merges) }
        }
        var survivors: [Int32] = []
        survivors.reserveCapacity(count)
        var index = 0
        while index >= 0 {
            survivors.append(symbols[index])
            index = Int(next[index])
        }
        symbols = survivors
    }

    private mutating func push(_ left: Int, _ right: Int, _ symbols: [Int32], _ merges: BPEMergeTable) {
        guard let merge = merges.merge(symbols[left], symbols[right]) else { return }
        pairs.push(
            Pair(
                key: UInt64(UInt32(bitPattern: merge.rank)) << 32 | UInt64(left), right: Int32(right),
                leftID: symbols[left], rightID: symbols[right], merged: merge.merged))
    }
}
