import GGUF
import Testing

@testable import Inference

/// Every kernel path this CPU supports (`KernelPath.supported`), through `matmul`: against the
/// F32 reference, and the AVX-512 path against the AVX2 path bit for bit (same integers, same
/// float operations in the same order), for every quantized type, the one- and four-token
/// kernels, Q6_K's tiled batch sizes and row-invariant batches.
@Suite struct KernelPathTests {
    static let types: [GGMLType] = [.q4_0, .q4_1, .q5_0, .q5_1, .q8_0, .q4_K, .q6_K]
    static let tokenCounts = [1, 2, 3, 4, 7, 8, 13, 19, 32]
    static let hasAVX512 = KernelPath.supported.contains(.avx512)

    /// `matmul` of `weights` on `path`, `tokens` rows of `x`.
    static func product(
        _ weights: RandomMatrix, _ x: [Float], tokens: Int, path: KernelPath, threads: Int = 2,
        rowInvariant: Bool = false
    ) throws -> [Float] {
        let pool = try WorkerPool(threads: threads)
        var scratch = MatMulScratch(maxColumns: weights.matrix.columns, maxTokens: max(32, tokens), workers: threads)
        scratch.path = path
        scratch.rowInvariant = rowInvariant
        var out = [Float](repeating: .nan, count: tokens * weights.matrix.rows)
        x.withUnsafeBufferPointer { xs in
            out.withUnsafeMutableBufferPointer { o in
                matmul(weights.matrix, xs.baseAddress!, tokens: tokens, o.baseAddress!, pool: pool, scratch: &scratch)
            }
        }
        return out
    }

    @Test(arguments: types)
    func everySupportedPathMatchesReference(type: GGMLType) throws {
        let columns = type.blockSize == 256 ? 768 : 160
        let weights = RandomMatrix(type: type, rows: 21, columns: columns, seed: 300)
        var failures: [String] = []
        for path in KernelPath.supported {
            for tokens in Self.tokenCounts {
                let x = randomActivations(count: tokens * columns, seed: UInt64(tokens))
                let expected = x.withUnsafeBufferPointer {
                    MatMulReference.matmul(weights.matrix, $0.baseAddress!, tokens: tokens)
                }
                let magnitude = x.withUnsafeBufferPointer {
                    MatMulReference.magnitudes(weights.matrix, $0.baseAddress!, tokens: tokens)
                }
                let out = try Self.product(weights, x, tokens: tokens, path: path)
                let bad = (0..<out.count).filter { !(abs(out[$0] - expected[$0]) <= 2e-5 * magnitude[$0] + 1e-5) }
                if let first = bad.first {
                    failures.append(
                        "\(path) tokens \(tokens): \(bad.count) bad, e.g. \(out[first]) vs \(expected[first])")
                }
            }
        }
        #expect(failures.isEmpty, "\(type): \(failures.prefix(4))")
    }

    @Test(.enabled(if: hasAVX512, "this CPU has no AVX-512 VNNI"), arguments: types)
    func avx512EqualsAVX2BitForBit(type: GGMLType) throws {
        var failures: [String] = []
        let widths: [Int] = type.blockSize == 256 ? [256, 1536] : [32, 576]
        for (shape, columns) in widths.enumerated() {
            // 203 rows of the wider shape: several of the row runs' L1 groups per thread.
            let weights = RandomMatrix(
                type: type, rows: shape == 0 ? 19 : 203, columns: columns, seed: UInt64(400 + shape))
            for tokens in Self.tokenCounts {
                let x = randomActivations(count: tokens * columns, seed: UInt64(50 + tokens))
                for invariant in [false, true] {
                    let avx2 = try Self.product(weights, x, tokens: tokens, path: .avx2, rowInvariant: invariant)
                    let avx512 = try Self.product(weights, x, tokens: tokens, path: .avx512, rowInvariant: invariant)
                    let differing = (0..<avx2.count).filter { avx2[$0].bitPattern != avx512[$0].bitPattern }
                    if let first = differing.first {
                        failures.append(
                            "columns \(columns) tokens \(tokens) invariant \(invariant): \(differing.count) differ, "
                                + "e.g. \(avx512[first]) vs \(avx2[first])")
                    }
                }
            }
        }
        #expect(failures.isEmpty, "\(type): \(failures.prefix(4))")
    }

    /// The extreme codes random bytes rarely give together: every weight code at its minimum
    /// or maximum against activations of ±127 (the most a `maddubs` pair can reach).
    @Test(
        .enabled(if: hasAVX512, "this CPU has no AVX-512 VNNI"), arguments: [GGMLType.q8_0, .q4_0, .q5_0, .q6_K, .q4_K])
    func avx512EqualsAVX2AtExtremeCodes(type: GGMLType) throws {
        let columns = type.blockSize == 256 ? 512 : 128
        let weights = RandomMatrix(type: type, rows: 8, columns: columns, seed: 7)
        let scaleFields = Set(RandomMatrix.f16Fields(type))
        for r in 0..<8 {
            for offset in 0..<(weights.matrix.rowBytes)
            where !scaleFields.contains(offset % type.bytesPerBlock)
                && !scaleFields.contains(offset % type.bytesPerBlock - 1)
            {
                weights.bytes[r * weights.matrix.rowBytes + offset] = r % 2 == 0 ? 0x80 : 0xFF
            }
        }
        for tokens in [1, 4, 8, 16, 19] {
            let x = (0..<(tokens * columns)).map { Float($0 % 3 == 0 ? -1 : 1) }
            let avx2 = try Self.product(weights, x, tokens: tokens, path: .avx2)
            let avx512 = try Self.product(weights, x, tokens: tokens, path: .avx512)
            #expect(avx2.map(\.bitPattern) == avx512.map(\.bitPattern), "\(type) tokens \(tokens)")
        }
    }

    /// The prompt panels (`AVX512Dot+Panels.swift`, `+KPanels`, `+Q6KPanels`) keep the AVX2
    /// path's rounding, whatever the rows' count against the 32-row panels and its split between
    /// threads, and the tokens' against the panels' token groups.
    @Test(
        .enabled(if: hasAVX512, "this CPU has no AVX-512 VNNI"), arguments: [GGMLType.q4_1, .q5_0, .q8_0, .q4_K, .q6_K])
    func panelsEqualAVX2BitForBit(type: GGMLType) throws {
        var failures: [String] = []
        let shapes =
            type.blockSize == 256
            ? [(1, 256), (16, 1536), (21, 256), (33, 1536), (203, 512), (64, 2048)]
            : [(1, 32), (16, 576), (21, 160), (33, 576), (203, 576), (64, 2048)]
        for (rows, columns) in shapes {
            let weights = RandomMatrix(type: type, rows: rows, columns: columns, seed: UInt64(500 + rows))
            for tokens in [8, 9, 17, 30, 45] {
                let x = randomActivations(count: tokens * columns, seed: UInt64(70 + tokens))
                for threads in [1, 2] {
                    let avx2 = try Self.product(weights, x, tokens: tokens, path: .avx2, threads: threads)
                    let avx512 = try Self.product(weights, x, tokens: tokens, path: .avx512, threads: threads)
                    let differing = (0..<avx2.count).count { avx2[$0].bitPattern != avx512[$0].bitPattern }
                    if differing > 0 {
                        failures.append(
                            "rows \(rows) columns \(columns) tokens \(tokens) threads \(threads): \(differing) differ")
                    }
                }
            }
        }
        #expect(failures.isEmpty, "\(type): \(failures.prefix(4))")
    }

    /// Which prompt products the panels take: the types of SmolLM2's Q4_1 and Q4_K_M and of Gemma 3's layers.
    @Test(.enabled(if: hasAVX512, "this CPU has no AVX-512 VNNI"))
    func panelsTakeThePromptTypes() {
        for type in [GGMLType.q4_1, .q5_0, .q8_0, .q4_K, .q6_K] {
            #expect(MatMulPlan.panelProduct(for: type, tokens: 8, rowInvariant: false, path: .avx512) != nil)
            #expect(MatMulPlan.panelProduct(for: type, tokens: 7, rowInvariant: false, path: .avx512) == nil)
            #expect(MatMulPlan.panelProduct(for: type, tokens: 16, rowInvariant: true, path: .avx512) == nil)
            #expect(MatMulPlan.panelProduct(for: type, tokens: 64, rowInvariant: false, path: .avx2) == nil)
        }
    }

    @Test func resolvesTheEnvironmentValue() throws {
        #expect(try KernelPath.resolve(nil) == KernelPath.detected)
        #expect(try KernelPath.resolve("") == KernelPath.detected)
        #expect(try KernelPath.resolve("portable") == .portable)
        #expect(try KernelPath.resolve("AVX2") == (KernelPath.supported.contains(.avx2) ? .avx2 : nil))
        #expect(throws: InferenceError.self) { try KernelPath.resolve("sse2") }
        if !Self.hasAVX512 {
            #expect(throws: InferenceError.self) { try KernelPath.resolve("avx512") }
        }
        #expect(!CPUInfo.current.model.isEmpty)
    }
}
