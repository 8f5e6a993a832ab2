import Dispatch

/// One request inside `BatchedGenerator`: its prompt's progress into the cache, then one
/// `ChoiceRun` per alternative, each on its own sequence (choice 0 on the prompt's sequence).
struct ActiveRequest {
    let id: UInt64
    let request: GenerationRequest
    /// The prompt's sequence, continued by choice 0.
    let sequence: Int
    /// Prompt tokens in the cache (reused ones included).
    var prefilled: Int
    let reused: Int
    let onDelta: BatchedGenerator.Delta
    let onFinish: BatchedGenerator.Finish
    let onPromptScored: BatchedGenerator.PromptScored?
    /// The prompt's scores so far, when the request asked for them (`scoresPrompt`).
    private(set) var promptScores: PromptScores?
    private(set) var runs: [ChoiceRun] = []
    /// Each choice's sequence, once the prompt is in.
    private(set) var sequences: [Int] = []
    /// Each choice's sampled token waiting to be evaluated (nil: none, the choice ended).
    private(set) var pending: [Int32?] = []
    /// Deltas produced since the last `releaseDeltas()`: rows are sampled on the worker pool,
    /// and the deltas go out afterwards from the stepping thread, in order.
    private var held: [GenerationDelta] = []
    var errorMessage: String?
    /// Set when the request ended before its choices started: cancelled or failed in prefill,
    /// or `.length` when it asked for no tokens (`maxTokens` 0: the prompt scored alone).
    private var endedEarly: FinishReason?
    private let admitted = DispatchTime.now()
    private var prefillEnd: DispatchTime?

    init(
        id: UInt64, request: GenerationRequest, sequence: Int, prefilled: Int,
        onDelta: @escaping BatchedGenerator.Delta, onFinish: @escaping BatchedGenerator.Finish,
        onPromptScored: BatchedGenerator.PromptScored? = nil
    ) {
        self.id = id
        self.request = request
        self.sequence = sequence
        self.prefilled = prefilled
        reused = prefilled
        self.onDelta = onDelta
        self.onFinish = onFinish
        self.onPromptScored = onPromptScored
        if request.scoresPrompt, let first = request.promptTokens.first {
            promptScores = PromptScores(first: first)
            promptScores?.scores.reserveCapacity(request.promptTokens.count - 1)
        }
    }

    /// Whether the prompt is evaluated and the choices have started.
    var isPrefilled: Bool { !runs.isEmpty || endedEarly != nil }

    var isDone: Bool { endedEarly != nil || (!runs.isEmpty && runs.allSatisfy(\.finished)) }

    func isRunning(_ choice: Int) -> Bool { choice < runs.count && !runs[choice].finished }

    /// The tokens sequence `sequence` holds: the prompt so far, then choice 0's evaluated tokens.
    var cachedTokens: [Int32] {
        var tokens = Array(request.promptTokens.prefix(prefilled))
        if let first = runs.first { tokens += first.result.tokens.prefix(first.evaluatedTokens) }
        return tokens
    }

    mutating func endPrefill() { prefillEnd = DispatchTime.now() }

    /// Records the score of the prompt's next unscored token (rows come in prompt order).
    mutating func recordPromptScore(_ score: TokenScore) {
        promptScores?.scores.append(score)
    }

    /// The prompt's scores once every one is in (nil before, after a failure, or unasked).
    var completePromptScores: PromptScores? {
        guard errorMessage == nil, let promptScores, promptScores.scores.count == request.promptTokens.count - 1
        else { return nil }
        return promptScores
    }

    /// Reports the whole prompt's scores, once its last row is in.
    func reportPromptScores() {
        if let completePromptScores { onPromptScored?(completePromptScores) }
    }

    /// Ends a request that asked for no tokens once its prompt is in (and scored).
    mutating func endWithoutTokens() {
        if endedEarly == nil { endedEarly = .length }
    }

    /// Creates the choices' runs once the prompt is in; `sequences[0]` is `sequence`.
    mutating func startChoices(sequences: [Int], tokenizer: Tokenizer) {
        self.sequences = sequences
        for index in sequences.indices {
            var settings = request.sampler
            settings.seed = SamplerSettings.choiceSeed(request.sampler.seed, index: index)
            runs.append(
                ChoiceRun(
                    index: index, settings: settings, request: request, tokenizer: tokenizer,
                    prompt: request.promptTokens))
        }
        pending = Array(repeating: nil, count: sequences.count)
    }

    mutating func sample(
        choice c: Int, logits: UnsafeBufferPointer<Float>, atContextEnd: Bool,
        endOfGeneration: Set<Int32>
    ) {
        var held: [GenerationDelta] = []
        swap(&held, &self.held)
        pending[c] = runs[c].step(
            logits: logits, atContextEnd: atContextEnd, endOfGeneration: endOfGeneration,
            onDelta: { held.append($0) })
        swap(&held, &self.held)
    }

    /// Reports the held deltas to `onDelta`, oldest first.
    mutating func releaseDeltas() {
        guard !held.isEmpty else { return }
        for delta in held { onDelta(delta) }
        held.removeAll(keepingCapacity: true)
    }

    mutating func evaluated(choice c: Int, token: Int32) {
        runs[c].evaluated(token)
        pending[c] = nil
    }

    mutating func finishChoice(_ c: Int, _ reason: FinishReason) {
        var held: [GenerationDelta] = []
        swap(&held, &self.held)
        runs[c].finish(reason, onDelta: { held.append($0) })
        swap(&held, &self.held)
        pending[c] = nil
    }

    /// Ends every choice still running (or the whole request, before its choices started).
    mutating func finishAll(_ reason: FinishReason) {
        guard !runs.isEmpty else {
            if endedEarly == nil { endedEarly = reason }
            return
        }
        for c in runs.indices where !runs[c].finished { finishChoice(c, reason) }
    }

    func outcome() -> GenerationOutcome {
        var outcome = Self.emptyOutcome(request)
        outcome.cachedPromptTokens = reused
        outcome.errorMessage = errorMessage
        outcome.promptScores = completePromptScores
        if let endedEarly {
            for index in outcome.choices.indices { outcome.choices[index].finishReason = endedEarly }
        } else {
            for run in runs { outcome.choices[run.index] = run.result }
        }
        let now = DispatchTime.now()
        let end = prefillEnd ?? now
        outcome.prefillSeconds = Double(end.uptimeNanoseconds - admitted.uptimeNanoseconds) / 1e9
        outcome.decodeSeconds = prefillEnd.map { Double(now.uptimeNanoseconds - $0.uptimeNanoseconds) / 1e9 } ?? 0
        return outcome
    }

    static func emptyOutcome(_ request: GenerationRequest) -> GenerationOutcome {
        GenerationOutcome(
            choices: (0..<max(1, request.choices)).map { GenerationChoice(index: $0) },
            promptTokens: request.promptTokens.count, cachedPromptTokens: 0,
            prefillSeconds: 0, decodeSeconds: 0, errorMessage: nil)
    }
}
