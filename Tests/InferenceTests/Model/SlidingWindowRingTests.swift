import Foundation
import GGUF
import TestSupport
import Testing

@testable import Inference

/// The bounded store of sliding-window layers (`KVPool`'s ring) on `synthetic-gemma3-ring`
/// (window 4 on layers 0 and 1, layer 2 global): over sequences many windows long it gives
/// bit for bit the logits of the unbounded layout (every layer keeping every position, as
/// before the ring, made here by sizing the ring for more sequences than the cache holds), in
/// prefill, decoding, speculation, forks, truncation and snapshots, with each cache precision.
@Suite(.requires(ModelFixtures.familyModels)) struct SlidingWindowRingTests {
    static let name = "synthetic-gemma3-ring"
    static let window = 4

    static func model() throws -> LanguageModel { try LanguageModel(file: ModelFixtures.synthetic(name)) }

    /// A ring sized for `sequences` sequences: `sequences × (4 − 1 + rollback + batch + 32)` cells.
    static func bounded(
        _ model: LanguageModel, context: Int = 640, precision: KVCachePrecision = .f16, batch: Int = 16,
        cells: Int? = nil, sequences: Int = 1, rollback: Int = 4
    ) throws -> Transformer {
        let transformer = try Transformer(
            model: model, contextLength: context, threads: 2, batchSize: batch, cachePrecision: precision,
            cacheCells: cells, windowedSequences: sequences, rollback: rollback)
        #expect(transformer.windowedCacheByteCount > 0, "the windowed layers must get a ring")
        return transformer
    }

    /// The layout without a ring: a ring that would not be smaller than the cache is not made.
    static func unbounded(
        _ model: LanguageModel, context: Int = 640, precision: KVCachePrecision = .f16, batch: Int = 16,
        cells: Int? = nil
    ) throws -> Transformer {
        let transformer = try Transformer(
            model: model, contextLength: context, threads: 2, batchSize: batch, cachePrecision: precision,
            cacheCells: cells, windowedSequences: 1000)
        #expect(transformer.windowedCacheByteCount == 0)
        return transformer
    }

    static func tokens(_ count: Int, seed: UInt64, vocabulary: Int = 512) -> [Int32] {
        var random = SeededRandom(seed: seed)
        return (0..<count).map { _ in Int32(random.next() % UInt64(vocabulary)) }
    }

    static func rows(_ logits: EvaluatedLogits) -> [[Float]] { (0..<logits.rows).map { Array(logits.row($0)) } }

    /// Indices of the rows that differ (and the largest difference, printed), so a failure
    /// names rows rather than dumping logits.
    static func differingRows(_ got: [[Float]], _ expected: [[Float]]) -> [Int] {
        let differing = got.indices.filter { $0 >= expected.count || got[$0] != expected[$0] }
        if let first = differing.first {
            let worst = zip(got[first], expected[first]).map { abs($0 - $1) }.max() ?? 0
            print("rows \(differing.prefix(8))… differ; row \(first) by up to \(worst)")
        }
        return differing
    }

    static func argmax(_ row: UnsafeBufferPointer<Float>) -> Int32 {
        var best = 0
        for i in 1..<row.count where row[i] > row[best] { best = i }
        return Int32(best)
    }

    /// Prompt rows and greedy decoding: the prompt's logits and every decoded step's. The
    /// prompt's last token is evaluated twice: in the batch, then alone after a one-token
    /// rollback (which a ring must serve).
    static func greedy(_ transformer: Transformer, prompt: [Int32], steps: Int) throws -> [[Float]] {
        var result = rows(try transformer.evaluate(prompt, logits: .all))
        #expect(transformer.truncate(to: prompt.count - 1) == prompt.count - 1)
        let last = try transformer.evaluate(prompt.suffix(1), logits: .last).last
        result.append(Array(last))
        var next = argmax(last)
        for _ in 0..<steps {
            let logits = try transformer.evaluate(token: next)
            result.append(Array(logits.row(0)))
            next = argmax(logits.last)
        }
        return result
    }

    /// 400 prompt tokens (micro-batches of 16 or 128: the F16 one-row and the exact kernels) and
    /// 200 greedy steps, 600 positions against a ring of 55 or 167 cells: identical logits.
    @Test(arguments: [KVCachePrecision.f32, .f16, .q8_0], [16, 128])
    func ringEqualsUnboundedOverManyWindows(precision: KVCachePrecision, batch: Int) throws {
        let model = try Self.model()
        let prompt = Self.tokens(400, seed: 1)
        let ring = try Self.bounded(model, precision: precision, batch: batch)
        let plain = try Self.unbounded(model, precision: precision, batch: batch)
        let expected = try Self.greedy(plain, prompt: prompt, steps: 200)
        let got = try Self.greedy(ring, prompt: prompt, steps: 200)
        #expect(got.count == expected.count)
        let differing = Self.differingRows(got, expected)
        #expect(differing.isEmpty, "\(precision) batch \(batch): \(differing.count) of \(got.count) rows differ")
    }

    /// The ring against the independent NumPy forward pass (HF's sliding-window mask): 20
    /// tokens in micro-batches of 4 through a ring of 39 cells that releases after each.
    @Test func ringMatchesTheNumPyReference() throws {
        let expected = try SyntheticLogits.load(Self.name)
        let ring = try Self.bounded(try Self.model(), context: 64, precision: .f32, batch: 4, rollback: 0)
        #expect(ring.windowedCacheByteCount == 2 * 2 * 1 * 128 * 39)
        let worst = SyntheticModelTests().maxRelativeError(
            try ring.evaluate(expected.tokens, logits: .all), expected.logits)
        #expect(worst <= expected.tolerance, "worst relative error \(worst)")
    }

    /// The rings' bytes follow `KVPool`'s formula whatever the context; the main pool's follow
    /// the context; a model without windows is unchanged (one pool, `cells` of every layer).
    @Test(arguments: [KVCachePrecision.f32, .f16, .q8_0])
    func byteCountIsBoundedByTheWindow(precision: KVCachePrecision) throws {
        let model = try Self.model()
        let rowBytes = precision.rowBytes(headDimension: 32)
        for context in [400, 4_000, 40_000] {
            let ring = try Self.bounded(model, context: context, precision: precision, sequences: 2)
            // 2 (keys, values) × 2 windowed layers × 1 KV head × row × 2 × (4 − 1 + 4 + 16 + 32).
            #expect(ring.windowedCacheByteCount == 2 * 2 * 1 * rowBytes * 2 * (Self.window - 1 + 4 + 16 + 32))
            #expect(ring.cacheByteCount - ring.windowedCacheByteCount == 2 * 1 * 1 * rowBytes * context)
        }
        let plain = try Transformer(
            model: LanguageModel(file: ModelFixtures.synthetic("synthetic-qwen3")), contextLength: 4_000,
            threads: 1, cachePrecision: precision == .q8_0 ? .f16 : precision, cacheCells: 8_000,
            windowedSequences: 1)
        let qwenRow = (precision == .q8_0 ? KVCachePrecision.f16 : precision).rowBytes(headDimension: 16)
        #expect(plain.windowedCacheByteCount == 0 && plain.cacheByteCount == 2 * 2 * 2 * qwenRow * 8_000)
    }

    static func generator(_ transformer: Transformer, speculate: Bool) throws -> TextGenerator {
        let generator = TextGenerator(
            predictor: transformer, tokenizer: try Tokenizer(gguf: ModelFixtures.synthetic(name)))
        generator.speculation.enabled = speculate
        return generator
    }

    /// A prompt that repeats itself, so prompt lookup drafts from it.
    static let repetitivePrompt: [Int32] = {
        let phrase = tokens(40, seed: 7, vocabulary: 500).map { $0 + 3 }
        return [1] + Array(repeating: phrase, count: 6).joined()
    }()

    static func answer(_ generator: TextGenerator, _ prompt: [Int32], maxTokens: Int = 120) -> GenerationOutcome {
        generator.generate(
            GenerationRequest(promptTokens: prompt, sampler: .greedy, maxTokens: maxTokens),
            cancel: CancellationFlag(), onText: { _ in })
    }

    /// Speculation on the ring (drafts up to 8 with a rollback of 8; and with a rollback of 2,
    /// which limits the drafts): the same tokens and cache as plain decoding, ring or not.
    @Test(arguments: [8, 2])
    func speculationOnTheRingGivesTheSameText(rollback: Int) throws {
        let model = try Self.model()
        let plain = try Self.generator(Self.unbounded(model), speculate: false)
        let expected = Self.answer(plain, Self.repetitivePrompt)
        let fast = try Self.generator(Self.bounded(model, rollback: rollback), speculate: true)
        let got = Self.answer(fast, Self.repetitivePrompt)
        print("ring speculation, rollback \(rollback): \(got.speculation)")
        #expect(got.speculation.drafted > 0, "the test must draft")
        #expect(got.errorMessage == nil && got.choices == expected.choices)
        #expect(fast.cachedTokens == plain.cachedTokens)
    }

    /// `n = 3` seeded alternatives on the ring: forks share the prompt's ring cells (no copy) and
    /// each answer is the unbounded layout's.
    @Test func forksShareTheRingAndMatchUnbounded() throws {
        let model = try Self.model()
        var sampler = SamplerSettings(temperature: 1)
        sampler.seed = 11
        let request = GenerationRequest(
            promptTokens: Self.repetitivePrompt, sampler: sampler, maxTokens: 90, choices: 3)
        let plain = try Self.generator(Self.unbounded(model, cells: 1_280), speculate: false)
        let expected = plain.generate(request, cancel: CancellationFlag(), onText: { _ in })
        let transformer = try Self.bounded(model, cells: 1_280, sequences: 3)
        let got = try Self.generator(transformer, speculate: false)
            .generate(request, cancel: CancellationFlag(), onText: { _ in })
        print("ring forks: \(got.choices.map { $0.tokens.prefix(12) }) \(got.choices.map(\.finishReason))")
        #expect(Set(got.choices.map(\.tokens)).count > 1)
        #expect(got.errorMessage == nil && got.choices == expected.choices)

        // The batch API directly: a fork shares the ring's cells of the prompt.
        let ring = transformer.cache.pools[1]
        #expect(ring.isRing)
        transformer.truncate(to: 0)
        _ = try transformer.evaluate(Self.repetitivePrompt, logits: .none)
        let held = ring.cells.cellsInUse
        #expect(held < Self.repetitivePrompt.count)
        try transformer.fork(1, from: 0)
        try transformer.fork(2, from: 0)
        #expect(ring.cells.cellsInUse == held)
    }

    /// Truncating within the rollback keeps the cache; further back than the ring holds keeps
    /// nothing (batch API, single sequence and the generator's common-prefix reuse), and the
    /// re-evaluation gives the logits of a fresh evaluation, bit for bit.
    @Test func truncationBeyondTheRingReevaluates() throws {
        let model = try Self.model()
        let tokens = Self.tokens(300, seed: 3)
        let ring = try Self.bounded(model)
        _ = try ring.evaluate(tokens, logits: .none)
        #expect(ring.truncate(to: 296) == 296)
        #expect(ring.servableLength(of: 0, atMost: 150) == 0)
        #expect(try ring.fork(1, from: 0, length: 150) == 0 && ring.length(of: 1) == 0)
        #expect(ring.truncate(to: 150) == 0 && ring.position == 0)
        let again = Self.rows(try ring.evaluate(Array(tokens[0..<151]), logits: .all))
        let plain = try Self.unbounded(model)
        let fresh = Self.rows(try plain.evaluate(Array(tokens[0..<151]), logits: .all))
        #expect(Self.differingRows(again, fresh).isEmpty)

        // The generator: a prompt sharing 150 tokens with the cache reuses none of them on the
        // ring (all 150 without one) and answers exactly as a fresh generator does.
        let first = [1] + Array(tokens[0..<299])
        let second = Array(first[0..<150]) + Self.tokens(30, seed: 4)
        let ringGenerator = try Self.generator(Self.bounded(model), speculate: false)
        let plainGenerator = try Self.generator(Self.unbounded(model), speculate: false)
        for generator in [ringGenerator, plainGenerator] { _ = Self.answer(generator, first, maxTokens: 8) }
        let onRing = Self.answer(ringGenerator, second, maxTokens: 40)
        let onPlain = Self.answer(plainGenerator, second, maxTokens: 40)
        #expect(onRing.cachedPromptTokens == 0 && onPlain.cachedPromptTokens == 150)
        #expect(onRing.choices == onPlain.choices)
        #expect(ringGenerator.cachedTokens == plainGenerator.cachedTokens)
    }

    /// Continuous batching on the ring: a finished request's sequence is kept; a prompt that
    /// extends it whole forks it (the ring holds its end), a prompt sharing only an early part
    /// of it reuses nothing on the ring (150 tokens without one), and every answer is the
    /// unbounded layout's.
    @Test func batchedGeneratorReusesOnlyWhatTheRingHolds() throws {
        let model = try Self.model()
        let first = [1] + Self.tokens(299, seed: 8, vocabulary: 500).map { $0 + 3 }
        func run(_ transformer: Transformer) throws -> (reused: [Int], answers: [[Int32]]) {
            let generator = BatchedGenerator(
                predictor: transformer, tokenizer: try Tokenizer(gguf: ModelFixtures.synthetic(Self.name)), slots: 2)
            var reused: [Int] = []
            var answers: [[Int32]] = []
            var prompt = first
            for turn in 0..<3 {
                var outcome: GenerationOutcome?
                reused.append(
                    generator.admit(
                        GenerationRequest(promptTokens: prompt, sampler: .greedy, maxTokens: 12), id: UInt64(turn),
                        onDelta: { _ in }, onFinish: { outcome = $0 }))
                var steps = 0
                while !generator.isIdle && steps < 200 {
                    generator.step()
                    steps += 1
                }
                let tokens = outcome?.tokens ?? []
                answers.append(tokens)
                // Turn 1 continues turn 0's whole sequence; turn 2 shares only its first 150.
                prompt = turn == 0 ? prompt + tokens.dropLast() + [7, 8, 9] : Array(first[0..<150]) + [10, 11, 12]
            }
            return (reused, answers)
        }
        let onRing = try run(Self.bounded(model, cells: 1_280, sequences: 3))
        let plain = try run(Self.unbounded(model, cells: 1_280))
        #expect(onRing.answers == plain.answers && onRing.answers.allSatisfy { $0.count == 12 })
        #expect(plain.reused[1] > 300 && onRing.reused[1] == plain.reused[1])
        #expect(plain.reused[2] == 150 && onRing.reused[2] == 0)
    }

    /// `parley bench -d`: each run starts from the depth's context again; past the ring the
    /// context is evaluated again (untimed) rather than left empty.
    @Test func benchmarkRefillsTheDepthPastTheRing() throws {
        let model = try Self.model()
        let context = Self.tokens(300, seed: 9)
        let ring = try Self.bounded(model)
        _ = try ring.evaluate(context, logits: .none)
        for _ in 0..<20 { _ = try ring.evaluate(token: 5) }
        try ModelBenchmark.refill(ring, to: context)
        #expect(ring.position == context.count)
        let plain = try Self.unbounded(model)
        _ = try plain.evaluate(context, logits: .none)
        #expect(Array(try ring.evaluate(token: 6).last) == Array(try plain.evaluate(token: 6).last))
    }

    /// A snapshot of a ring holds the main pool's positions and the ring's last `window − 1`;
    /// restored into a new transformer it continues exactly as the original.
    @Test(arguments: [KVCachePrecision.f16, .q8_0])
    func snapshotOfTheRingRestoresExactly(precision: KVCachePrecision) throws {
        let model = try Self.model()
        let tokens = Self.tokens(260, seed: 5)
        let original = try Self.bounded(model, precision: precision)
        _ = try original.evaluate(Array(tokens[0..<200]), logits: .none)
        var bytes: [UInt8] = []
        original.writeSnapshot(into: &bytes)
        let row = precision.rowBytes(headDimension: 32)
        #expect(bytes.count == original.snapshotByteCount)
        #expect(bytes.count == 2 * 1 * row * 200 + 2 * 2 * row * (Self.window - 1))
        #expect(original.snapshotGeometry != (try Self.unbounded(model, precision: precision)).snapshotGeometry)
        let restored = try Self.bounded(model, precision: precision)
        #expect(bytes.withUnsafeBytes { restored.restoreSnapshot($0, tokenCount: 200) })
        let rest = Array(tokens[200...])
        let continued = Self.rows(try restored.evaluate(rest, logits: .all))
        #expect(Self.differingRows(continued, Self.rows(try original.evaluate(rest, logits: .all))).isEmpty)
    }
}
