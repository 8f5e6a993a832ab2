import GGUF
import TestSupport
import Testing

@testable import Inference

/// Loading weights reports the real cause, naming the tensor: a type the engine cannot read, a
/// shape that does not fit the tensor's role (issue #12: both used to come out of the loader as
/// whatever `WeightMatrix` or the dequantizer said, folded into "unsupported tensor type").
@Suite(.requires(ModelFixtures.syntheticModels))
struct ModelWeightsErrorTests {
    /// synthetic-qwen2 with `name` replaced by a tensor of `type`, `dimensions` and `data`
    /// (zeros of the right size when nil).
    func model(replacing name: String, type: GGMLType, dimensions: [Int], data: [UInt8]? = nil) throws -> GGUFFile {
        var writer = try GGUFWriter(copying: ModelFixtures.synthetic("synthetic-qwen2"))
        writer.remove(tensor: name)
        writer.addTensor(name: name, type: type, dimensions: dimensions, data: data)
        return try GGUFFile(bytes: writer.bytes())
    }

    @Test func aMatrixOfATypeWithoutKernelsIsNamedWithItsType() throws {
        let file = try model(replacing: "blk.0.attn_q.weight", type: .iq4_NL, dimensions: [32, 32])
        let error = #expect(throws: InferenceError.self) { try LanguageModel(file: file) }
        #expect(error == .unsupportedTensorType(tensor: "blk.0.attn_q.weight", type: GGMLType.iq4_NL.description))
    }

    @Test func aThreeDimensionalMatrixIsABadShapeNotABadType() throws {
        let file = try model(replacing: "blk.0.attn_q.weight", type: .f32, dimensions: [32, 32, 2])
        let error = #expect(throws: InferenceError.self) { try LanguageModel(file: file) }
        #expect(error == .badTensorShape(tensor: "blk.0.attn_q.weight", dimensions: [32, 32, 2], expected: "[32, 32]"))
    }

    @Test func aNormOfATypeWithoutADequantizerIsNamedWithItsType() throws {
        let file = try model(replacing: "output_norm.weight", type: .iq4_NL, dimensions: [32])
        let error = #expect(throws: InferenceError.self) { try LanguageModel(file: file) }
        #expect(error == .unsupportedTensorType(tensor: "output_norm.weight", type: GGMLType.iq4_NL.description))
    }

    @Test func aQuantizedNormIsDequantizedOnce() throws {
        // One Q8_0 block (ggml's layout: an F16 scale, then 32 signed bytes): d = 0.5, q = i - 16.
        let block: [UInt8] = [0x00, 0x38] + (0..<32).map { UInt8(bitPattern: Int8($0 - 16)) }
        let file = try model(replacing: "output_norm.weight", type: .q8_0, dimensions: [32], data: block)
        let model = try LanguageModel(file: file)
        #expect(Array(model.weights.outputNorm.values) == (0..<32).map { Float($0 - 16) * 0.5 })
    }
}
