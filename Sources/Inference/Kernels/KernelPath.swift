import Foundation

/// Which family of dot-product kernels the matrix products use, chosen once at start-up.
///
/// - `avx512`: `InferenceAVX512` (AVX-512 F/BW/DQ/VL/CD + VNNI, compiled for Cascade Lake;
///   Intel Ice Lake and later servers, AMD Zen 4 and 5), used when CPUID and the OS's saved
///   register state (XCR0) allow it.
/// - `avx2`: the baseline every x86-64 build needs (AVX2/FMA/F16C, `AVX2Dot`).
/// - `portable`: the plain-Swift kernels (`PortableDot`), the path of non-x86 CPUs, kept
///   selectable to check and compare it. (On x86 the rest of the engine stays AVX2.)
///
/// The AVX2 and AVX-512 kernels compute the same integers and the same float operations in
/// the same order, so their results are bit-identical (tests compare every path the machine
/// supports). `PARLEY_CPU=avx2|avx512|portable` forces a path.
public enum KernelPath: String, Sendable, CaseIterable, CustomStringConvertible {
    case portable
    case avx2
    case avx512

    public var description: String { rawValue }

    /// The environment variable that forces a path.
    public static let environmentVariable = "PARLEY_CPU"

    /// The fastest path this CPU supports.
    public static let detected: KernelPath = CPUInfo.current.hasAVX512Kernels ? .avx512 : defaultPath

    #if arch(x86_64)
        static let defaultPath = KernelPath.avx2
    #else
        static let defaultPath = KernelPath.portable
    #endif

    /// The paths this CPU can run, slowest first.
    public static var supported: [KernelPath] {
        #if arch(x86_64)
            return CPUInfo.current.hasAVX512Kernels ? [.portable, .avx2, .avx512] : [.portable, .avx2]
        #else
            return [.portable]
        #endif
    }

    /// The path in use: `PARLEY_CPU` when it names a supported path, else the detected one.
    /// (`resolve` reports a bad value; the `parley` command checks it at start-up.)
    public static let active: KernelPath =
        (try? resolve(ProcessInfo.processInfo.environment[environmentVariable])) ?? detected

    /// The path a `PARLEY_CPU` value asks for (nil or empty: the detected one), or a message
    /// saying why it cannot be used.
    public static func resolve(_ value: String?) throws(InferenceError) -> KernelPath {
        guard let value, !value.isEmpty else { return detected }
        guard let path = KernelPath(rawValue: value.lowercased()) else {
            throw .cpuUnsupported(
                "\(environmentVariable)=\(value) is not one of "
                    + KernelPath.allCases.map(\.rawValue).joined(separator: ", ") + ".")
        }
        guard supported.contains(path) else {
            throw .cpuUnsupported(
                "\(environmentVariable)=\(value): this CPU (\(CPUInfo.current.model)) "
                    + "lacks the instructions of the \(path) kernels; it supports "
                    + supported.map(\.rawValue).joined(separator: ", ") + ".")
        }
        return path
    }
}
