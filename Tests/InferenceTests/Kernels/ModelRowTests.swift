import GGUF
import TestSupport
import Testing

@testable import Inference

/// Rows of real tensors of the shared models, dequantized here and by PyPI gguf's GGUFReader.
@Suite(.requires(.smolLM2Q4_1, .smolLM2Q4_K_M))
struct ModelRowTests {
    @Test func realTensorRowsMatchGGUFPython() throws {
        let index = try QuantFixtures.index()
        var files: [String: GGUFFile] = [:]
        var typesSeen: Set<String> = []
        for entry in index.modelRows {
            let recorded = try #require(index.models[entry.model])
            let path = try #require(QuantFixtures.model(entry.model, expectedBytes: recorded.bytes))
            let file = try files[entry.model] ?? GGUFFile(path: path)
            files[entry.model] = file
            let tensor = try #require(file.tensor(named: entry.tensor))
            #expect(tensor.type.description == entry.type)
            let matrix = try WeightMatrix(tensor: tensor, file: file)
            #expect(matrix.columns == entry.columns)
            let expected = try QuantFixtures.floats(entry.values)
            var row = [Float](repeating: 0, count: matrix.columns)
            for (i, r) in entry.rows.enumerated() {
                row.withUnsafeMutableBufferPointer { matrix.dequantizeRow(r, into: $0.baseAddress!) }
                let want = expected[(i * matrix.columns)..<((i + 1) * matrix.columns)]
                let same = zip(row, want).allSatisfy { $0.bitPattern == $1.bitPattern }
                #expect(same, "\(entry.tensor) row \(r) differs from gguf")
            }
            typesSeen.insert(entry.type)
        }
        #expect(typesSeen.isSuperset(of: ["Q4_1", "Q5_0", "Q4_K", "Q6_K", "Q8_0", "F32"]))
    }
}
