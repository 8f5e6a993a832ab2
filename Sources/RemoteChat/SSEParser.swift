/// An incremental parser for Server-Sent Events (the WHATWG `text/event-stream` format) as
/// Chat Completion servers stream them: bytes go in as they arrive, whole events come out.
///
/// It follows the standard's line rules (`\n`, `\r\n` or `\r` end a line; a line starting
/// with `:` is a comment; `data` lines of one event are joined with `\n`; an empty line
/// dispatches) and ignores fields it does not use (`id`, `retry`). Memory is bounded by
/// `maxEventBytes`, so a server that never ends a line cannot make it grow without limit.
public struct SSEParser: Sendable {
    /// One dispatched event.
    public struct Event: Sendable, Equatable {
        /// The `event:` field, `"message"` when absent.
        public var name: String
        public var data: String

        public init(name: String = "message", data: String) {
            self.name = name
            self.data = data
        }
    }

    /// The most bytes one event (its lines together) may take: far above any chunk a server
    /// sends (a few hundred bytes, a few KiB with `top_logprobs`).
    public let maxEventBytes: Int
    private var line: [UInt8] = []
    private var eventBytes = 0
    private var data: [String] = []
    private var name: String?
    /// The previous byte was `\r`: a `\n` right after it belongs to the same line end.
    private var afterCarriageReturn = false
    /// Nothing read yet: a leading byte-order mark is skipped, as the standard says.
    private var atStart = true

    public init(maxEventBytes: Int = 1 << 20) {
        self.maxEventBytes = maxEventBytes
    }

    /// Feeds the next bytes; returns the events they complete, in order.
    public mutating func feed<Bytes: Sequence>(_ bytes: Bytes) throws(RemoteError) -> [Event]
    where Bytes.Element == UInt8 {
        var events: [Event] = []
        for byte in bytes {
            if afterCarriageReturn {
                afterCarriageReturn = false
                if byte == UInt8(ascii: "\n") { continue }
            }
            switch byte {
            case UInt8(ascii: "\n"):
                if let event = try endLine() { events.append(event) }
            case UInt8(ascii: "\r"):
                afterCarriageReturn = true
                if let event = try endLine() { events.append(event) }
            default:
                line.append(byte)
                eventBytes += 1
                guard eventBytes <= maxEventBytes else {
                    throw .malformedStream("an event is longer than \(maxEventBytes) bytes")
                }
            }
        }
        return events
    }

    /// True when bytes of an unfinished event are pending (a stream that ends here was cut).
    public var hasPartialEvent: Bool { !line.isEmpty || !data.isEmpty }

    private mutating func endLine() throws(RemoteError) -> Event? {
        defer { line.removeAll(keepingCapacity: true) }
        if atStart {
            atStart = false
            if line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
        }
        if line.isEmpty {
            defer {
                data.removeAll()
                name = nil
                eventBytes = 0
            }
            guard !data.isEmpty else { return nil }
            return Event(name: name ?? "message", data: data.joined(separator: "\n"))
        }
        if line.first == UInt8(ascii: ":") { return nil } // a comment (keep-alive)
        let field: ArraySlice<UInt8>
        var value: ArraySlice<UInt8>
        if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            field = line[..<colon]
            value = line[(colon + 1)...]
            if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
        } else {
            field = line[...]
            value = []
        }
        guard let text = String(validating: value, as: UTF8.self) else {
            throw .malformedStream("an event line is not UTF-8")
        }
        switch String(decoding: field, as: UTF8.self) {
        case "data": data.append(text)
        case "event": name = text
        default: break // id, retry and unknown fields
        }
        return nil
    }
}
