/// The multi-pattern chains of llama.cpp's `default` and `falcon` BPE pre-tokenizers.
///
/// These run rarely (old conversions without a named pre-tokenizer), so clarity wins over speed:
/// each stage splits every piece of the previous stage into a fresh list.
extension PreTokenizer {
    enum Stage: Equatable {
        /// `[\p{P}\$\+<=>\^~\|]+` (plus `` ` `` for Falcon): runs of punctuation and those symbols.
        case punctuationRuns(backtick: Bool)
        /// The GPT-2 pattern.
        case gpt2
        /// `\p{N}+`: runs of number characters.
        case numberRuns
        /// `[0-9][0-9][0-9]`: ASCII digits in threes, leftmost first.
        case asciiDigitTriples
    }

    static func splitChain(
        _ text: Span<UInt8>, _ range: Range<Int>, stages: [Stage],
        into words: inout PreTokenWords
    ) {
        var pieces = [range.upperBound]
        for stage in stages {
            var next = PreTokenWords()
            next.reset(start: range.lowerBound)
            var pieceStart = range.lowerBound
            for pieceEnd in pieces {
                split(text, pieceStart, pieceEnd, stage, &next)
                next.emit(pieceEnd)
                pieceStart = pieceEnd
            }
            pieces = next.ends
        }
        for end in pieces { words.emit(end) }
    }

    private static func split(
        _ text: Span<UInt8>, _ start: Int, _ end: Int, _ stage: Stage,
        _ words: inout PreTokenWords
    ) {
        switch stage {
        case .gpt2:
            splitGPT2(text, start, end, &words)
        case .punctuationRuns(let backtick):
            splitRuns(text, start, end, &words) { char in
                if char.cls == .punctuation { return true }
                switch char.scalar {
                case 0x24, 0x2B, 0x3C, 0x3D, 0x3E, 0x5E, 0x7E, 0x7C: return true
                case 0x60: return backtick
                default: return false
                }
            }
        case .numberRuns:
            splitRuns(text, start, end, &words) { $0.cls == .number }
        case .asciiDigitTriples:
            var position = start
            while position + 3 <= end {
                if isDigit(text[position]) && isDigit(text[position + 1]) && isDigit(text[position + 2]) {
                    words.emit(position)
                    position += 3
                    words.emit(position)
                } else {
                    position += 1
                }
            }
        }
    }

    /// Splits off every maximal run of characters satisfying `member`; the text between runs stays
    /// as pieces of its own (the caller closes the last one).
    private static func splitRuns(
        _ text: Span<UInt8>, _ start: Int, _ end: Int,
        _ words: inout PreTokenWords, member: (TokenizerChar) -> Bool
    ) {
        var position = start
        var inRun = false
        while position < end {
            let char = TokenizerChar.decode(text, position, end)
            let isMember = member(char)
            if isMember != inRun {
                words.emit(position)
                inRun = isMember
            }
            position += char.length
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
}
