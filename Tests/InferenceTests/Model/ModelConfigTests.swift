import GGUF
import TestSupport
import Testing

@testable import Inference

/// `ModelConfig` reads the real and synthetic models' metadata, and names the key at fault
/// when a file is incomplete or wrong.
@Suite struct ModelConfigTests {
    @Test(.requires(.smolLM2Q4_1)) func smolLM2() throws {
        let config = try ModelConfig(file: ModelFixtures.real(ModelFixtures.smolQ4_1))
        #expect(config.architecture == .llama)
        #expect(config.embeddingLength == 576)
        #expect(config.feedForwardLength == 1536)
        #expect(config.layerCount == 30)
        #expect(config.headCount == 9)
        #expect(config.kvHeadCount == 3)
        #expect(config.headDimension == 64)
        #expect(config.ropeDimensionCount == 64)
        #expect(config.ropeFrequencyBase == 100_000)
        #expect(config.ropeScaling == .none)
        #expect(config.ropeStyle == .normal)
        #expect(config.vocabularySize == 49152)
        #expect(config.trainedContextLength == 8192)
        #expect(config.tiedOutput)
        #expect(abs(config.normEpsilon - 1e-5) < 1e-9)
    }

    /// The generated tiny llama, like stories260K, has no freq_base or vocab_size keys:
    /// llama.cpp's defaults apply (the NumPy reference of its logits assumes them too).
    @Test(.requires([.syntheticLlamaSPM])) func generatedLlamaUsesDefaults() throws {
        try usesDefaults(GGUFFile(path: GeneratedModels.llamaSPM.path))
    }

    @Test(.requires(.stories260K)) func storiesUsesDefaults() throws {
        try usesDefaults(ModelFixtures.real(ModelFixtures.stories))
    }

    func usesDefaults(_ file: GGUFFile) throws {
        #expect(file.metadata["llama.rope.freq_base"] == nil && file.metadata["llama.vocab_size"] == nil)
        let config = try ModelConfig(file: file)
        #expect(config.ropeFrequencyBase == 10_000)
        #expect(config.vocabularySize == 512)
        #expect(config.headDimension == 8)
        #expect(config.kvHeadCount == 4)
        #expect(!config.tiedOutput)
    }

    @Test(.requires(ModelFixtures.syntheticModels)) func qwen3KeyLengthOverridesHeadSize() throws {
        let config = try ModelConfig(file: ModelFixtures.synthetic("synthetic-qwen3"))
        #expect(config.architecture == .qwen3)
        #expect(config.embeddingLength == 32)
        #expect(config.headDimension == 16)
        #expect(config.queryDimension == 64)
        #expect(config.ropeStyle == .neox)
        #expect(config.hasQKNorm && !config.hasAttentionBias)
    }

    @Test(.requires(ModelFixtures.syntheticModels)) func qwen2HasBiasesAndTiedOutput() throws {
        let config = try ModelConfig(file: ModelFixtures.synthetic("synthetic-qwen2"))
        #expect(config.architecture == .qwen2)
        #expect(config.hasAttentionBias && !config.hasQKNorm)
        #expect(config.tiedOutput)
    }

    @Test(.requires(ModelFixtures.syntheticModels)) func linearScaling() throws {
        let config = try ModelConfig(file: ModelFixtures.synthetic("synthetic-llama-q8"))
        #expect(config.ropeScaling == .linear(factor: 2))
        let frequencies = config.ropeInverseFrequencies()
        #expect(frequencies.count == 8)
        #expect(abs(frequencies[0] - 0.5) < 1e-7)
    }

    /// The llama3 rule computed from metadata keys gives the factors llama.cpp's converter
    /// stores as `rope_freqs.weight` (the fixture's tensor was written by NumPy).
    @Test(.requires(ModelFixtures.syntheticModels)) func llama3ScalingFromKeysMatchesTensor() throws {
        let file = try ModelFixtures.synthetic("synthetic-llama3")
        let stored = try LanguageModel(file: file)
        var writer = GGUFWriter(copying: file)
        writer.remove(tensor: "rope_freqs.weight")
        writer.set("llama.rope.scaling.type", .string("llama3"))
        writer.set("llama.rope.scaling.factor", .float32(8))
        writer.set("llama.rope.scaling.low_freq_factor", .float32(1))
        writer.set("llama.rope.scaling.high_freq_factor", .float32(4))
        writer.set("llama.rope.scaling.original_context_length", .uint32(64))
        let computed = try LanguageModel(file: GGUFFile(bytes: writer.bytes()))
        #expect(
            computed.config.ropeScaling
                == .llama3(
                    factor: 8, lowFrequencyFactor: 1, highFrequencyFactor: 4,
                    originalContextLength: 64))
        #expect(stored.ropeInverseFrequencies.count == 4)
        for (a, b) in zip(stored.ropeInverseFrequencies, computed.ropeInverseFrequencies) {
            #expect(abs(a - b) <= 1e-6 * b)
        }
        // One pair in each regime: kept, blended, divided by the factor.
        let plain = ModelConfig(copying: computed.config, scaling: .none).ropeInverseFrequencies()
        #expect(computed.ropeInverseFrequencies[0] == plain[0])
        #expect(computed.ropeInverseFrequencies[1] < plain[1] && computed.ropeInverseFrequencies[1] > plain[1] / 8)
        #expect(abs(computed.ropeInverseFrequencies[3] - plain[3] / 8) < 1e-9)
    }

    // MARK: errors

    @Test(.requires(ModelFixtures.syntheticModels)) func unsupportedArchitectureIsNamed() throws {
        var writer = try GGUFWriter(copying: ModelFixtures.synthetic("synthetic-qwen2"))
        writer.set("general.architecture", .string("gpt2"))
        let error = #expect(throws: InferenceError.self) { try ModelConfig(file: GGUFFile(bytes: writer.bytes())) }
        #expect(error == .unsupportedArchitecture("gpt2"))
        let message = error?.description ?? ""
        #expect(message.contains("gpt2") && message.contains("llama, qwen2, qwen3"))
    }

    @Test(.requires(ModelFixtures.syntheticModels)) func missingKeyIsNamed() throws {
        var writer = try GGUFWriter(copying: ModelFixtures.synthetic("synthetic-qwen2"))
        writer.remove(key: "qwen2.embedding_length")
        let error = #expect(throws: InferenceError.self) { try ModelConfig(file: GGUFFile(bytes: writer.bytes())) }
        #expect(error?.description.contains("'qwen2.embedding_length'") == true)
    }

    @Test(.requires(ModelFixtures.syntheticModels)) func illTypedKeyIsNamed() throws {
        var writer = try GGUFWriter(copying: ModelFixtures.synthetic("synthetic-qwen2"))
        writer.set("qwen2.block_count", .string("two"))
        let error = #expect(throws: InferenceError.self) { try ModelConfig(file: GGUFFile(bytes: writer.bytes())) }
        guard case .invalidMetadata(let key, _, let found)? = error else {
            Issue.record("expected invalidMetadata, got \(String(describing: error))")
            return
        }
        #expect(key == "qwen2.block_count")
        #expect(found.contains("two"))
    }

    @Test(.requires(ModelFixtures.syntheticModels)) func headsMustShareKVHeadsEvenly() throws {
        var writer = try GGUFWriter(copying: ModelFixtures.synthetic("synthetic-qwen2"))
        writer.set("qwen2.attention.head_count_kv", .uint32(3))
        let error = #expect(throws: InferenceError.self) { try ModelConfig(file: GGUFFile(bytes: writer.bytes())) }
        #expect(error?.description.contains("qwen2.attention.head_count_kv") == true)
    }

    @Test(.requires(ModelFixtures.syntheticModels)) func wrongTensorShapeIsNamed() throws {
        var writer = try GGUFWriter(copying: ModelFixtures.synthetic("synthetic-qwen2"))
        writer.replaceF32("blk.1.attn_k.weight", dimensions: [32, 8], values: [Float](repeating: 0, count: 256))
        let error = #expect(throws: InferenceError.self) { try LanguageModel(file: GGUFFile(bytes: writer.bytes())) }
        #expect(error == .badTensorShape(tensor: "blk.1.attn_k.weight", dimensions: [32, 8], expected: "[32, 16]"))
        #expect(error?.description.contains("blk.1.attn_k.weight") == true)
    }

    @Test(.requires(ModelFixtures.syntheticModels)) func missingTensorIsNamed() throws {
        var writer = try GGUFWriter(copying: ModelFixtures.synthetic("synthetic-qwen2"))
        writer.remove(tensor: "blk.0.attn_v.bias")
        let error = #expect(throws: InferenceError.self) { try LanguageModel(file: GGUFFile(bytes: writer.bytes())) }
        #expect(error == .missingTensor(name: "blk.0.attn_v.bias", expectedShape: [16]))
    }

    @Test(.requires(ModelFixtures.syntheticModels)) func qwen3NeedsItsQKNorms() throws {
        var writer = try GGUFWriter(copying: ModelFixtures.synthetic("synthetic-qwen3"))
        writer.remove(tensor: "blk.1.attn_k_norm.weight")
        let error = #expect(throws: InferenceError.self) { try LanguageModel(file: GGUFFile(bytes: writer.bytes())) }
        #expect(error == .missingTensor(name: "blk.1.attn_k_norm.weight", expectedShape: [16]))
    }

    @Test(.requires(ModelFixtures.syntheticModels)) func unknownScalingTypeIsRejected() throws {
        var writer = try GGUFWriter(copying: ModelFixtures.synthetic("synthetic-qwen2"))
        writer.set("qwen2.rope.scaling.type", .string("yarn"))
        let error = #expect(throws: InferenceError.self) { try ModelConfig(file: GGUFFile(bytes: writer.bytes())) }
        #expect(error?.description.contains("yarn") == true)
    }
}

extension ModelConfig {
    /// The same configuration with another RoPE scaling (for comparing frequency tables).
    init(copying other: ModelConfig, scaling: RoPEScaling) {
        self = other
        ropeScaling = scaling
    }
}
