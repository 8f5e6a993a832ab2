import CPrefetch
import Foundation

#if arch(x86_64)
    import _Builtin_intrinsics.intel
    import _Builtin_intrinsics.intel.cpuid
#endif

/// What CPUID says about the processor: its brand string and the AVX-512 features the
/// `InferenceAVX512` kernels were compiled for.
public struct CPUInfo: Sendable {
    /// The brand string, e.g. "AMD EPYC 9R14 96-Core Processor" ("unknown CPU" if none).
    public let model: String
    /// CPUID's vendor string: "GenuineIntel", "AuthenticAMD" ("unknown" if none).
    public let vendor: String
    /// AVX-512 F, CD, BW, DQ, VL and VNNI, with the OS saving the opmask and ZMM registers.
    public let hasAVX512Kernels: Bool
    /// AVX-512 BF16 (reported only; no kernel uses it yet).
    public let hasAVX512BF16: Bool

    public static let current = CPUInfo()

    init() {
        #if arch(x86_64)
            var eax: UInt32 = 0
            var ebx: UInt32 = 0
            var ecx: UInt32 = 0
            var edx: UInt32 = 0
            model = Self.brandString()
            vendor = Self.vendorString()
            guard __get_cpuid(1, &eax, &ebx, &ecx, &edx) != 0, ecx & (1 << 27) != 0, // OSXSAVE
                __get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) != 0
            else {
                hasAVX512Kernels = false
                hasAVX512BF16 = false
                return
            }
            // F 16, DQ 17, CD 28, BW 30, VL 31 (EBX); VNNI 11 (ECX).
            let needed: UInt32 = (1 << 16) | (1 << 17) | (1 << 28) | (1 << 30) | (1 << 31)
            let features = ebx & needed == needed && ecx & (1 << 11) != 0
            // XCR0: SSE, AVX, opmask, ZMM0-15 upper halves, ZMM16-31 (bits 1, 2, 5, 6, 7).
            let osSaves = parley_xcr0() & 0xE6 == 0xE6
            hasAVX512Kernels = features && osSaves
            hasAVX512BF16 =
                hasAVX512Kernels && __get_cpuid_count(7, 1, &eax, &ebx, &ecx, &edx) != 0 && eax & (1 << 5) != 0
        #else
            model = "unknown CPU"
            vendor = "unknown"
            hasAVX512Kernels = false
            hasAVX512BF16 = false
        #endif
    }

    #if arch(x86_64)
        /// CPUID leaf 0: twelve ASCII bytes in EBX, EDX, ECX.
        private static func vendorString() -> String {
            var eax: UInt32 = 0
            var ebx: UInt32 = 0
            var ecx: UInt32 = 0
            var edx: UInt32 = 0
            guard __get_cpuid(0, &eax, &ebx, &ecx, &edx) != 0 else { return "unknown" }
            let bytes = [ebx, edx, ecx].flatMap { register in
                stride(from: 0, to: 32, by: 8).map { UInt8(truncatingIfNeeded: register >> UInt32($0)) }
            }
            return String(decoding: bytes, as: UTF8.self)
        }

        /// CPUID leaves 0x80000002-4: 48 bytes of ASCII, NUL-padded.
        private static func brandString() -> String {
            var eax: UInt32 = 0
            var ebx: UInt32 = 0
            var ecx: UInt32 = 0
            var edx: UInt32 = 0
            guard __get_cpuid(0x8000_0000, &eax, &ebx, &ecx, &edx) != 0, eax >= 0x8000_0004 else {
                return "unknown CPU"
            }
            var bytes: [UInt8] = []
            for leaf: UInt32 in 0x8000_0002...0x8000_0004 {
                _ = __get_cpuid(leaf, &eax, &ebx, &ecx, &edx)
                for register in [eax, ebx, ecx, edx] {
                    for shift in stride(from: 0, to: 32, by: 8) {
                        bytes.append(UInt8(truncatingIfNeeded: register >> UInt32(shift)))
                    }
                }
            }
            let text = String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self).trimmingCharacters(in: .whitespaces)
            return text.isEmpty ? "unknown CPU" : text
        }
    #endif
}
