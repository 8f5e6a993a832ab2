import GGUF

extension Vocabulary {
    /// Builds the vocabulary from a model's `tokenizer.ggml.*` metadata, with llama.cpp's defaults
    /// for whatever the file leaves out.
    init(metadata: GGUFMetadata) throws(TokenizerError) {
        var warnings: [String] = []
        guard let modelName = metadata.string(VocabularyKeys.model) else {
            throw .missingKey(VocabularyKeys.model)
        }
        let model: TokenizerModel
        var options: VocabularyOptions
        switch modelName {
        case "llama":
            model = .sentencePiece
            options = .sentencePiece
        case "gpt2":
            model = .bytePairEncoding
            options = .bytePairEncoding(pre: metadata.string(VocabularyKeys.pre) ?? "", warnings: &warnings)
        default:
            throw .unsupportedModel(modelName)
        }
        if let value = metadata.bool(VocabularyKeys.addSpacePrefix) { options.addSpacePrefix = value }

        let table = try TokenTable(metadata: metadata, warnings: &warnings)
        let textIndex = TokenByteMap(bytes: table.texts, starts: table.starts)
        if textIndex.duplicates > 0 {
            // Newer llama.cpp refuses such a file; older versions let the last id win, as here.
            warnings.append("\(textIndex.duplicates) token texts appear more than once; the last id is used")
        }
        var attributes = table.attributes
        var (decoded, decodedStarts, mappable): ([UInt8], [Int32], [Bool]) = ([], [0], [])
        var merges = BPEMergeTable(capacity: 0)
        if model == .bytePairEncoding {
            (decoded, decodedStarts, mappable) = Self.decodeTexts(table)
            merges = try Self.readMerges(metadata, textIndex: textIndex, warnings: &warnings)
        }
        let decodedIndex = TokenByteMap(bytes: decoded, starts: decodedStarts) { mappable[$0] }

        var special = Self.readSpecialIDs(
            metadata, model: model, count: table.count,
            disablesBOS: options.disablesBOS, warnings: &warnings)
        if let value = metadata.bool(VocabularyKeys.addBOS) { options.addBOS = value }
        if let value = metadata.bool(VocabularyKeys.addEOS) { options.addEOS = value }
        if options.addBOS && special.bos == nil {
            throw .invalidKey(VocabularyKeys.addBOS, reason: "BOS is to be added but the model has no BOS token")
        }
        if options.addEOS && special.eos == nil {
            throw .invalidKey(VocabularyKeys.addEOS, reason: "EOS is to be added but the model has no EOS token")
        }
        let lookup = { (text: String) -> Int32? in
            let id = textIndex.find(Array(text.utf8))
            return id >= 0 ? id : nil
        }
        let endOfGeneration = SpecialTokenDetection.apply(
            lookup: lookup, texts: table, special: &special,
            attributes: &attributes)
        SpecialTokenDetection.applyNamedAttributes(metadata, lookup: lookup, attributes: &attributes)

        self.init(
            model: model, count: table.count, texts: table.texts, textStarts: table.starts,
            textIndex: textIndex, scores: table.scores, attributes: attributes, decoded: decoded,
            decodedStarts: decodedStarts, decodedIndex: decodedIndex,
            byteTokens: Self.byteTokens(model, textIndex), merges: merges,
            charactersBeforeSpaceInTokens: model == .sentencePiece ? Self.charactersBeforeSpace(table) : [],
            special: special,
            endOfGeneration: endOfGeneration, addBOS: options.addBOS, addEOS: options.addEOS,
            addSpacePrefix: options.addSpacePrefix, ignoreMerges: options.ignoreMerges,
            preTokenizer: options.preTokenizer, preTokenizerName: options.preTokenizerName,
            warnings: warnings)
    }

    /// Each token's text with GPT-2 characters turned back into bytes, and whether every character
    /// of it was one of the 256 mapped ones.
    private static func decodeTexts(_ table: TokenTable) -> ([UInt8], [Int32], [Bool]) {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(table.texts.count)
        var starts: [Int32] = [0]
        starts.reserveCapacity(table.count + 1)
        var mappable = [Bool](repeating: true, count: table.count)
        let texts = table.texts.span
        for id in 0..<table.count {
            var position = Int(table.starts[id])
            let end = Int(table.starts[id + 1])
            while position < end {
                let char = TokenizerChar.decode(texts, position, end)
                if let byte = GPT2ByteMapping.byte(for: char.scalar) {
                    decoded.append(byte)
                } else {
                    for offset in position..<(position + char.length) { decoded.append(texts[offset]) }
                    mappable[id] = false
                }
                position += char.length
            }
            starts.append(Int32(decoded.count))
        }
        return (decoded, starts, mappable)
    }

    /// The merge rules, by token ids. A rule naming a text that is not a token cannot apply to
    /// token-id symbols and is skipped (well-formed vocabularies have none).
    private static func readMerges(
        _ metadata: GGUFMetadata, textIndex: TokenByteMap,
        warnings: inout [String]
    ) throws(TokenizerError) -> BPEMergeTable {
        guard metadata[VocabularyKeys.merges] != nil else { throw .missingKey(VocabularyKeys.merges) }
        guard let lines = metadata.stringArray(VocabularyKeys.merges) else {
            throw .invalidKey(VocabularyKeys.merges, reason: "expected an array of strings")
        }
        guard lines.count < Int(Int32.max) else {
            throw .invalidKey(VocabularyKeys.merges, reason: "too many merge rules (\(lines.count))")
        }
        var table = BPEMergeTable(capacity: lines.count)
        var skipped = 0
        var joined: [UInt8] = []
        for (rank, line) in lines.enumerated() {
            var line = line
            let added = line.withUTF8 { utf8 -> Bool in
                let bytes = utf8.span
                var space = 1
                while space < bytes.count && bytes[space] != 0x20 { space += 1 }
                guard space < bytes.count else { return false }
                let left = textIndex.find(bytes.extracting(0..<space))
                let right = textIndex.find(bytes.extracting((space + 1)..<bytes.count))
                joined.removeAll(keepingCapacity: true)
                for index in bytes.indices where index != space { joined.append(bytes[index]) }
                let merged = textIndex.find(joined)
                guard left >= 0, right >= 0, merged >= 0 else { return false }
                table.insert(left: left, right: right, rank: Int32(rank), merged: merged)
                return true
            }
            if !added { skipped += 1 }
        }
        if skipped > 0 {
            warnings.append(
                "\(skipped) of \(lines.count) merge rules name texts that are not tokens; they were skipped")
        }
        return table
    }

    /// The characters found right before a `▁` (not at the start) in some token's text.
    private static func charactersBeforeSpace(_ table: TokenTable) -> Set<UInt32> {
        var characters = Set<UInt32>()
        let texts = table.texts.span
        for id in 0..<table.count {
            let start = Int(table.starts[id])
            let end = Int(table.starts[id + 1])
            var position = start
            var previous: UInt32?
            while position < end {
                let char = TokenizerChar.decode(texts, position, end)
                if char.scalar == 0x2581, let previous { characters.insert(previous) }
                previous = char.scalar
                position += char.length
            }
        }
        return characters
    }

    /// The token for each byte: BPE the byte's GPT-2 character; SPM `<0xNN>`, else the byte itself
    /// as a one-character token (llama.cpp's `byte_to_token`).
    private static func byteTokens(_ model: TokenizerModel, _ textIndex: TokenByteMap) -> [Int32] {
        let hex = Array("0123456789ABCDEF".utf8)
        return (0..<256).map { byte in
            switch model {
            case .bytePairEncoding:
                return textIndex.find(GPT2ByteMapping.utf8ForByte[byte])
            case .sentencePiece:
                let name: [UInt8] = [0x3C, 0x30, 0x78, hex[byte >> 4], hex[byte & 15], 0x3E]
                let id = textIndex.find(name)
                return id >= 0 ? id : textIndex.find([UInt8(byte)])
            }
        }
    }
}
