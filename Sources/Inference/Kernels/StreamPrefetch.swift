import CPrefetch
import Foundation

/// The hint of the prefetches that run far ahead of a stream of weights read once (decode's
/// rows), chosen once from the CPU's vendor: the best hint differs by a factor of three between
/// the machines this engine was measured on.
///
/// - `nonTemporal` (`prefetchnta`): AMD. On Zen 4 it beat no far prefetch at all (Q4_K_M
///   decode), and the interleaved rows' distance of 1,536 bytes was tuned with it.
/// - `t0` (`prefetcht0`): Intel. Intel's `prefetchnta` fills L1 only, so the L2 streamer no
///   longer runs ahead. On a Xeon (family 6 model 207, AVX-512, 260 MB L3), tg64 at 1/2
///   threads: SmolLM2 Q4_1 83/147 t/s with `prefetchnta` 1,536 bytes ahead, 86-92 with no far
///   prefetch, 238/350 with `prefetcht0` 4,096 ahead (3,072-12,288 measured the same, 1,536
///   gave 183-200). Gemma 3 270M 34-36/64 → 50/100; SmolLM2 Q4_K_M 73-76/132-146 → 137-145/224-258.
///
/// `PARLEY_PREFETCH=nta|t0` forces one, to compare them on a new machine. It changes no result,
/// only speed.
public enum StreamPrefetch: String, Sendable, CaseIterable, CustomStringConvertible {
    case nonTemporal = "nta"
    case t0

    public var description: String { rawValue }

    /// The environment variable that forces a hint.
    public static let environmentVariable = "PARLEY_PREFETCH"

    /// The hint for this CPU's vendor.
    public static let detected: StreamPrefetch = CPUInfo.current.vendor == "GenuineIntel" ? .t0 : .nonTemporal

    /// The hint in use, installed for every kernel the first time it is read (`MatMulScratch`
    /// reads it, so before any product runs): `PARLEY_PREFETCH` when it names one, else the
    /// detected one.
    public static let active: StreamPrefetch = {
        let hint = (try? resolve(ProcessInfo.processInfo.environment[environmentVariable])) ?? detected
        install(hint)
        return hint
    }()

    /// The hint the kernels use now (what `active` installed, or a test's `install`).
    static var installed: StreamPrefetch { parley_get_stream_hint() == 1 ? .t0 : .nonTemporal }

    /// Makes the kernels use `hint` (for tests comparing the hints; results never change).
    static func install(_ hint: StreamPrefetch) { parley_set_stream_hint(hint == .t0 ? 1 : 0) }

    /// The hint a `PARLEY_PREFETCH` value asks for (nil or empty: the detected one), or why it
    /// names none, as `KernelPath.resolve` reads `PARLEY_CPU` (the `parley` command checks both).
    public static func resolve(_ value: String?) throws(InferenceError) -> StreamPrefetch {
        guard let value, !value.isEmpty else { return detected }
        guard let hint = StreamPrefetch(rawValue: value.lowercased()) else {
            throw .invalidArgument(
                "\(environmentVariable)=\(value) is not one of " + allCases.map(\.rawValue).joined(separator: ", ")
                    + ".")
        }
        return hint
    }
}
