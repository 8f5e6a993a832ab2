/// The GPT-2 split pattern as a scanner, and the digit-splitting chain built on it.
///
/// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+` tried in order at
/// each position, as a backtracking regex engine would: the contractions are lower-case only, an
/// optional leading space joins the letters, digits or symbols after it, and a whitespace run
/// followed by a non-space gives its last character to the next word.
extension PreTokenizer {
    static func splitGPT2(
        _ text: Span<UInt8>, _ start: Int, _ end: Int,
        _ words: inout PreTokenWords
    ) {
        var position = start
        while position < end {
            if let length = contractionLength(text, position, end, caseInsensitive: false) {
                position += length
                words.emit(position)
                continue
            }
            let current = TokenizerChar.decode(text, position, end)
            // With a leading space the class that decides is the next character's.
            let isSpace = current.scalar == 0x20
            var decisive: TokenizerCharClass? = current.cls
            if isSpace {
                decisive = position + 1 < end ? TokenizerChar.decode(text, position + 1, end).cls : nil
            }
            if let cls = decisive, cls != .whitespace {
                // ` ?\p{L}+`, ` ?\p{N}+` or ` ?[^\s\p{L}\p{N}]+`: a run of one kind.
                var cursor = position + (isSpace ? 1 : 0)
                while cursor < end {
                    let next = TokenizerChar.decode(text, cursor, end)
                    guard sameRun(next.cls, cls) else { break }
                    cursor += next.length
                }
                position = cursor
                words.emit(position)
                continue
            }
            position = whitespaceWordEnd(text, position, end)
            words.emit(position)
        }
    }

    /// `\s+(?!\S)|\s+` at `position` (a whitespace character): the whole run when it ends the
    /// text or is one character long, else the run without its last character.
    @inline(__always)
    static func whitespaceWordEnd(_ text: Span<UInt8>, _ position: Int, _ end: Int) -> Int {
        var cursor = position
        var lastStart = position
        var count = 0
        while cursor < end {
            let next = TokenizerChar.decode(text, cursor, end)
            guard next.cls == .whitespace else { break }
            lastStart = cursor
            cursor += next.length
            count += 1
        }
        if count == 0 { return position + TokenizerChar.decode(text, position, end).length }
        if count > 1 && cursor < end { return lastStart }
        return cursor
    }

    /// Whether a character of class `cls` continues a run that started with class `run`.
    @inline(__always)
    static func sameRun(_ cls: TokenizerCharClass, _ run: TokenizerCharClass) -> Bool {
        switch run {
        case .letter, .number: return cls == run
        default: return cls.isOtherOrPunctuation
        }
    }

    /// The length of `'s|'t|'re|'ve|'m|'ll|'d` at `position`, if one starts there.
    @inline(__always)
    static func contractionLength(
        _ text: Span<UInt8>, _ position: Int, _ end: Int,
        caseInsensitive: Bool
    ) -> Int? {
        guard text[position] == 0x27, position + 1 < end else { return nil }
        func fold(_ byte: UInt8) -> UInt8 {
            caseInsensitive && byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
        }
        let first = fold(text[position + 1])
        switch first {
        case UInt8(ascii: "s"), UInt8(ascii: "t"), UInt8(ascii: "m"), UInt8(ascii: "d"):
            return 2
        default:
            break
        }
        guard position + 2 < end else { return nil }
        let second = fold(text[position + 2])
        switch (first, second) {
        case (UInt8(ascii: "r"), UInt8(ascii: "e")), (UInt8(ascii: "v"), UInt8(ascii: "e")),
            (UInt8(ascii: "l"), UInt8(ascii: "l")):
            return 3
        default:
            return nil
        }
    }

    /// `\p{N}` then GPT-2: every number character is a word of its own and the GPT-2 pattern
    /// splits the text between them (SmolLM's "individual digits" pre-tokenizer).
    static func splitDigitsThenGPT2(
        _ text: Span<UInt8>, _ start: Int, _ end: Int,
        _ words: inout PreTokenWords
    ) {
        var position = start
        var gapStart = start
        while position < end {
            let byte = text[position]
            let length: Int
            let isNumber: Bool
            if byte < 0x80 {
                length = 1
                isNumber = byte >= 0x30 && byte <= 0x39
            } else {
                let current = TokenizerChar.decode(text, position, end)
                length = current.length
                isNumber = current.cls == .number
            }
            if isNumber {
                if gapStart < position { splitGPT2(text, gapStart, position, &words) }
                words.emit(position + length)
                gapStart = position + length
            }
            position += length
        }
        if gapStart < end { splitGPT2(text, gapStart, end, &words) }
    }
}
