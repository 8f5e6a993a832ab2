/// Why a tokenizer could not be built from a model's metadata, or refused a text.
///
/// Loading can fail, and encoding refuses text beyond `Tokenizer.maxInputBytes` before doing
/// any work on it; otherwise encoding and decoding accept any input and any id.
public enum TokenizerError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A required `tokenizer.ggml.*` key is absent.
    case missingKey(String)
    /// A key is present but has the wrong type or an unusable value.
    case invalidKey(String, reason: String)
    /// `tokenizer.ggml.model` names a tokenizer family Parley does not implement.
    case unsupportedModel(String)
    /// A text longer than one encode call accepts (`bytes` and `limit` in UTF-8 bytes).
    case inputTooLarge(bytes: Int, limit: Int)

    public var description: String {
        switch self {
        case .missingKey(let key):
            return "the model has no '\(key)' metadata, which the tokenizer needs"
        case .invalidKey(let key, let reason):
            return "the model's '\(key)' metadata is unusable: \(reason)"
        case .unsupportedModel(let name):
            return "tokenizer '\(name)' is not supported (Parley supports 'llama' SentencePiece and 'gpt2' BPE)"
        case .inputTooLarge(let bytes, let limit):
            return
                "the text is \(bytes) bytes long, more than the \(limit) bytes (\(limit >> 20) MiB) Parley tokenizes "
                + "at once; shorten it"
        }
    }
}
