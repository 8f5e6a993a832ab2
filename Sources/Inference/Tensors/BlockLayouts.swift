/// Byte layouts of ggml's 32-element ("legacy") quantization blocks.
///
/// Blocks are read in place from the mapped file, so these are offset tables, not Swift structs
/// with stored fields (Swift does not promise C layout). Every multi-byte field is little-endian
/// and blocks are packed without padding, so fields may be unaligned: read them with
/// `loadUnaligned`. "f16" means an IEEE binary16 scale. The dequantized value of element `j` is
/// given per type; `q` is its unsigned code.

/// Q4_0, 18 bytes: `d: f16 @0`, `qs: [16] @2`. Element j < 16 is the low nibble of `qs[j]`,
/// element j + 16 the high nibble. Value = d · (q − 8).
enum BlockQ4_0 {
    static let bytes = 18, d = 0, qs = 2
}

/// Q4_1, 20 bytes: `d: f16 @0`, `m: f16 @2`, `qs: [16] @4` (nibbles as Q4_0). Value = d · q + m.
enum BlockQ4_1 {
    static let bytes = 20, d = 0, m = 2, qs = 4
}

/// Q5_0, 22 bytes: `d: f16 @0`, `qh: u32 @2`, `qs: [16] @6`. The low four bits come from the
/// nibbles as in Q4_0; bit 4 of element j is bit j of `qh`. Value = d · (q − 16).
enum BlockQ5_0 {
    static let bytes = 22, d = 0, qh = 2, qs = 6
}

/// Q5_1, 24 bytes: `d: f16 @0`, `m: f16 @2`, `qh: u32 @4`, `qs: [16] @8` (bits as Q5_0).
/// Value = d · q + m.
enum BlockQ5_1 {
    static let bytes = 24, d = 0, m = 2, qh = 4, qs = 8
}

/// Q8_0, 34 bytes: `d: f16 @0`, `qs: [32] Int8 @2`. Value = d · qs[j].
enum BlockQ8_0 {
    static let bytes = 34, d = 0, qs = 2
}

/// Byte layouts of ggml's 256-element "K" super-blocks (QK_K = 256).
///
/// A super-block splits into sub-blocks of 16 or 32 elements with small integer scales, which
/// are themselves scaled by the super-block's f16 `d` (and `dmin` for the types with minimums).
enum QK {
    /// Elements per super-block.
    static let k = 256
}

/// Q2_K, 84 bytes: `scales: [16] @0`, `qs: [64] @16`, `d: f16 @80`, `dmin: f16 @82`.
/// Sub-block i (16 elements) has scale `scales[i] & 15` and minimum `scales[i] >> 4`.
/// Element j = 128·h + 32·s + l (h < 2, s < 4, l < 32) is bits 2s..2s+1 of `qs[32h + l]`.
/// Value = d · sc · q − dmin · min.
enum BlockQ2_K {
    static let bytes = 84, scales = 0, qs = 16, d = 80, dmin = 82
}

/// Q3_K, 110 bytes: `hmask: [32] @0`, `qs: [64] @32`, `scales: [12] @96`, `d: f16 @108`.
/// Sixteen 6-bit signed scales (stored +32) are packed in 12 bytes: the low nibbles of bytes
/// 0..7 give scales 0..7, their high nibbles scales 8..15, and bytes 8..11 hold the top two
/// bits (scale i: bits 2(i/4)..2(i/4)+1 of byte 8 + i%4). Element j = 128·h + 32·s + l has low
/// bits 2s..2s+1 of `qs[32h + l]` and high bit (4h + s) of `hmask[l]`; a CLEAR high bit
/// subtracts 4. Value = d · (scale − 32) · q, with q in −4...3.
enum BlockQ3_K {
    static let bytes = 110, hmask = 0, qs = 32, scales = 96, d = 108
}

/// Q4_K, 144 bytes: `d: f16 @0`, `dmin: f16 @2`, `scales: [12] @4`, `qs: [128] @16`.
/// Eight 6-bit scales and 6-bit minimums share the 12 scale bytes (see `kScaleMin`).
/// Element j = 64·p + 32·h + l is nibble h of `qs[32p + l]`, in sub-block 2p + h.
/// Value = d · sc · q − dmin · min.
enum BlockQ4_K {
    static let bytes = 144, d = 0, dmin = 2, scales = 4, qs = 16
}

/// Q5_K, 176 bytes: `d: f16 @0`, `dmin: f16 @2`, `scales: [12] @4`, `qh: [32] @16`,
/// `qs: [128] @48`. Low nibbles as Q4_K; bit 4 of element j (sub-block b = j / 32, lane
/// l = j % 32) is bit b of `qh[l]`. Value = d · sc · q − dmin · min.
enum BlockQ5_K {
    static let bytes = 176, d = 0, dmin = 2, scales = 4, qh = 16, qs = 48
}

/// Q6_K, 210 bytes: `ql: [128] @0`, `qh: [64] @128`, `scales: [16] Int8 @192`, `d: f16 @208`.
/// Element j = 128·h + 32·s + l (h < 2, s < 4, l < 32): low nibble from `ql[64h + 32(s & 1) + l]`
/// (high nibble when s ≥ 2), top two bits = bits 2s..2s+1 of `qh[32h + l]`. Sub-block of
/// 16 elements i = j / 16 has scale `scales[i]`. Value = d · scales[i] · (q − 32).
enum BlockQ6_K {
    static let bytes = 210, ql = 0, qh = 128, scales = 192, d = 208
}

/// Q8_K (activations for K-quant dot products), 292 bytes: `d: f32 @0`, `qs: [256] Int8 @4`,
/// `bsums: [16] Int16 @260` (sums of each 16 codes). Value = d · qs[j].
enum BlockQ8_K {
    static let bytes = 292, d = 0, qs = 4, bsums = 260
}

/// The 6-bit scale and minimum of sub-block `j` (0..<8) from Q4_K/Q5_K's 12 packed bytes:
/// sub-blocks 0..3 use the low six bits of bytes j and j + 4; sub-blocks 4..7 take their low
/// four bits from byte j + 4's nibbles and their top two bits from the top of bytes j − 4 and j.
@inline(__always)
func kScaleMin(_ scales: UnsafeRawPointer, _ j: Int) -> (scale: UInt8, min: UInt8) {
    let q = scales.assumingMemoryBound(to: UInt8.self)
    if j < 4 {
        return (q[j] & 63, q[j + 4] & 63)
    }
    let scale = (q[j + 4] & 0x0f) | ((q[j - 4] >> 6) << 4)
    let min = (q[j + 4] >> 4) | ((q[j] >> 6) << 4)
    return (scale, min)
}

extension UnsafeRawPointer {
    /// The f16 at `offset` (unaligned), widened to F32.
    @inline(__always)
    func f16(at offset: Int) -> Float {
        HalfPrecision.f16ToF32(loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    /// The byte at `offset`.
    @inline(__always)
    func byte(at offset: Int) -> UInt8 {
        load(fromByteOffset: offset, as: UInt8.self)
    }
}
