import Foundation
import GGUF
import TestSupport
import Testing

@testable import Inference

/// Phi-3 as llama.cpp loads it, beyond the logits `FamilyModelTests` compares with NumPy: fused
/// tensors viewed as row ranges (and the unfused form accepted), LongRoPE's factors chosen by the
/// context against the original length, its magnitude's default, the ignored sliding window, and
/// a clear error naming the tensor for every malformed fused or factor tensor.
@Suite(.requires(ModelFixtures.familyModels)) struct Phi3ModelTests {
    let short: [Float] = [1.0, 1.02, 1.1, 1.3, 1.6, 2.1]
    let long: [Float] = [1.0, 1.5, 3.0, 7.0, 15.0, 40.0]

    /// A copy of synthetic model `name` edited by `edit`.
    func edited(_ name: String = "synthetic-phi3", _ edit: (inout GGUFWriter) -> Void) throws -> GGUFFile {
        var writer = try GGUFWriter(copying: ModelFixtures.synthetic(name))
        edit(&writer)
        return try GGUFFile(bytes: writer.bytes())
    }

    /// The error loading `file` throws (nil: it loaded).
    func loadError(_ file: GGUFFile) -> InferenceError? {
        do {
            _ = try LanguageModel(file: file)
            return nil
        } catch {
            return error
        }
    }

    @Test func configReadsPhi3sChoices() throws {
        let config = try ModelConfig(file: ModelFixtures.synthetic("synthetic-phi3"))
        #expect(config.architecture == .phi3 && config.ropeStyle == .neox)
        #expect(config.headDimension == 16 && config.ropeDimensionCount == 12)
        #expect(config.ropeOriginalContextLength == 64 && config.trainedContextLength == 128)
        // The converter's magnitude √(1 + ln 2 / ln 64), stored as F32.
        #expect(config.ropeAttentionFactor == Float((1 + log(2.0) / log(64.0)).squareRoot()))
        #expect(config.layerShapes.isEmpty && config.architecture.scalesQueryBeforeAttention)
    }

    /// Q, K, V and gate, up are views into the fused tensors: their rows start where the fused
    /// matrix's rows do, in order, and nothing is copied.
    @Test func fusedTensorsAreRowRangeViews() throws {
        let file = try ModelFixtures.synthetic("synthetic-phi3")
        let layer = try LanguageModel(file: file).weights.layers[1]
        let qkv = try #require(file.tensor(named: "blk.1.attn_qkv.weight"))
        let base = try #require(file.data(for: qkv).baseAddress)
        let rowBytes = 32 * 4
        #expect(layer.query.base == base && layer.query.rows == 32)
        #expect(layer.key.base == base + 32 * rowBytes && layer.key.rows == 16)
        #expect(layer.value.base == base + 48 * rowBytes && layer.value.rows == 16)
        let gateUp = try #require(file.tensor(named: "blk.1.ffn_up.weight"))
        let gateBase = try #require(file.data(for: gateUp).baseAddress)
        #expect(layer.gate.base == gateBase && layer.gate.rows == 64)
        #expect(layer.up.base == gateBase + 64 * rowBytes && layer.up.rows == 64)
    }

    /// The same weights as separate `attn_q/k/v` and `ffn_gate/up` tensors give the same logits,
    /// bit for bit (a row is computed the same whichever tensor holds it).
    @Test func unfusedTensorsGiveTheSameLogits() throws {
        let fused = try ModelFixtures.synthetic("synthetic-phi3")
        let unfused = try edited { writer in
            for l in 0..<2 {
                let p = "blk.\(l)."
                let qkv = Array(fused.data(for: fused.tensor(named: p + "attn_qkv.weight")!))
                let gateUp = Array(fused.data(for: fused.tensor(named: p + "ffn_up.weight")!))
                let row = 32 * 4
                writer.remove(tensor: p + "attn_qkv.weight")
                writer.remove(tensor: p + "ffn_up.weight")
                writer.addTensor(
                    name: p + "attn_q.weight", type: .f32, dimensions: [32, 32], data: Array(qkv[0..<(32 * row)]))
                writer.addTensor(
                    name: p + "attn_k.weight", type: .f32, dimensions: [32, 16],
                    data: Array(qkv[(32 * row)..<(48 * row)]))
                writer.addTensor(
                    name: p + "attn_v.weight", type: .f32, dimensions: [32, 16],
                    data: Array(qkv[(48 * row)..<(64 * row)]))
                writer.addTensor(
                    name: p + "ffn_gate.weight", type: .f32, dimensions: [32, 64], data: Array(gateUp[0..<(64 * row)]))
                writer.addTensor(
                    name: p + "ffn_up.weight", type: .f32, dimensions: [32, 64], data: Array(gateUp[(64 * row)...]))
            }
        }
        #expect(unfused.tensor(named: "blk.0.attn_qkv.weight") == nil)
        let tokens = try SyntheticLogits.load("synthetic-phi3").tokens
        let a = try Transformer(model: LanguageModel(file: fused), contextLength: 64, threads: 1)
        let b = try Transformer(model: LanguageModel(file: unfused), contextLength: 64, threads: 1)
        let x = try a.evaluate(tokens, logits: .all)
        let y = try b.evaluate(tokens, logits: .all)
        for t in 0..<tokens.count { #expect(Array(x.row(t)) == Array(y.row(t)), "row \(t)") }
    }

    /// llama.cpp's `get_rope_factors`: a context longer than the original length (16 here)
    /// rotates with the long factors, one within it with the short ones.
    @Test func contextLengthChoosesLongOrShortFactors() throws {
        let model = try LanguageModel(file: ModelFixtures.synthetic("synthetic-phi3-long"))
        #expect(model.weights.ropeFactorsShort == short && model.weights.ropeFactorsLong == long)
        #expect(model.ropeTables(contextLength: 16).map(\.factors) == [short])
        #expect(model.ropeTables(contextLength: 17).map(\.factors) == [long])
        let magnitude = Float((1 + log(8.0) / log(16.0)).squareRoot())
        #expect(model.ropeTables(contextLength: 17).map(\.magnitude) == [magnitude])
    }

    /// Keys cached in a context past the original length are rotated with the long factors, so
    /// a snapshot of them must not be restored into a shorter context (which rotates new keys
    /// with the short ones): the geometry stored with snapshots tells the two apart. Without
    /// distinct long factors the context length changes nothing and the geometry is as before.
    @Test func snapshotGeometryNamesLongFactors() throws {
        let longModel = try LanguageModel(file: ModelFixtures.synthetic("synthetic-phi3-long"))
        let within = try Transformer(model: longModel, contextLength: 16, threads: 1)
        let beyond = try Transformer(model: longModel, contextLength: 17, threads: 1)
        #expect(beyond.snapshotGeometry == within.snapshotGeometry + " rope=long")
        #expect(!within.snapshotGeometry.contains("rope"))
        // A snapshot from the long context restored into the short one would change the logits.
        let tokens: [Int32] = [3, 9, 27, 4, 11]
        _ = try beyond.evaluate(tokens, logits: .last)
        var snapshot: [UInt8] = []
        beyond.writeSnapshot(into: &snapshot)
        let fresh = Array(try within.evaluate(tokens + [5], logits: .last).last)
        within.truncate(to: 0)
        #expect(snapshot.withUnsafeBytes { within.restoreSnapshot($0, tokenCount: tokens.count) })
        #expect(Array(try within.evaluate(token: 5).last) != fresh)

        let plain = try LanguageModel(file: ModelFixtures.synthetic("synthetic-olmo2"))
        let small = try Transformer(model: plain, contextLength: 8, threads: 1)
        let large = try Transformer(model: plain, contextLength: plain.config.trainedContextLength * 2, threads: 1)
        #expect(small.snapshotGeometry == large.snapshotGeometry)
    }

    /// Without `rope.scaling.attn_factor` llama.cpp uses 1 (not HF's formula): so does Parley.
    @Test func missingAttentionFactorIsOne() throws {
        let file = try edited { $0.remove(key: "phi3.rope.scaling.attn_factor") }
        #expect(try ModelConfig(file: file).ropeAttentionFactor == 1)
    }

    /// llama.cpp disables Phi-3's sliding window: a 4-position window in the file changes
    /// nothing, and the logits still match the reference computed without one.
    @Test func slidingWindowIsIgnoredAsInLlamaCpp() throws {
        let file = try edited { $0.set("phi3.attention.sliding_window", .uint32(4)) }
        let model = try LanguageModel(file: file)
        #expect(model.config.layerShapes.isEmpty)
        let expected = try SyntheticLogits.load("synthetic-phi3")
        let transformer = try Transformer(model: model, contextLength: 64, threads: 1, cachePrecision: .f32)
        let worst = SyntheticModelTests().maxRelativeError(
            try transformer.evaluate(expected.tokens, logits: .all), expected.logits)
        #expect(worst <= expected.tolerance)
    }

    /// `rope.scaling.type = longrope` (llama.cpp knows the name) scales no angle by itself; a
    /// `rope.scaling.factor` beside it divides them, as llama.cpp's `rope_freq_scale`.
    @Test func longropeScalingTypeIsAccepted() throws {
        let file = try edited { $0.set("phi3.rope.scaling.type", .string("longrope")) }
        #expect(try ModelConfig(file: file).ropeScaling == .none)
        let scaled = try edited {
            $0.set("phi3.rope.scaling.type", .string("longrope"))
            $0.set("phi3.rope.scaling.factor", .float32(2))
        }
        #expect(try ModelConfig(file: scaled).ropeScaling == .linear(factor: 2))
    }

    // MARK: malformed files

    @Test func fusedQKVWithTheWrongRowsIsNamed() throws {
        let file = try edited {
            $0.replaceF32("blk.0.attn_qkv.weight", dimensions: [32, 63], values: .init(repeating: 0, count: 32 * 63))
        }
        #expect(
            loadError(file)
                == .badTensorShape(
                    tensor: "blk.0.attn_qkv.weight", dimensions: [32, 63],
                    expected: "[32, 64] (Q 32 + K 16 + V 16 rows)"))
    }

    @Test func oddGateUpRowsAreNamed() throws {
        let file = try edited {
            $0.replaceF32("blk.1.ffn_up.weight", dimensions: [32, 127], values: .init(repeating: 0, count: 32 * 127))
        }
        #expect(
            loadError(file)
                == .badTensorShape(
                    tensor: "blk.1.ffn_up.weight", dimensions: [32, 127], expected: "[32, 128] (gate 64 + up 64 rows)"))
    }

    /// Only Phi-3 may fuse gate and up: another family without `ffn_gate` is told it is missing.
    @Test(.requires(ModelFixtures.syntheticModels)) func otherFamiliesStillNeedFFNGate() throws {
        let file = try edited("synthetic-qwen2") { $0.remove(tensor: "blk.0.ffn_gate.weight") }
        #expect(loadError(file) == .missingTensor(name: "blk.0.ffn_gate.weight", expectedShape: [32, 64]))
    }

    @Test func ropeFactorsOfTheWrongLengthAreNamed() throws {
        let file = try edited { $0.replaceF32("rope_factors_short.weight", dimensions: [5], values: [1, 1, 1, 1, 1]) }
        #expect(
            loadError(file) == .badTensorShape(tensor: "rope_factors_short.weight", dimensions: [5], expected: "[6]"))
    }

    @Test(arguments: [Float(0), -1, .infinity, .nan])
    func ropeFactorsThatAreNotPositiveAndFiniteAreNamed(bad: Float) throws {
        let file = try edited {
            $0.replaceF32("rope_factors_long.weight", dimensions: [6], values: [1, 1, 1, bad, 1, 1])
        }
        let error = loadError(file)
        guard case .badTensorValues(let tensor, _, let found)? = error else {
            Issue.record("expected badTensorValues, got \(String(describing: error))")
            return
        }
        #expect(tensor == "rope_factors_long.weight" && found.contains("index 3"))
        #expect(error?.description.contains("rope_factors_long.weight") == true)
    }
}
