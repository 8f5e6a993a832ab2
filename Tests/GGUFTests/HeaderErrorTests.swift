import GGUF
import TestSupport
import Testing

/// Broken file headers: magic, version and the two counts.
@Suite struct HeaderErrorTests {
    @Test(arguments: [Array("GGUX".utf8), Array("ggml".utf8), [0, 0, 0, 0], Array("FUGG".utf8), Array("XY".utf8)])
    func badMagicIsRefusedAtByteZero(magic: [UInt8]) throws {
        var writer = SampleFiles.minimal()
        writer.magic = magic
        let error = expectError(writer.bytes(), .badMagic, at: 0)
        #expect(error == .badMagic(found: Array(writer.bytes().prefix(4))))
        #expect(error?.description.contains("expected magic 'GGUF' at byte 0") == true)
    }

    @Test(arguments: [[], Array("G".utf8), Array("GGU".utf8)])
    func prefixOfTheMagicIsTruncatedNotForeign(bytes: [UInt8]) {
        expectError(bytes, .truncated, at: 0)
    }

    @Test(arguments: [UInt32(0), 1, 4, 5, 0x0300_0000, .max])
    func unsupportedVersionsAreRefusedAtByteFour(version: UInt32) {
        var writer = SampleFiles.minimal()
        writer.version = version
        let error = expectError(writer.bytes(), .unsupportedVersion, at: 4)
        #expect(error == .unsupportedVersion(version))
    }

    @Test func byteSwappedVersionHintsAtEndianness() {
        var writer = SampleFiles.minimal()
        writer.version = UInt32(3).byteSwapped
        #expect(parseError(writer.bytes())?.description.contains("big-endian") == true)
    }

    @Test(arguments: [UInt32(2), 3])
    func supportedVersionsParse(version: UInt32) {
        #expect(parse(SampleFiles.minimal(version: version).bytes())?.version == version)
    }

    @Test(arguments: [UInt64(1) << 40, 1 << 62, .max])
    func absurdTensorCountIsRefusedAtItsField(count: UInt64) {
        var writer = SampleFiles.minimal()
        writer.tensorCountOverride = count
        let error = expectError(writer.bytes(), .countTooLarge, at: 8)
        if case .countTooLarge(_, let found, _) = error { #expect(found == count) }
    }

    @Test(arguments: [UInt64(1) << 40, 1 << 62, .max])
    func absurdKeyCountIsRefusedAtItsField(count: UInt64) {
        var writer = SampleFiles.minimal()
        writer.keyCountOverride = count
        let error = expectError(writer.bytes(), .countTooLarge, at: 16)
        #expect(error?.description.contains("metadata key count \(count)") == true)
    }

    /// A key count one too high makes the reader take the tensor table for a key/value pair:
    /// whatever it then finds, it must be an error, never a crash.
    @Test func keyCountOneTooHighIsAnError() {
        var writer = SampleFiles.minimal()
        writer.keyCountOverride = UInt64(writer.entries.count + 1)
        #expect(parseError(writer.bytes()) != nil)
    }

    /// More tensors than the tensor table holds, but few enough to pass the first plausibility
    /// check: the tensor data is then read as records.
    @Test func tensorCountSlightlyTooHighIsAnError() {
        var writer = SampleFiles.minimal()
        writer.tensorCountOverride = 3
        #expect(parseError(writer.bytes()) != nil)
    }

    /// After the metadata, the tensor count is checked again against what is left.
    @Test func tensorCountIsRecheckedAfterTheMetadata() {
        var writer = GGUFWriter()
        writer.add("padding", .string(String(repeating: "x", count: 400)))
        writer.tensorCountOverride = 10
        expectError(writer.bytes(), .countTooLarge, at: 8)
    }
}
