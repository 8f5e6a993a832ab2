/// The keys and values of every layer for positions `0..<count`, room for `capacity` positions.
///
/// Layout per layer, keys and values alike: `[kvHeads × capacity × headDim]` F32, head-major, so
/// the attention of one head streams one contiguous run of `count × headDim` floats. Memory is
/// reserved for the full capacity at creation but the OS commits pages only as positions are
/// written, so a short conversation in a long context costs little resident memory.
///
/// F32 rather than F16: on this engine's CPUs the cache is a small share of the bytes read per
/// token at chat lengths, and F32 keeps batched and incremental evaluation bit-identical.
final class KVCache {
    let layers: Int
    let capacity: Int
    let kvHeads: Int
    let headDimension: Int
    /// Positions holding valid keys and values.
    private(set) var count = 0
    private let keys: UnsafeMutablePointer<Float>
    private let values: UnsafeMutablePointer<Float>

    init(config c: ModelConfig, capacity: Int) {
        precondition(capacity > 0)
        layers = c.layerCount
        self.capacity = capacity
        kvHeads = c.kvHeadCount
        headDimension = c.headDimension
        let elements = layers * kvHeads * capacity * headDimension
        // Not initialized on purpose: only positions < count are ever read.
        keys = UnsafeMutableRawPointer.allocate(byteCount: elements * 4, alignment: 64)
            .bindMemory(to: Float.self, capacity: elements)
        values = UnsafeMutableRawPointer.allocate(byteCount: elements * 4, alignment: 64)
            .bindMemory(to: Float.self, capacity: elements)
    }

    deinit {
        keys.deallocate()
        values.deallocate()
    }

    /// Bytes reserved for keys and values of all layers at full capacity.
    var byteCount: Int { 2 * layers * kvHeads * capacity * headDimension * 4 }

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

    /// The keys of head `head` in `layer` for positions `0..<capacity`, `[capacity × headDim]`.
    @inline(__always)
    func keys(layer: Int, head: Int) -> UnsafeMutablePointer<Float> {
        keys + ((layer * kvHeads + head) * capacity) * headDimension
    }

    /// The values of head `head` in `layer`, laid out as `keys(layer:head:)`.
    @inline(__always)
    func values(layer: Int, head: Int) -> UnsafeMutablePointer<Float> {
        values + ((layer * kvHeads + head) * capacity) * headDimension
    }
}
