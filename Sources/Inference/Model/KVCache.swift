/// The keys and values of every layer in `capacity` cells; `cells` says which sequence holds
/// which cell at which position (`KVCells`).
///
/// Layout per layer, keys and values alike: `[kvHeads × capacity × headDim]`, head-major, so
/// the attention of one head streams contiguous runs of `span × headDim` elements.
/// Memory is reserved for the full capacity at creation, but the OS commits pages only as
/// positions are written, so a short conversation in a long context costs little resident
/// memory. Elements are F16 by default (`KVCachePrecision`): at chat lengths the cache is read
/// in full for every generated token, so halving it matters as much as the weights' format
/// (Q8_0 halves it again, nearly). Rows are `rowBytes` apart whatever the precision.
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
    /// Bytes of one cached row of one head (`KVCachePrecision.rowBytes`).
    let rowBytes: Int
    /// Bytes of one (layer, head) run: `capacity` rows.
    private let headStride: Int

    init(config c: ModelConfig, capacity: Int, precision: KVCachePrecision) {
        precondition(capacity > 0)
        layers = c.layerCount
        self.capacity = capacity
        kvHeads = c.kvHeadCount
        headDimension = c.headDimension
        self.precision = precision
        precondition(precision != .q8_0 || c.headDimension % 32 == 0, "a Q8_0 cache needs whole blocks")
        rowBytes = precision.rowBytes(headDimension: c.headDimension)
        headStride = capacity * rowBytes
        cells = KVCells(capacity: capacity)
        let bytes = layers * kvHeads * headStride
        // Not initialized on purpose: only cells in use are ever read.
        keys = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        values = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
    }

    deinit {
        keys.deallocate()
        values.deallocate()
    }

    /// Bytes reserved for keys and values of all layers at full capacity.
    var byteCount: Int { 2 * layers * kvHeads * headStride }

    /// Bytes of one cell (keys and values of every layer and head).
    var bytesPerCell: Int { 2 * layers * kvHeads * rowBytes }

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
        let base = (wantValues ? values : keys) + (layer * kvHeads + head) * headStride
        return UnsafeMutableRawBufferPointer(start: base, count: positions * rowBytes)
    }

    /// The keys of head `head` in `layer` for positions `0..<capacity`, `[capacity × headDim]`.
    /// `T` must match `precision` (`KVHalf` or `Float`).
    @inline(__always)
    func keys<T: KVStorageElement>(layer: Int, head: Int, as _: T.Type) -> UnsafeMutablePointer<T> {
        keyRows(layer: layer, head: head).assumingMemoryBound(to: T.self)
    }

    /// The values of head `head` in `layer`, laid out as `keys(layer:head:as:)`.
    @inline(__always)
    func values<T: KVStorageElement>(layer: Int, head: Int, as _: T.Type) -> UnsafeMutablePointer<T> {
        valueRows(layer: layer, head: head).assumingMemoryBound(to: T.self)
    }

    /// The keys of head `head` in `layer` as raw rows `rowBytes` apart (any precision; Q8_0
    /// rows are blocks, not elements).
    @inline(__always)
    func keyRows(layer: Int, head: Int) -> UnsafeMutableRawPointer {
        keys + (layer * kvHeads + head) * headStride
    }

    /// The values of head `head` in `layer`, laid out as `keyRows(layer:head:)`.
    @inline(__always)
    func valueRows(layer: Int, head: Int) -> UnsafeMutableRawPointer {
        values + (layer * kvHeads + head) * headStride
    }
}
