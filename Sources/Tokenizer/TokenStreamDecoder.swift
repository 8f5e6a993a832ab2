/// Turns tokens into text one at a time, as they are generated.
///
/// A token can end in the middle of a UTF-8 character (byte-level BPE splits emoji and CJK
/// characters across tokens, SentencePiece emits them as `<0xNN>` bytes). The decoder holds such a
/// tail back until the character is complete, so every `push` returns only whole characters;
/// bytes that can never form a character become U+FFFD. Pushing a sequence one id at a time and
/// joining the results (then `flush()`) gives exactly `tokenizer.decode(ids)`.
public struct TokenStreamDecoder: Sendable {
    public let tokenizer: Tokenizer
    private let special: Bool
    private var pending: [UInt8] = []
    private var stripLeadingSpace: Bool

    /// - Parameters:
    ///   - special: render control tokens as their text, as `decode(_:special:)`.
    ///   - isContinuation: the tokens continue text decoded elsewhere (a reply after its prompt),
    ///     so the first one keeps its leading space; by default the first token is treated as the
    ///     start of the text, as `decode` does.
    public init(tokenizer: Tokenizer, special: Bool = false, isContinuation: Bool = false) {
        self.tokenizer = tokenizer
        self.special = special
        stripLeadingSpace = tokenizer.addSpacePrefix && !isContinuation
    }

    /// Adds one token and returns the text it completes (possibly empty).
    public mutating func push(_ id: Int32) -> String {
        tokenizer.appendPiece(id, special: special, stripLeadingSpace: stripLeadingSpace, to: &pending)
        stripLeadingSpace = false
        let held = Self.incompleteSuffixLength(pending)
        guard pending.count > held else { return "" }
        let text = String(decoding: pending[..<(pending.count - held)], as: UTF8.self)
        pending.removeFirst(pending.count - held)
        return text
    }

    /// Returns whatever is held back (an unfinished character becomes U+FFFD) and resets.
    public mutating func flush() -> String {
        defer { pending.removeAll() }
        return String(decoding: pending, as: UTF8.self)
    }

    /// Returns what is held back except an unfinished character, which is dropped, and resets:
    /// a stopped answer keeps only whole characters, never a U+FFFD for half of one.
    public mutating func flushWholeCharacters() -> String {
        defer { pending.removeAll() }
        let held = Self.incompleteSuffixLength(pending)
        return String(decoding: pending[..<(pending.count - held)], as: UTF8.self)
    }

    /// The length of the unfinished character at the end of `bytes`: a lead byte and the
    /// continuation bytes after it that could still become a valid character, or 0.
    static func incompleteSuffixLength(_ bytes: [UInt8]) -> Int {
        let count = bytes.count
        for length in 1...min(3, max(count, 1)) where count >= length {
            let lead = bytes[count - length]
            if lead & 0xC0 == 0x80 { continue }
            let needed: Int
            switch lead {
            case 0xC2...0xDF: needed = 2
            case 0xE0...0xEF: needed = 3
            case 0xF0...0xF4: needed = 4
            default: return 0
            }
            guard needed > length else { return 0 }
            if length >= 2 {
                let second = bytes[count - length + 1]
                let valid: ClosedRange<UInt8>
                switch lead {
                case 0xE0: valid = 0xA0...0xBF
                case 0xED: valid = 0x80...0x9F
                case 0xF0: valid = 0x90...0xBF
                case 0xF4: valid = 0x80...0x8F
                default: valid = 0x80...0xBF
                }
                guard valid.contains(second) else { return 0 }
            }
            return length
        }
        return 0
    }
}
