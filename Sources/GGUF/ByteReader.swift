/// A cursor over untrusted bytes whose every read is checked against the end of the buffer.
///
/// All GGUF parsing goes through here so that no length, count or offset from the file is used
/// before it has been compared with the bytes actually available. Descriptions of what is being
/// read are autoclosures: they are built only when a read fails, so the hot path of parsing a
/// 150,000-token vocabulary does no string formatting.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    private(set) var offset: Int = 0

    init(_ bytes: UnsafeRawBufferPointer, offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    /// Bytes left between the cursor and the end of the buffer.
    var remaining: Int { bytes.count - offset }

    /// Throws `truncated` unless `count` more bytes are available at the cursor.
    func require(_ count: Int, for what: @autoclosure () -> String) throws(GGUFError) {
        guard count >= 0, count <= remaining else {
            throw .truncated(what: what(), offset: offset, needed: UInt64(clamping: count), available: remaining)
        }
    }

    mutating func read<T: FixedWidthInteger>(_: T.Type, _ what: @autoclosure () -> String) throws(GGUFError) -> T {
        try require(MemoryLayout<T>.size, for: what())
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += MemoryLayout<T>.size
        return T(littleEndian: value)
    }

    mutating func readFloat(_ what: @autoclosure () -> String) throws(GGUFError) -> Float {
        Float(bitPattern: try read(UInt32.self, what()))
    }

    mutating func readDouble(_ what: @autoclosure () -> String) throws(GGUFError) -> Double {
        Double(bitPattern: try read(UInt64.self, what()))
    }

    /// Reads a GGUF string: a u64 byte length, then that many bytes.
    ///
    /// Invalid UTF-8 is repaired with U+FFFD rather than refused (ggml does not validate either);
    /// valid text keeps its exact scalars, with no Unicode normalization.
    mutating func readString(_ what: @autoclosure () -> String) throws(GGUFError) -> String {
        let count = try readStringLength(what())
        let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
        offset += count
        return String(decoding: slice, as: UTF8.self)
    }

    /// Moves the cursor past `count` bytes, which must be available.
    mutating func skip(_ count: Int, _ what: @autoclosure () -> String) throws(GGUFError) {
        try require(count, for: what())
        offset += count
    }

    /// Moves the cursor past a GGUF string, failing exactly where `readString` would.
    mutating func skipString(_ what: @autoclosure () -> String) throws(GGUFError) {
        offset += try readStringLength(what())
    }

    /// Reads a GGUF string's u64 length and checks that many bytes follow; on failure the cursor
    /// stays at the length and the error counts it among the bytes needed.
    private mutating func readStringLength(_ what: @autoclosure () -> String) throws(GGUFError) -> Int {
        let start = offset
        let length = try read(UInt64.self, what())
        guard length <= UInt64(remaining) else {
            let (needed, overflow) = length.addingReportingOverflow(8)
            offset = start
            throw .truncated(
                what: "\(what()) of \(length) bytes", offset: start,
                needed: overflow ? .max : needed, available: remaining)
        }
        return Int(length)
    }

    /// Moves the cursor forward to the next multiple of `alignment` (which must be positive).
    mutating func align(to alignment: Int, _ what: @autoclosure () -> String) throws(GGUFError) {
        precondition(alignment > 0, "alignment must be positive")
        let padding = (alignment - offset % alignment) % alignment
        try require(padding, for: what())
        offset += padding
    }
}
