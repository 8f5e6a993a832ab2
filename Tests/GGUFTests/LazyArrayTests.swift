import GGUF
import TestSupport
import Testing

/// Metadata arrays stay views of the file's bytes until read (issue #10, finding 4): parsing a
/// file checks them but builds nothing per element, and reading decodes exactly what is asked.
@Suite("lazy metadata arrays")
struct LazyArrayTests {
    /// A file with a u8 array of `count` bytes, a string array, and an array of arrays.
    static func file(u8Count count: Int) throws -> GGUFFile {
        var writer = GGUFWriter()
        var payload = GGUFWriter.littleEndianBytes(of: GGUFValueType.uint8.rawValue)
        payload += GGUFWriter.littleEndianBytes(of: UInt64(count))
        payload += (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        writer.addRaw("big", typeID: GGUFValueType.array.rawValue, bytes: payload)
        writer.add("words", GGUFValue.strings(["alpha", "", "γάμμα", "δ"]))
        writer.add(
            "nested",
            .array(
                elementType: .array,
                elements: [
                    .array(elementType: .int32, elements: [.int32(-1), .int32(2)]),
                    .array(elementType: .string, elements: [])
                ]))
        writer.add("flags", .array(elementType: .bool, elements: [.bool(true), .bool(false)]))
        return try GGUFFile(bytes: writer.bytes())
    }

    @Test func aHugeArrayIsAViewOfItsBytesUntilRead() throws {
        let count = 8_000_000
        let file = try Self.file(u8Count: count)
        let array = try #require(file.metadata["big"]?.array)
        #expect(array.elementType == .uint8)
        #expect(array.count == count)
        // Exactly the element bytes: nothing was decoded to find them.
        #expect(array.encodedByteCount == count)
        #expect(Array(array.prefix(4)) == [.uint8(0), .uint8(31), .uint8(62), .uint8(93)])
        let ints = try #require(array.ints())
        #expect(ints.count == count)
        #expect(ints[count - 1] == Int(UInt8(truncatingIfNeeded: (count - 1) &* 31)))
        #expect(array.strings() == nil)
    }

    @Test func stringNestedAndBoolArraysDecodeOnDemand() throws {
        let file = try Self.file(u8Count: 3)
        #expect(file.metadata.stringArray("words") == ["alpha", "", "γάμμα", "δ"])
        #expect(file.metadata.intArray("words") == nil)
        let nested = try #require(file.metadata["nested"]?.array)
        let inner = Array(nested)
        #expect(inner.count == 2)
        #expect(inner.first?.array?.ints() == [-1, 2])
        #expect(inner.last?.array?.elementType == .string)
        #expect(inner.last?.array?.isEmpty == true)
        #expect(Array(try #require(file.metadata["flags"]?.array)) == [.bool(true), .bool(false)])
        #expect(file.metadata.floatArray("big") == [0, 31, 62])
    }

    @Test func aParsedArrayEqualsTheSameArrayHeldInMemory() throws {
        let file = try Self.file(u8Count: 3)
        #expect(file.metadata["words"] == GGUFValue.strings(["alpha", "", "γάμμα", "δ"]))
        #expect(file.metadata["words"] != GGUFValue.strings(["alpha", "", "γάμμα"]))
        #expect(file.metadata["big"] == .array(elementType: .uint8, elements: [.uint8(0), .uint8(31), .uint8(62)]))
        #expect(file.metadata["big"] != .array(elementType: .int8, elements: [.int8(0), .int8(31), .int8(62)]))
    }

    @Test func aValueIsNoLargerThanAString() {
        // Metadata with millions of keys holds one `GGUFValue` per key: arrays must not widen it.
        #expect(MemoryLayout<GGUFValue>.size <= MemoryLayout<String>.size + 1)
    }
}
