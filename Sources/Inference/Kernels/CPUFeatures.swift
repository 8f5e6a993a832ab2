#if arch(x86_64)
    import _Builtin_intrinsics.intel.cpuid
#endif

/// Start-up check that the processor has the instructions the kernels were compiled for.
///
/// On x86-64 the engine is built for Haswell-class CPUs (AVX2, FMA, F16C); on an older CPU it
/// would die with an illegal-instruction signal in the first matrix product. Call `check()`
/// before loading a model and show its message instead.
public enum CPUFeatures {
    /// nil when every required feature is present, else a message naming the missing ones.
    public static func check() -> String? {
        let missing = missingFeatures()
        guard !missing.isEmpty else { return nil }
        return "This CPU lacks \(missing.joined(separator: ", ")), which Parley's kernels need "
            + "(an x86-64 CPU from 2013 or later: Intel Haswell, AMD Excavator/Zen or newer)."
    }

    /// The names of required features the CPU (or OS) does not provide.
    public static func missingFeatures() -> [String] {
        #if arch(x86_64)
            var eax: UInt32 = 0
            var ebx: UInt32 = 0
            var ecx: UInt32 = 0
            var edx: UInt32 = 0
            guard __get_cpuid(1, &eax, &ebx, &ecx, &edx) != 0 else { return ["CPUID"] }
            var missing: [String] = []
            let leaf1 = ecx
            if leaf1 & (1 << 27) == 0 || leaf1 & (1 << 28) == 0 { missing.append("AVX") }
            if leaf1 & (1 << 12) == 0 { missing.append("FMA") }
            if leaf1 & (1 << 29) == 0 { missing.append("F16C") }
            if __get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) == 0 || ebx & (1 << 5) == 0 {
                missing.append("AVX2")
            }
            return missing
        #else
            return []
        #endif
    }
}
