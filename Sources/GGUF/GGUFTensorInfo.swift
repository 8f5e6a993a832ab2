/// Where one tensor's data lies and what shape and type it has.
///
/// Built only by the parser, after checking that the shape is 1 to 4 positive dimensions whose
/// product and byte size fit an `Int`, that the row is a whole number of blocks, and that the data
/// lies inside the file at an aligned offset.
public struct GGUFTensorInfo: Sendable, Equatable {
    /// The tensor's name, unique in its file (e.g. `blk.0.attn_q.weight`).
    public let name: String
    /// ggml order: `dimensions[0]` is the row length (the fastest-varying index).
    public let dimensions: [Int]
    /// The element type, which fixes the block geometry.
    public let type: GGMLType
    /// Offset of the data from the start of the data section, as stored in the file.
    public let rawOffset: UInt64
    /// Size of the data in bytes: whole blocks of `type`.
    public let byteCount: Int
    /// The product of the dimensions.
    public let elementCount: Int

    /// Elements in one row (`dimensions[0]`).
    public var rowLength: Int { dimensions[0] }
    /// Number of rows: the product of every dimension but the first.
    public var rowCount: Int { elementCount / dimensions[0] }
}
