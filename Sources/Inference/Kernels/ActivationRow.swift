/// One token's quantized activations, as a dot-product kernel reads them (layout in
/// `ActivationQuantizer`): codes, one F32 scale per block, Q8_1 block sums (also interleaved
/// with the scales as `pairs`), Q8_K 16-sums.
struct ActivationRow {
    let codes: UnsafePointer<Int8>
    let scales: UnsafePointer<Float>
    let sums: UnsafePointer<Float>
    /// Q8_1 only: scale and sum of block b at 2b and 2b + 1.
    let pairs: UnsafePointer<Float>
    let blockSums: UnsafePointer<Int16>
}

extension QuantizedActivations {
    /// The activations of token `t`.
    @inline(__always)
    func row(_ t: Int) -> ActivationRow {
        ActivationRow(codes: codes(t), scales: scales(t), sums: sums(t), pairs: pairs(t), blockSums: blockSums(t))
    }
}

/// A dot product of one weight row (`blocks` blocks) with one token's quantized activations.
typealias RowDot = (_ weights: UnsafeRawPointer, _ activations: ActivationRow, _ blocks: Int) -> Float

/// A dot product of one weight row with four tokens' activations (batched prefill).
typealias RowDot4 = (
    _ weights: UnsafeRawPointer, _ activations: (ActivationRow, ActivationRow, ActivationRow, ActivationRow),
    _ blocks: Int
) -> SIMD4<Float>

/// Dot products of four consecutive weight rows (`rowBytes` apart) with four tokens'
/// activations: row i's sum for token t goes to `out[t * outStride + i]`. Bit-identical to the
/// four-token kernel called on each row, and cheaper: activations are loaded once per four rows.
typealias RowTile = (
    _ weights: UnsafeRawPointer, _ rowBytes: Int,
    _ activations: (ActivationRow, ActivationRow, ActivationRow, ActivationRow),
    _ blocks: Int, _ out: UnsafeMutablePointer<Float>, _ outStride: Int
) -> Void

/// Dot products of `rows` consecutive weight rows (`rowBytes` apart) with the first `tokens`
/// (1...4) of four tokens' activations: row i's sum for token t goes to `out[t * outStride + i]`.
/// Bit-identical to the one-token kernel on each (row, token) (decode and speculative passes:
/// one call per thread's share of a matrix instead of one per row and token).
typealias RowRun = (
    _ weights: UnsafeRawPointer, _ rowBytes: Int, _ rows: Int,
    _ activations: (ActivationRow, ActivationRow, ActivationRow, ActivationRow), _ tokens: Int, _ blocks: Int,
    _ out: UnsafeMutablePointer<Float>, _ outStride: Int
) -> Void

/// A prompt batch's product over `rows` consecutive weight rows (`rowBytes` apart): the
/// activations of token t at `codes + t * columns`, `scales + t * columns / 32` and
/// `blockSums + t * columns / 16` (the first token's `ActivationRow`, whose rows follow at those
/// strides), row i's sum for token t to `out[t * outStride + i]` (`MatMulPlan.panelProduct`).
typealias PanelProduct = (
    _ weights: UnsafeRawPointer, _ rowBytes: Int, _ rows: Int, _ activations: ActivationRow, _ tokens: Int,
    _ columns: Int, _ out: UnsafeMutablePointer<Float>, _ outStride: Int
) -> Void
