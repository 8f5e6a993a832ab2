import Testing

@testable import Inference

/// Attention over a Q8_0 cache (`Q8AttentionKernels`): every kernel path this CPU supports
/// against the scalar reference (`Q8AttentionReference`), AVX-512 against AVX2 bit for bit, and
/// the stored rows against the values they quantize.
@Suite struct Q8AttentionTests {
    /// Rows of `count` random values quantized into a Q8_0 cache of `cells` rows.
    static func cache(cells: Int, count: Int, seed: UInt64) -> [UInt8] {
        let rowBytes = count / 32 * BlockQ8_0.bytes
        let values = randomActivations(count: cells * count, seed: seed)
        var bytes = [UInt8](repeating: 0, count: cells * rowBytes)
        values.withUnsafeBufferPointer { v in
            bytes.withUnsafeMutableBytes { b in
                for cell in 0..<cells {
                    Q8AttentionKernels.store(
                        v.baseAddress! + cell * count, into: b.baseAddress! + cell * rowBytes, count: count)
                }
            }
        }
        return bytes
    }

    /// The kernel of `path` on one query over `spans`.
    static func attend(
        _ q: [Float], keys: [UInt8], values: [UInt8], spans: [Range<Int>], rows: Int, count: Int,
        softcap: Float?, path: KernelPath
    ) -> [Float] {
        var out = [Float](repeating: .nan, count: count)
        var scores = [Float](repeating: .nan, count: rows)
        let scratch = UnsafeMutableRawPointer.allocate(
            byteCount: Q8AttentionKernels.scratchBytes(count: count), alignment: 64)
        defer { scratch.deallocate() }
        keys.withUnsafeBytes { k in
            values.withUnsafeBytes { v in
                spans.withUnsafeBufferPointer { s in
                    Q8AttentionKernels.attend(
                        q, keys: k.baseAddress!, values: v.baseAddress!, spans: s, rows: rows, count: count,
                        scale: 1 / Float(count).squareRoot(), softcap: softcap, path: path,
                        scores: &scores, scratch: scratch, into: &out)
                }
            }
        }
        return out
    }

    static let cases: [(count: Int, spans: [Range<Int>], rows: Int, softcap: Float?)] = [
        (64, [0..<1], 1, nil),
        (64, [0..<70], 70, nil),
        (64, [0..<5, 40..<57, 10..<30], 39, nil), // three spans, the last cut short
        (256, [3..<50, 60..<100], 80, nil), // Gemma 3's head size
        (128, [0..<90], 90, 30) // Gemma 2's soft-cap
    ]

    @Test(arguments: 0..<cases.count)
    func everySupportedPathMatchesReference(index: Int) {
        let c = Self.cases[index]
        let keys = Self.cache(cells: 100, count: c.count, seed: 40 + UInt64(index))
        let values = Self.cache(cells: 100, count: c.count, seed: 60 + UInt64(index))
        // Queries with a large spread, so the softmax is peaked and rescales often.
        let q = randomActivations(count: c.count, seed: 80 + UInt64(index)).map { $0 * 3 }
        let expected = q.withUnsafeBufferPointer { qp in
            keys.withUnsafeBytes { k in
                values.withUnsafeBytes { v in
                    Q8AttentionReference.attend(
                        qp.baseAddress!, keys: k.baseAddress!, values: v.baseAddress!, spans: c.spans,
                        rows: c.rows, count: c.count, scale: 1 / Float(c.count).squareRoot(), softcap: c.softcap)
                }
            }
        }
        let magnitude = expected.map(abs).max() ?? 0
        #expect(magnitude > 0.01)
        for path in KernelPath.supported {
            let out = Self.attend(
                q, keys: keys, values: values, spans: c.spans, rows: c.rows, count: c.count, softcap: c.softcap,
                path: path)
            let worst = zip(out, expected).map { abs($0 - $1) }.max() ?? .nan
            #expect(worst <= 1e-5 * max(1, magnitude), "\(path) case \(index): off by \(worst)")
        }
    }

    @Test(.enabled(if: KernelPath.supported.contains(.avx512), "this CPU has no AVX-512 VNNI"))
    func avx512EqualsAVX2BitForBit() {
        for (index, c) in Self.cases.enumerated() {
            let keys = Self.cache(cells: 100, count: c.count, seed: 140 + UInt64(index))
            let values = Self.cache(cells: 100, count: c.count, seed: 160 + UInt64(index))
            let q = randomActivations(count: c.count, seed: 180 + UInt64(index))
            let results = [KernelPath.avx2, .avx512].map { path in
                Self.attend(
                    q, keys: keys, values: values, spans: c.spans, rows: c.rows, count: c.count,
                    softcap: c.softcap, path: path
                ).map(\.bitPattern)
            }
            #expect(results[0] == results[1], "case \(index)")
        }
    }

    /// A stored row reads back within half a quantization step of each value (d = max|x|/127).
    @Test func storedRowsDequantizeWithinHalfAStep() {
        let count = 256
        let x = randomActivations(count: count, seed: 7)
        var row = [UInt8](repeating: 0, count: count / 32 * BlockQ8_0.bytes)
        x.withUnsafeBufferPointer { xs in
            row.withUnsafeMutableBytes {
                Q8AttentionKernels.store(xs.baseAddress!, into: $0.baseAddress!, count: count)
            }
        }
        row.withUnsafeBytes { r in
            for b in 0..<(count / 32) {
                let block = x[(32 * b)..<(32 * b + 32)]
                let step = Double(block.map(abs).max() ?? 0) / 127
                for i in (32 * b)..<(32 * b + 32) {
                    let back = Q8AttentionReference.element(r.baseAddress!, i)
                    // F16 rounding of d adds at most 2^-11 relative on top of the half step.
                    #expect(abs(back - Double(x[i])) <= step * (0.5 + 127 * 0x1p-11) + 1e-7, "element \(i)")
                }
            }
        }
    }
}
