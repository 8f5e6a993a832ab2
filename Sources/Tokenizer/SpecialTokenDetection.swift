import GGUF

/// llama.cpp's text-based recognition of special tokens, which GGUF files do not fully describe.
///
/// End-of-turn, end-of-message and fill-in-the-middle tokens are found by their usual texts when
/// the file gives no id; every token whose text marks the end of a generation joins the
/// end-of-generation set and is made a control token (so it renders as nothing and plain text
/// can never produce it). Phi-3's special tokens also strip the whitespace after them.
enum SpecialTokenDetection {
    static let endOfTurnTexts = [
        "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|end_of_text|>", "<EOT>",
        "_<EOT>", "[EOT]", "<｜end▁of▁sentence｜>", "<end_of_utterance>"
    ]
    static let endOfMessageTexts = ["<|eom_id|>"]
    static let fimPrefixTexts = [
        "<|fim_prefix|>", "<fim-prefix>", "<fim_prefix>", "<｜fim▁begin｜>", "<PRE>", "▁<PRE>", "<|code_prefix|>",
        "<|prefix|>"
    ]
    static let fimSuffixTexts = [
        "<|fim_suffix|>", "<fim-suffix>", "<fim_suffix>", "<｜fim▁hole｜>", "<SUF>", "▁<SUF>", "<|code_suffix|>",
        "<|suffix|>"
    ]
    static let fimMiddleTexts = [
        "<|fim_middle|>", "<fim-middle>", "<fim_middle>", "<｜fim▁end｜>", "<MID>", "▁<MID>", "<|code_middle|>",
        "<|middle|>"
    ]
    static let fimPadTexts = ["<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>", "[PAD]"]
    static let fimRepositoryTexts = ["<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>", "<reponame>"]
    static let fimSeparatorTexts = ["<|file_sep|>"]
    static let endOfGenerationTexts = [
        "<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>", "<|flush|>", "<|calls|>", "<end_of_turn>",
        "<|endoftext|>", "</s>", "<|eom_id|>", "<EOT>", "_<EOT>", "[EOT]", "[EOS]", "<|end_of_text|>",
        "<end_of_utterance>", "<eos>", "<turn|>", "<|tool_response>", "<｜end▁of▁sentence｜>", "[e~["
    ]
    /// gpt-oss's channel markers, which llama.cpp always renders.
    static let alwaysRenderedTexts = ["<|channel|>", "<|message|>", "<|start|>", "<|constrain|>"]

    /// Fills in ids found by text, adjusts attributes, and returns the end-of-generation set.
    static func apply(
        lookup: (String) -> Int32?, texts: TokenTable, special: inout SpecialTokenIDs,
        attributes: inout [TokenAttributes]
    ) -> Set<Int32> {
        let detections: [([String], WritableKeyPath<SpecialTokenIDs, Int32?>)] = [
            (endOfTurnTexts, \.eot), (endOfMessageTexts, \.eom), (fimPrefixTexts, \.fimPrefix),
            (fimSuffixTexts, \.fimSuffix), (fimMiddleTexts, \.fimMiddle), (fimPadTexts, \.fimPad),
            (fimRepositoryTexts, \.fimRepository), (fimSeparatorTexts, \.fimSeparator)
        ]
        // llama.cpp takes the first match in hash-map order; the first text of each list is a
        // deterministic choice among equally valid candidates.
        for (candidates, path) in detections where special[keyPath: path] == nil {
            for text in candidates {
                guard let id = lookup(text) else { continue }
                special[keyPath: path] = id
                attributes[Int(id)].insert(.control)
                break
            }
        }
        markUnused(texts: texts, attributes: &attributes)

        var endOfGeneration = Set([special.fimPad, special.fimRepository, special.fimSeparator].compactMap { $0 })
        for id in endOfGenerationTexts.compactMap(lookup) {
            endOfGeneration.insert(id)
            attributes[Int(id)].insert(.control)
        }
        for id in alwaysRenderedTexts.compactMap(lookup) { attributes[Int(id)] = .userDefined }
        for id in [special.eos, special.eot, special.eom].compactMap({ $0 }) { endOfGeneration.insert(id) }

        // o200k_harmony and Solar Open end turns with <|return|>/<|call|>; their <|end|> is not EOG.
        let generationEnders = Set(
            endOfGenerationTexts.filter { text in
                lookup(text).map(endOfGeneration.contains) ?? false
            })
        let has = { (text: String) in generationEnders.contains(text) }
        if has("<|end|>"), (has("<|return|>") && has("<|call|>")) || (has("<|calls|>") && has("<|flush|>")),
            let end = lookup("<|end|>")
        {
            endOfGeneration.remove(end)
            attributes[Int(end)] = .userDefined
        }
        // Gemma 4 and PaddleOCR use </s> as ordinary text.
        if has("<|tool_response>"), has("</s>"), let closing = lookup("</s>") {
            endOfGeneration.remove(closing)
            attributes[Int(closing)] = .normal
        }
        return endOfGeneration
    }

    /// Control tokens with "unused" in their text are placeholders.
    private static func markUnused(texts: TokenTable, attributes: inout [TokenAttributes]) {
        let needle = Array("unused".utf8)
        for id in attributes.indices where attributes[id].contains(.control) {
            let text = texts.texts[Int(texts.starts[id])..<Int(texts.starts[id + 1])]
            if text.count >= needle.count,
                text.indices.dropLast(needle.count - 1).contains(where: {
                    text[$0..<($0 + needle.count)].elementsEqual(needle)
                })
            {
                attributes[id].insert(.unused)
            }
        }
    }

    /// Per-model strip attributes that llama.cpp sets by model, pre-tokenizer or architecture name.
    static func applyNamedAttributes(
        _ metadata: GGUFMetadata, lookup: (String) -> Int32?,
        attributes: inout [TokenAttributes]
    ) {
        let name = asciiLowercased(metadata.string(VocabularyKeys.name) ?? "")
        let pre = metadata.string(VocabularyKeys.pre) ?? ""
        let architecture = metadata.string(VocabularyKeys.architecture) ?? ""
        func containsAny(_ text: String, _ parts: [String]) -> Bool { parts.contains { text.contains($0) } }
        if containsAny(pre, ["jina-v2-de", "jina-v2-es", "jina-v2-code"])
            || containsAny(architecture, ["nomic-bert-moe", "jina-bert-v3"])
        {
            if let mask = lookup("<mask>") { attributes[Int(mask)].insert(.leftStrip) }
        } else if containsAny(name, ["phi-3", "phi3"]) {
            for id in attributes.indices where !attributes[id].isDisjoint(with: TokenAttributes.special) {
                attributes[id].insert(.rightStrip)
            }
            if let closing = lookup("</s>") { attributes[Int(closing)].insert(.rightStrip) }
            for text in ["<unk>", "<s>", "<|endoftext|>"] {
                if let id = lookup(text) { attributes[Int(id)].remove(.rightStrip) }
            }
        } else if containsAny(name, ["modern-bert"]) {
            if let mask = lookup("[MASK]") { attributes[Int(mask)].insert(.leftStrip) }
        }
    }

    private static func asciiLowercased(_ text: String) -> String {
        String(decoding: text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
    }
}
