extension Tokenizer {
    /// The bytes a token stands for, as llama.cpp's `llama_token_to_piece`.
    ///
    /// Byte-level BPE maps each GPT-2 character back to its byte; SentencePiece turns `▁` into a
    /// space and `<0xNN>` into the byte. Control and unknown tokens give nothing unless `special`
    /// (then their text); user-defined tokens give their text. A piece may be part of a UTF-8
    /// character: join pieces before decoding them, or use `TokenStreamDecoder`.
    public func piece(_ id: Int32, special: Bool = false) -> [UInt8] {
        var bytes: [UInt8] = []
        appendPiece(id, special: special, stripLeadingSpace: false, to: &bytes)
        return bytes
    }

    /// The text of `ids`, as llama.cpp's `llama_detokenize` (without its optional space clean-up).
    ///
    /// With a SentencePiece space prefix, the first token loses one leading space, undoing the
    /// space `encode` added. Invalid UTF-8 becomes U+FFFD.
    public func decode(_ ids: [Int32], special: Bool = false) -> String {
        var bytes: [UInt8] = []
        var stripLeadingSpace = vocabulary.addSpacePrefix
        for id in ids {
            appendPiece(id, special: special, stripLeadingSpace: stripLeadingSpace, to: &bytes)
            stripLeadingSpace = false
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends a token's piece; `stripLeadingSpace` drops one leading space.
    func appendPiece(_ id: Int32, special: Bool, stripLeadingSpace: Bool, to bytes: inout [UInt8]) {
        guard vocabulary.contains(id) else { return }
        let attributes = vocabulary.attributes[Int(id)]
        if !special && !attributes.isDisjoint(with: TokenAttributes.hiddenUnlessSpecial) { return }
        let start = bytes.count
        if !attributes.isDisjoint(with: [.unknown, .control, .userDefined]) {
            bytes.append(contentsOf: vocabulary.textBytes(id))
        } else if attributes.contains(.normal) {
            switch vocabulary.model {
            case .bytePairEncoding:
                bytes.append(contentsOf: vocabulary.decodedBytes(id))
            case .sentencePiece:
                appendUnescaped(vocabulary.textBytes(id), to: &bytes)
            }
        } else if attributes.contains(.byte), let byte = Self.byteValue(vocabulary.textBytes(id)) {
            bytes.append(byte)
        }
        if stripLeadingSpace && bytes.count > start && bytes[start] == 0x20 { bytes.remove(at: start) }
    }

    /// SentencePiece text with every `▁` (E2 96 81) turned back into a space.
    private func appendUnescaped(_ text: ArraySlice<UInt8>, to bytes: inout [UInt8]) {
        var index = text.startIndex
        while index < text.endIndex {
            if text[index] == 0xE2, index + 2 < text.endIndex, text[index + 1] == 0x96, text[index + 2] == 0x81 {
                bytes.append(0x20)
                index += 3
            } else {
                bytes.append(text[index])
                index += 1
            }
        }
    }

    /// The byte of a `<0xNN>` token text.
    private static func byteValue(_ text: ArraySlice<UInt8>) -> UInt8? {
        guard text.count == 6 else { return nil }
        let digits = Array(text)
        guard digits[0] == 0x3C, digits[1] == 0x30, digits[2] == 0x78, digits[5] == 0x3E else { return nil }
        func hex(_ byte: UInt8) -> UInt8? {
            switch byte {
            case 0x30...0x39: return byte - 0x30
            case 0x41...0x46: return byte - 0x41 + 10
            case 0x61...0x66: return byte - 0x61 + 10
            default: return nil
            }
        }
        guard let high = hex(digits[3]), let low = hex(digits[4]) else { return nil }
        return high << 4 | low
    }
}
