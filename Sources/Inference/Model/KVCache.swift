/// The keys and values of every layer, in one or more cell stores (`KVPool`): the main pool of
/// `capacity` cells for layers that see the whole context, and a bounded ring for each sliding
/// window much shorter than that (Gemma 3: 15 of its 18 layers). Every pool holds the same
/// sequences at the same lengths; a row of a batch takes one cell in each (`BatchPlan`).
///
/// Elements are F16 by default (`KVCachePrecision`): at chat lengths the cache is read in full
/// for every generated token, so halving it matters as much as the weights' format (Q8_0 halves
/// it again, nearly). Rows are `rowBytes` apart whatever the precision. A model without windows
/// (or whose windows the context does not exceed by much) has one pool: exactly the flat cache
/// of `capacity` cells it always had.
final class KVCache {
    let layers: Int
    let kvHeads: Int
    let headDimension: Int
    let precision: KVCachePrecision
    /// Bytes of one cached row of one head (`KVCachePrecision.rowBytes`).
    let rowBytes: Int
    /// The pools; the first is the main one (every global layer's) whenever there is one.
    let pools: [KVPool]
    /// Rows of one micro-batch (what a ring takes before it releases).
    let batch: Int
    /// Each layer's pool and its slot in it.
    private let poolOfLayer: [Int]
    private let slotOfLayer: [Int]

    /// - Parameters:
    ///   - capacity: cells of the main pool (positions of all sequences together).
    ///   - batch: rows of one micro-batch, added to a ring before it releases old positions.
    ///   - sequences: live sequences a ring is sized for (`KVPool`'s formula).
    ///   - rollback: positions a sequence may be truncated by and still be served by a ring.
    init(
        config c: ModelConfig, capacity: Int, precision: KVCachePrecision, batch: Int = 128, sequences: Int = 1,
        rollback: Int = 0
    ) {
        precondition(capacity > 0)
        precondition(precision != .q8_0 || c.headDimension % 32 == 0, "a Q8_0 cache needs whole blocks")
        let rowBytes = precision.rowBytes(headDimension: c.headDimension)
        let kvHeads = c.kvHeadCount
        layers = c.layerCount
        self.kvHeads = kvHeads
        headDimension = c.headDimension
        self.precision = precision
        self.rowBytes = rowBytes
        self.batch = batch
        // Group the layers: a window gets its own ring only where the ring is smaller than the
        // main pool; other windowed layers keep every position, as global ones do.
        var groups: [(window: Int?, layers: [Int])] = []
        for l in 0..<c.layerCount {
            var window = c.shape(ofLayer: l).slidingWindow
            if let w = window,
                Self.ringCapacity(window: w, batch: batch, sequences: sequences, rollback: rollback)
                    >= capacity
            {
                window = nil
            }
            if let index = groups.firstIndex(where: { $0.window == window }) {
                groups[index].layers.append(l)
            } else {
                groups.append((window, [l]))
            }
        }
        groups.sort { ($0.window == nil ? 0 : 1) < ($1.window == nil ? 0 : 1) }
        var poolOfLayer = Array(repeating: 0, count: c.layerCount)
        var slotOfLayer = Array(repeating: 0, count: c.layerCount)
        for (p, group) in groups.enumerated() {
            for (slot, l) in group.layers.enumerated() {
                poolOfLayer[l] = p
                slotOfLayer[l] = slot
            }
        }
        self.poolOfLayer = poolOfLayer
        self.slotOfLayer = slotOfLayer
        pools = groups.map { group in
            guard let window = group.window else {
                return KVPool(
                    layers: group.layers, capacity: capacity, window: nil, keep: 0, kvHeads: kvHeads,
                    rowBytes: rowBytes)
            }
            return KVPool(
                layers: group.layers,
                capacity: Self.ringCapacity(window: window, batch: batch, sequences: sequences, rollback: rollback),
                window: window, keep: window - 1 + rollback, kvHeads: kvHeads, rowBytes: rowBytes)
        }
    }

    /// Cells of a ring for `window`: `sequences × (window − 1 + rollback + batch + chunk)` (see
    /// `KVPool`), `chunk` being `KVCells`' run of 32.
    static func ringCapacity(window: Int, batch: Int, sequences: Int, rollback: Int) -> Int {
        max(1, sequences) * (window - 1 + rollback + batch + 32)
    }

    /// The main pool's cells (every sequence's length is the same in each pool).
    var main: KVPool { pools[0] }
    var capacity: Int { main.capacity }

    /// Bytes reserved for keys and values of all layers, all pools at full capacity.
    var byteCount: Int { pools.reduce(0) { $0 + $1.byteCount } }

    /// Bytes of the cells holding some sequence's positions (shared cells counted once).
    var bytesInUse: Int { pools.reduce(0) { $0 + $1.bytesPerCell * $1.cells.cellsInUse } }

    /// The pool holding `layer`.
    @inline(__always)
    func pool(ofLayer layer: Int) -> Int { poolOfLayer[layer] }

    // MARK: - Sequences, in every pool

    func length(of id: Int) -> Int { main.cells.length(of: id) }

    /// How many rows, of any sequences, one step can still add: the main pool's free cells, or
    /// a ring's when it could not take a whole micro-batch (between micro-batches a ring frees
    /// old positions, so one with room for a micro-batch does not limit a longer step).
    var freeCells: Int {
        pools.reduce(Int.max) { min($0, $1.isRing && $1.freeCells >= batch ? Int.max : $1.freeCells) }
    }

    /// Whether `rows` new positions fit: all of them in the main pool, at most one micro-batch
    /// of `batch` rows at once in a ring (it releases old positions between micro-batches).
    func fits(rows: Int) -> Bool {
        pools.allSatisfy { ($0.isRing ? min(rows, batch) : rows) <= $0.freeCells }
    }

    /// Takes a cell in every pool for the next position of `id` and appends the row to `plan`.
    func append(_ id: Int, upcoming: Int, token: Int32, wantsLogits: Bool, into plan: BatchPlan) {
        plan.append(token: token, position: length(of: id), wantsLogits: wantsLogits, sequence: id)
        for (p, pool) in pools.enumerated() {
            guard let cell = pool.cells.append(id, upcoming: upcoming) else {
                preconditionFailure("a cell was counted free")
            }
            plan.place(cell: cell, pool: p)
        }
    }

    /// After a micro-batch: each ring frees the positions its rows' sequences no longer need.
    func slide(_ plan: BatchPlan) {
        for pool in pools where pool.isRing {
            for id in plan.rowSequences { pool.slide(id) }
        }
    }

    /// The longest prefix, at most `length`, of `id` the cache can continue from (see
    /// `KVPool.servableLength`): `length` itself unless a ring no longer holds it, then 0.
    func servableLength(of id: Int, atMost length: Int) -> Int {
        pools.reduce(length) { min($0, $1.servableLength(of: id, atMost: length)) }
    }

    /// Cuts `id` back to `length` positions if every pool can continue from there, else to 0;
    /// returns the length kept.
    func truncate(_ id: Int, to length: Int) -> Int {
        let kept = servableLength(of: id, atMost: length)
        for pool in pools { pool.cells.truncate(id, to: kept) }
        return kept
    }

    /// Makes `id` share the first `length` positions of `source` (or as many as `truncate`
    /// would keep); returns that length.
    func fork(_ id: Int, from source: Int, length: Int) -> Int {
        let kept = servableLength(of: source, atMost: length)
        for pool in pools { pool.cells.create(id, from: source, length: kept) }
        return kept
    }

    func remove(_ id: Int) {
        for pool in pools { pool.cells.remove(id) }
    }

    /// Makes `id` the only sequence, renamed `newID`, laid out as if evaluated alone.
    func compact(keeping id: Int, as newID: Int) {
        for pool in pools { pool.compact(keeping: id, as: newID) }
    }

    /// `id`'s spans in pool `p` and the position of their first cell.
    func spans(of id: Int, pool p: Int) -> (spans: [Range<Int>], first: Int) {
        let sequence = pools[p].cells.sequences[id]
        return (sequence?.spans ?? [], sequence?.released ?? 0)
    }

    // MARK: - Rows of a layer

    /// The keys of head `head` in `layer`, `[capacity × headDim]` of its pool. `T` must match
    /// `precision` (`KVHalf` or `Float`).
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
        pools[poolOfLayer[layer]].rows(slot: slotOfLayer[layer], head: head, values: false)
    }

    /// The values of head `head` in `layer`, laid out as `keyRows(layer:head:)`.
    @inline(__always)
    func valueRows(layer: Int, head: Int) -> UnsafeMutableRawPointer {
        pools[poolOfLayer[layer]].rows(slot: slotOfLayer[layer], head: head, values: true)
    }

    /// All rows of the keys (`values: false`) or values of head `head` in `layer` (snapshots).
    func bytes(layer: Int, head: Int, values wantValues: Bool) -> UnsafeMutableRawBufferPointer {
        pools[poolOfLayer[layer]].bytes(slot: slotOfLayer[layer], head: head, values: wantValues)
    }
}
