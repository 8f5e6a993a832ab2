/// The tensor element types of ggml, with the block geometry that fixes a tensor's byte size.
///
/// The reader needs the geometry to bounds-check tensor data; which of these types the engine can
/// actually compute with is the engine's business (`Inference/Tensors`). Ids and geometry follow
/// ggml's `ggml.h`/`ggml-common.h` and PyPI `gguf` 0.19.0, except `q8_1`: gguf-py still lists the
/// old 40-byte block (two f32), ggml's block has been 36 bytes (two f16) for a long time.
public enum GGMLType: UInt32, Sendable, CaseIterable, CustomStringConvertible {
    case f32 = 0
    case f16 = 1
    case q4_0 = 2
    case q4_1 = 3
    case q5_0 = 6
    case q5_1 = 7
    case q8_0 = 8
    case q8_1 = 9
    case q2_K = 10
    case q3_K = 11
    case q4_K = 12
    case q5_K = 13
    case q6_K = 14
    case q8_K = 15
    case iq2_XXS = 16
    case iq2_XS = 17
    case iq3_XXS = 18
    case iq1_S = 19
    case iq4_NL = 20
    case iq3_S = 21
    case iq2_S = 22
    case iq4_XS = 23
    case i8 = 24
    case i16 = 25
    case i32 = 26
    case i64 = 27
    case f64 = 28
    case iq1_M = 29
    case bf16 = 30
    case tq1_0 = 34
    case tq2_0 = 35
    case mxfp4 = 39
    case nvfp4 = 40
    case q1_0 = 41

    /// Elements per block; a row's length must be a multiple of it.
    public var blockSize: Int {
        switch self {
        case .f32, .f16, .bf16, .i8, .i16, .i32, .i64, .f64: return 1
        case .q4_0, .q4_1, .q5_0, .q5_1, .q8_0, .q8_1, .iq4_NL, .mxfp4: return 32
        case .nvfp4: return 64
        case .q1_0: return 128
        default: return 256
        }
    }

    /// Bytes per block.
    public var bytesPerBlock: Int {
        switch self {
        case .f32, .i32: return 4
        case .f16, .bf16, .i16: return 2
        case .i8: return 1
        case .i64, .f64: return 8
        case .q4_0: return 18
        case .q4_1: return 20
        case .q5_0: return 22
        case .q5_1: return 24
        case .q8_0: return 34
        case .q8_1: return 36
        case .q2_K: return 84
        case .q3_K: return 110
        case .q4_K: return 144
        case .q5_K: return 176
        case .q6_K: return 210
        case .q8_K: return 292
        case .iq2_XXS: return 66
        case .iq2_XS: return 74
        case .iq3_XXS: return 98
        case .iq1_S: return 50
        case .iq4_NL: return 18
        case .iq3_S: return 110
        case .iq2_S: return 82
        case .iq4_XS: return 136
        case .iq1_M: return 56
        case .tq1_0: return 54
        case .tq2_0: return 66
        case .mxfp4: return 17
        case .nvfp4: return 36
        case .q1_0: return 18
        }
    }

    /// The name llama.cpp prints for the type (`Q4_K`, `F32`, ...).
    public var description: String {
        switch self {
        case .f32: return "F32"
        case .f16: return "F16"
        case .bf16: return "BF16"
        case .f64: return "F64"
        case .i8: return "I8"
        case .i16: return "I16"
        case .i32: return "I32"
        case .i64: return "I64"
        case .mxfp4: return "MXFP4"
        case .nvfp4: return "NVFP4"
        default: return caseName.uppercased()
        }
    }

    private var caseName: String {
        switch self {
        case .q4_0: return "q4_0"
        case .q4_1: return "q4_1"
        case .q5_0: return "q5_0"
        case .q5_1: return "q5_1"
        case .q8_0: return "q8_0"
        case .q8_1: return "q8_1"
        case .q2_K: return "q2_k"
        case .q3_K: return "q3_k"
        case .q4_K: return "q4_k"
        case .q5_K: return "q5_k"
        case .q6_K: return "q6_k"
        case .q8_K: return "q8_k"
        case .iq2_XXS: return "iq2_xxs"
        case .iq2_XS: return "iq2_xs"
        case .iq3_XXS: return "iq3_xxs"
        case .iq1_S: return "iq1_s"
        case .iq4_NL: return "iq4_nl"
        case .iq3_S: return "iq3_s"
        case .iq2_S: return "iq2_s"
        case .iq4_XS: return "iq4_xs"
        case .iq1_M: return "iq1_m"
        case .tq1_0: return "tq1_0"
        case .tq2_0: return "tq2_0"
        case .q1_0: return "q1_0"
        default: return "\(rawValue)"
        }
    }

    /// Bytes needed for `elements` values of this type (a whole number of blocks), or nil when
    /// `elements` is not a multiple of the block size or the product overflows.
    public func byteCount(elements: Int) -> Int? {
        guard elements >= 0, elements % blockSize == 0 else { return nil }
        let (bytes, overflow) = (elements / blockSize).multipliedReportingOverflow(by: bytesPerBlock)
        return overflow ? nil : bytes
    }
}
