import Dispatch

/// Continuous batching: independent generation requests decoded together, one forward pass per
/// step over one KV cache (`TokenBatch`), each request joining and leaving between steps.
///
/// A server admits a request into a free slot with `admit`; every `step` then evaluates one
/// token of each running choice and, beside them, a chunk of the prompts still being prefilled,
/// so a long prompt never stalls the streams already running for more than one chunk. A
/// request finishes on its own (end of generation, stop string, `maxTokens`, context end, or
/// `cancel`), reports its `GenerationOutcome` and frees its slot. Its last sequence stays in the
/// cache as a reusable prefix (`PrefixCache`): a later prompt that starts with the same tokens
/// (the same system prompt, the next turn of the conversation) forks it instead of evaluating
/// them again. Not thread-safe: one thread owns it, as one owns the predictor.
public final class BatchedGenerator {
    package let predictor: any TokenPredictor
    public let tokenizer: Tokenizer
    /// Requests that may run at once.
    public let slots: Int
    /// Prompt tokens evaluated per step while other requests are decoding; alone, a prompt is
    /// evaluated in chunks of `soloPrefillChunk`, exactly as `TextGenerator` does.
    public var prefillChunk = 32
    public var soloPrefillChunk = 256
    /// Sample different requests' rows on the worker pool (false: one after another on the
    /// stepping thread, the reference the tests compare the parallel path with).
    package var samplesInParallel = true

    var active: [ActiveRequest] = []
    private var prefixes: PrefixCache
    private var nextSequence = 1
    private var batch = TokenBatch(capacity: 64)
    /// What each entry of `batch` is: (request index, choice), choice -1 for a prompt token.
    private var entries: [(request: Int, choice: Int)] = []
    /// The rows to sample after this step's forward pass, one request's choices side by side.
    var samples: [RowSample] = []
    /// Where each request's run of `samples` starts, and `samples.count` last.
    var sampleGroups: [Int] = []
    /// This step's rows that score a prompt's own tokens (`GenerationRequest.scoresPrompt`).
    var promptRows: [PromptRow] = []
    /// The transformer's threads, which sample the rows of different requests in parallel.
    let pool: WorkerPool?

    /// Called once per request with its outcome when it ends (on the stepping thread).
    public typealias Finish = (GenerationOutcome) -> Void
    public typealias Delta = (GenerationDelta) -> Void
    /// Called once with a `scoresPrompt` request's scores, when its prompt is in and before its
    /// first token's delta.
    public typealias PromptScored = (PromptScores) -> Void
    /// The most prompt tokens of `scoresPrompt` requests evaluated per step, all such requests
    /// together: each has a logits row (1 MB for Gemma 3's 262k vocabulary), so a step's logits
    /// stay within 64 MB however many scoring requests run. 64 scored an 874-token prompt in
    /// 25% (Gemma 3) and 40% (SmolLM2) less time than 32; 128 was no faster.
    public var scoredPromptChunk = 64

    package init(predictor: any TokenPredictor, tokenizer: Tokenizer, slots: Int) {
        self.predictor = predictor
        self.tokenizer = tokenizer
        self.slots = max(1, slots)
        prefixes = PrefixCache(limit: 2 * max(1, slots))
        pool = (predictor as? Transformer)?.pool
    }

    /// Requests running (prefilling or decoding).
    public var activeCount: Int { active.count }
    public var hasFreeSlot: Bool { active.count < slots }
    public var isIdle: Bool { active.isEmpty }

    /// Starts `request` under the caller's `id`; returns how many prompt tokens it reuses from
    /// the cache. A request that cannot start (empty or too long a prompt, no free slot) ends at
    /// once: `onFinish` is called with an error outcome before `admit` returns.
    @discardableResult
    public func admit(
        _ request: GenerationRequest, id: UInt64, onDelta: @escaping Delta,
        onFinish: @escaping Finish, onPromptScored: PromptScored? = nil
    ) -> Int {
        let prompt = request.promptTokens
        var failure: String?
        if prompt.isEmpty {
            failure = "the prompt is empty"
        } else if prompt.count >= predictor.contextLength {
            failure =
                "the prompt (\(prompt.count) tokens) does not fit the context of \(predictor.contextLength) tokens"
        } else if !hasFreeSlot {
            failure = "no free slot"
        }
        if let failure {
            var outcome = ActiveRequest.emptyOutcome(request)
            for index in outcome.choices.indices { outcome.choices[index].finishReason = .error }
            outcome.errorMessage = failure
            onFinish(outcome)
            return 0
        }
        let sequence = takeSequenceID()
        var reused = 0
        // A running request's cached tokens are candidates too: concurrent requests with one
        // system prompt share its cells as soon as the first has evaluated it.
        // A sliding-window model's ring may hold a candidate's prefix only whole (or not at all):
        // candidates count with the length a fork would actually share. A request that scores
        // its prompt takes no prefix (cached positions have no logits), so it gathers none.
        if !request.scoresPrompt,
            let best = prefixes.longestPrefix(
                of: prompt, alsoAmong: active.map { (sequence: $0.sequence, tokens: $0.cachedTokens) },
                servable: { [predictor] in predictor.servableLength(of: $0, atMost: $1) }),
            best.length > 0, let shared = try? predictor.fork(sequence, from: best.sequence, length: best.length)
        {
            reused = shared
        }
        active.append(
            ActiveRequest(
                id: id, request: request, sequence: sequence, prefilled: reused,
                onDelta: onDelta, onFinish: onFinish, onPromptScored: onPromptScored))
        return reused
    }

    /// Ends request `id` as cancelled (its partial text is kept); unknown ids are ignored.
    public func cancel(_ id: UInt64) {
        guard let index = active.firstIndex(where: { $0.id == id }) else { return }
        active[index].finishAll(.cancelled)
        finish(at: index)
    }

    /// Ends every request with an error (after a failed forward pass) and forgets the cache.
    private func failAll(_ message: String) {
        while !active.isEmpty {
            active[active.count - 1].errorMessage = message
            active[active.count - 1].finishAll(.error)
            finish(at: active.count - 1)
        }
        for sequence in prefixes.removeAll() { predictor.remove(sequence: sequence) }
    }

    /// One forward pass: a token for each running choice, then prompt chunks, oldest request
    /// first. Does nothing when idle.
    public func step() {
        guard !active.isEmpty else { return }
        batch.removeAll()
        entries.removeAll(keepingCapacity: true)
        for r in active.indices {
            for c in active[r].pending.indices {
                guard let token = active[r].pending[c] else { continue }
                if !reserveCells(1) {
                    active[r].finishChoice(c, .length)
                    continue
                }
                batch.append(token, sequence: active[r].sequences[c], logits: true)
                entries.append((r, c))
            }
        }
        var budget = batch.isEmpty ? soloPrefillChunk : prefillChunk
        var scoredBudget = scoredPromptChunk
        for r in active.indices where !active[r].isPrefilled && budget > 0 {
            let prompt = active[r].request.promptTokens
            let scored = active[r].request.scoresPrompt
            let start = active[r].prefilled
            let count = min(budget, scored ? scoredBudget : .max, prompt.count - start)
            guard count > 0 else { continue }
            guard reserveCells(count) else { break }
            if scored { scoredBudget -= count }
            for offset in 0..<count {
                let position = start + offset
                batch.append(
                    prompt[position], sequence: active[r].sequence, logits: scored || position == prompt.count - 1)
                entries.append((r, -1))
            }
            budget -= count
        }
        if batch.isEmpty {
            // Nothing could be scheduled: choices ended for want of cells, or no prompt fits
            // even with every cached prefix evicted and nothing else running.
            for r in active.indices where !active[r].isDone {
                active[r].errorMessage = "the KV cache is full"
                active[r].finishAll(.error)
            }
            removeFinished()
            return
        }
        let logits: EvaluatedLogits
        do { logits = try predictor.predict(batch) } catch {
            failAll(String(describing: error))
            return
        }
        var row = 0
        samples.removeAll(keepingCapacity: true)
        promptRows.removeAll(keepingCapacity: true)
        var prefilled: [Int] = []
        for (entry, (r, c)) in entries.enumerated() {
            if c >= 0 {
                active[r].evaluated(choice: c, token: batch.tokens[entry])
                samples.append(RowSample(request: r, choice: c, row: row))
                row += 1
            } else {
                let position = active[r].prefilled
                active[r].prefilled += 1
                guard batch.wantsLogits[entry] else { continue }
                defer { row += 1 }
                if position + 1 < active[r].request.promptTokens.count {
                    // A scored prompt row: it predicts the prompt's next token.
                    promptRows.append(PromptRow(request: r, position: position, row: row))
                    continue
                }
                active[r].endPrefill()
                prefilled.append(r)
                if active[r].request.maxTokens <= 0 {
                    active[r].endWithoutTokens()
                    continue
                }
                for c in 0..<startChoices(r) { samples.append(RowSample(request: r, choice: c, row: row)) }
            }
        }
        scorePromptRows(logits)
        for r in prefilled { active[r].reportPromptScores() }
        sampleRows(logits)
        for r in active.indices { active[r].releaseDeltas() }
        removeFinished()
    }

    // MARK: - Steps of a request

    /// Forks the request's choices from its prompt; returns how many started (0 if a fork
    /// failed), each to sample its first token from the prompt's logits.
    private func startChoices(_ r: Int) -> Int {
        let count = max(1, active[r].request.choices)
        var sequences = [active[r].sequence]
        for _ in 1..<count {
            let sequence = takeSequenceID()
            do { try predictor.fork(sequence, from: active[r].sequence, length: nil) } catch {
                active[r].errorMessage = String(describing: error)
                active[r].finishAll(.error)
                return 0
            }
            sequences.append(sequence)
        }
        active[r].startChoices(sequences: sequences, tokenizer: tokenizer)
        return count
    }

    private func removeFinished() {
        var index = active.count - 1
        while index >= 0 {
            if active[index].isDone { finish(at: index) }
            index -= 1
        }
    }

    /// Reports request `index`'s outcome, keeps its first sequence as a reusable prefix and
    /// removes its other sequences.
    private func finish(at index: Int) {
        var request = active.remove(at: index)
        request.releaseDeltas()
        for sequence in request.sequences.dropFirst() { predictor.remove(sequence: sequence) }
        let cached = request.cachedTokens
        if request.errorMessage == nil, !cached.isEmpty, predictor.length(of: request.sequence) == cached.count {
            for evicted in prefixes.insert(sequence: request.sequence, tokens: cached) {
                predictor.remove(sequence: evicted)
            }
        } else {
            predictor.remove(sequence: request.sequence)
        }
        request.onFinish(request.outcome())
    }

    // MARK: - Cells and sequence ids

    /// Whether `count` more cells are free, after evicting cached prefixes if need be.
    private func reserveCells(_ count: Int) -> Bool {
        let needed = batch.count + count
        while predictor.freeCells < needed, let evicted = prefixes.evictOldest() {
            predictor.remove(sequence: evicted)
        }
        return predictor.freeCells >= needed
    }

    private func takeSequenceID() -> Int {
        defer { nextSequence = nextSequence == Int.max ? 1 : nextSequence + 1 }
        return nextSequence
    }
}
