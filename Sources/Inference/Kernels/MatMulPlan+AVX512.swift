#if arch(x86_64)
    import GGUF
    import InferenceAVX512

    /// The AVX-512 kernels as `RowDot`/`RowDot4`/`RowRun` values, for the same types and batch
    /// sizes as the AVX2 choices in `MatMulPlan+Kernels.swift` (the kernel, not only the
    /// instruction set, decides the rounding, so both paths must pick the same one). The legacy
    /// types have no four-token kernel here: their row runs (bit-identical to the one-token
    /// kernel, as the four-token kernels are) take every batch.
    extension MatMulPlan {
        static func avx512RowDot(for type: GGMLType, tokens: Int) -> RowDot? {
            switch type {
            case .q6_K where tokens >= tiledMinimumTokens: return { AVX512Dot.q6_KTiled($0, $1.avx512, $2) }
            case .q4_0: return { AVX512Dot.q4_0($0, $1.avx512, $2) }
            case .q4_1: return { AVX512Dot.q4_1($0, $1.avx512, $2) }
            case .q5_0: return { AVX512Dot.q5_0($0, $1.avx512, $2) }
            case .q5_1: return { AVX512Dot.q5_1($0, $1.avx512, $2) }
            case .q8_0: return { AVX512Dot.q8_0($0, $1.avx512, $2) }
            case .q4_K: return { AVX512Dot.q4_K($0, $1.avx512, $2) }
            case .q6_K: return { AVX512Dot.q6_K($0, $1.avx512, $2) }
            default: return nil
            }
        }

        static func avx512RowDot4(for type: GGMLType, tokens: Int) -> RowDot4? {
            switch type {
            case .q6_K where tokens >= tiledMinimumTokens: return { AVX512Dot.q6_KTiledx4($0, rows($1), $2) }
            case .q4_K: return { AVX512Dot.q4_Kx4($0, rows($1), $2) }
            case .q6_K: return { AVX512Dot.q6_Kx4($0, rows($1), $2) }
            default: return nil
            }
        }

        /// The one-to-four-token, many-row kernels, bit-identical to `avx512RowDot`'s.
        static func avx512RowRun(for type: GGMLType) -> RowRun? {
            switch type {
            case .q4_1:
                return {
                    AVX512Dot.q4_1Rows($0, rowBytes: $1, rows: $2, rows($3), tokens: $4, $5, out: $6, outStride: $7)
                }
            case .q8_0:
                return {
                    AVX512Dot.q8_0Rows($0, rowBytes: $1, rows: $2, rows($3), tokens: $4, $5, out: $6, outStride: $7)
                }
            case .q5_0:
                return {
                    AVX512Dot.q5_0Rows($0, rowBytes: $1, rows: $2, rows($3), tokens: $4, $5, out: $6, outStride: $7)
                }
            case .q4_K:
                return {
                    AVX512Dot.q4_KRows($0, rowBytes: $1, rows: $2, rows($3), tokens: $4, $5, out: $6, outStride: $7)
                }
            case .q6_K:
                return {
                    AVX512Dot.q6_KRows($0, rowBytes: $1, rows: $2, rows($3), tokens: $4, $5, out: $6, outStride: $7)
                }
            default: return nil
            }
        }

        /// The runs over `InterleavedRows` (`AVX512Dot+Interleaved.swift`), bit-identical to
        /// `avx512RowRun`'s. Their weights argument is the first row's group; rows are whole groups.
        static func avx512InterleavedRun(for type: GGMLType) -> RowRun? {
            switch type {
            case .q8_0:
                return { AVX512Dot.q8_0Interleaved($0, rows: $2, rows($3), tokens: $4, $5, out: $6, outStride: $7) }
            case .q5_0:
                return { AVX512Dot.q5_0Interleaved($0, rows: $2, rows($3), tokens: $4, $5, out: $6, outStride: $7) }
            case .q4_1:
                return { AVX512Dot.q4_1Interleaved($0, rows: $2, rows($3), tokens: $4, $5, out: $6, outStride: $7) }
            default: return nil
            }
        }

        /// The panels over `InterleavedRows`, bit-identical to `avx512Panels`'. Their weights
        /// argument is the first row's group.
        static func avx512InterleavedPanels(for type: GGMLType) -> PanelProduct? {
            switch type {
            case .q5_0:
                return {
                    AVX512Dot.q5_0InterleavedPanels(
                        $0, rows: $2, codes: $3.codes, scales: $3.scales, tokens: $4, columns: $5, out: $6,
                        outStride: $7)
                }
            case .q8_0:
                return {
                    AVX512Dot.q8_0InterleavedPanels(
                        $0, rows: $2, codes: $3.codes, scales: $3.scales, tokens: $4, columns: $5, out: $6,
                        outStride: $7)
                }
            case .q4_1:
                return {
                    AVX512Dot.q4_1InterleavedPanels(
                        $0, rows: $2, codes: $3.codes, pairs: $3.pairs, tokens: $4, columns: $5, out: $6,
                        outStride: $7)
                }
            default: return nil
            }
        }

        /// The prompt kernels with rows in the lanes (`AVX512Dot+Panels.swift`).
        static func avx512Panels(for type: GGMLType) -> PanelProduct? {
            switch type {
            case .q5_0:
                return {
                    AVX512Dot.q5_0Panels(
                        $0, rowBytes: $1, rows: $2, codes: $3.codes, scales: $3.scales, tokens: $4, columns: $5,
                        out: $6, outStride: $7)
                }
            case .q8_0:
                return {
                    AVX512Dot.q8_0Panels(
                        $0, rowBytes: $1, rows: $2, codes: $3.codes, scales: $3.scales, tokens: $4, columns: $5,
                        out: $6, outStride: $7)
                }
            case .q4_1:
                return {
                    AVX512Dot.q4_1Panels(
                        $0, rowBytes: $1, rows: $2, codes: $3.codes, pairs: $3.pairs, tokens: $4, columns: $5,
                        out: $6, outStride: $7)
                }
            case .q4_K:
                return {
                    AVX512Dot.q4_KPanels(
                        $0, rowBytes: $1, rows: $2, codes: $3.codes, scales: $3.scales, blockSums: $3.blockSums,
                        tokens: $4, columns: $5, out: $6, outStride: $7)
                }
            case .q6_K:
                return {
                    AVX512Dot.q6_KPanels(
                        $0, rowBytes: $1, rows: $2, codes: $3.codes, scales: $3.scales, blockSums: $3.blockSums,
                        tokens: $4, columns: $5, out: $6, outStride: $7)
                }
            default: return nil
            }
        }

        @inline(__always)
        private static func rows(_ a: (ActivationRow, ActivationRow, ActivationRow, ActivationRow)) -> AVX512Dot.Rows4 {
            (a.0.avx512, a.1.avx512, a.2.avx512, a.3.avx512)
        }
    }

    extension ActivationRow {
        /// The same memory as the AVX-512 module's row type.
        @inline(__always)
        var avx512: AVX512Row { AVX512Row(codes: codes, scales: scales, pairs: pairs, blockSums: blockSums) }
    }
#endif
