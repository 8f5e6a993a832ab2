/// Parses the header of a GGUF file: magic, version, metadata and the tensor table.
///
/// Layout (little-endian): `"GGUF"`, u32 version, u64 tensor count, u64 key count, then the
/// key/value pairs, then one record per tensor (name, u32 n_dims, u64 dims, u32 type, u64 offset),
/// then padding to `general.alignment` (default 32) where the tensor data begins.
struct GGUFParser {
    /// Arrays of arrays deeper than this are refused: real files nest at most twice.
    static let maxNesting = 8
    /// ggml tensors have at most four dimensions.
    static let maxDimensions = 4

    struct Header {
        var version: UInt32
        var metadata: GGUFMetadata
        var tensors: [GGUFTensorInfo]
        var alignment: Int
        var dataOffset: Int
    }

    private var reader: ByteReader

    init(_ bytes: UnsafeRawBufferPointer) {
        reader = ByteReader(bytes)
    }

    mutating func parse() throws(GGUFError) -> Header {
        let magicBytes = Array(reader.bytes.prefix(4))
        guard magicBytes == Array("GGUF".utf8) else { throw .badMagic(found: magicBytes) }
        _ = try reader.read(UInt32.self, "magic")
        let version = try reader.read(UInt32.self, "version")
        guard version == 2 || version == 3 else { throw .unsupportedVersion(version) }

        let tensorCountOffset = reader.offset
        let tensorCount = try reader.read(UInt64.self, "tensor count")
        let keyCountOffset = reader.offset
        let keyCount = try reader.read(UInt64.self, "metadata key count")
        // Each key/value pair takes at least 8 (key length) + 4 (type) + 1 bytes; each tensor
        // record at least 8 + 4 + 4 + 8 bytes. Anything more than the file can hold is a lie.
        guard keyCount <= UInt64(reader.remaining / 13) else {
            throw .countTooLarge(what: "metadata key count", count: keyCount, offset: keyCountOffset)
        }
        guard tensorCount <= UInt64(reader.remaining / 24) else {
            throw .countTooLarge(what: "tensor count", count: tensorCount, offset: tensorCountOffset)
        }

        var metadata = GGUFMetadata()
        for _ in 0..<Int(keyCount) {
            let keyOffset = reader.offset
            let key = try reader.readString("metadata key")
            let value = try readValue(depth: 0)
            guard metadata.insert(key, value) else { throw .duplicateKey(key, offset: keyOffset) }
        }

        let alignment = try Self.alignment(in: metadata)
        var tensors: [GGUFTensorInfo] = []
        tensors.reserveCapacity(min(Int(tensorCount), 1 << 16))
        var names = Set<String>()
        for _ in 0..<Int(tensorCount) {
            let tensorOffset = reader.offset
            let tensor = try readTensorInfo()
            guard names.insert(tensor.name).inserted else {
                throw .duplicateTensorName(tensor.name, offset: tensorOffset)
            }
            tensors.append(tensor)
        }

        // A file without tensors may end right after its metadata, without padding.
        let padding = (alignment - reader.offset % alignment) % alignment
        let dataOffset = reader.offset + padding
        if tensorCount > 0 { try reader.align(to: alignment, "padding before tensor data") }
        let dataSize = max(0, reader.bytes.count - dataOffset)
        for tensor in tensors {
            try Self.checkPlacement(tensor, alignment: alignment, dataSize: dataSize)
        }
        return Header(version: version, metadata: metadata, tensors: tensors,
                      alignment: alignment, dataOffset: dataOffset)
    }

    private mutating func readValue(depth: Int) throws(GGUFError) -> GGUFValue {
        let typeOffset = reader.offset
        let raw = try reader.read(UInt32.self, "value type")
        guard let type = GGUFValueType(rawValue: raw) else { throw .unknownValueType(raw, offset: typeOffset) }
        return try readValue(of: type, depth: depth)
    }

    private mutating func readValue(of type: GGUFValueType, depth: Int) throws(GGUFError) -> GGUFValue {
        switch type {
        case .uint8: return .uint8(try reader.read(UInt8.self, "u8 value"))
        case .int8: return .int8(try reader.read(Int8.self, "i8 value"))
        case .uint16: return .uint16(try reader.read(UInt16.self, "u16 value"))
        case .int16: return .int16(try reader.read(Int16.self, "i16 value"))
        case .uint32: return .uint32(try reader.read(UInt32.self, "u32 value"))
        case .int32: return .int32(try reader.read(Int32.self, "i32 value"))
        case .uint64: return .uint64(try reader.read(UInt64.self, "u64 value"))
        case .int64: return .int64(try reader.read(Int64.self, "i64 value"))
        case .float32: return .float32(try reader.readFloat("f32 value"))
        case .float64: return .float64(try reader.readDouble("f64 value"))
        case .bool: return .bool(try reader.read(UInt8.self, "bool value") != 0)
        case .string: return .string(try reader.readString("string value"))
        case .array: return try readArray(depth: depth)
        }
    }

    private mutating func readArray(depth: Int) throws(GGUFError) -> GGUFValue {
        let start = reader.offset
        guard depth < Self.maxNesting else { throw .nestingTooDeep(limit: Self.maxNesting, offset: start) }
        let raw = try reader.read(UInt32.self, "array element type")
        guard let elementType = GGUFValueType(rawValue: raw) else { throw .unknownValueType(raw, offset: start) }
        let countOffset = reader.offset
        let count = try reader.read(UInt64.self, "array length")
        guard count <= UInt64(reader.remaining / elementType.minimumEncodedSize) else {
            throw .countTooLarge(what: "array length", count: count, offset: countOffset)
        }
        var elements: [GGUFValue] = []
        elements.reserveCapacity(min(Int(count), 1 << 16))
        for _ in 0..<Int(count) {
            elements.append(try readValue(of: elementType, depth: depth + 1))
        }
        return .array(elementType: elementType, elements: elements)
    }

    private mutating func readTensorInfo() throws(GGUFError) -> GGUFTensorInfo {
        let start = reader.offset
        let name = try reader.readString("tensor name")
        let dimsOffset = reader.offset
        let dimCount = try reader.read(UInt32.self, "tensor dimension count")
        guard dimCount >= 1, dimCount <= Self.maxDimensions else {
            throw .invalidShape(tensor: name, reason: "\(dimCount) dimensions (1 to \(Self.maxDimensions) allowed)",
                                offset: dimsOffset)
        }
        var dimensions: [Int] = []
        var elements = 1
        for _ in 0..<Int(dimCount) {
            let raw = try reader.read(UInt64.self, "tensor dimension")
            guard raw > 0, let dim = Int(exactly: raw) else {
                throw .invalidShape(tensor: name, reason: "dimension \(raw) is not positive", offset: dimsOffset)
            }
            let (product, overflow) = elements.multipliedReportingOverflow(by: dim)
            guard !overflow else {
                throw .invalidShape(tensor: name, reason: "element count overflows", offset: dimsOffset)
            }
            elements = product
            dimensions.append(dim)
        }
        let typeOffset = reader.offset
        let rawType = try reader.read(UInt32.self, "tensor type")
        guard let type = GGMLType(rawValue: rawType) else {
            throw .unknownTensorType(rawType, tensor: name, offset: typeOffset)
        }
        guard dimensions[0] % type.blockSize == 0, let byteCount = type.byteCount(elements: elements) else {
            throw .invalidShape(tensor: name,
                                reason: "row length \(dimensions[0]) is not a multiple of \(type)'s block size \(type.blockSize) or the size overflows",
                                offset: start)
        }
        let offset = try reader.read(UInt64.self, "tensor data offset")
        return GGUFTensorInfo(name: name, dimensions: dimensions, type: type,
                              rawOffset: offset, byteCount: byteCount, elementCount: elements)
    }

    private static func alignment(in metadata: GGUFMetadata) throws(GGUFError) -> Int {
        guard let value = metadata["general.alignment"] else { return 32 }
        guard let alignment = value.int, alignment > 0, alignment <= 1 << 20,
              alignment & (alignment - 1) == 0 else {
            throw .invalidMetadata(key: "general.alignment", reason: "must be a power of two up to 1 MiB, found \(value)")
        }
        return alignment
    }

    private static func checkPlacement(_ tensor: GGUFTensorInfo, alignment: Int, dataSize: Int) throws(GGUFError) {
        guard tensor.rawOffset % UInt64(alignment) == 0 else {
            throw .misalignedTensorOffset(tensor: tensor.name, tensorOffset: tensor.rawOffset, alignment: alignment)
        }
        let (end, overflow) = tensor.rawOffset.addingReportingOverflow(UInt64(tensor.byteCount))
        guard !overflow, end <= UInt64(dataSize) else {
            throw .tensorOutOfBounds(tensor: tensor.name, start: tensor.rawOffset,
                                     byteCount: UInt64(tensor.byteCount), dataSize: dataSize)
        }
    }
}
