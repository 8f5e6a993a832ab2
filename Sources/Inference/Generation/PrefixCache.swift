/// Sequences kept in the cache after their request ended, so a later prompt that starts with
/// their tokens forks them instead of evaluating those tokens again. Bounded by `limit`
/// entries, least recently used evicted first; the generator also evicts when it needs cells.
struct PrefixCache {
    private struct Entry {
        let sequence: Int
        let tokens: [Int32]
        var lastUse: UInt64
    }

    let limit: Int
    private var entries: [Entry] = []
    private var clock: UInt64 = 0

    init(limit: Int) { self.limit = max(1, limit) }

    /// The sequence sharing the longest prefix with `prompt` (among the kept ones and
    /// `running`), and that prefix's length, at most `prompt.count - 1` since the logits after
    /// the prompt's last token must be computed, and as much of it as the cache can continue
    /// from (`servable(sequence, length)`: a sliding window's ring may hold only a whole
    /// sequence, not its prefixes). Marks a kept entry as just used.
    mutating func longestPrefix(
        of prompt: [Int32], alsoAmong running: [(sequence: Int, tokens: [Int32])],
        servable: (_ sequence: Int, _ length: Int) -> Int = { $1 }
    ) -> (sequence: Int, length: Int)? {
        var best: (sequence: Int, length: Int, entry: Int?)?
        func consider(_ sequence: Int, _ tokens: [Int32], entry: Int?) {
            let shared = min(zip(tokens, prompt).prefix { $0 == $1 }.count, prompt.count - 1)
            let common = shared > (best?.length ?? 0) ? servable(sequence, shared) : 0
            if common > (best?.length ?? 0) { best = (sequence, common, entry) }
        }
        for (index, entry) in entries.enumerated() { consider(entry.sequence, entry.tokens, entry: index) }
        for candidate in running { consider(candidate.sequence, candidate.tokens, entry: nil) }
        guard let best else { return nil }
        if let index = best.entry {
            clock += 1
            entries[index].lastUse = clock
        }
        return (best.sequence, best.length)
    }

    /// Keeps `sequence`; returns the sequences to remove from the cache: entries whose tokens
    /// are a prefix of the new one's (it covers them) and the least recently used beyond `limit`.
    mutating func insert(sequence: Int, tokens: [Int32]) -> [Int] {
        var evicted: [Int] = []
        entries.removeAll { entry in
            let covered = entry.tokens.count <= tokens.count && tokens.starts(with: entry.tokens)
            if covered { evicted.append(entry.sequence) }
            return covered
        }
        clock += 1
        entries.append(Entry(sequence: sequence, tokens: tokens, lastUse: clock))
        while entries.count > limit, let oldest = evictOldest() { evicted.append(oldest) }
        return evicted
    }

    /// Forgets the least recently used entry and returns its sequence; nil when empty.
    mutating func evictOldest() -> Int? {
        guard let index = entries.indices.min(by: { entries[$0].lastUse < entries[$1].lastUse }) else { return nil }
        return entries.remove(at: index).sequence
    }

    mutating func removeAll() -> [Int] {
        defer { entries.removeAll() }
        return entries.map(\.sequence)
    }
}
