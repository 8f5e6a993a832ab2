import Testing

@testable import Inference

/// Grouped, chunked attention (`GroupedAttention`) over F32, F16 and Q8_0 caches: every kernel
/// path this CPU supports against the scalar references (`AttentionReference`,
/// `Q8AttentionReference`) for GQA groups of 1–8, across chunk boundaries, spans, windows and
/// soft-capping; chunks run in parallel (partials merged) bit for bit equal to chunks in order;
/// each head bit for bit equal to itself computed in a group of one.
@Suite struct GroupedAttentionTests {
    enum Storage: CaseIterable { case f32, f16, q8_0 }

    struct Case: CustomStringConvertible {
        var headDim: Int
        var spans: [Range<Int>]
        var rows: Int
        var window: Int? = nil
        var softcap: Float? = nil
        var description: String { "d\(headDim) spans \(spans) rows \(rows) window \(window ?? 0) cap \(softcap ?? 0)" }
    }

    static let cases: [Case] = [
        Case(headDim: 64, spans: [0..<1], rows: 1),
        Case(headDim: 64, spans: [0..<255], rows: 255), // chunk − 1
        Case(headDim: 64, spans: [0..<256], rows: 256), // one whole chunk
        Case(headDim: 64, spans: [3..<400], rows: 257), // chunk + 1
        Case(headDim: 64, spans: [0..<100, 300..<600, 120..<290], rows: 540), // chunks cut inside spans
        Case(headDim: 128, spans: [5..<700], rows: 600, window: 300), // a window trims the spans first
        Case(headDim: 128, spans: [0..<10, 20..<600], rows: 520, window: 511),
        Case(headDim: 96, spans: [0..<300], rows: 300, softcap: 30), // Gemma 2's soft-cap
        Case(headDim: 256, spans: [0..<260], rows: 260) // Gemma 3's head size
    ]

    /// Head sizes only the F32/F16 kernels take (not whole Q8_0 blocks): 8-lane and scalar tails.
    static let oddCases: [Case] = [
        Case(headDim: 72, spans: [0..<270], rows: 270),
        Case(headDim: 20, spans: [0..<40, 50..<300], rows: 280)
    ]

    static let groups = [1, 2, 3, 4, 8]

    /// A cache of `cells` rows of `count` random values in `storage`'s format, as raw bytes.
    static func cache(_ storage: Storage, cells: Int, count: Int, seed: UInt64) -> [UInt8] {
        let values = randomActivations(count: cells * count, seed: seed).map { $0 * 2 }
        switch storage {
        case .f32: return values.withUnsafeBytes { Array($0) }
        case .f16:
            var halves = [KVHalf](repeating: KVHalf(bits: 0), count: values.count)
            values.withUnsafeBufferPointer { v in
                halves.withUnsafeMutableBufferPointer {
                    KVHalf.store(v.baseAddress!, into: $0.baseAddress!, count: v.count)
                }
            }
            return halves.withUnsafeBytes { Array($0) }
        case .q8_0: return Q8AttentionTests.cache(cells: cells, count: count, seed: seed)
        }
    }

    /// The group's output (`group × headDim`), chunks in order (`parallel: false`) or each chunk
    /// on its own in reverse order, then merged (`parallel: true`).
    static func run(
        _ storage: Storage, q: [Float], group: Int, keys: [UInt8], values: [UInt8], spans: [Range<Int>],
        rows: Int, headDim: Int, softcap: Float?, path: KernelPath, parallel: Bool
    ) -> [Float] {
        let scratchCount = GroupedAttention.scratchFloats(group: group, headDim: headDim)
        let scratch = UnsafeMutableRawPointer.allocate(byteCount: 4 * scratchCount, alignment: 64)
            .bindMemory(to: Float.self, capacity: scratchCount)
        defer { scratch.deallocate() }
        var out = [Float](repeating: .nan, count: group * headDim)
        keys.withUnsafeBytes { k in
            values.withUnsafeBytes { v in
                spans.withUnsafeBufferPointer { s in
                    q.withUnsafeBufferPointer { qp in
                        let rowsOfHead: GroupedAttention.Rows
                        switch storage {
                        case .f32:
                            rowsOfHead = .f32(
                                keys: k.bindMemory(to: Float.self).baseAddress!,
                                values: v.bindMemory(to: Float.self).baseAddress!)
                        case .f16:
                            rowsOfHead = .f16(
                                keys: k.bindMemory(to: KVHalf.self).baseAddress!,
                                values: v.bindMemory(to: KVHalf.self).baseAddress!, path: path)
                        case .q8_0: rowsOfHead = .q8_0(keys: k.baseAddress!, values: v.baseAddress!, path: path)
                        }
                        let x = GroupedAttention.Query(
                            queries: qp.baseAddress!, group: group, headDim: headDim, spans: s, rows: rows,
                            scale: 1 / Float(headDim).squareRoot(), softcap: softcap)
                        out.withUnsafeMutableBufferPointer { o in
                            guard parallel else {
                                GroupedAttention.attend(x, rowsOfHead, scratch: scratch, into: o.baseAddress!)
                                return
                            }
                            let stride = group * x.partialStride
                            var partials = [Float](repeating: .nan, count: x.chunks * stride)
                            var state = [Float](repeating: .nan, count: x.partialStride)
                            partials.withUnsafeMutableBufferPointer { p in
                                for c in (0..<x.chunks).reversed() {
                                    GroupedAttention.partial(
                                        x, rowsOfHead, chunk: c, scratch: scratch, into: p.baseAddress! + c * stride)
                                }
                                for h in 0..<group {
                                    GroupedAttention.merge(
                                        p.baseAddress! + h * x.partialStride, chunks: x.chunks, chunkStride: stride,
                                        headDim: headDim, state: &state, into: o.baseAddress! + h * headDim)
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// The reference output of head `h` of `q`.
    static func reference(
        _ storage: Storage, q: [Float], head h: Int, keys: [UInt8], values: [UInt8], spans: [Range<Int>], rows: Int,
        headDim: Int, softcap: Float?
    ) -> [Float] {
        let scale = 1 / Float(headDim).squareRoot()
        return keys.withUnsafeBytes { k in
            values.withUnsafeBytes { v in
                q.withUnsafeBufferPointer { qp in
                    let qh = qp.baseAddress! + h * headDim
                    switch storage {
                    case .f32:
                        return AttentionReference.attend(
                            qh, keys: k.bindMemory(to: Float.self).baseAddress!,
                            values: v.bindMemory(to: Float.self).baseAddress!, spans: spans, rows: rows, count: headDim,
                            scale: scale, softcap: softcap)
                    case .f16:
                        return AttentionReference.attend(
                            qh, keys: k.bindMemory(to: KVHalf.self).baseAddress!,
                            values: v.bindMemory(to: KVHalf.self).baseAddress!, spans: spans, rows: rows,
                            count: headDim, scale: scale, softcap: softcap)
                    case .q8_0:
                        return Q8AttentionReference.attend(
                            qh, keys: k.baseAddress!, values: v.baseAddress!, spans: spans, rows: rows, count: headDim,
                            scale: scale, softcap: softcap)
                    }
                }
            }
        }
    }

    /// `spans` and `rows` as `Attention.attend` hands them over: a window drops the oldest cells.
    static func visible(_ c: Case) -> (spans: [Range<Int>], rows: Int) {
        let skip = c.window.map { max(0, c.rows - $0) } ?? 0
        guard skip > 0 else { return (c.spans, c.rows) }
        var buffer = [Range<Int>](repeating: 0..<0, count: c.spans.count)
        let trimmed = c.spans.withUnsafeBufferPointer { s in
            buffer.withUnsafeMutableBufferPointer { Array(Attention.dropping(skip, from: s, into: $0)) }
        }
        return (trimmed, c.rows - skip)
    }

    static func check(_ storage: Storage, _ c: Case, index: Int) {
        let cells = c.spans.map(\.upperBound).max() ?? 0
        let keys = cache(storage, cells: cells, count: c.headDim, seed: 300 + UInt64(index))
        let values = cache(storage, cells: cells, count: c.headDim, seed: 500 + UInt64(index))
        let (spans, rows) = visible(c)
        let paths: [KernelPath] = storage == .f32 ? [.active] : KernelPath.supported
        for group in groups {
            // A large spread, so the softmax is peaked and the chunks' maxima differ.
            let q = randomActivations(count: group * c.headDim, seed: 700 + UInt64(index * 10 + group)).map { $0 * 3 }
            let expected = (0..<group).map { h in
                reference(
                    storage, q: q, head: h, keys: keys, values: values, spans: spans, rows: rows, headDim: c.headDim,
                    softcap: c.softcap)
            }
            var avx2: [Float]? = nil
            for path in paths {
                let label = "\(storage) \(path) group \(group) \(c)"
                let inOrder = run(
                    storage, q: q, group: group, keys: keys, values: values, spans: spans, rows: rows,
                    headDim: c.headDim, softcap: c.softcap, path: path, parallel: false)
                let split = run(
                    storage, q: q, group: group, keys: keys, values: values, spans: spans, rows: rows,
                    headDim: c.headDim, softcap: c.softcap, path: path, parallel: true)
                #expect(inOrder.map(\.bitPattern) == split.map(\.bitPattern), "parallel chunks differ: \(label)")
                // The AVX-512 kernels compute the AVX2 kernels' floats.
                if path == .avx2 { avx2 = inOrder }
                if path == .avx512, let avx2 {
                    #expect(inOrder.map(\.bitPattern) == avx2.map(\.bitPattern), "AVX-512 differs from AVX2: \(label)")
                }
                for h in 0..<group {
                    let got = Array(inOrder[(h * c.headDim)..<((h + 1) * c.headDim)])
                    let magnitude = expected[h].map(abs).max() ?? 0
                    #expect(magnitude > 0.01, "\(label)")
                    let worst = zip(got, expected[h]).map { abs($0 - $1) }.max() ?? .nan
                    #expect(worst <= 2e-5 * max(1, magnitude), "\(label) head \(h): off by \(worst)")
                    let alone = run(
                        storage, q: Array(q[(h * c.headDim)..<((h + 1) * c.headDim)]), group: 1, keys: keys,
                        values: values, spans: spans, rows: rows, headDim: c.headDim, softcap: c.softcap, path: path,
                        parallel: false)
                    #expect(alone.map(\.bitPattern) == got.map(\.bitPattern), "\(label) head \(h) differs alone")
                }
            }
        }
    }

    @Test(arguments: Storage.allCases, 0..<cases.count)
    func everyPathMatchesReference(storage: Storage, index: Int) {
        Self.check(storage, Self.cases[index], index: index)
    }

    @Test(arguments: [Storage.f32, .f16], 0..<oddCases.count)
    func oddHeadSizesMatchReference(storage: Storage, index: Int) {
        Self.check(storage, Self.oddCases[index], index: 50 + index)
    }

    /// Over a Q8_0 cache a group computes each head exactly as the one-head kernel
    /// (`Q8AttentionKernels.attend`) does, up to one chunk.
    @Test func q8GroupEqualsOneHeadKernelWithinAChunk() {
        let c = Case(headDim: 64, spans: [0..<40, 60..<200, 250..<340], rows: 256)
        let keys = Self.cache(.q8_0, cells: 340, count: 64, seed: 11)
        let values = Self.cache(.q8_0, cells: 340, count: 64, seed: 12)
        let q = randomActivations(count: 3 * 64, seed: 13).map { $0 * 3 }
        for path in KernelPath.supported {
            let grouped = Self.run(
                .q8_0, q: q, group: 3, keys: keys, values: values, spans: c.spans, rows: c.rows, headDim: 64,
                softcap: nil, path: path, parallel: false)
            for h in 0..<3 {
                let one = Q8AttentionTests.attend(
                    Array(q[(h * 64)..<((h + 1) * 64)]), keys: keys, values: values, spans: c.spans, rows: c.rows,
                    count: 64, softcap: nil, path: path)
                #expect(
                    one.map(\.bitPattern) == grouped[(h * 64)..<((h + 1) * 64)].map(\.bitPattern), "\(path) head \(h)")
            }
        }
    }

    /// One head over spans with the one-head kernels (`AttentionKernels`), as `Attention` computed
    /// exact rows before chunks: scores span by span, one maximum, exponentials, weighted sums.
    static func oneHead<T: KVStorageElement>(
        _ q: UnsafePointer<Float>, keys: UnsafePointer<T>, values: UnsafePointer<T>, spans: [Range<Int>], rows: Int,
        count: Int, softcap: Float?
    ) -> [Float] {
        var s = [Float](repeating: .nan, count: rows)
        var o = [Float](repeating: .nan, count: count)
        let scale = 1 / Float(count).squareRoot()
        s.withUnsafeMutableBufferPointer { sp in
            o.withUnsafeMutableBufferPointer { op in
                var maximum = -Float.infinity
                var offset = 0
                for span in spans where offset < rows {
                    let take = min(span.count, rows - offset)
                    let spanMax = AttentionKernels.scores(
                        q, keys + span.lowerBound * count, rows: take, count: count, scale: scale,
                        into: sp.baseAddress! + offset)
                    maximum = max(maximum, spanMax)
                    offset += take
                }
                if let cap = softcap { maximum = AttentionKernels.softcap(sp.baseAddress!, count: rows, cap: cap) }
                let total = AttentionKernels.exponentiate(sp.baseAddress!, count: rows, subtracting: maximum)
                offset = 0
                for span in spans where offset < rows {
                    let take = min(span.count, rows - offset)
                    AttentionKernels.weightedSum(
                        sp.baseAddress! + offset, values + span.lowerBound * count, rows: take, count: count,
                        into: op.baseAddress!, accumulate: offset > 0)
                    offset += take
                }
                VectorMath.scale(op.baseAddress!, by: 1 / total, into: op.baseAddress!, count: count)
            }
        }
        return o
    }

    /// Up to one chunk (256 positions) a group rounds each head exactly as the one-head F32/F16
    /// kernels did, so prompts, perplexity windows and decoding up to 256 positions keep their
    /// floats (a seeded sampling test's text depends on them).
    @Test(arguments: [Storage.f32, .f16])
    func exactGroupEqualsOneHeadKernelsWithinAChunk(storage: Storage) {
        let cases = [
            Case(headDim: 64, spans: [0..<41, 60..<203, 250..<330], rows: 255),
            Case(headDim: 64, spans: [0..<7], rows: 7, softcap: 20),
            Case(headDim: 20, spans: [0..<30, 40..<90], rows: 77)
        ]
        for (index, c) in cases.enumerated() {
            let cells = c.spans.map(\.upperBound).max() ?? 0
            let keys = Self.cache(storage, cells: cells, count: c.headDim, seed: 21 + UInt64(index))
            let values = Self.cache(storage, cells: cells, count: c.headDim, seed: 31 + UInt64(index))
            let q = randomActivations(count: 3 * c.headDim, seed: 41 + UInt64(index)).map { $0 * 3 }
            let grouped = Self.run(
                storage, q: q, group: 3, keys: keys, values: values, spans: c.spans, rows: c.rows, headDim: c.headDim,
                softcap: c.softcap, path: .active, parallel: false)
            for h in 0..<3 {
                let one = keys.withUnsafeBytes { k in
                    values.withUnsafeBytes { v in
                        q.withUnsafeBufferPointer { qp in
                            let qh = qp.baseAddress! + h * c.headDim
                            switch storage {
                            case .f32:
                                return Self.oneHead(
                                    qh, keys: k.bindMemory(to: Float.self).baseAddress!,
                                    values: v.bindMemory(to: Float.self).baseAddress!, spans: c.spans, rows: c.rows,
                                    count: c.headDim, softcap: c.softcap)
                            default:
                                return Self.oneHead(
                                    qh, keys: k.bindMemory(to: KVHalf.self).baseAddress!,
                                    values: v.bindMemory(to: KVHalf.self).baseAddress!, spans: c.spans, rows: c.rows,
                                    count: c.headDim, softcap: c.softcap)
                            }
                        }
                    }
                }
                let got = grouped[(h * c.headDim)..<((h + 1) * c.headDim)]
                #expect(one.map(\.bitPattern) == got.map(\.bitPattern), "\(storage) case \(index) head \(h)")
            }
        }
    }
}
