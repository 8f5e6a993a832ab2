#if arch(x86_64)
    import _Builtin_intrinsics.intel

    /// Attention's weighted sums of value rows, `out_h[i] = Σ_j w_h(j, i) · V[j][i]`, for up to
    /// four query heads of a GQA group, over an F16 or a Q8_0 value cache.
    ///
    /// Bit-identical to the AVX2 kernels (`Inference.HeadBlockSums`): each output lane is one
    /// FMA chain over the rows in order, starting from zero or from the outputs already there.
    /// What changes is the width: sixteen lanes per instruction instead of eight, and 64 lanes
    /// of every head per pass over the rows instead of sixteen, so a 64-wide head (SmolLM2's)
    /// reads and widens each value row once instead of four times.
    extension AVX512Dot {
        /// A weighted sum's operands. Head h's weight of row j, for the lanes of block b (32
        /// lanes), is `weights[h·headStride + b·blockStride + j]` (`blockStride` 0: one weight
        /// per row and head, as for F16 rows; a Q8_0 row's per-block scales folded into its
        /// weights otherwise). Row j's values are at `values + j·rowBytes`; `count` lanes
        /// (a multiple of 16); head h's outputs at `out + h·outStride`.
        public struct WeightedRows {
            public var weights: UnsafePointer<Float>
            public var headStride: Int
            public var blockStride: Int
            public var values: UnsafeRawPointer
            public var rowBytes: Int
            public var rows: Int
            public var count: Int
            public var out: UnsafeMutablePointer<Float>
            public var outStride: Int
            /// Continue from the outputs (a later span of the same rows' sequence).
            public var accumulate: Bool
            /// `halfWeightedSum` also stores each F16 row it widens here (row j's `count` floats
            /// at `widened + j·count`), for `floatWeightedSum` to read in the heads' later blocks.
            public var widened: UnsafeMutablePointer<Float>? = nil

            @inlinable
            public init(
                weights: UnsafePointer<Float>, headStride: Int, blockStride: Int, values: UnsafeRawPointer,
                rowBytes: Int, rows: Int, count: Int, out: UnsafeMutablePointer<Float>, outStride: Int,
                accumulate: Bool
            ) {
                self.weights = weights
                self.headStride = headStride
                self.blockStride = blockStride
                self.values = values
                self.rowBytes = rowBytes
                self.rows = rows
                self.count = count
                self.out = out
                self.outStride = outStride
                self.accumulate = accumulate
            }
        }

        /// The weighted sum of F16 value rows for `group` heads (weights and outputs of head h
        /// at `h·headStride` and `h·outStride`).
        /// With `widened`, the first four heads read the F16 rows (and store them widened) and
        /// the rest read the widened rows.
        @inline(never)
        public static func halfWeightedSum(_ x: WeightedRows, group: Int) {
            guard let widened = x.widened, group > 4 else {
                weightedSum(x, group: group, HalfValues.self)
                return
            }
            weightedSum(x, group: 4, HalfValues.self)
            var rest = x
            rest.widened = nil
            rest.values = UnsafeRawPointer(widened)
            rest.rowBytes = 4 &* x.count
            rest.weights += 4 &* x.headStride
            rest.out += 4 &* x.outStride
            weightedSum(rest, group: group &- 4, FloatValues.self)
        }

        /// The weighted sum of Q8_0 value rows (codes only: the block scales are in the weights)
        /// for `group` heads.
        @inline(never)
        public static func q8_0WeightedSum(_ x: WeightedRows, group: Int) {
            weightedSum(x, group: group, Q8Values.self)
        }

        /// The group's heads in blocks of up to four, each block specialized for its size.
        @inline(__always)
        private static func weightedSum<F: ValueFormat>(_ whole: WeightedRows, group: Int, _: F.Type) {
            var x = whole
            var h = 0
            while h < group {
                switch group &- h {
                case 1: weightedSum(x, F.self, ScoreHeads1.self)
                case 2: weightedSum(x, F.self, ScoreHeads2.self)
                case 3: weightedSum(x, F.self, ScoreHeads3.self)
                default: weightedSum(x, F.self, ScoreHeads4.self)
                }
                x.weights += 4 &* x.headStride
                x.out += 4 &* x.outStride
                h &+= 4
            }
        }

        /// Slabs of 64 lanes (four vectors per head), then of 16.
        @inline(__always)
        private static func weightedSum<F: ValueFormat, H: ScoreHeads>(_ x: WeightedRows, _: F.Type, _: H.Type) {
            var lane = 0
            while lane &+ 64 <= x.count {
                slab(x, lane: lane, F.self, H.self, ScoreHeads4.self)
                lane &+= 64
            }
            while lane &+ 16 <= x.count {
                slab(x, lane: lane, F.self, H.self, ScoreHeads1.self)
                lane &+= 16
            }
        }

        /// `W` (1 or 4) vectors of sixteen lanes from `lane` on, for every head, over all rows.
        @inline(__always)
        private static func slab<F: ValueFormat, H: ScoreHeads, W: ScoreHeads>(
            _ x: WeightedRows, lane: Int, _: F.Type, _: H.Type, _: W.Type
        ) {
            var sums = SlabSums<H, W>(x.out + lane, outStride: x.outStride, accumulate: x.accumulate)
            // Head h's weights of the slab's first and second 32 lanes (a Q8_0 block each).
            let first = x.weights + (lane / 32) &* x.blockStride
            let second = first + (W.value > 2 ? x.blockStride : 0)
            var row = x.values
            for j in 0..<x.rows {
                let v0 = F.load(row, lane: lane)
                let v1 = W.value > 1 ? F.load(row, lane: lane &+ 16) : v0
                let v2 = W.value > 2 ? F.load(row, lane: lane &+ 32) : v0
                let v3 = W.value > 3 ? F.load(row, lane: lane &+ 48) : v0
                if F.isHalf, let widened = x.widened {
                    let at = UnsafeMutableRawPointer(widened + (j &* x.count &+ lane))
                    at.storeBytes(of: v0, as: __m512.self)
                    if W.value > 1 { at.storeBytes(of: v1, toByteOffset: 64, as: __m512.self) }
                    if W.value > 2 { at.storeBytes(of: v2, toByteOffset: 128, as: __m512.self) }
                    if W.value > 3 { at.storeBytes(of: v3, toByteOffset: 192, as: __m512.self) }
                }
                sums.add(v0, v1, v2, v3, first + j, second + j, headStride: x.headStride)
                row += x.rowBytes
            }
            sums.store()
        }
    }

    /// How a value row's sixteen lanes from `lane` on become floats: floats loaded (rows
    /// `halfWeightedSum` widened), F16 halves converted, or
    /// the sixteen Q8_0 codes of the lane's block (34 bytes: F16 scale, 32 codes) widened. (A
    /// flag, not a method per format: a protocol witness would be compiled on its own and leave
    /// the intrinsics it calls as out-of-line functions outside this module's names, which
    /// `Scripts/check-evex.sh` cannot tell apart from AVX2 code.)
    protocol ValueFormat {
        static var isHalf: Bool { get }
        static var isFloat: Bool { get }
    }
    enum HalfValues: ValueFormat {
        static var isHalf: Bool { true }
        static var isFloat: Bool { false }
    }
    enum Q8Values: ValueFormat {
        static var isHalf: Bool { false }
        static var isFloat: Bool { false }
    }
    enum FloatValues: ValueFormat {
        static var isHalf: Bool { false }
        static var isFloat: Bool { true }
    }

    extension ValueFormat {
        @inline(__always)
        static func load(_ row: UnsafeRawPointer, lane: Int) -> __m512 {
            if isFloat { return row.loadUnaligned(fromByteOffset: 4 &* lane, as: __m512.self) }
            if isHalf { return _mm512_cvtph_ps(Z.load32(row + (2 &* lane))) }
            let codes = row + ((lane / 32) &* Layout.q8_0 &+ 2 &+ (lane & 31))
            return _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(Z.load16(codes)))
        }
    }

    /// `W` vectors of sixteen output lanes of up to four heads (`H`), in registers over a run of rows.
    private struct SlabSums<H: ScoreHeads, W: ScoreHeads> {
        var a00 = __m512(), a01 = __m512(), a02 = __m512(), a03 = __m512()
        var a10 = __m512(), a11 = __m512(), a12 = __m512(), a13 = __m512()
        var a20 = __m512(), a21 = __m512(), a22 = __m512(), a23 = __m512()
        var a30 = __m512(), a31 = __m512(), a32 = __m512(), a33 = __m512()
        let out: UnsafeMutablePointer<Float>
        let outStride: Int

        @inline(__always)
        init(_ out: UnsafeMutablePointer<Float>, outStride: Int, accumulate: Bool) {
            self.out = out
            self.outStride = outStride
            guard accumulate else { return }
            @inline(__always) func load(_ h: Int, _ v: Int) -> __m512 {
                guard H.value > h && W.value > v else { return __m512() }
                let p: UnsafeMutablePointer<Float> = out + (h &* outStride &+ 16 &* v)
                return UnsafeRawPointer(p).loadUnaligned(as: __m512.self)
            }
            (a00, a01, a02, a03) = (load(0, 0), load(0, 1), load(0, 2), load(0, 3))
            (a10, a11, a12, a13) = (load(1, 0), load(1, 1), load(1, 2), load(1, 3))
            (a20, a21, a22, a23) = (load(2, 0), load(2, 1), load(2, 2), load(2, 3))
            (a30, a31, a32, a33) = (load(3, 0), load(3, 1), load(3, 2), load(3, 3))
        }

        /// Adds one row: head h's weight `first[h·headStride]` times vectors 0-1, `second[…]` times 2-3.
        @inline(__always)
        mutating func add(
            _ v0: __m512, _ v1: __m512, _ v2: __m512, _ v3: __m512, _ first: UnsafePointer<Float>,
            _ second: UnsafePointer<Float>, headStride: Int
        ) {
            @inline(__always) func head(
                _ h: Int, _ a0: inout __m512, _ a1: inout __m512, _ a2: inout __m512, _ a3: inout __m512
            ) {
                guard H.value > h else { return }
                let w: __m512 = _mm512_set1_ps(first[h &* headStride])
                a0 = _mm512_fmadd_ps(w, v0, a0)
                if W.value > 1 { a1 = _mm512_fmadd_ps(w, v1, a1) }
                guard W.value > 2 else { return }
                let w2: __m512 = _mm512_set1_ps(second[h &* headStride])
                a2 = _mm512_fmadd_ps(w2, v2, a2)
                if W.value > 3 { a3 = _mm512_fmadd_ps(w2, v3, a3) }
            }
            head(0, &a00, &a01, &a02, &a03)
            head(1, &a10, &a11, &a12, &a13)
            head(2, &a20, &a21, &a22, &a23)
            head(3, &a30, &a31, &a32, &a33)
        }

        @inline(__always)
        func store() {
            @inline(__always) func put(_ h: Int, _ v: Int, _ a: __m512) {
                guard H.value > h && W.value > v else { return }
                let p: UnsafeMutablePointer<Float> = out + (h &* outStride &+ 16 &* v)
                UnsafeMutableRawPointer(p).storeBytes(of: a, as: __m512.self)
            }
            put(0, 0, a00)
            put(0, 1, a01)
            put(0, 2, a02)
            put(0, 3, a03)
            put(1, 0, a10)
            put(1, 1, a11)
            put(1, 2, a12)
            put(1, 3, a13)
            put(2, 0, a20)
            put(2, 1, a21)
            put(2, 2, a22)
            put(2, 3, a23)
            put(3, 0, a30)
            put(3, 1, a31)
            put(3, 2, a32)
            put(3, 3, a33)
        }
    }
#endif
