import GGUF

/// The token list of a model as read from `tokenizer.ggml.tokens`, `.scores` and `.token_type`.
struct TokenTable {
    /// All token texts back to back; token `i` is `texts[starts[i]..<starts[i + 1]]`.
    var texts: [UInt8] = []
    var starts: [Int32] = [0]
    var scores: [Float]
    var attributes: [TokenAttributes]

    var count: Int { starts.count - 1 }

    init(metadata: GGUFMetadata, warnings: inout [String]) throws(TokenizerError) {
        guard metadata[VocabularyKeys.tokens] != nil else { throw .missingKey(VocabularyKeys.tokens) }
        guard let tokens = metadata.stringArray(VocabularyKeys.tokens) else {
            throw .invalidKey(VocabularyKeys.tokens, reason: "expected an array of strings")
        }
        guard tokens.count < Int(Int32.max) else {
            throw .invalidKey(VocabularyKeys.tokens, reason: "too many tokens (\(tokens.count))")
        }
        scores = try Self.scores(metadata, count: tokens.count)
        attributes = try Self.attributes(metadata, count: tokens.count)
        texts.reserveCapacity(tokens.count * 8)
        starts.reserveCapacity(tokens.count + 1)
        var empty = 0
        for (id, token) in tokens.enumerated() {
            if token.isEmpty {
                // llama.cpp renames an empty token so that every token has a distinct, visible text.
                texts.append(contentsOf: "[EMPTY_\(id)]".utf8)
                empty += 1
            } else {
                texts.append(contentsOf: token.utf8)
            }
            guard texts.count < Int(Int32.max) else {
                throw .invalidKey(VocabularyKeys.tokens, reason: "token texts exceed 2 GiB")
            }
            starts.append(Int32(texts.count))
        }
        if empty > 0 { warnings.append("\(empty) empty token texts were renamed [EMPTY_<id>]") }
    }

    /// Scores, or zeros when the model has none (byte-level BPE ranks by merges instead).
    private static func scores(_ metadata: GGUFMetadata, count: Int) throws(TokenizerError) -> [Float] {
        guard metadata[VocabularyKeys.scores] != nil else { return [Float](repeating: 0, count: count) }
        guard let scores = metadata.floatArray(VocabularyKeys.scores) else {
            throw .invalidKey(VocabularyKeys.scores, reason: "expected an array of numbers")
        }
        guard scores.count >= count else {
            throw .invalidKey(VocabularyKeys.scores, reason: "\(scores.count) scores for \(count) tokens")
        }
        return Array(scores.prefix(count))
    }

    /// Attributes from the token types, or all-normal when the model has no types.
    private static func attributes(_ metadata: GGUFMetadata, count: Int) throws(TokenizerError) -> [TokenAttributes] {
        guard metadata[VocabularyKeys.tokenTypes] != nil else {
            return [TokenAttributes](repeating: .normal, count: count)
        }
        guard let types = metadata.intArray(VocabularyKeys.tokenTypes) else {
            throw .invalidKey(VocabularyKeys.tokenTypes, reason: "expected an array of integers")
        }
        guard types.count >= count else {
            throw .invalidKey(VocabularyKeys.tokenTypes, reason: "\(types.count) token types for \(count) tokens")
        }
        return types.prefix(count).map(TokenAttributes.init(ggufTokenType:))
    }
}
