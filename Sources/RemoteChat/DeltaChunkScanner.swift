/// A fast reader for the chunk a stream sends once per token: `{"id":..., "choices":[{"index":0,
/// "delta":{"content":"..."},"logprobs":null,"finish_reason":null}], ...}`, or a legacy
/// Completion's `"choices":[{"text":"...","index":0,...}]`.
///
/// Decoding each of those with `JSONDecoder` costs the client more CPU per token than anything
/// else it does, and on a small machine that time is taken from the engine it talks to. This
/// scanner reads exactly that shape in one pass over the UTF-8 and gives up (returns nil) on
/// anything else: logprobs, a usage object, an error, nested values under keys it does not
/// know, repeated keys, numbers that are not plain integers, lone surrogates, trailing bytes,
/// or any JSON it finds invalid. The caller then decodes with `JSONDecoder`, so what this
/// accepts decodes to the same `StreamChunk`, and everything else is decided by the full decoder.
struct DeltaChunkScanner {
    /// The chunk's UTF-8, and the cursor into it (internal for the lexing extension).
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// The chunk in `data`, or nil when it is not the simple delta shape.
    static func scan(_ data: String) -> StreamChunk? {
        var data = data
        return data.withUTF8 { bytes in
            var scanner = DeltaChunkScanner(bytes)
            guard let chunk = scanner.chunk() else { return nil }
            scanner.skipSpace()
            return scanner.index == bytes.count ? chunk : nil
        }
    }

    private mutating func chunk() -> StreamChunk? {
        var chunk = StreamChunk()
        var sawChoices = false
        let complete = members { scanner, key in
            switch key {
            case "choices":
                guard !sawChoices else { return false }
                sawChoices = true
                if scanner.literal("null") { return true }
                guard let choices = scanner.choices() else { return false }
                chunk.choices = choices
                return true
            case "usage": return scanner.literal("null")
            case "error": return false
            default: return scanner.skipScalar()
            }
        }
        return complete ? chunk : nil
    }

    private mutating func choices() -> [StreamChunk.Choice]? {
        guard take(UInt8(ascii: "[")) else { return nil }
        var choices: [StreamChunk.Choice] = []
        skipSpace()
        if take(UInt8(ascii: "]")) { return choices }
        repeat {
            skipSpace()
            guard let choice = choice() else { return nil }
            choices.append(choice)
            skipSpace()
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "]")) ? choices : nil
    }

    private mutating func choice() -> StreamChunk.Choice? {
        var choice = StreamChunk.Choice()
        var seen: Set<String> = []
        let complete = members { scanner, key in
            guard seen.insert(key).inserted else { return false }
            switch key {
            case "index":
                if scanner.literal("null") { return true }
                guard let value = scanner.integer() else { return false }
                choice.index = value
                return true
            case "delta":
                if scanner.literal("null") { return true }
                guard let delta = scanner.delta() else { return false }
                choice.delta = delta
                return true
            case "text": // a legacy Completion's chunk
                if scanner.literal("null") { return true }
                guard let text = scanner.string() else { return false }
                choice.text = text
                return true
            case "logprobs": return scanner.literal("null")
            case "finish_reason":
                if scanner.literal("null") { return true }
                guard let reason = scanner.string() else { return false }
                choice.finishReason = reason
                return true
            default: return scanner.skipScalar()
            }
        }
        return complete ? choice : nil
    }

    private mutating func delta() -> StreamChunk.Delta? {
        var delta = StreamChunk.Delta()
        var sawContent = false
        let complete = members { scanner, key in
            guard key == "content" else { return scanner.skipScalar() }
            guard !sawContent else { return false }
            sawContent = true
            if scanner.literal("null") { return true }
            guard let content = scanner.string() else { return false }
            delta.content = content
            return true
        }
        return complete ? delta : nil
    }

    /// `{ "key": value, ... }`, `member` reading each value; false on any syntax error or a
    /// member that refused.
    private mutating func members(_ member: (inout DeltaChunkScanner, String) -> Bool) -> Bool {
        skipSpace()
        guard take(UInt8(ascii: "{")) else { return false }
        skipSpace()
        if take(UInt8(ascii: "}")) { return true }
        repeat {
            skipSpace()
            guard let key = string() else { return false }
            skipSpace()
            guard take(UInt8(ascii: ":")) else { return false }
            skipSpace()
            guard member(&self, key) else { return false }
            skipSpace()
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "}"))
    }
}
