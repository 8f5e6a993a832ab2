/// Parses the header of a GGUF file: magic, version, metadata and the tensor table.
///
/// Layout (little-endian): `"GGUF"`, u32 version, u64 tensor count, u64 key count, then the
/// key/value pairs, then one record per tensor (name, u32 n_dims, u64 dims, u32 type, u64 offset),
/// then padding to `general.alignment` (default 32) where the tensor data begins.
///
/// Every count is compared with the bytes left before it sizes a loop or an allocation, and every
/// tensor's placement is checked against the file, so that `GGUFFile` can hand out views of tensor
/// data without further checks.
struct GGUFParser {
    /// Arrays of arrays deeper than this are refused: real files nest at most twice, and the limit
    /// bounds the recursion of the value reader.
    static let maxNesting = 8
    /// ggml tensors have at most four dimensions.
    static let maxDimensions = 4
    /// The alignment a file gets when it has no `general.alignment` key.
    static let defaultAlignment = 32
    /// The largest `general.alignment` accepted; larger values only waste the file's space.
    static let maxAlignment = 1 << 20
    /// Smallest encoded key/value pair: an empty key (8), a type (4), a one-byte value.
    static let minimumKeyValueSize = 13
    /// Smallest encoded tensor record: an empty name (8), n_dims (4), one dim (8), type (4), offset (8).
    static let minimumTensorInfoSize = 32

    struct Header {
        var version: UInt32
        var metadata: GGUFMetadata
        var tensors: [GGUFTensorInfo]
        /// Each tensor's position in `tensors`, by name (built while checking names are unique).
        var tensorIndex: [String: Int]
        var alignment: Int
        var dataOffset: Int
    }

    var reader: ByteReader
    /// The file the bytes belong to: arrays found in them keep it alive while they exist.
    let file: MappedFile

    /// A parser at `offset` of `file` (0 for the header; an array's elements when decoding them).
    init(file: MappedFile, offset: Int = 0) {
        self.file = file
        reader = ByteReader(file.bytes, offset: offset)
    }

    mutating func parse() throws(GGUFError) -> Header {
        try readMagic()
        let version = try reader.read(UInt32.self, "version")
        guard version == 2 || version == 3 else { throw .unsupportedVersion(version) }

        let tensorCountOffset = reader.offset
        let tensorCount = try reader.read(UInt64.self, "tensor count")
        let keyCountOffset = reader.offset
        let keyCount = try reader.read(UInt64.self, "metadata key count")
        // A count larger than the rest of the file could hold is a lie; refusing it here keeps
        // loops and reservations proportional to the file's real size.
        try Self.check(
            tensorCount, "tensor count", at: tensorCountOffset,
            fits: reader.remaining / Self.minimumTensorInfoSize)
        try Self.check(
            keyCount, "metadata key count", at: keyCountOffset,
            fits: reader.remaining / Self.minimumKeyValueSize)

        var metadata = GGUFMetadata()
        metadata.reserveCapacity(Int(keyCount))
        var alignmentOffset = 0
        for _ in 0..<Int(keyCount) {
            let keyOffset = reader.offset
            let key = try reader.readString("metadata key")
            guard !key.isEmpty else {
                throw .invalidMetadata(key: key, reason: "the key is empty", offset: keyOffset)
            }
            if key == "general.alignment" { alignmentOffset = reader.offset }
            let value = try readValue(key: key)
            guard metadata.insert(key, value) else { throw .duplicateKey(key, offset: keyOffset) }
        }
        let alignment = try Self.alignment(in: metadata, offset: alignmentOffset)

        try Self.check(
            tensorCount, "tensor count", at: tensorCountOffset,
            fits: reader.remaining / Self.minimumTensorInfoSize)
        // The count was checked against the bytes left (32 per record at least), so reserving it
        // costs at most a few times the file's own size and saves regrowing large tables.
        var tensors: [GGUFTensorInfo] = []
        var offsetFields: [Int] = []
        var tensorIndex: [String: Int] = [:]
        tensors.reserveCapacity(Int(tensorCount))
        offsetFields.reserveCapacity(Int(tensorCount))
        tensorIndex.reserveCapacity(Int(tensorCount))
        for position in 0..<Int(tensorCount) {
            let recordOffset = reader.offset
            let (tensor, offsetField) = try readTensorInfo()
            guard tensorIndex.updateValue(position, forKey: tensor.name) == nil else {
                throw .duplicateTensorName(tensor.name, offset: recordOffset)
            }
            tensors.append(tensor)
            offsetFields.append(offsetField)
        }

        // A file without tensors may end right after its metadata, without padding (ggml and
        // gguf-py agree); the data offset is still reported as the padded position.
        let padding = (alignment - reader.offset % alignment) % alignment
        let dataOffset = reader.offset + padding
        if tensorCount > 0 { try reader.align(to: alignment, "padding before tensor data") }
        let dataSize = max(0, reader.bytes.count - dataOffset)
        for (tensor, offsetField) in zip(tensors, offsetFields) {
            try Self.checkPlacement(tensor, offsetField: offsetField, alignment: alignment, dataSize: dataSize)
        }
        return Header(
            version: version, metadata: metadata, tensors: tensors, tensorIndex: tensorIndex,
            alignment: alignment, dataOffset: dataOffset)
    }

    /// Refuses anything that does not start with `GGUF`; a file that is a strict prefix of the
    /// magic (empty, or cut after `GG`) is reported as truncated rather than foreign.
    private mutating func readMagic() throws(GGUFError) {
        let magic = Array("GGUF".utf8)
        let found = Array(reader.bytes.prefix(4))
        guard found == Array(magic.prefix(found.count)) else { throw .badMagic(found: found) }
        try reader.require(4, for: "magic")
        _ = try reader.read(UInt32.self, "magic")
    }

    private static func check(_ count: UInt64, _ what: String, at offset: Int, fits limit: Int) throws(GGUFError) {
        guard count <= UInt64(max(0, limit)) else { throw .countTooLarge(what: what, count: count, offset: offset) }
    }

    /// The alignment of the data section: a u32 power of two (ggml and gguf-py refuse anything
    /// else), at least 8 (the spec asks for a multiple of 8, which keeps every tensor view aligned
    /// for 8-byte loads) and at most `maxAlignment`.
    private static func alignment(in metadata: GGUFMetadata, offset: Int) throws(GGUFError) -> Int {
        guard let value = metadata["general.alignment"] else { return defaultAlignment }
        guard case .uint32(let raw) = value else {
            throw .invalidMetadata(
                key: "general.alignment",
                reason: "must be a u32, found a \(value.type) value", offset: offset)
        }
        let alignment = Int(raw)
        guard alignment >= 8, alignment <= maxAlignment, alignment & (alignment - 1) == 0 else {
            throw .invalidMetadata(
                key: "general.alignment",
                reason: "must be a power of two from 8 to \(maxAlignment), found \(raw)",
                offset: offset)
        }
        return alignment
    }

    private static func checkPlacement(
        _ tensor: GGUFTensorInfo, offsetField: Int, alignment: Int,
        dataSize: Int
    ) throws(GGUFError) {
        guard tensor.rawOffset % UInt64(alignment) == 0 else {
            throw .misalignedTensorOffset(
                tensor: tensor.name, tensorOffset: tensor.rawOffset,
                alignment: alignment, offset: offsetField)
        }
        let (end, overflow) = tensor.rawOffset.addingReportingOverflow(UInt64(tensor.byteCount))
        guard !overflow, end <= UInt64(dataSize) else {
            throw .tensorOutOfBounds(
                tensor: tensor.name, start: tensor.rawOffset,
                byteCount: UInt64(tensor.byteCount), dataSize: dataSize, offset: offsetField)
        }
    }
}
