import Foundation
import GGUF
import TestSupport
import Testing

@testable import Inference

/// The interleaved copies (`InterleavedRows`, `AVX512Dot+Interleaved.swift`): decode runs and
/// prompt panels over them give the file layout's AVX2 sums bit for bit, for every token count,
/// thread split, row-invariant product and row slice; and the file's pages they let go read
/// back the same.
@Suite struct InterleavedRowsTests {
    static let types: [GGMLType] = [.q4_1, .q5_0, .q8_0]
    static let hasAVX512 = KernelPath.supported.contains(.avx512)

    /// `matmul` of `matrix` on `path`, `tokens` rows of `x`.
    static func product(
        _ matrix: WeightMatrix, _ x: [Float], tokens: Int, path: KernelPath, threads: Int, rowInvariant: Bool = false
    ) throws -> [Float] {
        let pool = try WorkerPool(threads: threads)
        var scratch = MatMulScratch(maxColumns: matrix.columns, maxTokens: max(32, tokens), workers: threads)
        scratch.path = path
        scratch.rowInvariant = rowInvariant
        var out = [Float](repeating: .nan, count: tokens * matrix.rows)
        x.withUnsafeBufferPointer { xs in
            out.withUnsafeMutableBufferPointer { o in
                matmul(matrix, xs.baseAddress!, tokens: tokens, o.baseAddress!, pool: pool, scratch: &scratch)
            }
        }
        return out
    }

    /// Differences between the AVX2 product of the file's rows and the AVX-512 product of the
    /// interleaved copy, over token counts that take the runs (1-7) and the panels (8 on).
    static func differences(_ plain: WeightMatrix, _ interleaved: WeightMatrix, columns: Int) throws -> [String] {
        var failures: [String] = []
        for tokens in [1, 2, 3, 4, 5, 7, 8, 9, 17, 45] {
            let x = randomActivations(count: tokens * columns, seed: UInt64(90 + tokens))
            for threads in [1, 2] {
                for invariant in [false, true] {
                    let avx2 = try product(
                        plain, x, tokens: tokens, path: .avx2, threads: threads, rowInvariant: invariant)
                    let avx512 = try product(
                        interleaved, x, tokens: tokens, path: .avx512, threads: threads, rowInvariant: invariant)
                    let differing = (0..<avx2.count).count { avx2[$0].bitPattern != avx512[$0].bitPattern }
                    if differing > 0 {
                        failures.append(
                            "rows \(plain.rows) columns \(columns) tokens \(tokens) threads \(threads) "
                                + "invariant \(invariant): \(differing) differ")
                    }
                }
            }
        }
        return failures
    }

    @Test(.enabled(if: hasAVX512, "this CPU has no AVX-512 VNNI"), arguments: types)
    func interleavedEqualsTheFileLayoutBitForBit(type: GGMLType) throws {
        var failures: [String] = []
        // Rows: one group, a part panel, whole panels split between threads; columns: one block
        // to Gemma's 2048.
        for (rows, columns) in [(4, 32), (36, 160), (64, 576), (204, 576), (96, 2048)] {
            let weights = RandomMatrix(type: type, rows: rows, columns: columns, seed: UInt64(700 + rows))
            let interleaved = weights.matrix.interleaved()
            try #require(interleaved.interleavedRows != nil, "\(type) rows \(rows) got no interleaved copy")
            failures += try Self.differences(weights.matrix, interleaved, columns: columns)
        }
        #expect(failures.isEmpty, "\(type): \(failures.prefix(4))")
    }

    /// Every weight code at its minimum or maximum, and every fifth bit set or clear (Q5_0).
    @Test(.enabled(if: hasAVX512, "this CPU has no AVX-512 VNNI"), arguments: types)
    func interleavedEqualsTheFileLayoutAtExtremeCodes(type: GGMLType) throws {
        let columns = 128
        let weights = RandomMatrix(type: type, rows: 40, columns: columns, seed: 11)
        let scaleFields = Set(RandomMatrix.f16Fields(type))
        for r in 0..<40 {
            for offset in 0..<weights.matrix.rowBytes
            where !scaleFields.contains(offset % type.bytesPerBlock)
                && !scaleFields.contains(offset % type.bytesPerBlock - 1)
            {
                weights.bytes[r * weights.matrix.rowBytes + offset] = r % 3 == 0 ? 0x80 : (r % 3 == 1 ? 0xFF : 0x00)
            }
        }
        for tokens in [1, 4, 8, 19] {
            let x = (0..<(tokens * columns)).map { Float($0 % 3 == 0 ? -1 : 1) }
            let avx2 = try Self.product(weights.matrix, x, tokens: tokens, path: .avx2, threads: 2)
            let avx512 = try Self.product(weights.matrix.interleaved(), x, tokens: tokens, path: .avx512, threads: 2)
            let differing = (0..<avx2.count).count { avx2[$0].bitPattern != avx512[$0].bitPattern }
            #expect(differing == 0, "\(type) tokens \(tokens): \(differing) of \(avx2.count) differ")
        }
    }

    /// A fused tensor's row ranges (Phi-3's gate and up) keep the copy when they start and end
    /// on a group of four, and compute as the file's rows do; other ranges go without.
    @Test(.enabled(if: hasAVX512, "this CPU has no AVX-512 VNNI"))
    func rowRangesKeepTheirGroups() throws {
        let weights = RandomMatrix(type: .q5_0, rows: 72, columns: 160, seed: 12)
        let interleaved = weights.matrix.interleaved()
        let upper = interleaved.rows(36..<72)
        try #require(upper.interleavedRows != nil)
        #expect(interleaved.rows(2..<38).interleavedRows == nil)
        let failures = try Self.differences(weights.matrix.rows(36..<72), upper, columns: 160)
        #expect(failures.isEmpty, "\(failures.prefix(4))")
    }

    /// Only the types and row counts the runs take get a copy.
    @Test func onlyWholeGroupsOfTheLegacyTypesAreCopied() {
        #expect(RandomMatrix(type: .q5_0, rows: 6, columns: 32, seed: 1).matrix.interleaved().interleavedRows == nil)
        #expect(RandomMatrix(type: .q4_K, rows: 8, columns: 256, seed: 1).matrix.interleaved().interleavedRows == nil)
        #expect(
            (RandomMatrix(type: .q8_0, rows: 8, columns: 32, seed: 1).matrix.interleaved().interleavedRows != nil)
                == Self.hasAVX512)
    }

    /// The copy hands every source byte to `releasing` once, in parts; a mapped file's
    /// released pages read back the same, and a file held in memory keeps its bytes.
    @Test(.enabled(if: hasAVX512, "this CPU has no AVX-512 VNNI"))
    func releasedPagesReadBackTheSame() throws {
        let rows = 8_192
        let columns = 576
        let type = GGMLType.q8_0
        let weights = RandomMatrix(type: type, rows: rows, columns: columns, seed: 13)
        var writer = GGUFWriter(version: 3)
        _ = writer.addTensor(
            name: "w", type: type, dimensions: [columns, rows], data: Array(UnsafeRawBufferPointer(weights.bytes)))
        let bytes = writer.bytes()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parley-interleave-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("w.gguf").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        for file in [try GGUFFile(path: path), try GGUFFile(bytes: bytes)] {
            let info = try #require(file.tensor(named: "w"))
            let matrix = try WeightMatrix(tensor: info, file: file)
            var released = 0
            let interleaved = matrix.interleaved { part in
                released += part.count
                file.releasePages(part)
            }
            #expect(released == rows * matrix.rowBytes)
            #expect(Array(file.data(for: info)) == Array(UnsafeRawBufferPointer(weights.bytes)))
            let failures = try Self.differences(matrix, interleaved, columns: columns).prefix(2)
            #expect(failures.isEmpty, "\(failures)")
        }
    }
}
