import GGUF
import Testing

@testable import Inference

/// The stream prefetch hint (`StreamPrefetch`): chosen by the CPU's vendor, installed before a
/// product runs, checked when forced, and never a change to any result.
@Suite(.serialized) struct StreamPrefetchTests {
    @Test func theDetectedHintFollowsTheVendor() {
        let vendor = CPUInfo.current.vendor
        #expect(StreamPrefetch.detected == (vendor == "GenuineIntel" ? .t0 : .nonTemporal), "\(vendor)")
        #if arch(x86_64)
            #expect(["GenuineIntel", "AuthenticAMD"].contains(vendor) || vendor.count == 12, "\(vendor)")
        #endif
    }

    @Test func aScratchInstallsTheActiveHint() {
        _ = MatMulScratch(maxColumns: 32)
        #expect(StreamPrefetch.installed == StreamPrefetch.active)
    }

    @Test func aForcedHintMustNameOne() throws {
        #expect(try StreamPrefetch.resolve(nil) == .detected && StreamPrefetch.resolve("") == .detected)
        #expect(try StreamPrefetch.resolve("T0") == .t0 && StreamPrefetch.resolve("nta") == .nonTemporal)
        #expect(throws: InferenceError.invalidArgument("PARLEY_PREFETCH=t1 is not one of nta, t0.")) {
            try StreamPrefetch.resolve("t1")
        }
    }

    /// Decode's products (one token: the interleaved and row runs that prefetch far ahead) are
    /// bit-identical under both hints, on every path this CPU supports.
    @Test(arguments: [GGMLType.q4_1, .q5_0, .q8_0, .q4_K, .q6_K])
    func bothHintsGiveTheSameProducts(type: GGMLType) throws {
        let columns = type.blockSize == 256 ? 768 : 640
        let weights = RandomMatrix(type: type, rows: 96, columns: columns, seed: 41)
        let x = randomActivations(count: columns, seed: 5)
        defer { StreamPrefetch.install(StreamPrefetch.active) }
        for path in KernelPath.supported {
            StreamPrefetch.install(.nonTemporal)
            let nonTemporal = try KernelPathTests.product(weights, x, tokens: 1, path: path)
            StreamPrefetch.install(.t0)
            let t0 = try KernelPathTests.product(weights, x, tokens: 1, path: path)
            #expect(nonTemporal.map(\.bitPattern) == t0.map(\.bitPattern), "\(type) on \(path)")
        }
    }
}
