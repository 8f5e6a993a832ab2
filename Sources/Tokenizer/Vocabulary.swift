/// Which tokenizer family a model uses (`tokenizer.ggml.model`).
public enum TokenizerModel: String, Sendable {
    /// `llama`: SentencePiece BPE with scores and `<0xNN>` byte fallback.
    case sentencePiece = "llama"
    /// `gpt2`: byte-level BPE with merge ranks and a pre-tokenizer.
    case bytePairEncoding = "gpt2"
}

/// The special token ids of a vocabulary; nil where the model has none.
public struct SpecialTokenIDs: Sendable, Equatable {
    public var bos: Int32?
    public var eos: Int32?
    public var eot: Int32?
    public var eom: Int32?
    public var unknown: Int32?
    public var separator: Int32?
    public var padding: Int32?
    public var fimPrefix: Int32?
    public var fimSuffix: Int32?
    public var fimMiddle: Int32?
    public var fimPad: Int32?
    public var fimRepository: Int32?
    public var fimSeparator: Int32?

    public init() {}
}

/// Everything the tokenizer knows about a model's tokens, built once from GGUF metadata.
///
/// Token texts live in one byte arena; look-ups by text go through `TokenByteMap`. For byte-level
/// BPE each token's text is also stored decoded (GPT-2 characters turned back into bytes), so the
/// encoder works on the input's own UTF-8 bytes and never builds the mapped form of a word.
struct Vocabulary: Sendable {
    let model: TokenizerModel
    let count: Int
    /// Token texts as the file stores them: `texts[textStarts[i]..<textStarts[i + 1]]`.
    let texts: [UInt8]
    let textStarts: [Int32]
    /// Text -> id over every token (the last id wins for a repeated text).
    let textIndex: TokenByteMap
    let scores: [Float]
    let attributes: [TokenAttributes]
    /// BPE: token texts with each GPT-2 character turned back into its byte; a character outside
    /// the mapping is kept as its UTF-8 bytes (and the token is then left out of `decodedIndex`).
    let decoded: [UInt8]
    let decodedStarts: [Int32]
    /// BPE: decoded bytes -> id, for the tokens whose text is made only of GPT-2 characters.
    let decodedIndex: TokenByteMap
    /// The token standing for each single byte: BPE the byte's GPT-2 character, SPM `<0xNN>`.
    /// -1 where the vocabulary has none.
    let byteTokens: [Int32]
    let merges: BPEMergeTable
    /// SPM: every character that some token has right before a `▁` (for Llama, just `▁`): text
    /// may be cut before any other `▁` without changing the result.
    let charactersBeforeSpaceInTokens: Set<UInt32>
    let special: SpecialTokenIDs
    let endOfGeneration: Set<Int32>
    let addBOS: Bool
    let addEOS: Bool
    let addSpacePrefix: Bool
    /// Llama 3 style: a word that is a token as a whole skips BPE.
    let ignoreMerges: Bool
    let preTokenizer: PreTokenizer
    let preTokenizerName: String
    let warnings: [String]

    /// Whether `id` names a token.
    @inline(__always)
    func contains(_ id: Int32) -> Bool { id >= 0 && Int(id) < count }

    /// The stored text of a token, as bytes.
    func textBytes(_ id: Int32) -> ArraySlice<UInt8> {
        guard contains(id) else { return [] }
        return texts[Int(textStarts[Int(id)])..<Int(textStarts[Int(id) + 1])]
    }

    /// The decoded bytes of a BPE token.
    func decodedBytes(_ id: Int32) -> ArraySlice<UInt8> {
        guard contains(id), decodedStarts.count > Int(id) + 1 else { return [] }
        return decoded[Int(decodedStarts[Int(id)])..<Int(decodedStarts[Int(id) + 1])]
    }

    /// The id of the token whose stored text is `text`.
    func id(forText text: String) -> Int32? {
        let id = textIndex.find(Array(text.utf8))
        return id >= 0 ? id : nil
    }
}
