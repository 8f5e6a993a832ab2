/// A `rows × columns` F32 matrix of activations, allocated once and reused for every batch.
///
/// Row `t` holds the vector of the batch's `t`-th token. The forward pass only names rows and
/// whole matrices; the element loops that index them live in the kernels.
final class StateMatrix {
    let rows: Int
    let columns: Int
    /// `rows × columns` floats, row-major, 64-byte aligned.
    let base: UnsafeMutablePointer<Float>

    init(rows: Int, columns: Int) {
        precondition(rows > 0 && columns > 0)
        self.rows = rows
        self.columns = columns
        let raw = UnsafeMutableRawPointer.allocate(byteCount: rows * columns * 4, alignment: 64)
        base = raw.initializeMemory(as: Float.self, repeating: 0, count: rows * columns)
    }

    deinit { base.deallocate() }

    /// Row `t` (the `t`-th token of the batch).
    @inline(__always)
    func row(_ t: Int) -> UnsafeMutableBufferPointer<Float> {
        precondition(t >= 0 && t < rows)
        return UnsafeMutableBufferPointer(start: base + t * columns, count: columns)
    }

    /// The first element of row `t`.
    @inline(__always)
    func pointer(_ t: Int) -> UnsafeMutablePointer<Float> {
        precondition(t >= 0 && t < rows)
        return base + t * columns
    }

    /// The first `count` rows as one contiguous buffer.
    func rows(_ count: Int) -> UnsafeMutableBufferPointer<Float> {
        precondition(count >= 0 && count <= rows)
        return UnsafeMutableBufferPointer(start: base, count: count * columns)
    }

    var byteCount: Int { rows * columns * 4 }
}
