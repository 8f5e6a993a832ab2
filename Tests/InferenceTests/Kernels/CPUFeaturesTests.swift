import Testing

@testable import Inference

@Suite struct CPUFeaturesTests {
    /// The test binary itself is compiled for AVX2/FMA/F16C on x86, so reaching this test on
    /// x86 proves the features exist: the check must agree (and on other CPUs require nothing).
    @Test func reportsNothingMissingOnTheBuildMachine() {
        #expect(CPUFeatures.missingFeatures() == [])
        #expect(CPUFeatures.check() == nil)
    }
}
