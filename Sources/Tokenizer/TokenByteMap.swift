/// Maps byte strings to token ids: an open-addressing hash table over one byte arena.
///
/// Entry `i` is the key `bytes[starts[i]..<starts[i + 1]]`. Keeping every key in a single array
/// (rather than a `[String: Int32]`) makes building the map for a 150k-token vocabulary a few
/// milliseconds and a look-up one hash plus one `memcmp`, with no `String` allocated on the hot path.
struct TokenByteMap: Sendable {
    private let bytes: [UInt8]
    private let starts: [Int32]
    /// Entry index per slot, or -1 for an empty slot.
    private var slots: [Int32]
    /// The upper 32 bits of each occupied slot's hash, checked before comparing bytes.
    private var tags: [UInt32]
    private let mask: Int
    /// How many included entries repeated the key of an earlier one (and replaced it).
    private(set) var duplicates = 0

    /// Indexes the entries for which `include` is true. When two included entries have the same
    /// key, the later one wins, as llama.cpp's `token_to_id[text] = id` does.
    init(bytes: [UInt8], starts: [Int32], include: (Int) -> Bool = { _ in true }) {
        precondition(!starts.isEmpty, "starts needs one more element than there are entries")
        self.bytes = bytes
        self.starts = starts
        let count = starts.count - 1
        let capacity = TokenizerHash.capacity(for: count)
        mask = capacity - 1
        slots = [Int32](repeating: -1, count: capacity)
        tags = [UInt32](repeating: 0, count: capacity)
        for entry in 0..<count where include(entry) {
            insert(entry: entry)
        }
    }

    private mutating func insert(entry: Int) {
        let start = Int(starts[entry])
        let end = Int(starts[entry + 1])
        let (hash, existing) = probe(start..<end)
        if existing.entry >= 0 {
            slots[existing.slot] = Int32(entry)
            duplicates += 1
        } else {
            slots[existing.slot] = Int32(entry)
            tags[existing.slot] = UInt32(truncatingIfNeeded: hash >> 32)
        }
    }

    /// The hash of the arena's bytes in `range` and where that key sits (or would go).
    private func probe(_ range: Range<Int>) -> (UInt64, (slot: Int, entry: Int32)) {
        let arena = bytes.span
        let key = arena.extracting(range)
        let hash = TokenizerHash.hash(key)
        return (hash, locate(key, hash: hash, arena: arena))
    }

    /// The entry whose key equals `key`, or -1.
    @inline(__always)
    func find(_ key: Span<UInt8>) -> Int32 {
        let hash = TokenizerHash.hash(key)
        return locate(key, hash: hash, arena: bytes.span).entry
    }

    /// The entry whose key equals `key`, or -1.
    func find(_ key: [UInt8]) -> Int32 {
        find(key.span)
    }

    /// The slot holding `key` (with its entry) or the empty slot where it would go (entry -1).
    @inline(__always)
    private func locate(
        _ key: Span<UInt8>, hash: UInt64,
        arena: Span<UInt8>
    ) -> (slot: Int, entry: Int32) {
        let tag = UInt32(truncatingIfNeeded: hash >> 32)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry < 0 { return (slot, -1) }
            if tags[slot] == tag {
                let start = Int(starts[Int(entry)])
                let length = Int(starts[Int(entry) + 1]) - start
                if length == key.count {
                    if length == 0 { return (slot, entry) }
                    if TokenizerHash.equal(key, arena, at: start) { return (slot, entry) }
                }
            }
            slot = (slot + 1) & mask
        }
    }
}
