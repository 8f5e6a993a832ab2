import Foundation

/// The tokens still in the running for the next position, with their logits.
///
/// Steps of a sampler chain narrow and reorder this list in place. The arrays keep their
/// capacity between tokens so the token loop does not allocate.
public struct TokenCandidates: Sendable {
    public var ids: [Int32] = []
    public var logits: [Float] = []
    /// True once `ids`/`logits` are ordered by descending logit.
    public var isSorted = false

    public init() {}

    public var count: Int { ids.count }

    /// Refills the list with every token of the vocabulary, in id order.
    package mutating func reset(logits source: UnsafeBufferPointer<Float>) {
        ids.removeAll(keepingCapacity: true)
        logits.removeAll(keepingCapacity: true)
        ids.reserveCapacity(source.count)
        logits.reserveCapacity(source.count)
        for index in 0..<source.count {
            ids.append(Int32(index))
            logits.append(source[index])
        }
        isSorted = false
    }

    /// Refills the list with the `k` best tokens of `source`, sorted: what `reset(logits:)` then
    /// `keepTop(k)` give, without copying the vocabulary first.
    package mutating func resetToTop(_ k: Int, of source: UnsafeBufferPointer<Float>) {
        guard k > 0, k < source.count else {
            reset(logits: source)
            keepTop(k)
            return
        }
        var heap = MinHeap(capacity: k)
        for index in 0..<k { heap.offer(logit: source[index], id: Int32(index)) }
        // Once the heap is full, a logit enters only if it beats the weakest kept one strictly
        // (an equal one has a higher id and loses the tie), so one comparison with that floor
        // skips almost every logit and the offers made are exactly `keepTop`'s.
        var floor = heap.weakestLogit
        for index in k..<source.count where source[index] > floor {
            heap.offer(logit: source[index], id: Int32(index))
            floor = heap.weakestLogit
        }
        fill(heap.sortedDescending())
    }

    /// Keeps the first `count` candidates.
    public mutating func truncate(to count: Int) {
        guard count < ids.count else { return }
        ids.removeSubrange(count...)
        logits.removeSubrange(count...)
    }

    /// Orders by descending logit (ties by ascending id, so results are deterministic).
    public mutating func sortDescending() {
        guard !isSorted else { return }
        var order = Array(0..<ids.count)
        order.sort { logits[$0] != logits[$1] ? logits[$0] > logits[$1] : ids[$0] < ids[$1] }
        let oldIDs = ids
        let oldLogits = logits
        for (position, index) in order.enumerated() {
            ids[position] = oldIDs[index]
            logits[position] = oldLogits[index]
        }
        isSorted = true
    }

    /// Keeps the `k` largest logits, sorted, in O(n log k) rather than sorting the vocabulary.
    public mutating func keepTop(_ k: Int) {
        guard k > 0, k < ids.count else {
            sortDescending()
            return
        }
        var heap = MinHeap(capacity: k)
        for index in 0..<ids.count {
            heap.offer(logit: logits[index], id: ids[index])
        }
        fill(heap.sortedDescending())
    }

    /// Replaces the list with `entries`, already in descending order.
    private mutating func fill(_ entries: [MinHeap.Entry]) {
        ids.removeAll(keepingCapacity: true)
        logits.removeAll(keepingCapacity: true)
        for entry in entries {
            ids.append(entry.id)
            logits.append(entry.logit)
        }
        isSorted = true
    }

    /// Softmax of the current logits (max-subtracted, so large logits do not overflow).
    public func probabilities() -> [Float] {
        guard let maxLogit = logits.max() else { return [] }
        var result = logits.map { expf($0 - maxLogit) }
        let sum = result.reduce(0, +)
        for index in result.indices { result[index] /= sum }
        return result
    }
}

/// A bounded min-heap of (logit, id): the root is the weakest of the best `capacity` seen.
struct MinHeap {
    struct Entry {
        var logit: Float
        var id: Int32
    }
    private var entries: [Entry] = []
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        entries.reserveCapacity(capacity)
    }

    /// The logit of the weakest entry kept (the root); -infinity while empty.
    var weakestLogit: Float { entries.first?.logit ?? -.infinity }

    /// Ordering used throughout: higher logit wins, then lower id.
    private static func weaker(_ a: Entry, _ b: Entry) -> Bool {
        a.logit != b.logit ? a.logit < b.logit : a.id > b.id
    }

    mutating func offer(logit: Float, id: Int32) {
        let entry = Entry(logit: logit, id: id)
        if entries.count < capacity {
            entries.append(entry)
            siftUp(entries.count - 1)
        } else if let root = entries.first, Self.weaker(root, entry) {
            entries[0] = entry
            siftDown(0)
        }
    }

    func sortedDescending() -> [Entry] {
        entries.sorted { Self.weaker($1, $0) }
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.weaker(entries[child], entries[parent]) else { return }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var weakest = parent
            if left < entries.count, Self.weaker(entries[left], entries[weakest]) { weakest = left }
            if right < entries.count, Self.weaker(entries[right], entries[weakest]) { weakest = right }
            guard weakest != parent else { return }
            entries.swapAt(parent, weakest)
            parent = weakest
        }
    }
}
