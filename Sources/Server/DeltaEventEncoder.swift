import Hummingbird

/// The SSE event of the most common chunk, a text delta without logprobs, written straight into
/// bytes: byte for byte what `ServerSentEvents.event(encoding.chunk(choice:content:...))` gives.
///
/// A stream sends one such event per token, so on a 2-core machine building it through
/// `JSONValue` (an array of pairs per object, a `String` appended one scalar at a time, then a
/// copy into a `ByteBuffer`) takes time from the two compute threads. Here the fixed parts of
/// the chunk are encoded once per stream and only the index and the escaped text change.
struct DeltaEventEncoder: Sendable {
    /// `data: {"id":...,"system_fingerprint":null,"choices":[{"index":`
    private let head: [UInt8]
    /// `,"logprobs":null,"finish_reason":null}]` and, with the usage field, `,"usage":null`, then `}\n\n`.
    private let tail: [UInt8]

    init(_ encoding: CompletionEncoding, withUsageField: Bool) {
        // Built by the generic encoder from a chunk with a marker text, so the two cannot drift apart.
        let marker = "\u{1}"
        let event = ServerSentEvents.event(encoding.chunk(choice: 0, content: marker, withUsageField: withUsageField))
        let bytes = Array(event.utf8)
        let indexField = Array(#""index":0,"delta":{"content":"\u0001"}"#.utf8)
        guard let start = Self.firstRange(of: indexField, in: bytes) else {
            preconditionFailure("the chunk encoding changed shape: \(event)")
        }
        head = Array(bytes[..<(start + #""index":"#.utf8.count)])
        tail = Array(bytes[(start + indexField.count)...])
    }

    /// The whole event for `content` in choice `choice`.
    func event(choice: Int, content: String) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(head.count + tail.count + content.utf8.count + 32)
        buffer.writeBytes(head)
        buffer.writeString(String(choice))
        buffer.writeBytes(#","delta":{"content":""#.utf8)
        Self.writeEscaped(content, into: &buffer)
        buffer.writeBytes(#""}"#.utf8)
        buffer.writeBytes(tail)
        return buffer
    }

    /// `JSONValue`'s string escaping on UTF-8 bytes: `"` `\` `\n` `\r` `\t` by name, other
    /// controls and U+2028/U+2029 as `\u00xx`/`\u2028`, the rest verbatim. Runs of bytes that
    /// need nothing are copied at once.
    static func writeEscaped(_ text: String, into buffer: inout ByteBuffer) {
        var text = text
        text.withUTF8 { bytes in
            var runStart = 0
            var index = 0
            func flush(upTo end: Int) {
                if end > runStart {
                    buffer.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[runStart..<end])))
                }
            }
            while index < bytes.count {
                let byte = bytes[index]
                var escape: String?
                var width = 1
                switch byte {
                case UInt8(ascii: "\""): escape = "\\\""
                case UInt8(ascii: "\\"): escape = "\\\\"
                case UInt8(ascii: "\n"): escape = "\\n"
                case UInt8(ascii: "\r"): escape = "\\r"
                case UInt8(ascii: "\t"): escape = "\\t"
                case 0..<0x20: escape = Self.unicodeEscape(UInt32(byte))
                case 0xE2
                where index + 2 < bytes.count && bytes[index + 1] == 0x80
                    && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9):
                    escape = Self.unicodeEscape(bytes[index + 2] == 0xA8 ? 0x2028 : 0x2029)
                    width = 3
                default: break
                }
                if let escape {
                    flush(upTo: index)
                    buffer.writeString(escape)
                    index += width
                    runStart = index
                } else {
                    index += 1
                }
            }
            flush(upTo: bytes.count)
        }
    }

    private static func unicodeEscape(_ value: UInt32) -> String {
        let hex = String(value, radix: 16)
        return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    private static func firstRange(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        for start in 0...(haystack.count - needle.count)
        where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return start
        }
        return nil
    }
}
