/// Causal grouped-query attention of a batch of tokens over the KV cache.
///
/// Kept beside the model rather than in `Kernels/` because it is defined by the cache layout
/// (`KVCache`: head-major `[kvHeads × capacity × headDim]`) and the batch layout of `RunState`
/// (`[tokens × heads·headDim]`); the arithmetic itself uses the shared `VectorMath` kernels.
enum Attention {
    /// Copies the batch's keys and values (`[n × kvDim]` each) into the cache of `layer` at
    /// positions `start..<start+n`.
    static func store(keys: StateMatrix, values: StateMatrix, tokens n: Int, layer: Int, start: Int,
                      cache: KVCache) {
        let headDim = cache.headDimension
        for t in 0..<n {
            let k = keys.pointer(t), v = values.pointer(t)
            for head in 0..<cache.kvHeads {
                let offset = (start + t) * headDim
                (cache.keys(layer: layer, head: head) + offset).update(from: k + head * headDim, count: headDim)
                (cache.values(layer: layer, head: head) + offset).update(from: v + head * headDim, count: headDim)
            }
        }
    }

    /// For each token `t` of the batch (position `start + t`) and each query head `h`:
    /// `out[t, h] = Σ_{j ≤ start+t} softmax_j(q[t, h] · K[j] / √headDim) · V[j]`, with `K`, `V`
    /// the cache of `h`'s key/value head. The cache must already hold positions up to
    /// `start + n - 1`. Work items (token, head) are dealt round-robin to the pool's workers,
    /// which balances the causal triangle; `scores` holds one row of scratch per worker.
    static func attend(queries: StateMatrix, tokens n: Int, layer: Int, start: Int, heads: Int,
                       cache: KVCache, scores: StateMatrix, into out: StateMatrix, pool: WorkerPool) {
        let headDim = cache.headDimension
        let group = heads / cache.kvHeads
        let scale = 1 / Float(headDim).squareRoot()
        let items = n * heads
        pool.run { worker, workers in
            let s = scores.pointer(worker)
            var item = worker
            while item < items {
                let t = item / heads, h = item % heads
                let q = queries.pointer(t) + h * headDim
                let o = out.pointer(t) + h * headDim
                let keys = cache.keys(layer: layer, head: h / group)
                let values = cache.values(layer: layer, head: h / group)
                let length = start + t + 1
                for j in 0..<length {
                    s[j] = VectorMath.dot(q, keys + j * headDim, count: headDim) * scale
                }
                VectorMath.softmax(s, count: length)
                o.initialize(repeating: 0, count: headDim)
                for j in 0..<length {
                    VectorMath.accumulate(o, s[j], values + j * headDim, count: headDim)
                }
                item += workers
            }
        }
    }
}
