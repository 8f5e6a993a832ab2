import Foundation
import Synchronization

/// A flag another thread raises to stop a generation; checked between tokens.
public final class CancellationFlag: Sendable {
    private let raised = Atomic<Bool>(false)

    public init() {}

    public func cancel() { raised.store(true, ordering: .relaxed) }
    public func reset() { raised.store(false, ordering: .relaxed) }
    public var isCancelled: Bool { raised.load(ordering: .relaxed) }
}

/// Runs prompt evaluation and the token loop, streaming text as it completes.
///
/// It remembers which tokens are in the predictor's cache, so a follow-up prompt that extends
/// the previous one (the next chat turn) evaluates only its new suffix; a prompt that diverges
/// (regenerate, edited message) cuts the cache back to the common prefix first.
public final class TextGenerator {
    public let predictor: any TokenPredictor
    public let tokenizer: Tokenizer
    /// The tokens whose keys and values are in the cache, in order.
    public private(set) var cachedTokens: [Int32] = []
    /// Prompt tokens evaluated per batch; smaller batches let a cancel land sooner.
    public var prefillBatch = 256

    public init(predictor: any TokenPredictor, tokenizer: Tokenizer) {
        self.predictor = predictor
        self.tokenizer = tokenizer
    }

    /// Declares that the predictor's cache now holds `tokens` (after restoring a snapshot).
    public func assumeCached(_ tokens: [Int32]) {
        precondition(tokens.count == predictor.position, "cached tokens must match the predictor's position")
        cachedTokens = tokens
    }

    /// How many leading tokens of `prompt` the cache already holds and a generation would reuse:
    /// the common prefix, but at most `prompt.count - 1`, because the logits after the last
    /// prompt token are needed, so at least one token is always evaluated.
    public func reusablePrefixLength(of prompt: [Int32]) -> Int {
        let common = zip(cachedTokens, prompt).prefix { $0 == $1 }.count
        return max(0, min(common, prompt.count - 1))
    }

    /// Forgets the cache (e.g. after loading another conversation).
    public func reset() {
        predictor.truncate(to: 0)
        cachedTokens.removeAll()
    }

    /// Generates a reply to `request.promptTokens`, calling `onText` with each new piece of text.
    public func generate(_ request: GenerationRequest, cancel: CancellationFlag,
                         onText: (String) -> Void) -> GenerationOutcome {
        var outcome = GenerationOutcome(text: "", tokens: [], finishReason: .stop,
                                        promptTokens: request.promptTokens.count, cachedPromptTokens: 0,
                                        prefillSeconds: 0, decodeSeconds: 0, errorMessage: nil)
        let prompt = request.promptTokens
        guard !prompt.isEmpty else {
            outcome.finishReason = .error
            outcome.errorMessage = "the prompt is empty"
            return outcome
        }
        guard prompt.count < predictor.contextLength else {
            outcome.finishReason = .error
            outcome.errorMessage = "the prompt (\(prompt.count) tokens) does not fit the context of \(predictor.contextLength) tokens"
            return outcome
        }
        do {
            let prefillStart = DispatchTime.now()
            guard var logits = try prefill(prompt, cancel: cancel, outcome: &outcome) else {
                outcome.finishReason = .cancelled
                return outcome
            }
            outcome.prefillSeconds = seconds(since: prefillStart)

            let decodeStart = DispatchTime.now()
            var sampler = Sampler(settings: request.sampler)
            var decoder = TokenStreamDecoder(tokenizer: tokenizer)
            var stops = StopStringMatcher(stops: request.stop)
            defer { outcome.decodeSeconds = seconds(since: decodeStart) }
            while true {
                if cancel.isCancelled { outcome.finishReason = .cancelled; break }
                try FiniteLogits.check(logits, "at position \(predictor.position)")
                let token = sampler.sample(logits: logits, history: cachedTokens[...])
                if tokenizer.endOfGeneration.contains(token) { outcome.finishReason = .stop; break }
                outcome.tokens.append(token)
                let (text, stopped) = stops.push(decoder.push(token))
                if !text.isEmpty { outcome.text += text; onText(text) }
                if stopped { outcome.finishReason = .stop; return outcome }
                if outcome.tokens.count >= request.maxTokens || predictor.position >= predictor.contextLength {
                    outcome.finishReason = .length
                    break
                }
                logits = try withUnsafePointer(to: token) {
                    try predictor.predict(UnsafeBufferPointer(start: $0, count: 1))
                }
                cachedTokens.append(token)
            }
            let tail = stops.push(decoder.flush()).text + stops.flush()
            if !tail.isEmpty { outcome.text += tail; onText(tail) }
        } catch {
            outcome.finishReason = .error
            outcome.errorMessage = String(describing: error)
            reset()
        }
        return outcome
    }

    /// Evaluates the part of `prompt` not already cached; nil when cancelled part-way.
    private func prefill(_ prompt: [Int32], cancel: CancellationFlag,
                         outcome: inout GenerationOutcome) throws -> UnsafeBufferPointer<Float>? {
        let common = reusablePrefixLength(of: prompt)
        predictor.truncate(to: common)
        cachedTokens.removeSubrange(common...)
        outcome.cachedPromptTokens = common

        var logits: UnsafeBufferPointer<Float>?
        var start = common
        while start < prompt.count {
            if cancel.isCancelled { return nil }
            let end = min(start + prefillBatch, prompt.count)
            logits = try prompt[start..<end].withUnsafeBufferPointer { try predictor.predict($0) }
            cachedTokens.append(contentsOf: prompt[start..<end])
            start = end
        }
        return logits
    }

    private func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }
}
