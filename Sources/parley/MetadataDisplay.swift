import Foundation
import GGUF

/// How `inspect --json` shows one metadata value: scalars as JSON values, long strings and
/// arrays cut short, so a file with a 40 MB array prints a few lines and decodes a few elements.
struct MetadataEntry: Codable, Equatable {
    var key: String
    /// The GGUF type name (`u32`, `string`, `array`...).
    var type: String
    /// For arrays: the element type and the number of elements.
    var elementType: String?
    var count: Int?
    /// The value, or for arrays the first `shownElements` elements.
    var value: MetadataScalar?
    var elements: [MetadataScalar]?
    /// True when the string or the array was cut.
    var truncated: Bool?

    /// Elements shown per array.
    static let shownElements = 16
    /// Characters shown per string.
    static let shownCharacters = 256

    init(key: String, value: GGUFValue) {
        self.key = key
        type = Self.typeName(value.type)
        if let array = value.array {
            elementType = Self.typeName(array.elementType)
            count = array.count
            elements = array.prefix(Self.shownElements).map { Self.scalar($0, nested: true) }
            if array.count > Self.shownElements { truncated = true }
        } else {
            self.value = Self.scalar(value, nested: false)
            if case .string(let text) = value, text.count > Self.shownCharacters { truncated = true }
        }
    }

    static func scalar(_ value: GGUFValue, nested: Bool) -> MetadataScalar {
        switch value {
        case .string(let text): return .string(String(text.prefix(shownCharacters)))
        case .bool(let flag): return .bool(flag)
        case .float32, .float64: return .number(value.double ?? 0)
        case .uint64(let number): return .unsigned(number)
        case .array(let array): return .string("[array of \(array.count) \(typeName(array.elementType))]")
        default: return .integer(value.int ?? 0)
        }
    }

    static func typeName(_ type: GGUFValueType) -> String {
        switch type {
        case .uint8: return "u8"
        case .int8: return "i8"
        case .uint16: return "u16"
        case .int16: return "i16"
        case .uint32: return "u32"
        case .int32: return "i32"
        case .uint64: return "u64"
        case .int64: return "i64"
        case .float32: return "f32"
        case .float64: return "f64"
        case .bool: return "bool"
        case .string: return "string"
        case .array: return "array"
        }
    }
}

/// A JSON scalar of a metadata value.
enum MetadataScalar: Codable, Equatable {
    case string(String)
    case bool(Bool)
    case integer(Int)
    case unsigned(UInt64)
    case number(Double)

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let text): try container.encode(text)
        case .bool(let flag): try container.encode(flag)
        case .integer(let number): try container.encode(number)
        case .unsigned(let number): try container.encode(number)
        // JSON has no NaN or infinity: those become strings.
        case .number(let number): number.isFinite ? try container.encode(number) : try container.encode("\(number)")
        }
    }

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Int.self) {
            self = .integer(number)
        } else if let number = try? container.decode(UInt64.self) {
            self = .unsigned(number)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else {
            self = .string(try container.decode(String.self))
        }
    }
}
