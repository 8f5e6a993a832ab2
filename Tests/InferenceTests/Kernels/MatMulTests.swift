import GGUF
import Testing

@testable import Inference

/// Every matmul path against `MatMulReference` on seeded random data.
///
/// Tolerance: |fast − ref| ≤ 2e-5 · Σ|w·x| + 1e-5. Both see the same quantized activations,
/// so the only differences are F32 accumulation order and the F32 rounding of block scales.
@Suite struct MatMulTests {
    static let types: [GGMLType] = [
        .q4_1, .q8_0, .q5_0, .q4_K, .q6_K, .f32, .q4_0, .q5_1, .f16, .bf16, .q2_K, .q3_K, .q5_K
    ]

    @Test(arguments: types)
    func matchesReference(type: GGMLType) throws {
        let columns = type.blockSize == 256 ? 512 : 96
        let pools = [try WorkerPool(threads: 1), try WorkerPool(threads: 2), try WorkerPool(threads: 3)]
        var failures: [String] = []
        for (shapeIndex, rows) in [1, 5, 13, 67].enumerated() {
            let weights = RandomMatrix(type: type, rows: rows, columns: columns, seed: UInt64(100 + shapeIndex))
            for tokens in [1, 3, 7, 32] where rows * tokens <= 67 * 32 {
                let x = randomActivations(count: tokens * columns, seed: UInt64(7 * tokens + shapeIndex))
                let expected = x.withUnsafeBufferPointer {
                    MatMulReference.matmul(weights.matrix, $0.baseAddress!, tokens: tokens)
                }
                let magnitude = x.withUnsafeBufferPointer {
                    MatMulReference.magnitudes(weights.matrix, $0.baseAddress!, tokens: tokens)
                }
                for pool in pools {
                    var scratch = MatMulScratch(maxColumns: columns, maxTokens: 32, workers: pool.threadCount)
                    var out = [Float](repeating: .nan, count: tokens * rows)
                    x.withUnsafeBufferPointer { xs in
                        out.withUnsafeMutableBufferPointer { o in
                            matmul(
                                weights.matrix, xs.baseAddress!, tokens: tokens, o.baseAddress!, pool: pool,
                                scratch: &scratch)
                        }
                    }
                    let bad = (0..<out.count).filter { !(abs(out[$0] - expected[$0]) <= 2e-5 * magnitude[$0] + 1e-5) }
                    if let first = bad.first {
                        failures.append(
                            "rows \(rows) tokens \(tokens) threads \(pool.threadCount): \(bad.count) bad, e.g. \(out[first]) vs \(expected[first])"
                        )
                    }
                }
            }
        }
        #expect(failures.isEmpty, "\(type): \(failures.prefix(4))")
    }

    /// The quantized-activation path must stay within the rounding bound of the exact F32
    /// product (this catches quantizer bugs the reference would share): each activation moves
    /// by at most half a quantization step, plus the F16 rounding of the Q8_0 scale (127 codes
    /// × 2^-11 relative < 0.07 steps), so |out − exact| ≤ Σ_c |w_c| · 0.57 · step_c.
    @Test(arguments: [GGMLType.q4_1, .q8_0, .q5_0, .q4_K, .q6_K])
    func withinRoundingBoundOfUnquantizedProduct(type: GGMLType) throws {
        let columns = 512
        let rows = 16
        let format = ActivationFormat.for(type)
        let weights = RandomMatrix(type: type, rows: rows, columns: columns, seed: 9)
        let x = randomActivations(count: columns, seed: 3)
        let quantized = x.withUnsafeBufferPointer {
            MatMulReference.effectiveActivations($0.baseAddress!, columns: columns, tokens: 1, format: format)
        }
        var step = [Float](repeating: 0, count: columns)
        for start in stride(from: 0, to: columns, by: format.blockSize) {
            let amax = x[start..<(start + format.blockSize)].map(abs).max() ?? 0
            for c in start..<(start + format.blockSize) { step[c] = amax / 127 }
        }
        for c in 0..<columns {
            #expect(abs(quantized[c] - x[c]) <= 0.57 * step[c], "activation \(c): \(quantized[c]) vs \(x[c])")
        }
        var scratch = MatMulScratch(maxColumns: columns)
        var out = [Float](repeating: 0, count: rows)
        let pool = try WorkerPool(threads: 1)
        x.withUnsafeBufferPointer { xs in
            out.withUnsafeMutableBufferPointer {
                matmul(weights.matrix, xs.baseAddress!, tokens: 1, $0.baseAddress!, pool: pool, scratch: &scratch)
            }
        }
        var row = [Float](repeating: 0, count: columns)
        for r in 0..<rows {
            row.withUnsafeMutableBufferPointer { weights.matrix.dequantizeRow(r, into: $0.baseAddress!) }
            let truth = zip(row, x).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            let bound = zip(row, step).reduce(0.0) { $0 + Double(abs($1.0) * 0.57 * $1.1) } + 1e-4
            #expect(abs(Double(out[r]) - truth) <= bound, "row \(r): \(out[r]) vs \(truth)")
        }
    }

    /// The plain-Swift integer kernels (the non-x86 path) against the reference, on x86 too.
    @Test(arguments: [GGMLType.q4_0, .q4_1, .q5_0, .q5_1, .q8_0, .q4_K, .q6_K])
    func portableKernelsMatchReference(type: GGMLType) throws {
        let kernel = try #require(MatMulPlan.portableRowDot(for: type))
        let columns = 512
        let rows = 9
        let weights = RandomMatrix(type: type, rows: rows, columns: columns, seed: 77)
        let x = randomActivations(count: columns, seed: 78)
        let expected = x.withUnsafeBufferPointer { MatMulReference.matmul(weights.matrix, $0.baseAddress!, tokens: 1) }
        let magnitude = x.withUnsafeBufferPointer {
            MatMulReference.magnitudes(weights.matrix, $0.baseAddress!, tokens: 1)
        }
        let scratch = MatMulScratch(maxColumns: columns)
        let activations = x.withUnsafeBufferPointer {
            QuantizedActivations.quantize(
                $0.baseAddress!, columns: columns, tokens: 1, format: ActivationFormat.for(type),
                storage: scratch.storage)
        }
        for r in 0..<rows {
            let value = kernel(weights.matrix.row(r), activations.row(0), columns / type.blockSize)
            #expect(abs(value - expected[r]) <= 2e-5 * magnitude[r] + 1e-5, "row \(r): \(value) vs \(expected[r])")
        }
    }

    /// The grouped entry point must give exactly the per-matrix results (same kernels).
    @Test(arguments: [GGMLType.q4_1, .q5_0, .q4_K, .f32])
    func groupedProductsEqualSeparateOnes(type: GGMLType) throws {
        let columns = type.blockSize == 256 ? 256 : 64
        let shapes = [12, 5, 5]
        let matrices = shapes.enumerated().map {
            RandomMatrix(type: type, rows: $0.element, columns: columns, seed: UInt64(50 + $0.offset))
        }
        let pool = try WorkerPool(threads: 3)
        var scratch = MatMulScratch(maxColumns: columns, maxTokens: 9, workers: 3)
        for tokens in [1, 9] {
            let x = randomActivations(count: tokens * columns, seed: 5)
            let outs = shapes.map { UnsafeMutablePointer<Float>.allocate(capacity: $0 * tokens) }
            defer { for out in outs { out.deallocate() } }
            matmul(matrices.map(\.matrix), x, tokens: tokens, outs, pool: pool, scratch: &scratch)
            for (i, m) in matrices.enumerated() {
                var single = [Float](repeating: 0, count: shapes[i] * tokens)
                matmul(m.matrix, x, tokens: tokens, &single, pool: pool, scratch: &scratch)
                #expect((0..<single.count).allSatisfy { outs[i][$0] == single[$0] }, "matrix \(i) tokens \(tokens)")
            }
        }
    }

    /// F32 matrices need not have whole 32-blocks (stories260K's FFN is 172 wide).
    @Test func f32WithRaggedColumns() throws {
        let weights = RandomMatrix(type: .f32, rows: 7, columns: 172, seed: 1)
        let x = randomActivations(count: 3 * 172, seed: 2)
        let expected = MatMulReference.matmul(weights.matrix, x, tokens: 3)
        var scratch = MatMulScratch(maxColumns: 172, maxTokens: 3, workers: 2)
        var out = [Float](repeating: 0, count: 21)
        matmul(weights.matrix, x, tokens: 3, &out, pool: try WorkerPool(threads: 2), scratch: &scratch)
        #expect(zip(out, expected).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($1)) })
    }

    @Test func rowSplitCoversEveryRowOnce() {
        for rows in [1, 3, 4, 5, 17, 192, 576, 1001] {
            for workers in 1...4 {
                var covered = [Int](repeating: 0, count: rows)
                for w in 0..<workers {
                    for r in MatMulPlan.rows(of: rows, worker: w, workers: workers) { covered[r] += 1 }
                }
                #expect(covered.allSatisfy { $0 == 1 }, "rows \(rows) workers \(workers)")
            }
        }
    }
}
