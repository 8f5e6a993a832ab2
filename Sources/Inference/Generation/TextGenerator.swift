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
    package let predictor: any TokenPredictor
    public let tokenizer: Tokenizer
    /// The tokens whose keys and values are in the cache, in order.
    public private(set) var cachedTokens: [Int32] = []
    /// Prompt tokens evaluated per batch; smaller batches let a cancel land sooner.
    public var prefillBatch = 256
    /// Called after each prefill batch with the prompt tokens in the cache so far and the
    /// prompt's length, so a long prompt can show its progress (cached tokens count as done).
    public var onPrefillProgress: ((_ evaluated: Int, _ total: Int) -> Void)?
    /// Prompt-lookup speculation for single answers (`TextGenerator+Speculation`); on by default,
    /// as it changes no output, only how many forward passes produce it.
    public var speculation = SpeculationSettings()

    package init(predictor: any TokenPredictor, tokenizer: Tokenizer) {
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

    /// Generates a reply to `request.promptTokens`, calling `onText` with each new piece of text
    /// (of choice 0; use `generate(_:cancel:onDelta:)` for several choices).
    public func generate(
        _ request: GenerationRequest, cancel: CancellationFlag,
        onText: (String) -> Void
    ) -> GenerationOutcome {
        generate(request, cancel: cancel) { delta in
            if delta.choice == 0, !delta.text.isEmpty { onText(delta.text) }
        }
    }

    /// Generates `request.choices` alternative replies: the prompt is evaluated once, then each
    /// choice is a sequence forked from it, and one batched step per token evaluates every choice
    /// still running. Each choice finishes on its own (end of generation, stop string,
    /// `maxTokens`, the context's end) and leaves the batch. A cancel lands within one step.
    /// Afterwards the cache holds choice 0's sequence, so the next turn reuses it.
    public func generate(
        _ request: GenerationRequest, cancel: CancellationFlag,
        onDelta: (GenerationDelta) -> Void
    ) -> GenerationOutcome {
        let count = max(1, request.choices)
        var outcome = GenerationOutcome(
            choices: (0..<count).map { GenerationChoice(index: $0) },
            promptTokens: request.promptTokens.count, cachedPromptTokens: 0,
            prefillSeconds: 0, decodeSeconds: 0, errorMessage: nil)
        func fail(_ message: String) -> GenerationOutcome {
            for index in outcome.choices.indices { outcome.choices[index].finishReason = .error }
            outcome.errorMessage = message
            return outcome
        }
        let prompt = request.promptTokens
        guard !prompt.isEmpty else { return fail("the prompt is empty") }
        guard prompt.count < predictor.contextLength else {
            return fail(
                "the prompt (\(prompt.count) tokens) does not fit the context of \(predictor.contextLength) tokens")
        }
        var runs: [ChoiceRun] = []
        do {
            let prefillStart = DispatchTime.now()
            guard let promptLogits = try prefill(prompt, cancel: cancel, outcome: &outcome) else {
                for index in outcome.choices.indices { outcome.choices[index].finishReason = .cancelled }
                return outcome
            }
            outcome.prefillSeconds = seconds(since: prefillStart)

            let decodeStart = DispatchTime.now()
            defer { outcome.decodeSeconds = seconds(since: decodeStart) }
            for index in 0..<count {
                // Choice i decodes sequence i; choice 0 continues sequence 0, the prompt's own.
                if index > 0 { try predictor.fork(index, from: 0, length: nil) }
                var settings = request.sampler
                settings.seed = SamplerSettings.choiceSeed(request.sampler.seed, index: index)
                runs.append(
                    ChoiceRun(
                        index: index, settings: settings, request: request, tokenizer: tokenizer,
                        prompt: prompt))
            }
            if count == 1, speculation.enabled {
                try decodeSpeculatively(
                    &runs[0], promptLogits: promptLogits, cancel: cancel, counts: &outcome.speculation,
                    onDelta: onDelta)
            } else {
                try decode(&runs, promptLogits: promptLogits, request: request, cancel: cancel, onDelta: onDelta)
            }
        } catch {
            for index in runs.indices where !runs[index].finished {
                runs[index].finish(.error, onDelta: onDelta)
            }
            outcome.errorMessage = String(describing: error)
            if runs.isEmpty {
                reset()
                return fail(String(describing: error))
            }
        }
        for run in runs { outcome.choices[run.index] = run.result }
        keepFirstChoice(runs: runs, prompt: prompt, failed: outcome.errorMessage != nil)
        return outcome
    }

    /// The token loop: sample every running choice from its logits row, then evaluate all of
    /// their new tokens in one batch.
    private func decode(
        _ runs: inout [ChoiceRun], promptLogits: UnsafeBufferPointer<Float>,
        request: GenerationRequest, cancel: CancellationFlag,
        onDelta: (GenerationDelta) -> Void
    ) throws {
        var rows = [UnsafeBufferPointer<Float>](repeating: promptLogits, count: runs.count)
        var batch = TokenBatch(capacity: runs.count)
        var stepping: [Int] = []
        stepping.reserveCapacity(runs.count)
        while true {
            if cancel.isCancelled {
                for index in runs.indices where !runs[index].finished {
                    runs[index].finish(.cancelled, onDelta: onDelta)
                }
                return
            }
            batch.removeAll()
            stepping.removeAll(keepingCapacity: true)
            for index in runs.indices where !runs[index].finished {
                let atEnd = predictor.length(of: index) >= predictor.contextLength
                try FiniteLogits.check(rows[index], "at position \(predictor.length(of: index)) of answer \(index + 1)")
                guard
                    let token = runs[index].step(
                        logits: rows[index], atContextEnd: atEnd,
                        endOfGeneration: tokenizer.endOfGeneration, onDelta: onDelta)
                else { continue }
                // Several choices may run out of shared cells before the context's end.
                if batch.count + 1 > predictor.freeCells {
                    runs[index].finish(.length, onDelta: onDelta)
                    continue
                }
                batch.append(token, sequence: index, logits: true)
                stepping.append(index)
            }
            if batch.isEmpty { return }
            let logits = try predictor.predict(batch)
            for (row, index) in stepping.enumerated() {
                rows[index] = logits.row(row)
                runs[index].evaluated(batch.tokens[row])
            }
        }
    }

    /// Leaves choice 0's sequence as the cache's only one (compacted to the front), and
    /// `cachedTokens` saying which tokens it holds; after an error the cache is emptied.
    private func keepFirstChoice(runs: [ChoiceRun], prompt: [Int32], failed: Bool) {
        for index in 1..<max(1, runs.count) { predictor.remove(sequence: index) }
        guard !failed else {
            reset()
            return
        }
        predictor.keepOnly(sequence: 0)
        if let first = runs.first { cachedTokens = prompt + first.result.tokens.prefix(first.evaluatedTokens) }
        precondition(cachedTokens.count == predictor.position, "cached tokens must match the cache")
    }

    /// Evaluates the part of `prompt` not already cached; nil when cancelled part-way.
    private func prefill(
        _ prompt: [Int32], cancel: CancellationFlag,
        outcome: inout GenerationOutcome
    ) throws -> UnsafeBufferPointer<Float>? {
        // A sliding-window model may keep less than the common prefix (its ring no longer holds
        // what the first new token would see there): the rest is evaluated again.
        let common = predictor.truncate(to: reusablePrefixLength(of: prompt))
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
            onPrefillProgress?(end, prompt.count)
        }
        return logits
    }

    private func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }
}
