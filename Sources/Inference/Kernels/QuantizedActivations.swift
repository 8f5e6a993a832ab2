/// A batch of activation rows as the matmul kernels read them: the original F32 rows and, for
/// the integer kernels, their 8-bit encoding in scratch memory (see `ActivationQuantizer`).
struct QuantizedActivations: @unchecked Sendable {
    // @unchecked: pointers into one product's scratch; its workers write disjoint rows.
    let format: ActivationFormat
    let columns: Int
    /// The caller's F32 rows (tokens × columns).
    let floats: UnsafePointer<Float>
    let codes: UnsafeMutablePointer<Int8>
    let scales: UnsafeMutablePointer<Float>
    let sums: UnsafeMutablePointer<Float>
    let pairs: UnsafeMutablePointer<Float>
    let blockSums: UnsafeMutablePointer<Int16>

    /// Scales (and Q8_1 sums) per token: one per 32 columns.
    var scaleStride: Int { columns / 32 }
    /// Q8_K 16-element sums per token.
    var blockSumStride: Int { columns / 16 }

    /// A view of `storage` as the encoding of rows of `x` (nothing is encoded yet).
    init(_ x: UnsafePointer<Float>, columns: Int, format: ActivationFormat, storage: ScratchStorage) {
        self.format = format
        self.columns = columns
        floats = x
        codes = storage.codes
        scales = storage.scales
        sums = storage.sums
        pairs = storage.pairs
        blockSums = storage.blockSums
    }

    /// Encodes `tokens` rows of `x` in `format` into `storage`.
    static func quantize(
        _ x: UnsafePointer<Float>, columns: Int, tokens: Int, format: ActivationFormat, storage: ScratchStorage
    ) -> QuantizedActivations {
        let result = QuantizedActivations(x, columns: columns, format: format, storage: storage)
        for t in 0..<tokens { result.quantizeToken(t) }
        return result
    }

    /// Encodes token `t`'s row (tokens touch disjoint memory, so threads may share the work).
    func quantizeToken(_ t: Int) {
        let row = floats + t * columns
        switch format {
        case .float:
            break
        case .q8_0:
            ActivationQuantizer.quantizeQ8_0(row, columns: columns, codes: codes(t), scales: scales(t), sums: nil)
        case .q8_1:
            ActivationQuantizer.quantizeQ8_0(row, columns: columns, codes: codes(t), scales: scales(t), sums: sums(t))
            let scales = scales(t)
            let sums = sums(t)
            let pairs = pairs(t)
            // llama.cpp stores a Q8_1 block's sum as F16; Q4_1/Q5_1's minimum term (m · s) uses
            // that rounded value, so it does here too, to land on llama.cpp's logits.
            for b in 0..<scaleStride {
                pairs[2 * b] = scales[b]
                pairs[2 * b + 1] = HalfPrecision.roundedToF16(sums[b])
            }
        case .q8_K:
            ActivationQuantizer.quantizeQ8_K(
                row, columns: columns, codes: codes(t), scales: scales(t), blockSums: blockSums(t))
        }
    }

    @inline(__always) func codes(_ t: Int) -> UnsafeMutablePointer<Int8> { codes + t * columns }
    @inline(__always) func scales(_ t: Int) -> UnsafeMutablePointer<Float> { scales + t * scaleStride }
    @inline(__always) func sums(_ t: Int) -> UnsafeMutablePointer<Float> { sums + t * scaleStride }
    @inline(__always) func pairs(_ t: Int) -> UnsafeMutablePointer<Float> { pairs + 2 * t * scaleStride }
    @inline(__always) func blockSums(_ t: Int) -> UnsafeMutablePointer<Int16> { blockSums + t * blockSumStride }
}
