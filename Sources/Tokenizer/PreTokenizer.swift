/// Splits text into the words that BPE merges separately, like the split regexes of llama.cpp.
///
/// Each pattern is a hand-written scanner over UTF-8 bytes (no regex engine on the hot path).
/// Patterns given as a list run as a chain, as in llama.cpp's `unicode_regex_split`: each pattern
/// splits every piece the previous one produced, keeping both its matches and the text between
/// them, and never looks across a piece boundary (so `(?!\S)` sees a piece's end as the text's end).
struct PreTokenizer: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
        case gpt2
        /// Llama 3: `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}|
        /// ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
        case llama3
        /// Qwen2: the Llama 3 pattern with `\p{N}` taking single digits.
        case qwen2
        /// `\p{N}` (every digit alone), then the GPT-2 pattern: SmolLM, StarCoder and kin.
        case digitsThenGPT2
        /// llama.cpp's Falcon chain: ``[\p{P}\$\+<=>\^~\|`]+``, GPT-2, `[0-9][0-9][0-9]`.
        case falcon
        /// llama.cpp's `default` BPE chain: `[\p{P}\$\+<=>\^~\|]+`, GPT-2, `\p{N}+`, `[0-9][0-9][0-9]`.
        case llamaDefault
    }

    let kind: Kind

    /// Appends the end offset of every word of `text[range]` to `words`, in order.
    func split(_ text: Span<UInt8>, _ range: Range<Int>, into words: inout PreTokenWords) {
        words.reset(start: range.lowerBound)
        guard !range.isEmpty else { return }
        switch kind {
        case .gpt2:
            Self.splitGPT2(text, range.lowerBound, range.upperBound, &words)
        case .llama3:
            Self.splitLlama3(text, range.lowerBound, range.upperBound, maxDigits: 3, &words)
        case .qwen2:
            Self.splitLlama3(text, range.lowerBound, range.upperBound, maxDigits: 1, &words)
        case .digitsThenGPT2:
            Self.splitDigitsThenGPT2(text, range.lowerBound, range.upperBound, &words)
        case .falcon:
            Self.splitChain(
                text, range, stages: [.punctuationRuns(backtick: true), .gpt2, .asciiDigitTriples],
                into: &words)
        case .llamaDefault:
            Self.splitChain(
                text, range,
                stages: [
                    .punctuationRuns(backtick: false), .gpt2, .numberRuns,
                    .asciiDigitTriples
                ], into: &words)
        }
    }
}

/// The words found so far: their end offsets, in order, with empty words never recorded.
struct PreTokenWords {
    private(set) var ends: [Int] = []
    /// The end of the last word (or the start of the text when there is none yet).
    private(set) var last = 0

    init() {}

    mutating func reset(start: Int) {
        ends.removeAll(keepingCapacity: true)
        last = start
    }

    /// Ends the current word at `end`; a zero-length word is skipped.
    @inline(__always)
    mutating func emit(_ end: Int) {
        if end > last {
            ends.append(end)
            last = end
        }
    }
}
