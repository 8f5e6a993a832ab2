/// Remembers the tokens of each word (a BPE pre-token, a SentencePiece chunk) seen in one encode call.
///
/// Real text repeats its words constantly ("the", " and", "    "), so most words skip BPE
/// entirely. Keys and values live in two arenas and the table is open addressing, so a hit costs a
/// hash, a `memcmp` and a copy, and a miss allocates nothing per entry. The cache only serves one
/// call: the tokenizer stays immutable and safe to share between threads.
struct TokenizerWordCache {
    /// Words longer than this are not cached: they are rare and would crowd the arena.
    static let maxWordLength = 64
    /// The cache is emptied when it holds this many words, bounding its memory on huge inputs.
    static let maxEntries = 1 << 17

    private struct Entry {
        var keyStart: Int32
        var keyLength: Int32
        var valueStart: Int32
        var valueLength: Int32
    }

    private var keys: [UInt8] = []
    private var values: [Int32] = []
    private var entries: [Entry] = []
    private var slots = [Int32](repeating: -1, count: 1024)
    private var tags = [UInt32](repeating: 0, count: 1024)

    init() {}

    /// Appends the cached tokens of `word` to `output` and returns true, or returns false.
    @inline(__always)
    func lookup(_ word: Span<UInt8>, hash: UInt64, into output: inout [Int32]) -> Bool {
        let index = find(word, hash: hash).entry
        guard index >= 0 else { return false }
        let entry = entries[Int(index)]
        let start = Int(entry.valueStart)
        output.append(contentsOf: values[start..<(start + Int(entry.valueLength))])
        return true
    }

    /// Records the tokens of `word` (a word not yet cached).
    mutating func insert(_ word: Span<UInt8>, hash: UInt64, tokens: ArraySlice<Int32>) {
        guard word.count <= Self.maxWordLength else { return }
        if entries.count >= Self.maxEntries { removeAll() }
        if (entries.count + 1) * 2 > slots.count { grow() }
        let slot = find(word, hash: hash).slot
        slots[slot] = Int32(entries.count)
        tags[slot] = UInt32(truncatingIfNeeded: hash >> 32)
        entries.append(
            Entry(
                keyStart: Int32(keys.count), keyLength: Int32(word.count),
                valueStart: Int32(values.count), valueLength: Int32(tokens.count)))
        for index in word.indices { keys.append(word[index]) }
        values.append(contentsOf: tokens)
    }

    private func find(_ word: Span<UInt8>, hash: UInt64) -> (slot: Int, entry: Int32) {
        let mask = slots.count - 1
        let tag = UInt32(truncatingIfNeeded: hash >> 32)
        var slot = Int(truncatingIfNeeded: hash) & mask
        let arena = keys.span
        while true {
            let index = slots[slot]
            if index < 0 { return (slot, -1) }
            if tags[slot] == tag {
                let entry = entries[Int(index)]
                if Int(entry.keyLength) == word.count && TokenizerHash.equal(word, arena, at: Int(entry.keyStart)) {
                    return (slot, index)
                }
            }
            slot = (slot + 1) & mask
        }
    }

    /// Doubles the table and re-inserts every entry.
    private mutating func grow() {
        (slots, tags) = rehashed(capacity: slots.count * 2)
    }

    /// Slots and tags of a table of `capacity` slots holding every entry.
    private func rehashed(capacity: Int) -> ([Int32], [UInt32]) {
        let mask = capacity - 1
        var newSlots = [Int32](repeating: -1, count: capacity)
        var newTags = [UInt32](repeating: 0, count: capacity)
        let arena = keys.span
        for (index, entry) in entries.enumerated() {
            let key = arena.extracting(Int(entry.keyStart)..<Int(entry.keyStart + entry.keyLength))
            let hash = TokenizerHash.hash(key)
            var slot = Int(truncatingIfNeeded: hash) & mask
            while newSlots[slot] >= 0 { slot = (slot + 1) & mask }
            newSlots[slot] = Int32(index)
            newTags[slot] = UInt32(truncatingIfNeeded: hash >> 32)
        }
        return (newSlots, newTags)
    }

    private mutating func removeAll() {
        keys.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        entries.removeAll(keepingCapacity: true)
        for index in slots.indices { slots[index] = -1 }
    }
}
