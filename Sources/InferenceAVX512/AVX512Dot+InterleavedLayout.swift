#if arch(x86_64)
    import _Builtin_intrinsics.intel
    import CPrefetch

    extension AVX512Dot {
        /// The interleaved layout of four rows' blocks (`AVX512Dot+Interleaved.swift` describes
        /// it) and its writers, which `Inference.InterleavedRows` calls once per matrix at load
        /// time (on the AVX-512 path only: they use its instructions).
        public enum Interleaved {
            /// Bytes of one block of four rows.
            public static let q8_0 = 136, q5_0 = 88, q4_1 = 80

            /// How far ahead of the block being read the next lines are asked for (bytes), by the
            /// stream's hint (`Inference.StreamPrefetch`): `prefetchnta` 1,536 (tuned on Zen 4),
            /// `prefetcht0` 4,096 (on an Intel Xeon, 1,536 gave 183-200 t/s and 3,072-12,288
            /// 231-241 for SmolLM2 Q4_1 tg64 at 1 thread).
            @inline(__always)
            static var ahead: Int { parley_get_stream_hint() == 1 ? 4_096 : 1_536 }

            /// Asks for every 64-byte line of the block `ahead` bytes after `block`. One prefetch a
            /// block left a Q8_0 block's (136 bytes) third line and a Q5_0 block's (88) second to
            /// the hardware: tg128 medians of 10-16 alternating runs, 1/2 threads, one line →
            /// every line: Gemma 3 270M 83.2/115.0 → 89.4/118.6 t/s, SmolLM2 Q4_1 186.7/244.9 →
            /// 199.7/238.6 (2 threads within noise). 2,048 bytes ahead measured no better.
            @inline(__always)
            static func prefetch(after block: UnsafeRawPointer, blockBytes: Int) {
                let ahead = self.ahead
                var line = 0
                while line < blockBytes {
                    parley_prefetch_stream(block + (ahead &+ line))
                    line &+= 64
                }
            }

            /// Writes groups `groups` (rows 4g...4g+3) of Q8_0 rows `rowBytes` apart at `source`
            /// to `target` (group 0 at `target`), `blocks` blocks each.
            @inline(never)
            public static func writeQ8_0(
                _ source: UnsafeRawPointer, rowBytes: Int, groups: Range<Int>, blocks: Int,
                into target: UnsafeMutableRawPointer
            ) {
                let flip = _mm256_set1_epi8(-128)
                each(source, rowBytes: rowBytes, groups: groups, blocks: blocks, Layout.q8_0, into: target, q8_0) {
                    four, out in
                    for i in 0..<4 {
                        out.storeBytes(
                            of: four.row(i).loadUnaligned(as: UInt16.self), toByteOffset: 2 &* i, as: UInt16.self)
                        let codes = _mm256_xor_si256(Z.load32(four.row(i) + 2), flip)
                        out.storeBytes(of: codes, toByteOffset: 8 &+ 32 &* i, as: __m256i.self)
                    }
                }
            }

            /// Q5_0, as `writeQ8_0`.
            @inline(never)
            public static func writeQ5_0(
                _ source: UnsafeRawPointer, rowBytes: Int, groups: Range<Int>, blocks: Int,
                into target: UnsafeMutableRawPointer
            ) {
                each(source, rowBytes: rowBytes, groups: groups, blocks: blocks, Layout.q5_0, into: target, q5_0) {
                    four, out in
                    for i in 0..<4 {
                        out.storeBytes(
                            of: four.row(i).loadUnaligned(as: UInt16.self), toByteOffset: 2 &* i, as: UInt16.self)
                    }
                    @inline(__always) func high(_ i: Int) -> UInt64 {
                        UInt64(four.row(i).loadUnaligned(fromByteOffset: 2, as: UInt32.self))
                    }
                    out.storeBytes(of: high(0) | high(1) << 32, toByteOffset: 8, as: UInt64.self)
                    out.storeBytes(of: high(2) | high(3) << 32, toByteOffset: 16, as: UInt64.self)
                    nibbles(four, at: 6, into: out + 24)
                }
            }

            /// Q4_1, as `writeQ8_0`.
            @inline(never)
            public static func writeQ4_1(
                _ source: UnsafeRawPointer, rowBytes: Int, groups: Range<Int>, blocks: Int,
                into target: UnsafeMutableRawPointer
            ) {
                each(source, rowBytes: rowBytes, groups: groups, blocks: blocks, Layout.q4_1, into: target, q4_1) {
                    four, out in
                    for i in 0..<4 {
                        out.storeBytes(
                            of: four.row(i).loadUnaligned(as: UInt32.self), toByteOffset: 4 &* i, as: UInt32.self)
                    }
                    nibbles(four, at: 4, into: out + 16)
                }
            }

            /// Block b of four consecutive rows in the file's layout.
            struct FourBlocks {
                let first: UnsafeRawPointer
                let rowBytes: Int

                @inline(__always) func row(_ i: Int) -> UnsafeRawPointer { first + i &* rowBytes }
            }

            /// Calls `write` for every block of every group in `groups`.
            @inline(__always)
            private static func each(
                _ source: UnsafeRawPointer, rowBytes: Int, groups: Range<Int>, blocks: Int, _ sourceBytes: Int,
                into target: UnsafeMutableRawPointer, _ targetBytes: Int,
                _ write: (FourBlocks, UnsafeMutableRawPointer) -> Void
            ) {
                var out = target + groups.lowerBound &* blocks &* targetBytes
                for g in groups {
                    let first = source + 4 &* g &* rowBytes
                    for b in 0..<blocks {
                        write(FourBlocks(first: first + b &* sourceBytes, rowBytes: rowBytes), out)
                        out += targetBytes
                    }
                }
            }

            /// 64 bytes from four rows' 16 packed bytes at `offset` (element k < 16 in byte k's
            /// low nibble, element 16 + k in its high nibble): byte k's low nibble is element k of
            /// row 0 (of row 1 from k = 32 on), its high nibble element k of row 2 (row 3): the
            /// run's two-row code vectors (`nibblePair`), one in each nibble.
            @inline(__always)
            private static func nibbles(_ four: FourBlocks, at offset: Int, into out: UnsafeMutableRawPointer) {
                let low = _mm512_set1_epi8(0x0f)
                let u01 = nibblePair(four.row(0) + offset, four.row(1) + offset, low)
                let u23 = nibblePair(four.row(2) + offset, four.row(3) + offset, low)
                out.storeBytes(of: _mm512_or_si512(u01, _mm512_slli_epi16(u23, 4)), as: __m512i.self)
            }
        }
    }
#endif
