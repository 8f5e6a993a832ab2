/// Saving and restoring the KV cache, so a conversation continued in a new process evaluates
/// only its new tokens.
///
/// A snapshot is the cache's raw keys and values for positions `0..<position`, per layer and
/// head (keys then values), in the cache's precision; restoring it gives bit-identical state to
/// having evaluated the tokens. `snapshotGeometry` describes what a snapshot fits, including the
/// precision, so a stored snapshot from another model or setting can be rejected.
extension Transformer {
    /// Bytes a snapshot of the current cache takes.
    public var snapshotByteCount: Int { cache.bytesPerCell * position }

    /// Appends the cached keys and values of the default sequence's positions `0..<position`
    /// to `output` (in position order, wherever its cells are).
    public func writeSnapshot(into output: inout [UInt8]) {
        output.reserveCapacity(output.count + snapshotByteCount)
        let spans = cache.cells.sequences[Self.defaultSequence]?.spans ?? []
        for layer in 0..<cache.layers {
            for head in 0..<cache.kvHeads {
                for wantValues in [false, true] {
                    let run = cache.bytes(layer: layer, head: head, values: wantValues, positions: cache.capacity)
                    let rowBytes = run.count / cache.capacity
                    for span in spans {
                        output.append(
                            contentsOf: UnsafeRawBufferPointer(
                                rebasing: run[(span.lowerBound * rowBytes)..<(span.upperBound * rowBytes)]))
                    }
                }
            }
        }
    }

    /// Replaces the cache with `tokenCount` positions of the default sequence read from `bytes`
    /// (as `writeSnapshot` wrote them); other sequences are dropped. Returns false, leaving the
    /// cache empty, if the size does not fit this transformer.
    @discardableResult
    package func restoreSnapshot(_ bytes: UnsafeRawBufferPointer, tokenCount: Int) -> Bool {
        cache.cells.reset(to: Self.defaultSequence, length: 0)
        guard tokenCount > 0, tokenCount <= contextLength,
            bytes.count == cache.bytesPerCell * tokenCount
        else { return false }
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
        cache.cells.reset(to: Self.defaultSequence, length: tokenCount)
        return true
    }

    /// The cache geometry a snapshot depends on, stored with snapshots to reject foreign ones.
    /// Keys rotated with LongRoPE's long factors (a context past the original length) end in
    /// ` rope=long`: restored into a shorter context they would carry the wrong rotation. Every
    /// other geometry is spelled as before, so existing snapshots stay valid.
    public var snapshotGeometry: String {
        "layers=\(cache.layers) kv_heads=\(cache.kvHeads) head_dim=\(cache.headDimension) "
            + "vocab=\(model.config.vocabularySize) kv=\(cache.precision.rawValue)"
            + (model.rotatesWithLongFactors(contextLength: contextLength) ? " rope=long" : "")
    }
}
