/// Saving and restoring the KV cache, so a conversation continued in a new process evaluates
/// only its new tokens.
///
/// A snapshot is the cache's raw keys and values of the default sequence, per layer and head
/// (keys then values), in the cache's precision: positions `0..<position` of layers in the main
/// pool, and only the last `window − 1` of a sliding-window ring's (all a ring is sure to hold,
/// and all the next token sees there). Restoring it gives bit-identical state to having
/// evaluated the tokens. `snapshotGeometry` describes what a snapshot fits, including the
/// precision and the rings, so a stored snapshot from another model or setting is rejected.
extension Transformer {
    /// Bytes a snapshot of the current cache takes.
    public var snapshotByteCount: Int {
        cache.pools.reduce(0) { $0 + $1.bytesPerCell * $1.snapshotPositions(of: position) }
    }

    /// Appends the cached keys and values of the default sequence to `output` (in position
    /// order, wherever its cells are).
    public func writeSnapshot(into output: inout [UInt8]) {
        output.reserveCapacity(output.count + snapshotByteCount)
        let length = position
        let rowBytes = cache.rowBytes
        for layer in 0..<cache.layers {
            let pool = cache.pools[cache.pool(ofLayer: layer)]
            let sequence = pool.cells.sequences[Self.defaultSequence]
            let first = length - pool.snapshotPositions(of: length)
            let spans = KVCells.suffix(sequence?.spans ?? [], from: first - (sequence?.released ?? 0))
            for head in 0..<cache.kvHeads {
                for wantValues in [false, true] {
                    let run = cache.bytes(layer: layer, head: head, values: wantValues)
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
        for pool in cache.pools { pool.cells.reset(to: Self.defaultSequence, length: 0) }
        let expected = cache.pools.reduce(0) { $0 + $1.bytesPerCell * $1.snapshotPositions(of: tokenCount) }
        guard tokenCount > 0, tokenCount <= contextLength, bytes.count == expected else { return false }
        var offset = 0
        for layer in 0..<cache.layers {
            let held = cache.pools[cache.pool(ofLayer: layer)].snapshotPositions(of: tokenCount)
            for head in 0..<cache.kvHeads {
                for wantValues in [false, true] {
                    let count = held * cache.rowBytes
                    let run = cache.bytes(layer: layer, head: head, values: wantValues)
                    UnsafeMutableRawBufferPointer(rebasing: run[0..<count])
                        .copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)]))
                    offset += count
                }
            }
        }
        for pool in cache.pools {
            let held = pool.snapshotPositions(of: tokenCount)
            pool.cells.reset(to: Self.defaultSequence, length: tokenCount, released: tokenCount - held)
        }
        return true
    }

    /// The cache geometry a snapshot depends on, stored with snapshots to reject foreign ones.
    /// Keys rotated with LongRoPE's long factors (a context past the original length) end in
    /// ` rope=long`: restored into a shorter context they would carry the wrong rotation. Every
    /// other geometry is spelled as before, so existing snapshots stay valid.
    public var snapshotGeometry: String {
        let rings = cache.pools.compactMap { pool in pool.window.map { "\($0):\(pool.layers.count)" } }
        return "layers=\(cache.layers) kv_heads=\(cache.kvHeads) head_dim=\(cache.headDimension) "
            + "vocab=\(model.config.vocabularySize) kv=\(cache.precision.rawValue)"
            + (rings.isEmpty ? "" : " swa_rings=" + rings.joined(separator: ","))
            + (model.rotatesWithLongFactors(contextLength: contextLength) ? " rope=long" : "")
    }
}
