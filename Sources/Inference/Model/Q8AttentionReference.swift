import Foundation

/// The scalar reference for attention over a Q8_0 cache (`Q8AttentionKernels`), the oracle its
/// tests compare every kernel path with.
///
/// Written for clarity, not speed: the query is quantized with the scalar quantizer, every block
/// dot product is an integer sum scaled in double, and the softmax is the textbook two-pass one
/// in double over all rows. It shares no loop with the kernels, so a wrong block offset, span
/// walk or rescale there shows up as a difference here.
enum Q8AttentionReference {
    /// The value of element `i` of a Q8_0 row: `d · q[i]`.
    static func element(_ row: UnsafeRawPointer, _ i: Int) -> Double {
        let block = row + (i / 32) * BlockQ8_0.bytes
        let code = block.load(fromByteOffset: BlockQ8_0.qs + i % 32, as: Int8.self)
        return Double(block.f16(at: BlockQ8_0.d)) * Double(code)
    }

    /// `Σ_j softmax_j(score_j) · V[j]` over the cells of `spans` (in order, `rows` of them), as
    /// `Q8AttentionKernels.attend` defines it.
    static func attend(
        _ q: UnsafePointer<Float>, keys: UnsafeRawPointer, values: UnsafeRawPointer,
        spans: [Range<Int>], rows: Int, count: Int, scale: Float, softcap: Float?
    ) -> [Float] {
        let blocks = count / 32
        let rowBytes = blocks * BlockQ8_0.bytes
        var codes = [Int8](repeating: 0, count: count)
        var scales = [Float](repeating: 0, count: blocks)
        codes.withUnsafeMutableBufferPointer { c in
            scales.withUnsafeMutableBufferPointer { s in
                guard let cb = c.baseAddress, let sb = s.baseAddress else { return }
                ActivationQuantizer.scalarQ8_0(q, columns: count, codes: cb, scales: sb, sums: nil)
            }
        }
        let cells = Array(spans.flatMap { Array($0) }.prefix(rows))
        let dots: [Double] = cells.map { cell in
            let key = keys + cell * rowBytes
            var dot = 0.0
            for b in 0..<blocks {
                let block = key + b * BlockQ8_0.bytes
                var integer = 0
                for i in 0..<32 {
                    integer += Int(block.load(fromByteOffset: BlockQ8_0.qs + i, as: Int8.self)) * Int(codes[32 * b + i])
                }
                dot += Double(block.f16(at: BlockQ8_0.d)) * Double(scales[b]) * Double(integer)
            }
            return dot
        }
        return AttentionReference.softmaxWeightedSum(
            dots: dots, cells: cells, count: count, scale: scale, softcap: softcap
        ) { cell, i in element(values + cell * rowBytes, i) }
    }
}
