/// Saving and restoring the KV cache, so a conversation continued in a new process evaluates
/// only its new tokens.
///
/// A snapshot is the cache's raw keys and values for positions `0..<position`, per layer and
/// head (keys then values), in the cache's precision; restoring it gives bit-identical state to
/// having evaluated the tokens. `snapshotGeometry` describes what a snapshot fits, including the
/// precision, so a stored snapshot from another model or setting can be rejected.
extension Transformer {
    /// Bytes a snapshot of the current cache takes.
    public var snapshotByteCount: Int { cacheBytesInUse }

    /// Appends the cached keys and values of positions `0..<position` to `output`.
    public func writeSnapshot(into output: inout [UInt8]) {
        output.reserveCapacity(output.count + snapshotByteCount)
        for layer in 0..<cache.layers {
            for head in 0..<cache.kvHeads {
                for wantValues in [false, true] {
                    let run = cache.bytes(layer: layer, head: head, values: wantValues, positions: position)
                    output.append(contentsOf: UnsafeRawBufferPointer(run))
                }
            }
        }
    }

    /// Replaces the cache with `tokenCount` positions read from `bytes` (as `writeSnapshot` wrote
    /// them). Returns false, leaving the cache empty, if the size does not fit this transformer.
    @discardableResult
    public func restoreSnapshot(_ bytes: UnsafeRawBufferPointer, tokenCount: Int) -> Bool {
        truncate(to: 0)
        guard tokenCount > 0, tokenCount <= contextLength,
              bytes.count == cache.byteCount / contextLength * tokenCount else { return false }
        var offset = 0
        for layer in 0..<cache.layers {
            for head in 0..<cache.kvHeads {
                for wantValues in [false, true] {
                    let run = cache.bytes(layer: layer, head: head, values: wantValues, positions: tokenCount)
                    run.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + run.count)]))
                    offset += run.count
                }
            }
        }
        cache.advance(by: tokenCount)
        return true
    }

    /// The cache geometry a snapshot depends on, stored with snapshots to reject foreign ones.
    public var snapshotGeometry: String {
        "layers=\(cache.layers) kv_heads=\(cache.kvHeads) head_dim=\(cache.headDimension) "
            + "vocab=\(model.config.vocabularySize) kv=\(cache.precision == .f16 ? "f16" : "f32")"
    }
}
