/// SentencePiece BPE as llama.cpp's `llm_tokenizer_spm`: bigram merging by token score.
///
/// Spaces become `▁` (U+2581), with one more in front when the model adds a space prefix. The text
/// starts as one symbol per UTF-8 character; every adjacent pair whose concatenation is a token is
/// queued by that token's score, and the best-scoring pair (the leftmost on a tie) merges first.
/// Symbols left over that are not tokens fall back to `<0xNN>` byte tokens.
///
/// The queue pops the highest score and then the leftmost pair and skips pairs made stale by an
/// earlier merge (their lengths no longer add up), exactly as llama.cpp's `llm_bigram_spm` queue.
struct SentencePieceEncoder {
    private struct Bigram: HeapKeyed {
        /// Descending score in the upper half, left index in the lower: the smallest key is next.
        var key: UInt64
        var right: Int32
        var length: Int32
    }

    let vocabulary: Vocabulary
    private var text: [UInt8] = []
    private var starts: [Int32] = []
    private var lengths: [Int32] = []
    private var next: [Int32] = []
    private var previous: [Int32] = []
    private var queue = KeyedMinHeap<Bigram>()
    private var cache = TokenizerWordCache()
    /// The most characters merged at once so far: never more than `LongWordSplitter.maxBytes`.
    private(set) var longestMerge = 0

    /// Whether fragments are cut at safe `▁`s (tests turn it off to compare with whole-text merging).
    let splitsAtSpaces: Bool

    init(vocabulary: Vocabulary, splitsAtSpaces: Bool = true) {
        self.vocabulary = vocabulary
        self.splitsAtSpaces = splitsAtSpaces
    }

    /// Appends the tokens of `raw` (one fragment of the input) to `output`.
    ///
    /// llama.cpp merges the whole fragment as one sequence. Where no token can span a `▁` (the
    /// character before it never precedes `▁` inside a token), no merge ever crosses it, so the
    /// fragment is cut there and each piece merged on its own, with the same result; repeated
    /// pieces (most words) then come from a cache.
    mutating func encode(_ raw: Span<UInt8>, addSpacePrefix: Bool, into output: inout [Int32]) {
        escape(raw, addSpacePrefix: addSpacePrefix)
        guard !text.isEmpty else { return }
        // A local copy shares the storage and keeps the read of the text apart from the writes to `self`.
        let escaped = text
        let buffer = escaped.span
        var chunkStart = 0
        var position = 1
        while position + 2 < buffer.count {
            if splitsAtSpaces && buffer[position] == 0xE2 && buffer[position + 1] == 0x96
                && buffer[position + 2] == 0x81 && canSplit(before: position, buffer)
            {
                encodeBounded(chunkStart..<position, buffer, &output)
                chunkStart = position
                position += 3
            } else {
                position += 1
            }
        }
        encodeBounded(chunkStart..<buffer.count, buffer, &output)
    }

    /// Merges `range` as one chunk, or, beyond `LongWordSplitter.maxBytes`, piece by piece.
    private mutating func encodeBounded(
        _ range: Range<Int>, _ buffer: Span<UInt8>,
        _ output: inout [Int32]
    ) {
        guard range.count > LongWordSplitter.maxBytes else { return encodeChunk(range, buffer, &output) }
        for piece in LongWordSplitter.pieces(of: buffer.extracting(range)) {
            encodeChunk((range.lowerBound + piece.lowerBound)..<(range.lowerBound + piece.upperBound), buffer, &output)
        }
    }

    /// Whether no token contains the character before `position` followed by `▁`.
    private func canSplit(before position: Int, _ buffer: Span<UInt8>) -> Bool {
        var start = position - 1
        while start > 0 && buffer[start] & 0xC0 == 0x80 && position - start < 4 { start -= 1 }
        let previous = TokenizerChar.decode(buffer, start, position)
        return !vocabulary.charactersBeforeSpaceInTokens.contains(previous.scalar)
    }

    private mutating func encodeChunk(
        _ range: Range<Int>, _ buffer: Span<UInt8>,
        _ output: inout [Int32]
    ) {
        let chunk = buffer.extracting(range)
        let hash = TokenizerHash.hash(chunk)
        if cache.lookup(chunk, hash: hash, into: &output) { return }
        let start = output.count
        splitCharacters(range)
        longestMerge = max(longestMerge, lengths.count)
        queue.removeAll()
        for index in 0..<(lengths.count - 1) { tryAddBigram(index, index + 1, buffer) }
        while let bigram = queue.pop() {
            let left = Int(bigram.key & 0xFFFF_FFFF)
            let right = Int(bigram.right)
            guard lengths[left] > 0, lengths[right] > 0, lengths[left] + lengths[right] == bigram.length else {
                continue
            }
            lengths[left] += lengths[right]
            lengths[right] = 0
            let after = next[right]
            next[left] = after
            if after >= 0 { previous[Int(after)] = Int32(left) }
            if previous[left] >= 0 { tryAddBigram(Int(previous[left]), left, buffer) }
            if after >= 0 { tryAddBigram(left, Int(after), buffer) }
        }
        var index = 0
        while index >= 0 {
            resegment(index, buffer, &output)
            index = Int(next[index])
        }
        cache.insert(chunk, hash: hash, tokens: output[start...])
    }

    /// `text` = the fragment with every space as `▁`, after one leading `▁` when asked.
    private mutating func escape(_ raw: Span<UInt8>, addSpacePrefix: Bool) {
        text.removeAll(keepingCapacity: true)
        text.reserveCapacity(raw.count + 3)
        let escapedSpace: [UInt8] = [0xE2, 0x96, 0x81]
        if addSpacePrefix { text.append(contentsOf: escapedSpace) }
        for index in raw.indices {
            let byte = raw[index]
            if byte == 0x20 { text.append(contentsOf: escapedSpace) } else { text.append(byte) }
        }
    }

    /// One symbol per character of `text[range]`; the length comes from the lead byte as
    /// llama.cpp's `unicode_len_utf8` computes it, clamped to the range.
    private mutating func splitCharacters(_ range: Range<Int>) {
        starts.removeAll(keepingCapacity: true)
        lengths.removeAll(keepingCapacity: true)
        next.removeAll(keepingCapacity: true)
        previous.removeAll(keepingCapacity: true)
        var offset = range.lowerBound
        while offset < range.upperBound {
            let lead = text[offset]
            let length = lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
            let clamped = min(length, range.upperBound - offset)
            previous.append(Int32(starts.count - 1))
            starts.append(Int32(offset))
            lengths.append(Int32(clamped))
            offset += clamped
            next.append(offset < range.upperBound ? Int32(starts.count) : -1)
        }
    }

    private mutating func tryAddBigram(_ left: Int, _ right: Int, _ buffer: Span<UInt8>) {
        let start = Int(starts[left])
        let length = Int(lengths[left] + lengths[right])
        let id = vocabulary.textIndex.find(buffer.extracting(start..<(start + length)))
        guard id >= 0 else { return }
        let score = vocabulary.scores[Int(id)]
        queue.push(
            Bigram(
                key: UInt64(Self.descendingKey(score)) << 32 | UInt64(left), right: Int32(right),
                length: Int32(length)))
    }

    /// Emits the token of a final symbol, or its bytes as `<0xNN>` tokens when it is not a token.
    private func resegment(_ index: Int, _ buffer: Span<UInt8>, _ output: inout [Int32]) {
        let start = Int(starts[index])
        let symbol = buffer.extracting(start..<(start + Int(lengths[index])))
        let id = vocabulary.textIndex.find(symbol)
        if id >= 0 {
            output.append(id)
            return
        }
        for index in symbol.indices {
            let byteID = vocabulary.byteTokens[Int(symbol[index])]
            if byteID >= 0 {
                output.append(byteID)
            } else if let unknown = vocabulary.special.unknown {
                output.append(unknown)
            }
        }
    }

    /// Maps a score to a key whose ascending order is the scores' descending order.
    private static func descendingKey(_ score: Float) -> UInt32 {
        let bits = (score == 0 ? Float(0) : score).bitPattern
        let ascending = bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
        return ~ascending
    }
}
