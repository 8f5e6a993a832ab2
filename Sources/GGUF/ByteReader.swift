/// A cursor over untrusted bytes whose every read is checked against the end of the buffer.
///
/// All GGUF parsing goes through here so that no length, count or offset from the file is used
/// before it has been compared with the bytes actually available.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    private(set) var offset: Int = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    var remaining: Int { bytes.count - offset }

    /// Throws `truncated` unless `count` more bytes are available.
    func require(_ count: Int, for what: String) throws(GGUFError) {
        guard count >= 0, count <= remaining else {
            throw .truncated(what: what, offset: offset, needed: count, available: remaining)
        }
    }

    mutating func read<T: FixedWidthInteger>(_: T.Type, _ what: String) throws(GGUFError) -> T {
        try require(MemoryLayout<T>.size, for: what)
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += MemoryLayout<T>.size
        return T(littleEndian: value)
    }

    mutating func readFloat(_ what: String) throws(GGUFError) -> Float {
        Float(bitPattern: try read(UInt32.self, what))
    }

    mutating func readDouble(_ what: String) throws(GGUFError) -> Double {
        Double(bitPattern: try read(UInt64.self, what))
    }

    /// Reads a GGUF string: a u64 byte length, then that many bytes (UTF-8, repaired if invalid).
    mutating func readString(_ what: String) throws(GGUFError) -> String {
        let start = offset
        let length = try read(UInt64.self, "\(what) length")
        guard length <= UInt64(remaining) else {
            offset = start
            throw .truncated(what: "\(what) of \(length) bytes", offset: start, needed: 8 &+ Int(clamping: length),
                             available: remaining + 8)
        }
        let count = Int(length)
        let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
        offset += count
        return String(decoding: slice, as: UTF8.self)
    }

    /// Moves the cursor forward to the next multiple of `alignment`.
    mutating func align(to alignment: Int, _ what: String) throws(GGUFError) {
        let padding = (alignment - offset % alignment) % alignment
        try require(padding, for: what)
        offset += padding
    }
}
