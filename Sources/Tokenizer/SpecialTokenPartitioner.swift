/// One piece of input after special tokens were found in it: plain text or a token id.
enum TokenFragment: Equatable {
    case text(Range<Int>)
    case token(Int32)
}

/// Finds special-token text in the input, as llama.cpp's `tokenizer_st_partition`.
///
/// llama.cpp takes the special tokens longest first and, for each, splits every remaining text
/// fragment at each leftmost occurrence; a token marked left- or right-strip also eats the ASCII
/// whitespace beside it. Control and unknown tokens are looked for only when special text is to be
/// parsed; user-defined ones always. Instead of searching the text once per special token, one
/// pass with a trie collects every occurrence of every token, then the same longest-first
/// splitting runs over those occurrences only: the result is identical and the cost is one scan.
struct SpecialTokenPartitioner: Sendable {
    private struct Entry: Sendable {
        var id: Int32
        var length: Int
        var attributes: TokenAttributes
    }

    /// Special tokens, longest text first (ties by id).
    private let entries: [Entry]
    /// Byte trie of the entries' texts: `(node << 8 | byte) -> child`; node 0 is the root.
    private let edges: [UInt32: Int32]
    /// The entry that ends at each trie node, or -1.
    private let terminal: [Int32]
    /// Whether some parse-always (user-defined) or any entry starts with each byte.
    private let startsAlways: [Bool]
    private let startsAny: [Bool]

    init(vocabulary: Vocabulary) {
        var ids = (0..<Int32(vocabulary.count)).filter {
            !vocabulary.attributes[Int($0)].isDisjoint(with: TokenAttributes.special)
        }
        ids.sort { a, b in
            let (la, lb) = (vocabulary.textBytes(a).count, vocabulary.textBytes(b).count)
            return la != lb ? la > lb : a < b
        }
        entries = ids.map {
            Entry(
                id: $0, length: vocabulary.textBytes($0).count,
                attributes: vocabulary.attributes[Int($0)])
        }
        var edges: [UInt32: Int32] = [:]
        var terminal: [Int32] = [-1]
        var startsAlways = [Bool](repeating: false, count: 256)
        var startsAny = [Bool](repeating: false, count: 256)
        for (index, entry) in entries.enumerated() {
            let text = vocabulary.textBytes(entry.id)
            guard let first = text.first, terminal.count < Int(UInt32.max >> 8) else { continue }
            startsAny[Int(first)] = true
            if Self.isParsedAlways(entry.attributes) { startsAlways[Int(first)] = true }
            var node: Int32 = 0
            for byte in text {
                let key = UInt32(node) << 8 | UInt32(byte)
                if let child = edges[key] {
                    node = child
                } else {
                    terminal.append(-1)
                    node = Int32(terminal.count - 1)
                    edges[key] = node
                }
            }
            // With repeated texts the first (longest-first order) entry is the one llama.cpp uses.
            if terminal[Int(node)] < 0 { terminal[Int(node)] = Int32(index) }
        }
        self.edges = edges
        self.terminal = terminal
        self.startsAlways = startsAlways
        self.startsAny = startsAny
    }

    /// Control and unknown tokens need `parseSpecial`; user-defined tokens are always matched.
    private static func isParsedAlways(_ attributes: TokenAttributes) -> Bool {
        attributes.isDisjoint(with: TokenAttributes.hiddenUnlessSpecial)
    }

    /// Splits `text` into plain-text fragments and special tokens.
    func partition(_ text: Span<UInt8>, parseSpecial: Bool) -> [TokenFragment] {
        guard !text.isEmpty else { return [] }
        let occurrences = findOccurrences(text, parseSpecial: parseSpecial)
        var fragments: [TokenFragment] = [.text(0..<text.count)]
        for index in occurrences.keys.sorted() {
            guard let positions = occurrences[index] else { continue }
            fragments = split(fragments, at: positions, entry: entries[index], text)
        }
        return fragments
    }

    /// Every position where each active entry's text occurs (overlaps included), by entry index.
    private func findOccurrences(_ text: Span<UInt8>, parseSpecial: Bool) -> [Int: [Int]] {
        let starts = parseSpecial ? startsAny : startsAlways
        var occurrences: [Int: [Int]] = [:]
        guard starts.contains(true) else { return occurrences }
        for position in text.indices where starts[Int(text[position])] {
            var node: Int32 = 0
            var cursor = position
            while cursor < text.count, let child = edges[UInt32(node) << 8 | UInt32(text[cursor])] {
                node = child
                cursor += 1
                let index = terminal[Int(node)]
                if index >= 0 && (parseSpecial || Self.isParsedAlways(entries[Int(index)].attributes)) {
                    occurrences[Int(index), default: []].append(position)
                }
            }
        }
        return occurrences
    }

    /// Splits each text fragment at the leftmost non-overlapping occurrences of one entry.
    private func split(
        _ fragments: [TokenFragment], at positions: [Int], entry: Entry,
        _ text: Span<UInt8>
    ) -> [TokenFragment] {
        var result: [TokenFragment] = []
        result.reserveCapacity(fragments.count + positions.count * 2)
        var next = 0
        for fragment in fragments {
            guard case .text(let range) = fragment else {
                result.append(fragment)
                continue
            }
            var cursor = range.lowerBound
            while next < positions.count && positions[next] < cursor { next += 1 }
            while next < positions.count && positions[next] + entry.length <= range.upperBound {
                let match = positions[next]
                var leftEnd = match
                if entry.attributes.contains(.leftStrip) {
                    while leftEnd > cursor && Self.isASCIISpace(text[leftEnd - 1]) { leftEnd -= 1 }
                }
                if leftEnd > cursor { result.append(.text(cursor..<leftEnd)) }
                result.append(.token(entry.id))
                cursor = match + entry.length
                if entry.attributes.contains(.rightStrip) {
                    while cursor < range.upperBound && Self.isASCIISpace(text[cursor]) { cursor += 1 }
                }
                while next < positions.count && positions[next] < cursor { next += 1 }
            }
            if cursor < range.upperBound { result.append(.text(cursor..<range.upperBound)) }
        }
        return result
    }

    /// C's `isspace` in the "C" locale, which llama.cpp uses for the strip attributes.
    private static func isASCIISpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }
}
