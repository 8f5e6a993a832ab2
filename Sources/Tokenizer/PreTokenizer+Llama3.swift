/// The Llama 3 split pattern as a scanner (Qwen2's differs only in taking digits one at a time).
///
/// `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|
/// \s*[\r\n]+|\s+(?!\S)|\s+`, alternatives tried in order at each position. Unlike GPT-2, any one
/// non-letter character (a space, a tab, a quote) may lead a run of letters, symbol runs keep the
/// line breaks that follow them, and a whitespace run containing a line break is cut just after
/// its last line break.
extension PreTokenizer {
    static func splitLlama3(
        _ text: Span<UInt8>, _ start: Int, _ end: Int, maxDigits: Int,
        _ words: inout PreTokenWords
    ) {
        var position = start
        while position < end {
            if let length = contractionLength(text, position, end, caseInsensitive: true) {
                position += length
                words.emit(position)
                continue
            }
            let current = TokenizerChar.decode(text, position, end)
            let isLineBreak = current.scalar == 0x0A || current.scalar == 0x0D
            // `[^\r\n\p{L}\p{N}]?\p{L}+`
            if !isLineBreak && current.cls != .number {
                let next = position + current.length
                if current.cls == .letter || (next < end && TokenizerChar.decode(text, next, end).cls == .letter) {
                    var cursor = next
                    while cursor < end {
                        let char = TokenizerChar.decode(text, cursor, end)
                        guard char.cls == .letter else { break }
                        cursor += char.length
                    }
                    position = cursor
                    words.emit(position)
                    continue
                }
            }
            // `\p{N}{1,3}` (or `\p{N}` for Qwen2)
            if current.cls == .number {
                var cursor = position
                var digits = 0
                while cursor < end {
                    let char = TokenizerChar.decode(text, cursor, end)
                    guard char.cls == .number else { break }
                    cursor += char.length
                    digits += 1
                    if digits == maxDigits {
                        words.emit(cursor)
                        digits = 0
                    }
                }
                position = cursor
                words.emit(position)
                continue
            }
            // ` ?[^\s\p{L}\p{N}]+[\r\n]*`
            let isSpace = current.scalar == 0x20
            var decisive: TokenizerCharClass? = current.cls
            if isSpace {
                decisive = position + 1 < end ? TokenizerChar.decode(text, position + 1, end).cls : nil
            }
            if decisive.map({ $0.isOtherOrPunctuation }) ?? true {
                var cursor = position + (isSpace ? 1 : 0)
                while cursor < end {
                    let char = TokenizerChar.decode(text, cursor, end)
                    guard char.cls.isOtherOrPunctuation else { break }
                    cursor += char.length
                }
                while cursor < end && (text[cursor] == 0x0A || text[cursor] == 0x0D) { cursor += 1 }
                position = cursor
                words.emit(position)
                continue
            }
            position = llama3WhitespaceWordEnd(text, position, end)
            words.emit(position)
        }
    }

    /// `\s*[\r\n]+|\s+(?!\S)|\s+` at `position`: up to the last line break of the whitespace run
    /// if it has one, otherwise as GPT-2.
    @inline(__always)
    static func llama3WhitespaceWordEnd(_ text: Span<UInt8>, _ position: Int, _ end: Int) -> Int {
        var cursor = position
        var afterLineBreak = -1
        while cursor < end {
            let char = TokenizerChar.decode(text, cursor, end)
            guard char.cls == .whitespace else { break }
            if char.scalar == 0x0A || char.scalar == 0x0D { afterLineBreak = cursor + 1 }
            cursor += char.length
        }
        if afterLineBreak > 0 { return afterLineBreak }
        return whitespaceWordEnd(text, position, end)
    }
}
