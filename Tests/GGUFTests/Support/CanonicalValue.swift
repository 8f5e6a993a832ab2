import GGUF
import TestSupport

/// The canonical bytes of a metadata value, exactly as `Scripts/reference/gguf_fixtures.py`
/// builds them before hashing (see that script's docstring): the value re-encoded from its parsed
/// form in GGUF's own little-endian layout, without the leading type id.
///
/// Bytes rather than JSON text because the comparison must be exact (float bits, string bytes)
/// and fast in unoptimized test builds, which hash about 25 MB of vocabulary here.
enum CanonicalValue {
    /// The SHA-256 hex digest of the canonical bytes of `value`.
    static func digest(_ value: GGUFValue) -> String {
        var bytes: [UInt8] = []
        append(value, to: &bytes)
        return Digests.sha256Hex(bytes)
    }

    /// The value as the fixture's `value` field holds it (ints, bools, strings, float bit strings).
    static func fixtureScalar(_ value: GGUFValue) -> FixtureScalar? {
        switch value {
        case .float32(let v): return .string(hexBits("f32:", UInt64(v.bitPattern), digits: 8))
        case .float64(let v): return .string(hexBits("f64:", v.bitPattern, digits: 16))
        case .bool(let v): return .bool(v)
        case .string(let v): return .string(v)
        case .array: return nil
        case .uint64(let v): return .integer(String(v))
        case .int64(let v): return .integer(String(v))
        default: return value.int.map { .integer(String($0)) }
        }
    }

    static func append(_ value: GGUFValue, to bytes: inout [UInt8]) {
        switch value {
        case .uint8(let v): bytes.append(v)
        case .int8(let v): bytes.append(UInt8(bitPattern: v))
        case .uint16(let v): appendLittleEndian(v, to: &bytes)
        case .int16(let v): appendLittleEndian(v, to: &bytes)
        case .uint32(let v): appendLittleEndian(v, to: &bytes)
        case .int32(let v): appendLittleEndian(v, to: &bytes)
        case .uint64(let v): appendLittleEndian(v, to: &bytes)
        case .int64(let v): appendLittleEndian(v, to: &bytes)
        case .float32(let v): appendLittleEndian(v.bitPattern, to: &bytes)
        case .float64(let v): appendLittleEndian(v.bitPattern, to: &bytes)
        case .bool(let v): bytes.append(v ? 1 : 0)
        case .string(let v):
            var string = v
            string.withUTF8 { utf8 in
                appendLittleEndian(UInt64(utf8.count), to: &bytes)
                bytes.append(contentsOf: utf8)
            }
        case .array(let array):
            appendLittleEndian(array.elementType.rawValue, to: &bytes)
            appendLittleEndian(UInt64(array.count), to: &bytes)
            for element in array { append(element, to: &bytes) }
        }
    }

    private static func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    private static func hexBits(_ prefix: String, _ bits: UInt64, digits: Int) -> String {
        let hex = String(bits, radix: 16)
        return prefix + String(repeating: "0", count: max(0, digits - hex.count)) + hex
    }
}
