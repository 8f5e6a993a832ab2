/// Reading metadata values: scalars, strings and (possibly nested) arrays.
extension GGUFParser {
    /// Reads a value type id and the value it announces.
    mutating func readValue(key: String) throws(GGUFError) -> GGUFValue {
        let typeOffset = reader.offset
        let raw = try reader.read(UInt32.self, "value type of '\(key)'")
        guard let type = GGUFValueType(rawValue: raw) else {
            throw .unknownValueType(raw, key: key, offset: typeOffset)
        }
        return try readValue(of: type, key: key, depth: 0)
    }

    private mutating func readValue(of type: GGUFValueType, key: String, depth: Int) throws(GGUFError) -> GGUFValue {
        switch type {
        case .uint8: return .uint8(try reader.read(UInt8.self, "u8 value of '\(key)'"))
        case .int8: return .int8(try reader.read(Int8.self, "i8 value of '\(key)'"))
        case .uint16: return .uint16(try reader.read(UInt16.self, "u16 value of '\(key)'"))
        case .int16: return .int16(try reader.read(Int16.self, "i16 value of '\(key)'"))
        case .uint32: return .uint32(try reader.read(UInt32.self, "u32 value of '\(key)'"))
        case .int32: return .int32(try reader.read(Int32.self, "i32 value of '\(key)'"))
        case .uint64: return .uint64(try reader.read(UInt64.self, "u64 value of '\(key)'"))
        case .int64: return .int64(try reader.read(Int64.self, "i64 value of '\(key)'"))
        case .float32: return .float32(try reader.readFloat("f32 value of '\(key)'"))
        case .float64: return .float64(try reader.readDouble("f64 value of '\(key)'"))
        case .bool: return .bool(try readBool(key: key))
        case .string: return .string(try reader.readString("string value of '\(key)'"))
        case .array: return try readArray(key: key, depth: depth)
        }
    }

    /// The spec allows only 0 and 1; anything else means a corrupt file (or a buggy writer).
    private mutating func readBool(key: String) throws(GGUFError) -> Bool {
        let offset = reader.offset
        let raw = try reader.read(UInt8.self, "bool value of '\(key)'")
        guard raw <= 1 else {
            throw .invalidValue(key: key, reason: "bool byte \(raw) is neither 0 nor 1", offset: offset)
        }
        return raw == 1
    }

    /// Reads one element of an array whose bytes the parser validated earlier (`GGUFArray`).
    mutating func readElement(of type: GGUFValueType) throws(GGUFError) -> GGUFValue {
        try readValue(of: type, key: "array element", depth: 1)
    }

    /// Reads an array: element type, u64 length, then the elements (which may be arrays).
    ///
    /// The length is checked against the smallest encoding of one element before it drives the
    /// loop, so a lying length costs an error, not memory. The elements are checked as they
    /// would be read but not built: the value is a view of their bytes (`GGUFArray`).
    private mutating func readArray(key: String, depth: Int) throws(GGUFError) -> GGUFValue {
        let start = reader.offset
        guard depth < Self.maxNesting else { throw .nestingTooDeep(limit: Self.maxNesting, key: key, offset: start) }
        let raw = try reader.read(UInt32.self, "array element type of '\(key)'")
        guard let elementType = GGUFValueType(rawValue: raw) else {
            throw .unknownValueType(raw, key: key, offset: start)
        }
        let countOffset = reader.offset
        let count = try reader.read(UInt64.self, "array length of '\(key)'")
        guard count <= UInt64(reader.remaining / elementType.minimumEncodedSize) else {
            throw .countTooLarge(what: "array length of '\(key)'", count: count, offset: countOffset)
        }
        let elementsStart = reader.offset
        try skipElements(of: elementType, count: Int(count), key: key, depth: depth + 1)
        return .array(
            GGUFArray(
                elementType: elementType, count: Int(count), file: file,
                bytes: elementsStart..<reader.offset))
    }

    /// Moves past `count` elements, failing on exactly the element and offset where reading
    /// them would, without building any of them.
    private mutating func skipElements(
        of type: GGUFValueType, count: Int, key: String,
        depth: Int
    ) throws(GGUFError) {
        switch type {
        case .string:
            for _ in 0..<count { try reader.skipString("string value of '\(key)'") }
        case .array:
            for _ in 0..<count { _ = try readArray(key: key, depth: depth) }
        case .bool:
            for _ in 0..<count { _ = try readBool(key: key) }
        default:
            let size = type.fixedSize ?? type.minimumEncodedSize
            let whole = reader.remaining / size
            guard count > whole else { return try reader.skip(count * size, "elements of '\(key)'") }
            // Too short: the first missing element reports the truncation, as reading it would.
            try reader.skip(whole * size, "elements of '\(key)'")
            _ = try readValue(of: type, key: key, depth: depth)
            throw .truncated(
                what: "elements of '\(key)'", offset: reader.offset, needed: UInt64(size),
                available: reader.remaining)
        }
    }
}
