import GGUF
import Testing

@testable import Inference

/// Dequantization must equal PyPI gguf's `gguf.quants.dequantize` bit for bit.
@Suite struct DequantizeTests {
    @Test(arguments: try QuantFixtures.index().weights.map(\.type))
    func matchesGGUFPython(typeName: String) throws {
        let index = try QuantFixtures.index()
        let entry = try #require(index.weights.first { $0.type == typeName })
        let type = try #require(GGMLType(rawValue: entry.ggmlType))
        let raw = try QuantFixtures.bytes(entry.bytes)
        let expected = try QuantFixtures.floats(entry.values)
        let actual = try raw.withUnsafeBytes { try Dequantize.dequantize(type: type, bytes: $0, count: entry.count) }
        #expect(actual.count == expected.count)
        let mismatches = zip(actual, expected).enumerated().filter {
            $0.element.0.bitPattern != $0.element.1.bitPattern
        }
        #expect(
            mismatches.isEmpty,
            "\(typeName): \(mismatches.count) mismatches, first \(mismatches.prefix(3).map { "[\($0.offset)] \($0.element.0) vs \($0.element.1)" })"
        )
    }

    @Test func rejectsBadInput() throws {
        let raw = [UInt8](repeating: 0, count: 10)
        raw.withUnsafeBytes { bytes in
            #expect(throws: InferenceError.misalignedCount(type: "Q4_0", count: 31, blockSize: 32)) {
                try Dequantize.dequantize(type: .q4_0, bytes: bytes, count: 31)
            }
            #expect(throws: InferenceError.truncatedData(type: "Q4_0", expectedBytes: 18, actualBytes: 10)) {
                try Dequantize.dequantize(type: .q4_0, bytes: bytes, count: 32)
            }
            #expect(throws: InferenceError.unsupportedTensorType(tensor: "(buffer)", type: "IQ2_XXS")) {
                try Dequantize.dequantize(type: .iq2_XXS, bytes: bytes, count: 256)
            }
        }
    }

    @Test func q8KBlock() throws {
        // d = 0.5 (f32), codes 0, 1, -2, ... ; bsums are not used by dequantization.
        var block = [UInt8](repeating: 0, count: 292)
        withUnsafeBytes(of: Float(0.5).bitPattern.littleEndian) { block.replaceSubrange(0..<4, with: $0) }
        for j in 0..<256 { block[4 + j] = UInt8(bitPattern: Int8(j % 2 == 0 ? j / 2 : -(j / 2))) }
        let values = try block.withUnsafeBytes { try Dequantize.dequantize(type: .q8_K, bytes: $0, count: 256) }
        for j in 0..<256 {
            #expect(values[j] == 0.5 * Float(j % 2 == 0 ? j / 2 : -(j / 2)))
        }
    }
}
