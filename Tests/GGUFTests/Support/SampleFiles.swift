import GGUF
import TestSupport

/// Hand-made GGUF files shared by the tests: small, valid, and covering every feature the
/// reader has, so that breaking any one field of them exercises one check of the reader.
enum SampleFiles {
    /// One scalar of every value type, with edge values (extremes, negative zero, empty and
    /// non-ASCII strings, an embedded NUL).
    static let scalars: [(key: String, value: GGUFValue)] = [
        ("test.u8", .uint8(255)),
        ("test.i8", .int8(-128)),
        ("test.u16", .uint16(65535)),
        ("test.i16", .int16(-32768)),
        ("test.u32", .uint32(.max)),
        ("test.i32", .int32(.min)),
        ("test.u64", .uint64(.max)),
        ("test.i64", .int64(.min)),
        ("test.f32", .float32(-0.0)),
        ("test.f32_small", .float32(.leastNonzeroMagnitude)),
        ("test.f64", .float64(.pi)),
        ("test.f64_inf", .float64(-.infinity)),
        ("test.bool_true", .bool(true)),
        ("test.bool_false", .bool(false)),
        ("test.string", .string("héllo, 世界 🦙")),
        ("test.string_empty", .string("")),
        ("test.string_nul", .string("a\u{0}b"))
    ]

    /// One array of every element type, empty arrays, and arrays of arrays.
    static let arrays: [(key: String, value: GGUFValue)] = {
        var pairs: [(key: String, value: GGUFValue)] = []
        for type in GGUFValueType.allCases where type != .array {
            let samples = scalars.filter { $0.value.type == type }.map(\.value)
            pairs.append(("array.\(type)", .array(elementType: type, elements: samples + samples)))
            pairs.append(("array.empty_\(type)", .array(elementType: type, elements: [])))
        }
        pairs.append(
            (
                "array.nested",
                .array(
                    elementType: .array,
                    elements: [
                        .int32s([1, 2, 3]),
                        .strings(["x", "", "z"]),
                        .array(
                            elementType: .array, elements: [.float32s([1.5]), .array(elementType: .bool, elements: [])])
                    ])
            ))
        pairs.append(("array.empty_of_arrays", .array(elementType: .array, elements: [])))
        pairs.append(("array.deepest_allowed", nested(depth: 8)))
        return pairs
    }()

    /// Arrays nested `depth` levels (a depth of 1 is a plain array of one u8).
    static func nested(depth: Int) -> GGUFValue {
        var value: GGUFValue = .array(elementType: .uint8, elements: [.uint8(7)])
        for _ in 1..<max(1, depth) { value = .array(elementType: .array, elements: [value]) }
        return value
    }

    /// A valid file with every scalar and array above and one tensor of several types.
    static func everything(version: UInt32 = 3) -> GGUFWriter {
        var writer = GGUFWriter(version: version)
        writer.add("general.architecture", .string("llama"))
        for pair in scalars + arrays { writer.add(pair.key, pair.value) }
        writer.addTensor(name: "token_embd.weight", floats: (0..<24).map { Float($0) / 4 }, dimensions: [8, 3])
        writer.addTensor(
            name: "blk.0.attn_q.weight", type: .q4_0, dimensions: [64, 2],
            data: (0..<72).map { UInt8($0) })
        writer.addTensor(
            name: "blk.0.ffn_down.weight", type: .q6_K, dimensions: [256, 1, 1, 2],
            data: (0..<420).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        writer.addTensor(name: "output_norm.weight", floats: [1, -1, 0.5], dimensions: [3])
        return writer
    }

    /// A small valid file: two keys and two tensors. Error tests break one field of it.
    static func minimal(version: UInt32 = 3) -> GGUFWriter {
        var writer = GGUFWriter(version: version)
        writer.add("general.architecture", .string("llama"))
        writer.add("general.name", .string("tiny"))
        writer.addTensor(name: "a", floats: [1, 2, 3, 4], dimensions: [2, 2])
        writer.addTensor(name: "b", type: .q8_0, dimensions: [32, 2])
        return writer
    }
}
