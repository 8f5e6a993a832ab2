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
        for b in 0..<(x.count / 32) {
            let total = codes[(32 * b)..<(32 * b + 32)].reduce(0) { $0 + Int($1) }
            #expect(sums[b] == scales[b] * Float(total))
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
}
