/// The keys and values of every layer in `capacity` cells; `cells` says which sequence holds
/// which cell at which position (`KVCells`).
///
/// Layout per layer, keys and values alike: `[kvHeads × capacity × headDim]`, head-major, so
/// the attention of one head streams contiguous runs of `span × headDim` elements.
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
    /// Which cells hold which sequence's positions.
    var cells: KVCells
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
        cells = KVCells(capacity: capacity)
        let bytes = layers * kvHeads * headStride * precision.bytesPerElement
        // Not initialized on purpose: only cells in use are ever read.
        keys = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        values = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
    }

    deinit {
        keys.deallocate()
        values.deallocate()
    }

    /// Bytes reserved for keys and values of all layers at full capacity.
    var byteCount: Int { 2 * layers * kvHeads * headStride * precision.bytesPerElement }

    /// Bytes of one cell (keys and values of every layer and head).
    var bytesPerCell: Int { 2 * layers * kvHeads * headDimension * precision.bytesPerElement }

    /// Makes `id` the only sequence, renamed `newID`, its positions moved to cells `0..<length`
    /// (the layout of a single-sequence cache, in which later attention rounds as before); a
    /// sequence already there is not copied.
    func compact(keeping id: Int, as newID: Int) {
        let length = cells.length(of: id)
        guard let spans = cells.sequences[id]?.spans else {
            cells.reset(to: newID, length: 0)
            return
        }
        if !cells.isCompact(id) {
            let rowBytes = headDimension * precision.bytesPerElement
            let gathered = UnsafeMutableRawPointer.allocate(byteCount: max(1, length * rowBytes), alignment: 64)
            defer { gathered.deallocate() }
            for layer in 0..<layers {
                for head in 0..<kvHeads {
                    for wantValues in [false, true] {
                        let run = bytes(layer: layer, head: head, values: wantValues, positions: capacity)
                        var offset = 0
                        for span in spans {
                            let source = UnsafeRawBufferPointer(
                                rebasing: run[(span.lowerBound * rowBytes)..<(span.upperBound * rowBytes)])
                            (gathered + offset).copyMemory(
                                from: source.baseAddress.unsafelyUnwrapped, byteCount: source.count)
                            offset += source.count
                        }
                        run.baseAddress.unsafelyUnwrapped.copyMemory(from: gathered, byteCount: offset)
                    }
                }
            }
        }
        cells.reset(to: newID, length: length)
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
