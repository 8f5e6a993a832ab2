import GGUF

/// Turns text into token ids and back, exactly as llama.cpp does for the same GGUF model.
///
/// Built once from the model's `tokenizer.ggml.*` metadata, then immutable: share one instance
/// between threads freely. Two families are supported: SentencePiece (`tokenizer.ggml.model =
/// llama`, as in Llama 2 and TinyLlama-style models) and byte-level BPE (`gpt2`: GPT-2, Llama 3,
/// Qwen2, SmolLM...). Encoding never fails and decoding accepts any id; text that is not valid
/// UTF-8 decodes with U+FFFD replacement characters.
public final class Tokenizer: Sendable {
    let vocabulary: Vocabulary
    let partitioner: SpecialTokenPartitioner

    /// Builds the tokenizer of a model file.
    public convenience init(gguf: GGUFFile) throws(TokenizerError) {
        try self.init(metadata: gguf.metadata)
    }

    /// Builds a tokenizer from GGUF metadata (a model file's, or one made in memory for tests).
    public init(metadata: GGUFMetadata) throws(TokenizerError) {
        vocabulary = try Vocabulary(metadata: metadata)
        partitioner = SpecialTokenPartitioner(vocabulary: vocabulary)
    }

    /// The number of tokens in the vocabulary.
    public var vocabularySize: Int { vocabulary.count }
    /// The tokenizer family.
    public var model: TokenizerModel { vocabulary.model }
    /// The pre-tokenizer name the model asked for (`tokenizer.ggml.pre`; empty for SentencePiece).
    public var preTokenizerName: String { vocabulary.preTokenizerName }
    /// The beginning-of-sequence token, if the model has one.
    public var bos: Int32? { vocabulary.special.bos }
    /// The end-of-sequence token, if the model has one.
    public var eos: Int32? { vocabulary.special.eos }
    /// Every special id of the model (EOT, EOM, unknown, padding, fill-in-the-middle...).
    public var specialTokens: SpecialTokenIDs { vocabulary.special }
    /// Tokens that end a generation: EOS, EOT, EOM and every token whose text marks the end of a
    /// turn (`<|im_end|>`, `<|eot_id|>`, `<|endoftext|>`, `<end_of_turn>`...), as llama.cpp finds them.
    public var endOfGeneration: Set<Int32> { vocabulary.endOfGeneration }
    /// Whether `encode(_:addSpecial: true)` starts with BOS.
    public var addBOS: Bool { vocabulary.addBOS }
    /// Whether `encode(_:addSpecial: true)` ends with EOS.
    public var addEOS: Bool { vocabulary.addEOS }
    /// Whether SentencePiece text gets a leading space (and decoding drops it again).
    public var addSpacePrefix: Bool { vocabulary.addSpacePrefix }
    /// Problems found while loading that did not prevent it (an unknown pre-tokenizer, bad ids).
    public var warnings: [String] { vocabulary.warnings }

    /// The attributes of a token (empty for an id outside the vocabulary).
    public func attributes(_ id: Int32) -> TokenAttributes {
        vocabulary.contains(id) ? vocabulary.attributes[Int(id)] : []
    }

    /// The token's text exactly as the vocabulary stores it (`Ġthe`, `▁the`, `<0x0A>`, `<|im_end|>`).
    public func tokenText(_ id: Int32) -> String {
        String(decoding: vocabulary.textBytes(id), as: UTF8.self)
    }

    /// The id of the token whose stored text is `text`, if there is one.
    public func tokenID(forText text: String) -> Int32? { vocabulary.id(forText: text) }
}
