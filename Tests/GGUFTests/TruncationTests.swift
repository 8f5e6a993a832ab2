import Foundation
import GGUF
import TestSupport
import Testing

/// Files cut short anywhere before the end of their last tensor must give an error that points
/// inside the bytes that remain, never a crash and never a successful parse.
@Suite struct TruncationTests {
    /// The errors a cut can produce: a field that does not fit, a count larger than what is
    /// left, or tensor data missing from the end.
    static let cutKinds: Set<GGUFErrorKind> = [.truncated, .countTooLarge, .tensorOutOfBounds]

    static let samples: [(name: String, writer: GGUFWriter)] = {
        var metadataOnly = GGUFWriter()
        for pair in SampleFiles.scalars + SampleFiles.arrays { metadataOnly.add(pair.key, pair.value) }
        var aligned = SampleFiles.minimal(version: 2)
        aligned.setAlignment(256)
        return [
            ("everything", SampleFiles.everything()), ("minimal", SampleFiles.minimal()),
            ("metadata only", metadataOnly), ("aligned to 256, v2", aligned)
        ]
    }()

    @Test(arguments: samples.indices)
    func cutAtEverySectionBoundaryIsAnError(sample: Int) {
        let (bytes, layout) = Self.samples[sample].writer.build()
        for cut in layout.boundaries where cut < Self.requiredLength(layout) {
            Self.expectCutFails(Array(bytes.prefix(cut)), cut: cut)
        }
    }

    @Test(arguments: samples.indices)
    func cutAtEveryByteIsAnError(sample: Int) {
        let (bytes, layout) = Self.samples[sample].writer.build()
        for cut in 0..<Self.requiredLength(layout) {
            Self.expectCutFails(Array(bytes.prefix(cut)), cut: cut)
        }
    }

    /// A model file PyPI `gguf` wrote (the generated tiny llama), cut at every boundary the writer
    /// reports for it (the writer reproduces the file exactly, see `WriterTests`) and at seeded
    /// random points.
    @Test(.requires([.syntheticLlamaSPM])) func realFileCutAtBoundariesAndRandomPointsIsAnError() throws {
        let url = GeneratedModels.llamaSPM
        let original = try #require(try? Data(contentsOf: url), "missing \(url.path)")
        let bytes = [UInt8](original)
        let layout = GGUFWriter(copying: try GGUFFile(path: url.path)).layout()
        #expect(layout.end == bytes.count)
        var random = SeededRandom(seed: 260)
        let randomCuts =
            (0..<150).map { _ in Int.random(in: 0..<layout.dataStart, using: &random) }
            + (0..<30).map { _ in Int.random(in: layout.dataStart..<Self.requiredLength(layout), using: &random) }
        for cut in layout.boundaries.filter({ $0 < Self.requiredLength(layout) }) + randomCuts {
            Self.expectCutFails(Array(bytes.prefix(cut)), cut: cut)
        }
    }

    /// Up to the end of the last tensor's data every byte is needed; only trailing padding
    /// after it may be cut off.
    static func requiredLength(_ layout: GGUFWriter.Layout) -> Int {
        layout.tensorData.last?.upperBound ?? layout.end
    }

    static func expectCutFails(_ bytes: [UInt8], cut: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let error = parseError(bytes, sourceLocation: sourceLocation) else { return }
        #expect(cutKinds.contains(error.kind), "cut at \(cut): \(error)", sourceLocation: sourceLocation)
        #expect((error.offset ?? -1) <= cut, "cut at \(cut): \(error)", sourceLocation: sourceLocation)
    }
}
