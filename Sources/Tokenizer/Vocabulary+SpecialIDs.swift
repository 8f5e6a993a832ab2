import GGUF

extension Vocabulary {
    /// The special token ids: llama.cpp's defaults for the family, replaced by the file's
    /// `tokenizer.ggml.*_token_id` keys where those name a token of the vocabulary (llama.cpp
    /// also keeps the default, with a warning, for an id outside the vocabulary).
    static func readSpecialIDs(
        _ metadata: GGUFMetadata, model: TokenizerModel, count: Int, disablesBOS: Bool,
        warnings: inout [String]
    ) -> SpecialTokenIDs {
        var ids = SpecialTokenIDs()
        switch model {
        case .sentencePiece:
            ids.bos = 1
            ids.eos = 2
            ids.unknown = 0
        case .bytePairEncoding:
            // llama.cpp's (odd) BPE default; real files always set both keys.
            ids.bos = 11
            ids.eos = 11
        }
        if disablesBOS { ids.bos = nil }
        let keys: [(String, WritableKeyPath<SpecialTokenIDs, Int32?>)] = [
            ("tokenizer.ggml.bos_token_id", \.bos),
            ("tokenizer.ggml.eos_token_id", \.eos),
            ("tokenizer.ggml.eot_token_id", \.eot),
            ("tokenizer.ggml.eom_token_id", \.eom),
            ("tokenizer.ggml.unknown_token_id", \.unknown),
            ("tokenizer.ggml.seperator_token_id", \.separator),
            ("tokenizer.ggml.padding_token_id", \.padding),
            ("tokenizer.ggml.fim_pre_token_id", \.fimPrefix),
            ("tokenizer.ggml.fim_suf_token_id", \.fimSuffix),
            ("tokenizer.ggml.fim_mid_token_id", \.fimMiddle),
            ("tokenizer.ggml.fim_pad_token_id", \.fimPad),
            ("tokenizer.ggml.fim_rep_token_id", \.fimRepository),
            ("tokenizer.ggml.fim_sep_token_id", \.fimSeparator),
            ("tokenizer.ggml.prefix_token_id", \.fimPrefix),
            ("tokenizer.ggml.suffix_token_id", \.fimSuffix),
            ("tokenizer.ggml.middle_token_id", \.fimMiddle)
        ]
        for (key, path) in keys {
            if let id = ids[keyPath: path], Int(id) >= count {
                warnings.append("default special token \(key) = \(id) is outside the vocabulary; disabled")
                ids[keyPath: path] = nil
            }
            guard let value = metadata[key] else { continue }
            // Converters write -1 (as a u32, 0xFFFFFFFF) for "none": keep the default quietly.
            if value.int == -1 || value.int == Int(UInt32.max) { continue }
            guard let id = value.int, id >= 0, id < count else {
                warnings.append("ignoring \(key): it does not name a token of the \(count)-token vocabulary")
                continue
            }
            ids[keyPath: path] = Int32(id)
        }
        return ids
    }
}
