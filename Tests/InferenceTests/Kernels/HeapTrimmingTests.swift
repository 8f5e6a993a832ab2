import Testing

@testable import Inference

@Suite struct HeapTrimmingTests {
    /// glibc takes both thresholds (the CLI sets them before any model loads); a C library
    /// that refused them would leave the worker pool's scratch trimmed on every free.
    @Test func glibcTakesBothThresholds() {
        #if canImport(Glibc)
            #expect(HeapTrimming.keepScratch())
        #endif
    }
}
