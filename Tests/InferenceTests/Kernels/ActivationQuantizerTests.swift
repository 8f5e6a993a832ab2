import Testing

@testable import Inference

/// The activation encodings against the numpy model of llama.cpp's AVX2 quantizers.
@Suite struct ActivationQuantizerTests {
    @Test func q8_0MatchesFixture() throws {
        let index = try QuantFixtures.index().activations
        let x = try QuantFixtures.floats(index.input)
        let expectedCodes = try QuantFixtures.bytes(index.q8_0.codes).map { Int8(bitPattern: $0) }
        let expectedScales = try QuantFixtures.floats(index.q8_0.scales)
        var codes = [Int8](repeating: 0, count: x.count)
        var scales = [Float](repeating: 0, count: x.count / 32)
        var sums = [Float](repeating: 0, count: x.count / 32)
        ActivationQuantizer.quantizeQ8_0(x, columns: x.count, codes: &codes, scales: &scales, sums: &sums)
        #expect(codes == expectedCodes)
        #expect(scales == expectedScales)
        // llama.cpp's Q8_1 sum `s = d · Σq` uses d = amax / 127 before d is rounded to F16.
        for b in 0..<(x.count / 32) {
            let total = codes[(32 * b)..<(32 * b + 32)].reduce(0) { $0 + Int($1) }
            let amax = x[(32 * b)..<(32 * b + 32)].map(abs).max() ?? 0
            #expect(sums[b] == amax / 127 * Float(total))
        }
    }

    @Test func q8_KMatchesFixture() throws {
        let index = try QuantFixtures.index().activations
        let x = try QuantFixtures.floats(index.input)
        let expectedCodes = try QuantFixtures.bytes(index.q8_K.codes).map { Int8(bitPattern: $0) }
        let expectedScales = try QuantFixtures.floats(index.q8_K.scales)
        var codes = [Int8](repeating: 0, count: x.count)
        var scales = [Float](repeating: 0, count: x.count / 256)
        var blockSums = [Int16](repeating: 0, count: x.count / 16)
        ActivationQuantizer.quantizeQ8_K(x, columns: x.count, codes: &codes, scales: &scales, blockSums: &blockSums)
        #expect(codes == expectedCodes)
        #expect(scales == expectedScales)
        for i in 0..<(x.count / 16) {
            #expect(Int(blockSums[i]) == codes[(16 * i)..<(16 * i + 16)].reduce(0) { $0 + Int($1) })
        }
    }

    /// The dispatching (AVX2 on x86) quantizers equal the scalar ones on varied data.
    @Test(arguments: [0, 1, 2])
    func fastEqualsScalar(seed: UInt64) {
        let columns = 1024
        var x = randomActivations(count: columns, seed: 40 + seed)
        if seed == 1 { for j in 256..<512 { x[j] = 0 } } // an all-zero Q8_K block
        if seed == 2 { for j in 0..<columns { x[j] = Float(j % 64) - 31.5 } } // exact halves
        var codes1 = [Int8](repeating: 0, count: columns)
        var codes2 = codes1
        var scales1 = [Float](repeating: 0, count: columns / 32)
        var scales2 = scales1
        var sums1 = scales1
        var sums2 = scales1
        ActivationQuantizer.quantizeQ8_0(x, columns: columns, codes: &codes1, scales: &scales1, sums: &sums1)
        ActivationQuantizer.scalarQ8_0(x, columns: columns, codes: &codes2, scales: &scales2, sums: &sums2)
        #expect(codes1 == codes2)
        #expect(scales1 == scales2)
        #expect(sums1 == sums2)
        var blockSums1 = [Int16](repeating: 0, count: columns / 16)
        var blockSums2 = blockSums1
        ActivationQuantizer.quantizeQ8_K(x, columns: columns, codes: &codes1, scales: &scales1, blockSums: &blockSums1)
        ActivationQuantizer.scalarQ8_K(x, columns: columns, codes: &codes2, scales: &scales2, blockSums: &blockSums2)
        #expect(codes1 == codes2)
        #expect(scales1[0..<4] == scales2[0..<4])
        #expect(blockSums1 == blockSums2)
    }
}
