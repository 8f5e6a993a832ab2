/// The BPE merge rules keyed by token-id pairs: `(left, right) -> (rank, merged)`.
///
/// llama.cpp looks merges up by the pair's text; since every symbol during BPE is a token, the
/// pair of ids says the same thing in one 64-bit key, so a look-up is a multiply and a probe or
/// two in flat arrays.
struct BPEMergeTable: Sendable {
    /// `left << 32 | right` per slot; `UInt64.max` marks an empty slot.
    private var keys: [UInt64]
    /// `rank << 32 | merged` per slot.
    private var values: [UInt64]
    private let mask: Int
    private(set) var count = 0

    /// The rank and result of merging `left` with `right`.
    struct Merge {
        var rank: Int32
        var merged: Int32
    }

    init(capacity count: Int) {
        let capacity = TokenizerHash.capacity(for: count)
        mask = capacity - 1
        keys = [UInt64](repeating: .max, count: capacity)
        values = [UInt64](repeating: 0, count: capacity)
    }

    @inline(__always)
    private static func key(_ left: Int32, _ right: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
    }

    /// Adds a rule unless the pair already has one: the first (lowest-ranked) line of the merges
    /// list wins, as with llama.cpp's `bpe_ranks.emplace`.
    mutating func insert(left: Int32, right: Int32, rank: Int32, merged: Int32) {
        let key = Self.key(left, right)
        var slot = Int(truncatingIfNeeded: TokenizerHash.mix(key)) & mask
        while keys[slot] != .max {
            if keys[slot] == key { return }
            slot = (slot + 1) & mask
        }
        keys[slot] = key
        values[slot] = UInt64(UInt32(bitPattern: rank)) << 32 | UInt64(UInt32(bitPattern: merged))
        count += 1
    }

    /// The rule for merging `left` with `right`, if there is one.
    @inline(__always)
    func merge(_ left: Int32, _ right: Int32) -> Merge? {
        // A byte without a token is symbol -1; no rule names it (and (-1, -1) would be the empty key).
        guard left >= 0, right >= 0 else { return nil }
        let key = Self.key(left, right)
        var slot = Int(truncatingIfNeeded: TokenizerHash.mix(key)) & mask
        while true {
            let found = keys[slot]
            if found == key {
                let value = values[slot]
                return Merge(
                    rank: Int32(bitPattern: UInt32(truncatingIfNeeded: value >> 32)),
                    merged: Int32(bitPattern: UInt32(truncatingIfNeeded: value)))
            }
            if found == .max { return nil }
            slot = (slot + 1) & mask
        }
    }
}
