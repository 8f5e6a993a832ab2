import GGUF
import TestSupport
import Testing

/// Broken key/value pairs: types, lengths, nesting, duplicates, and `general.alignment`.
@Suite struct MetadataErrorTests {
    @Test(arguments: [UInt32(13), 255, 0x8000_0000, .max])
    func unknownValueTypeIsRefusedAtItsTypeField(typeID: UInt32) throws {
        var writer = SampleFiles.minimal()
        writer.addRaw("bad.type", typeID: typeID, bytes: [1, 2, 3, 4])
        let layout = writer.layout()
        let pair = try #require(layout.keyValues.last)
        let error = expectError(writer.bytes(), .unknownValueType, at: pair.valueType)
        #expect(error == .unknownValueType(typeID, key: "bad.type", offset: pair.valueType))
    }

    @Test(arguments: [UInt32(13), .max])
    func unknownArrayElementTypeIsRefusedAtTheElementTypeField(typeID: UInt32) throws {
        var writer = SampleFiles.minimal()
        // An array (type 9) whose element type is unknown, with a length of 1.
        writer.addRaw(
            "bad.array", typeID: 9,
            bytes: GGUFWriter.littleEndianBytes(of: typeID)
                + GGUFWriter.littleEndianBytes(of: UInt64(1)) + [0, 0, 0, 0])
        let pair = try #require(writer.layout().keyValues.last)
        expectError(writer.bytes(), .unknownValueType, at: pair.value)
    }

    @Test(arguments: [UInt64(1) << 63, .max, 1 << 40])
    func stringValueLengthPastTheEndIsTruncatedAtTheLength(length: UInt64) throws {
        var writer = SampleFiles.minimal()
        let pair = try #require(writer.layout().keyValues.first) // general.architecture = "llama"
        writer.patch(at: pair.value, length)
        let error = expectError(writer.bytes(), .truncated, at: pair.value)
        if case .truncated(_, _, let needed, let available) = error {
            #expect(needed >= length, "reports what the string needs, saturating")
            #expect(available == writer.bytes().count - pair.value)
        }
    }

    @Test func stringLengthOneByteTooLongIsTruncated() throws {
        var writer = GGUFWriter()
        writer.add("last", .string("abc"))
        let pair = try #require(writer.layout().keyValues.first)
        writer.patch(at: pair.value, UInt64(4))
        expectError(writer.bytes(), .truncated, at: pair.value)
    }

    @Test(arguments: [UInt64(1) << 63, .max])
    func keyLengthPastTheEndIsTruncatedAtTheKey(length: UInt64) throws {
        var writer = SampleFiles.minimal()
        let pair = try #require(writer.layout().keyValues.last)
        writer.patch(at: pair.start, length)
        expectError(writer.bytes(), .truncated, at: pair.start)
    }

    @Test(arguments: [UInt64(1) << 62, 1 << 40, .max])
    func absurdArrayLengthIsRefusedAtTheLengthField(length: UInt64) throws {
        var writer = SampleFiles.minimal()
        writer.add("tokens", .strings(["a", "b"]))
        writer.add("nested", .array(elementType: .array, elements: [.int32s([1])]))
        let layout = writer.layout()
        for pair in layout.keyValues.suffix(2) {
            var broken = writer
            broken.patch(at: pair.value + 4, length)
            let error = expectError(broken.bytes(), .countTooLarge, at: pair.value + 4)
            if case .countTooLarge(_, let count, _) = error { #expect(count == length) }
        }
    }

    @Test(arguments: [9, 10, 100])
    func deepNestingIsRefusedAtTheFirstLevelTooDeep(depth: Int) throws {
        var writer = GGUFWriter()
        writer.add("deep", SampleFiles.nested(depth: depth))
        let pair = try #require(writer.layout().keyValues.first)
        // Each level is an element type (4 bytes) and a length (8 bytes); level 9 is refused.
        let error = expectError(writer.bytes(), .nestingTooDeep, at: pair.value + 12 * 8)
        #expect(error == .nestingTooDeep(limit: 8, key: "deep", offset: pair.value + 96))
    }

    @Test func eightLevelsOfNestingAreAllowed() {
        var writer = GGUFWriter()
        writer.add("deep", SampleFiles.nested(depth: 8))
        #expect(parse(writer.bytes())?.metadata["deep"] == SampleFiles.nested(depth: 8))
    }

    @Test func duplicateKeyIsRefusedAtTheSecondOne() throws {
        var writer = SampleFiles.minimal()
        writer.add("general.name", .uint32(7))
        let second = try #require(writer.layout().keyValues.last)
        let error = expectError(writer.bytes(), .duplicateKey, at: second.start)
        #expect(error == .duplicateKey("general.name", offset: second.start))
    }

    @Test func emptyKeyIsRefused() throws {
        var writer = SampleFiles.minimal()
        writer.add("", .uint8(1))
        let pair = try #require(writer.layout().keyValues.last)
        expectError(writer.bytes(), .invalidMetadata, at: pair.start)
    }

    @Test(arguments: [UInt8(2), 0x80, 0xFF])
    func boolOtherThanZeroOrOneIsRefused(byte: UInt8) throws {
        var writer = SampleFiles.minimal()
        writer.add("flag", .bool(true))
        writer.add("flags", .array(elementType: .bool, elements: [.bool(false), .bool(true)]))
        let layout = writer.layout()
        let flag = layout.keyValues[layout.keyValues.count - 2]
        let flags = layout.keyValues[layout.keyValues.count - 1]
        var scalar = writer
        scalar.patch(at: flag.value, bytes: [byte])
        expectError(scalar.bytes(), .invalidValue, at: flag.value)
        var element = writer
        element.patch(at: flags.value + 13, bytes: [byte])
        expectError(element.bytes(), .invalidValue, at: flags.value + 13)
    }

    @Test(arguments: [UInt32(0), 1, 2, 3, 4, 12, 48, 1 << 21, 1 << 31, .max])
    func invalidAlignmentValuesAreRefused(alignment: UInt32) throws {
        var writer = SampleFiles.minimal()
        writer.add("general.alignment", .uint32(alignment))
        let pair = try #require(writer.layout().keyValues.last)
        let error = expectError(writer.bytes(), .invalidMetadata, at: pair.valueType)
        if case .invalidMetadata(let key, _, _) = error { #expect(key == "general.alignment") }
    }

    @Test(arguments: [
        GGUFValue.uint64(32), .int32(32), .uint16(32), .uint8(32), .string("32"), .float32(32),
        .uint32s([32])
    ])
    func alignmentOfTheWrongTypeIsRefused(value: GGUFValue) throws {
        var writer = SampleFiles.minimal()
        writer.add("general.alignment", value)
        let pair = try #require(writer.layout().keyValues.last)
        let error = expectError(writer.bytes(), .invalidMetadata, at: pair.valueType)
        #expect(error?.description.contains("must be a u32") == true)
    }

    /// A file that declares its alignment before the tensors uses it for the data section.
    @Test func validAlignmentIsHonoured() {
        var writer = SampleFiles.minimal()
        writer.setAlignment(64)
        #expect(parse(writer.bytes())?.alignment == 64)
    }
}
