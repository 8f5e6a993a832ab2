extension Tokenizer {
    /// The longest text one encode call accepts: 8 MiB of UTF-8.
    ///
    /// Far beyond any context window (a 128k-token window holds about 0.5 MiB of text) and
    /// beyond llama-perplexity's usual corpora (wikitext-2's test set is 1.3 MB), yet small
    /// enough that the token list, word boundaries and merge state stay within a few hundred MB.
    /// Longer text is refused before any work is done on it.
    public static let maxInputBytes = 8 << 20

    /// Throws `inputTooLarge` when `byteCount` exceeds `maxInputBytes`.
    public static func checkInputSize(_ byteCount: Int) throws(TokenizerError) {
        guard byteCount <= maxInputBytes else { throw .inputTooLarge(bytes: byteCount, limit: maxInputBytes) }
    }

    /// Tokenizes `text` as llama.cpp's `llama_tokenize`.
    ///
    /// - Parameters:
    ///   - addSpecial: add BOS (and EOS) where the model asks for them (`addBOS`, `addEOS`).
    ///   - parseSpecial: turn control-token text in `text` (`<|im_start|>`, `<s>`) into those
    ///     tokens; when false it is tokenized as plain text. User-defined tokens are always matched.
    /// - Throws: `TokenizerError.inputTooLarge` beyond `maxInputBytes`, before any work.
    public func encode(_ text: String, addSpecial: Bool = true, parseSpecial: Bool = false) throws(TokenizerError)
        -> [Int32]
    {
        try Self.checkInputSize(text.utf8.count)
        var text = text
        // The span bounds-checks every read of the text (the buffer pointer would not in a release build).
        return text.withUTF8 { encodeUnchecked($0.span, addSpecial: addSpecial, parseSpecial: parseSpecial) }
    }

    /// Tokenizes UTF-8 bytes (see `encode(_:addSpecial:parseSpecial:)`); they need not be valid UTF-8.
    public func encode(
        utf8 bytes: Span<UInt8>, addSpecial: Bool = true,
        parseSpecial: Bool = false
    ) throws(TokenizerError) -> [Int32] {
        try Self.checkInputSize(bytes.count)
        return encodeUnchecked(bytes, addSpecial: addSpecial, parseSpecial: parseSpecial)
    }

    private func encodeUnchecked(_ bytes: Span<UInt8>, addSpecial: Bool, parseSpecial: Bool) -> [Int32] {
        var output: [Int32] = []
        output.reserveCapacity(bytes.count / 3 + 2)
        let fragments = partitioner.partition(bytes, parseSpecial: parseSpecial)
        if addSpecial && vocabulary.addBOS, let bos = vocabulary.special.bos { output.append(bos) }
        switch vocabulary.model {
        case .sentencePiece:
            var encoder = SentencePieceEncoder(vocabulary: vocabulary)
            // A space goes in front of the first text and of text that follows a special token.
            var afterSpecial = true
            for fragment in fragments {
                switch fragment {
                case .text(let range):
                    encoder.encode(
                        bytes.extracting(range),
                        addSpacePrefix: vocabulary.addSpacePrefix && afterSpecial, into: &output)
                    afterSpecial = false
                case .token(let id):
                    output.append(id)
                    afterSpecial = true
                }
            }
        case .bytePairEncoding:
            var encoder = BytePairEncoder(vocabulary: vocabulary)
            var words = PreTokenWords()
            for fragment in fragments {
                switch fragment {
                case .text(let range):
                    vocabulary.preTokenizer.split(bytes, range, into: &words)
                    var start = range.lowerBound
                    for end in words.ends {
                        encoder.encode(bytes.extracting(start..<end), into: &output)
                        start = end
                    }
                case .token(let id):
                    output.append(id)
                }
            }
        }
        if addSpecial && vocabulary.addEOS, let eos = vocabulary.special.eos { output.append(eos) }
        return output
    }
}
