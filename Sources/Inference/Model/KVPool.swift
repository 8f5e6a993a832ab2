/// One cell store of the KV cache: the keys and values of some of the model's layers in
/// `capacity` cells, with its own bookkeeping (`KVCells`) of which sequence holds which cell.
///
/// Layers that attend over the whole context share the main pool, `capacity` = the cache's
/// cells. Sliding-window layers whose window is much shorter than that get a ring: a pool that
/// keeps only the last `keep` positions of each sequence (released after every micro-batch) and
/// is sized for `sequences` live sequences:
///
///     capacity = min(cells, sequences × (window − 1 + rollback + batch + chunk))
///
/// per sequence the window a query sees, the speculation rollback it must survive, the rows of
/// one micro-batch added before the release, and one partly used run of `chunk` cells. So its
/// memory is bounded by the window (times the live sequences), never by the context length.
///
/// Layout per layer, keys and values alike: `[kvHeads × capacity × rowBytes]`, head-major, so
/// the attention of one head streams contiguous runs of `span × headDim` elements. Memory is
/// reserved at creation, but the OS commits pages only as cells are written; a ring hands out
/// its lowest free cells first, so one sequence keeps cycling through the same few.
final class KVPool {
    /// The model layers stored here, in order (slot `i` is layer `layers[i]`).
    let layers: [Int]
    let capacity: Int
    /// The window of a ring (positions a query sees, itself included); nil: every position kept.
    let window: Int?
    /// Positions a ring keeps behind each sequence's end after a micro-batch: the window's
    /// `window − 1` earlier positions plus the rollback depth (0 outside a ring).
    let keep: Int
    let kvHeads: Int
    /// Bytes of one cached row of one head (`KVCachePrecision.rowBytes`).
    let rowBytes: Int
    var cells: KVCells
    private let keys: UnsafeMutableRawPointer
    private let values: UnsafeMutableRawPointer
    /// Bytes of one (slot, head) run: `capacity` rows.
    private let headStride: Int

    init(layers: [Int], capacity: Int, window: Int?, keep: Int, kvHeads: Int, rowBytes: Int) {
        precondition(capacity > 0 && !layers.isEmpty)
        self.layers = layers
        self.capacity = capacity
        self.window = window
        self.keep = keep
        self.kvHeads = kvHeads
        self.rowBytes = rowBytes
        headStride = capacity * rowBytes
        cells = KVCells(capacity: capacity, ring: window != nil)
        let bytes = layers.count * kvHeads * headStride
        // Not initialized on purpose: only cells in use are ever read.
        keys = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        values = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
    }

    deinit {
        keys.deallocate()
        values.deallocate()
    }

    var isRing: Bool { window != nil }

    /// Bytes reserved for keys and values of this pool's layers at full capacity.
    var byteCount: Int { 2 * layers.count * kvHeads * headStride }

    /// Bytes of one cell (keys and values of this pool's layers and heads).
    var bytesPerCell: Int { 2 * layers.count * kvHeads * rowBytes }

    /// Cells not holding a position (a sequence's unused reserve counts as free).
    var freeCells: Int { capacity - cells.cellsInUse }

    /// The longest prefix, at most `length`, of `id` from which its next position can be
    /// evaluated with the cells still held: all of it unless a ring released positions the
    /// next query would see, in which case only 0 (evaluate again from the start).
    func servableLength(of id: Int, atMost length: Int) -> Int {
        guard let window else { return length }
        let released = cells.released(of: id)
        return released == 0 || length >= released + window - 1 ? length : 0
    }

    /// Frees a ring's positions of `id` that lie more than `keep` behind its end.
    func slide(_ id: Int) {
        guard isRing else { return }
        cells.release(id, before: cells.length(of: id) - keep)
    }

    /// Positions of `id` a snapshot stores for this pool: all of them, or a ring's last
    /// `window − 1` (what any servable state of a ring holds).
    func snapshotPositions(of length: Int) -> Int {
        guard let window else { return length }
        return min(length, window - 1)
    }

    /// Makes `id` the only sequence, renamed `newID`. The main pool moves its positions to cells
    /// `0..<length` (the layout of a single-sequence cache, in which later attention rounds as
    /// before); a ring's cells stay where they are.
    func compact(keeping id: Int, as newID: Int) {
        guard !isRing else {
            cells.keepOnly(id, as: newID)
            return
        }
        let length = cells.length(of: id)
        guard let spans = cells.sequences[id]?.spans else {
            cells.reset(to: newID, length: 0)
            return
        }
        if !cells.isCompact(id) {
            let gathered = UnsafeMutableRawPointer.allocate(byteCount: max(1, length * rowBytes), alignment: 64)
            defer { gathered.deallocate() }
            for slot in layers.indices {
                for head in 0..<kvHeads {
                    for wantValues in [false, true] {
                        let run = bytes(slot: slot, head: head, values: wantValues)
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

    /// The raw bytes of the keys (`values: false`) or values of head `head` in slot `slot`, all
    /// `capacity` rows (for snapshots; the layout is the pool's own).
    func bytes(slot: Int, head: Int, values wantValues: Bool) -> UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(start: rows(slot: slot, head: head, values: wantValues), count: headStride)
    }

    /// The keys (`values: false`) or values of head `head` in slot `slot` as raw rows
    /// `rowBytes` apart.
    @inline(__always)
    func rows(slot: Int, head: Int, values wantValues: Bool) -> UnsafeMutableRawPointer {
        (wantValues ? values : keys) + (slot * kvHeads + head) * headStride
    }
}
