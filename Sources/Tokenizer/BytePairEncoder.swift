/// Byte-level BPE for the words of one encode call, as llama.cpp's `llm_tokenizer_bpe_session`.
///
/// A word starts as one symbol per byte (the token of the byte's GPT-2 character); the adjacent
/// pair with the lowest merge rank is merged, the leftmost on a tie, until no pair has a rule.
/// Short words use a linear scan over a small array of pair ranks; long ones (a run of 100k spaces)
/// a heap, so the cost stays O(n log n). Both produce llama.cpp's result: its priority queue also
/// pops the lowest rank and then the leftmost pair, and skips pairs a merge made stale.
struct BytePairEncoder {
    /// Words with more bytes than this are merged with the heap (a scan is faster for short words).
    static let defaultLinearLimit = 64

    let vocabulary: Vocabulary
    /// The largest word merged by linear scan; tests lower it to compare the two strategies.
    let linearLimit: Int
    private var cache = TokenizerWordCache()
    private var symbols: [Int32] = []
    private var ranks: [Int32] = []
    private var results: [Int32] = []
    private var heap = BPEMergeHeap()
    /// The most symbols merged at once so far: never more than `LongWordSplitter.maxBytes`
    /// (tests check the bound on long inputs).
    private(set) var longestMerge = 0

    init(vocabulary: Vocabulary, linearLimit: Int = defaultLinearLimit) {
        self.vocabulary = vocabulary
        self.linearLimit = linearLimit
    }

    /// Appends the tokens of one pre-token word (raw UTF-8 bytes) to `output`; a word longer
    /// than `LongWordSplitter.maxBytes` is merged in pieces of at most that length.
    mutating func encode(_ word: Span<UInt8>, into output: inout [Int32]) {
        guard word.count > LongWordSplitter.maxBytes else { return encodeWhole(word, into: &output) }
        for range in LongWordSplitter.pieces(of: word) {
            encodeWhole(word.extracting(range), into: &output)
        }
    }

    /// Merges `word` as one sequence, as llama.cpp does.
    private mutating func encodeWhole(_ word: Span<UInt8>, into output: inout [Int32]) {
        guard !word.isEmpty else { return }
        if word.count == 1 {
            let id = vocabulary.byteTokens[Int(word[0])]
            if id >= 0 { output.append(id) }
            return
        }
        let hash = TokenizerHash.hash(word)
        if cache.lookup(word, hash: hash, into: &output) { return }
        let start = output.count
        if vocabulary.ignoreMerges, case let id = vocabulary.decodedIndex.find(word), id >= 0 {
            output.append(id)
        } else {
            symbols.removeAll(keepingCapacity: true)
            for index in word.indices { symbols.append(vocabulary.byteTokens[Int(word[index])]) }
            longestMerge = max(longestMerge, symbols.count)
            if symbols.count > linearLimit {
                heap.merge(&symbols, merges: vocabulary.merges)
            } else {
                mergeLinear()
            }
            for id in symbols where id >= 0 { output.append(id) }
        }
        cache.insert(word, hash: hash, tokens: output[start...])
    }

    /// Merges `symbols` in place by repeatedly taking the lowest-ranked, leftmost pair.
    private mutating func mergeLinear() {
        var count = symbols.count
        ranks.removeAll(keepingCapacity: true)
        results.removeAll(keepingCapacity: true)
        for index in 0..<(count - 1) {
            let merge = vocabulary.merges.merge(symbols[index], symbols[index + 1])
            ranks.append(merge?.rank ?? .max)
            results.append(merge?.merged ?? -1)
        }
        while count > 1 {
            var best = Int32.max
            var bestIndex = -1
            for index in 0..<(count - 1) where ranks[index] < best {
                best = ranks[index]
                bestIndex = index
            }
            guard bestIndex >= 0 else { break }
            symbols[bestIndex] = results[bestIndex]
            symbols.remove(at: bestIndex + 1)
            ranks.remove(at: bestIndex + 1 < ranks.count ? bestIndex + 1 : bestIndex)
            results.remove(at: bestIndex + 1 < results.count ? bestIndex + 1 : bestIndex)
            count -= 1
            if bestIndex > 0 { updatePair(bestIndex - 1) }
            if bestIndex < count - 1 { updatePair(bestIndex) }
        }
    }

    /// Recomputes the rule for the pair starting at `index`.
    @inline(__always)
    private mutating func updatePair(_ index: Int) {
        let merge = vocabulary.merges.merge(symbols[index], symbols[index + 1])
        ranks[index] = merge?.rank ?? .max
        results[index] = merge?.merged ?? -1
    }
}
