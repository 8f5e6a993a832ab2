/// Saving and restoring the KV cache, so a conversation continued in a new process (`parley run
/// --continue`) evaluates only its new tokens.
///
/// The snapshot is raw F32 keys and values for positions `0..<position`, per layer and head, in
/// the cache's own order; restoring it gives bit-identical state to having evaluated the tokens.
extension Transformer {
    /// Bytes a snapshot of the current cache takes.
    public var snapshotByteCount: Int {
        2 * cache.layers * cache.kvHeads * cache.count * cache.headDimension * MemoryLayout<Float>.size
    }

    /// Appends the cached keys and values to `output`.
    public func writeSnapshot(into output: inout [UInt8]) {
        let run = cache.count * cache.headDimension
        output.reserveCapacity(output.count + snapshotByteCount)
        for layer in 0..<cache.layers {
            for head in 0..<cache.kvHeads {
                for source in [cache.keys(layer: layer, head: head), cache.values(layer: layer, head: head)] {
                    output.append(contentsOf: UnsafeRawBufferPointer(start: source, count: run * MemoryLayout<Float>.size))
                }
            }
        }
    }

    /// Replaces the cache with `tokenCount` positions read from `bytes` (as `writeSnapshot` wrote them).
    /// Returns false, leaving the cache empty, if the sizes do not match this model and context.
    @discardableResult
    public func restoreSnapshot(_ bytes: UnsafeRawBufferPointer, tokenCount: Int) -> Bool {
        truncate(to: 0)
        let run = tokenCount * cache.headDimension * MemoryLayout<Float>.size
        guard tokenCount > 0, tokenCount < contextLength,
              bytes.count == 2 * cache.layers * cache.kvHeads * run else { return false }
        var offset = 0
        for layer in 0..<cache.layers {
            for head in 0..<cache.kvHeads {
                for target in [cache.keys(layer: layer, head: head), cache.values(layer: layer, head: head)] {
                    UnsafeMutableRawPointer(target).copyMemory(from: bytes.baseAddress.unsafelyUnwrapped + offset, byteCount: run)
                    offset += run
                }
            }
        }
        cache.advance(by: tokenCount)
        return true
    }

    /// A short description of the cache geometry, stored with snapshots to reject foreign ones.
    public var snapshotGeometry: String {
        "layers=\(cache.layers) kv_heads=\(cache.kvHeads) head_dim=\(cache.headDimension) vocab=\(model.config.vocabularySize)"
    }
}
