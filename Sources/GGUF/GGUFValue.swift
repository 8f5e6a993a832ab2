/// One metadata value as stored in a GGUF file.
///
/// Integers keep their declared width so a writer can round-trip them; the `int`, `double`,
/// `string`... accessors hide the width from readers, who only care about the meaning. Not
/// `indirect`: arrays already live on the heap, and boxing every scalar would cost one allocation
/// per token of a vocabulary. An array read from a file is a view of its bytes (`GGUFArray`),
/// decoded only when read.
public enum GGUFValue: Sendable, Equatable {
    case uint8(UInt8)
    case int8(Int8)
    case uint16(UInt16)
    case int16(Int16)
    case uint32(UInt32)
    case int32(Int32)
    case uint64(UInt64)
    case int64(Int64)
    case float32(Float)
    case float64(Double)
    case bool(Bool)
    case string(String)
    /// An array keeps the element type the file declared, which matters for empty arrays.
    case array(GGUFArray)

    /// An array held in memory (for writers and tests).
    public static func array(elementType: GGUFValueType, elements: [GGUFValue]) -> GGUFValue {
        .array(GGUFArray(elementType: elementType, elements: elements))
    }

    /// The value as a signed integer, if it is an integer that fits.
    public var int: Int? {
        switch self {
        case .uint8(let v): return Int(v)
        case .int8(let v): return Int(v)
        case .uint16(let v): return Int(v)
        case .int16(let v): return Int(v)
        case .uint32(let v): return Int(v)
        case .int32(let v): return Int(v)
        case .uint64(let v): return Int(exactly: v)
        case .int64(let v): return Int(v)
        default: return nil
        }
    }

    /// The value as a double, for any numeric type.
    public var double: Double? {
        switch self {
        case .float32(let v): return Double(v)
        case .float64(let v): return v
        default: return int.map(Double.init)
        }
    }

    /// The value as a bool, if it is one.
    public var bool: Bool? {
        if case .bool(let v) = self { return v }
        return nil
    }

    /// The value as a string, if it is one.
    public var string: String? {
        if case .string(let v) = self { return v }
        return nil
    }

    /// The array, if the value is one (its elements are decoded as they are read).
    public var array: GGUFArray? {
        if case .array(let array) = self { return array }
        return nil
    }

    /// The type tag this value is written with.
    public var type: GGUFValueType {
        switch self {
        case .uint8: return .uint8
        case .int8: return .int8
        case .uint16: return .uint16
        case .int16: return .int16
        case .uint32: return .uint32
        case .int32: return .int32
        case .uint64: return .uint64
        case .int64: return .int64
        case .float32: return .float32
        case .float64: return .float64
        case .bool: return .bool
        case .string: return .string
        case .array: return .array
        }
    }
}

/// The metadata value type ids of the GGUF specification.
public enum GGUFValueType: UInt32, Sendable, CaseIterable {
    case uint8 = 0
    case int8 = 1
    case uint16 = 2
    case int16 = 3
    case uint32 = 4
    case int32 = 5
    case float32 = 6
    case bool = 7
    case string = 8
    case array = 9
    case uint64 = 10
    case int64 = 11
    case float64 = 12

    /// Bytes one value occupies on disk; strings and arrays report their smallest encoding
    /// (an empty one), which bounds how many of them a byte range can hold.
    public var minimumEncodedSize: Int {
        switch self {
        case .uint8, .int8, .bool: return 1
        case .uint16, .int16: return 2
        case .uint32, .int32, .float32: return 4
        case .uint64, .int64, .float64, .string: return 8
        case .array: return 12
        }
    }

    /// Bytes of one value of a fixed-size type; nil for strings and arrays.
    var fixedSize: Int? {
        switch self {
        case .string, .array: return nil
        default: return minimumEncodedSize
        }
    }
}
