import GGUF

/// A 2-D weight tensor viewed in place in the mapped model file: `rows` rows of `columns`
/// elements, each row `rowBytes` bytes of `type` blocks.
///
/// `matmul` computes with it directly, nothing converted, except that on the AVX-512 path the
/// loader gives the Q8_0, Q5_0 and Q4_1 matrices an interleaved copy for its runs and panels
/// (`interleavedRows`; copying SmolLM2's adds about 50 ms to start-up). The matrix keeps the file's
/// mapping alive (`GGUFFile.bytesOwner`), so `base` stays valid for the matrix's lifetime.
public struct WeightMatrix: @unchecked Sendable {
    // @unchecked: `base` points into read-only memory that `owner` keeps alive.
    public let type: GGMLType
    public let rows: Int
    public let columns: Int
    /// The first byte of row 0.
    package let base: UnsafeRawPointer
    public let rowBytes: Int
    /// Keeps the mapping (or other storage) alive; never read.
    private let owner: AnyObject?
    /// The rows with four rows' blocks side by side, for the AVX-512 row runs and prompt
    /// panels, when the loader made them (`interleaved()`).
    package private(set) var interleavedRows: InterleavedRows?

    /// Types `matmul` and `dequantizeRow` accept.
    public static let supportedTypes: Set<GGMLType> = Dequantize.supportedTypes.subtracting([.q8_K])

    /// Views `tensor` of `file` as a matrix: `columns = dimensions[0]`, `rows = dimensions[1]`
    /// (a 1-D tensor is one row). Throws for unsupported types and for 3-D or larger tensors.
    public init(tensor: GGUFTensorInfo, file: GGUFFile) throws(InferenceError) {
        guard Self.supportedTypes.contains(tensor.type) else {
            throw .unsupportedTensorType(tensor: tensor.name, type: tensor.type.description)
        }
        let dims = tensor.dimensions
        guard (1...2).contains(dims.count) || (dims.count > 2 && dims[2...].allSatisfy { $0 == 1 }),
            let first = dims.first, first > 0, first % tensor.type.blockSize == 0,
            let rowBytes = tensor.type.byteCount(elements: first)
        else {
            throw .badTensorShape(tensor: tensor.name, dimensions: dims, expected: "a 2-D matrix of whole blocks")
        }
        let rows = dims.count > 1 ? dims[1] : 1
        let data = file.data(for: tensor)
        guard let base = data.baseAddress, data.count >= rows * rowBytes else {
            throw .truncatedData(type: tensor.type.description, expectedBytes: rows * rowBytes, actualBytes: data.count)
        }
        self.init(type: tensor.type, rows: rows, columns: first, base: base, owner: file.bytesOwner)
    }

    /// Views `rows × columns` elements of `type` at `base`. The caller keeps the memory alive
    /// (pass it as `owner` to let the matrix do it). For tests, tools and converted weights.
    package init(type: GGMLType, rows: Int, columns: Int, base: UnsafeRawPointer, owner: AnyObject? = nil) {
        precondition(Self.supportedTypes.contains(type), "unsupported matrix type \(type)")
        precondition(rows > 0 && columns > 0 && columns % type.blockSize == 0, "bad matrix shape")
        self.type = type
        self.rows = rows
        self.columns = columns
        self.base = base
        self.rowBytes = columns / type.blockSize * type.bytesPerBlock
        self.owner = owner
    }

    /// Rows `range` of this matrix as a matrix of their own, viewing the same bytes: quantized
    /// rows are independent (each row is whole blocks), so a row range of a fused tensor (Phi-3's
    /// `attn_qkv`, `ffn_up`) is a base pointer and a row count, and products with it round
    /// exactly as the fused product's rows do.
    package func rows(_ range: Range<Int>) -> WeightMatrix {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows && !range.isEmpty, "rows \(range) of \(rows)")
        var part = WeightMatrix(
            type: type, rows: range.count, columns: columns, base: row(range.lowerBound), owner: owner)
        part.interleavedRows = interleavedRows?.rows(range)
        return part
    }

    /// This matrix with an interleaved copy of its rows (`InterleavedRows`) for the AVX-512
    /// runs, when its type and row count have that layout; itself otherwise. `releasing` gets
    /// the rows' bytes a part at a time, once they are copied.
    package func interleaved(releasing: (UnsafeRawBufferPointer) -> Void = { _ in }) -> WeightMatrix {
        var copy = self
        copy.interleavedRows = InterleavedRows(self, releasing: releasing)
        return copy
    }

    /// The first byte of row `r`.
    @inline(__always)
    package func row(_ r: Int) -> UnsafeRawPointer {
        base + r * rowBytes
    }

    /// Writes row `r` as `columns` F32 values (exact, as `Dequantize`); used for embeddings.
    package func dequantizeRow(_ r: Int, into destination: UnsafeMutablePointer<Float>) {
        precondition(r >= 0 && r < rows, "row \(r) out of range 0..<\(rows)")
        Dequantize.row(type: type, row(r), count: columns, into: destination)
    }
}
