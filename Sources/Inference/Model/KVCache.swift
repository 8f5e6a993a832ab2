/// The keys and values of every layer for positions `0..<count`, room for `capacity` positions.
///
/// Layout per layer, keys and values alike: `[kvHeads × capacity × headDim]`, head-major, so
/// the attention of one head streams one contiguous run of `count × headDim` elements.
/// Memory is reserved for the full capacity at creation, but the OS commits pages only as
/// positions are written, so a short conversation in a long context costs little resident
/// memory. Elements are F16 by default (`KVCachePrecision`): at chat lengths the cache is read
/// in full for every generated token, so halving it matters as much as the weights' format.
final class KVCache {
    let layers: Int
    let capacity: Int
    let kvHeads: Int
    let headDimension: Int
    let precision: KVCachePrecision
    /// Positions holding valid keys and values.
    private(set) var count = 0
    private let keys: UnsafeMutableRawPointer
    private let values: UnsafeMutableRawPointer
    /// Elements of one (layer, head) run: `capacity × headDim`.
    private let headStride: Int

    init(config c: ModelConfig, capacity: Int, precision: KVCachePrecision) {
        precondition(capacity > 0)
        layers = c.layerCount
        self.capacity = capacity
        kvHeads = c.kvHeadCount
        headDimension = c.headDimension
        self.precision = precision
        headStride = capacity * headDimension
        let bytes = layers * kvHeads * headStride * precision.bytesPerElement
        // Not initialized on purpose: only positions < count are ever read.
        keys = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        values = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
    }

    deinit {
        keys.deallocate()
        values.deallocate()
    }

    /// Bytes reserved for keys and values of all layers at full capacity.
    var byteCount: Int { 2 * layers * kvHeads * headStride * precision.bytesPerElement }

    /// Forgets positions `position...` (keeps the first `position`).
    func truncate(to position: Int) {
        precondition(position >= 0 && position <= count, "cannot truncate to \(position) of \(count)")
        count = position
    }

    /// Marks `n` more positions as valid, after every layer has stored them.
    func advance(by n: Int) {
        precondition(count + n <= capacity)
        count += n
    }

    /// The raw bytes of the keys (`values: false`) or values of head `head` in `layer` for
    /// positions `0..<positions` (for snapshots; the layout is the cache's own).
    func bytes(layer: Int, head: Int, values wantValues: Bool, positions: Int) -> UnsafeMutableRawBufferPointer {
        precondition(positions >= 0 && positions <= capacity)
        let size = precision.bytesPerElement
        let base = (wantValues ? values : keys) + (layer * kvHeads + head) * headStride * size
        return UnsafeMutableRawBufferPointer(start: base, count: positions * headDimension * size)
    }

    /// The keys of head `head` in `layer` for positions `0..<capacity`, `[capacity × headDim]`.
    /// `T` must match `precision` (`KVHalf` or `Float`).
    @inline(__always)
    func keys<T: KVStorageElement>(layer: Int, head: Int, as _: T.Type) -> UnsafeMutablePointer<T> {
        keys.assumingMemoryBound(to: T.self) + (layer * kvHeads + head) * headStride
    }

    /// The values of head `head` in `layer`, laid out as `keys(layer:head:as:)`.
    @inline(__always)
    func values<T: KVStorageElement>(layer: Int, head: Int, as _: T.Type) -> UnsafeMutablePointer<T> {
        values.assumingMemoryBound(to: T.self) + (layer * kvHeads + head) * headStride
    }
}
