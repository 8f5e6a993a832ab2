import Foundation
import GGUF
import TestSupport
import Testing

/// The test writer itself: its layout report is true, its hooks do what they say, and it
/// rewrites real files byte for byte (so files it makes are shaped like ggml's).
@Suite struct WriterTests {
    @Test func layoutPointsAtTheFieldsItNames() throws {
        let writer = SampleFiles.everything()
        let (bytes, layout) = writer.build()
        #expect(layout.end == bytes.count)
        #expect(Self.u64(bytes, layout.tensorCount) == UInt64(writer.tensors.count))
        #expect(Self.u64(bytes, layout.keyCount) == UInt64(writer.entries.count))
        #expect(layout.keyValues.first?.start == 24)
        for (pair, entry) in zip(layout.keyValues, writer.entries) {
            #expect(Self.u64(bytes, pair.start) == UInt64(entry.key.utf8.count))
            #expect(pair.valueType == pair.start + 8 + entry.key.utf8.count)
            if case .value(let value) = entry.payload {
                #expect(Self.u32(bytes, pair.valueType) == value.type.rawValue)
            }
        }
        #expect(layout.tensorInfosStart == layout.keyValues.last?.end)
        for (info, tensor) in zip(layout.tensorInfos, writer.tensors) {
            #expect(Self.u32(bytes, info.dimensionCount) == UInt32(tensor.dimensions.count))
            #expect(Self.u32(bytes, info.type) == tensor.typeID)
            let relative = Int(Self.u64(bytes, info.dataOffsetField))
            #expect(layout.tensorData.contains(where: { $0.lowerBound == layout.dataStart + relative }))
        }
        #expect(layout.paddingStart == layout.tensorInfos.last?.end)
        #expect(layout.dataStart % writer.alignment == 0)
        #expect(layout.boundaries == layout.boundaries.sorted())
        #expect(layout.boundaries.last == layout.end)
        #expect(Set(layout.boundaries).count == layout.boundaries.count)
    }

    @Test func patchesApplyInOrderAndMayGrowTheFile() {
        var writer = GGUFWriter()
        writer.patch(at: 4, UInt32(9))
        writer.patch(at: 5, bytes: [7])
        writer.patch(at: 30, bytes: [1, 2])
        let bytes = writer.bytes()
        #expect(bytes.count == 32)
        #expect(Array(bytes[4..<8]) == [9, 7, 0, 0])
        #expect(Array(bytes[24..<32]) == [0, 0, 0, 0, 0, 0, 1, 2])
    }

    @Test func truncationCutsAfterPatching() {
        var writer = SampleFiles.minimal()
        writer.patch(at: 0, bytes: Array("XXXX".utf8))
        writer.truncate(at: 6)
        #expect(writer.bytes() == Array("XXXX".utf8) + [3, 0])
    }

    @Test func setAlignmentReplacesAnEarlierAlignmentKey() {
        var writer = GGUFWriter()
        writer.add("general.alignment", .string("wrong"))
        writer.add("other", .uint8(1))
        writer.setAlignment(16)
        #expect(writer.entries.map(\.key) == ["general.alignment", "other"])
        #expect(writer.entries[0].payload == .value(.uint32(16)))
        #expect(parse(writer.bytes())?.alignment == 16)
    }

    /// Reading a real file and writing it back gives the same bytes: metadata order, value
    /// types, tensor order, offsets and padding all survive the reader and the writer.
    @Test(.requires([.vocabularies]), arguments: ["vocab/ggml-vocab-llama-spm.gguf", "vocab/ggml-vocab-phi-3.gguf"])
    func rewritingARealFileReproducesItExactly(name: String) throws {
        try rewritingReproduces(TestPaths.model(name))
    }

    /// A file with tensors, as PyPI `gguf` (the writer of llama.cpp's converters) wrote it.
    @Test(.requires([.syntheticLlamaSPM])) func rewritingAGeneratedModelReproducesItExactly() throws {
        try rewritingReproduces(GeneratedModels.llamaSPM)
    }

    /// A file with tensors, as llama.cpp's converter wrote it.
    @Test(.requires(.stories260K)) func rewritingStories260KReproducesItExactly() throws {
        try rewritingReproduces(TestPaths.model(TestModel.stories260K.fileName))
    }

    func rewritingReproduces(_ url: URL) throws {
        let original = try #require(try? Data(contentsOf: url), "missing \(url.path); set PARLEY_MODELS_DIR")
        let file = try GGUFFile(path: url.path)
        let rewritten = GGUFWriter(copying: file).bytes()
        #expect(rewritten.count == original.count)
        #expect(rewritten == [UInt8](original))
    }

    static func u64(_ bytes: [UInt8], _ offset: Int) -> UInt64 {
        (0..<8).reduce(0) { $0 | UInt64(bytes[offset + $1]) << (8 * UInt64($1)) }
    }

    static func u32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        (0..<4).reduce(0) { $0 | UInt32(bytes[offset + $1]) << (8 * UInt32($1)) }
    }
}
