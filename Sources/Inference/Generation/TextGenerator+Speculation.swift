/// Speculative decoding of a single answer with drafts from its own context.
///
/// Each step evaluates the token just sampled together with up to k tokens that `PromptLookup`
/// drafts after it, in one batched pass of the one sequence with logits for every row
/// (`TokenBatch.decodesRowsAlone`, so each row's logits equal a one-token step's bit for bit).
/// The rows are then sampled in order as plain decoding would sample them: while the sampled
/// token is the draft, the draft was right and the next row is already computed; the first
/// other token is kept and the rejected drafts are cut from the cache (`truncate`). When every
/// draft holds, the last row gives one more token for free. Stop strings, `maxTokens`, end of
/// generation, the context's end and a cancel act on each token exactly as without drafts, and
/// a token's score comes from its verified row, so the answer, its logprobs and the cache left
/// behind are the same as without speculation — only the number of passes differs.
extension TextGenerator {
    func decodeSpeculatively(
        _ run: inout ChoiceRun, promptLogits: UnsafeBufferPointer<Float>, cancel: CancellationFlag,
        counts: inout SpeculationCounts, onDelta: (GenerationDelta) -> Void
    ) throws {
        let settings = speculation
        var policy = DraftPolicy(maximum: settings.maximumDraft)
        var batch = TokenBatch(capacity: settings.maximumDraft + 1)
        batch.decodesRowsAlone = true
        var draft: [Int32] = []
        draft.reserveCapacity(settings.maximumDraft)
        // The context drafts are looked up in: the run's history plus the token being evaluated.
        var context = run.history
        context.reserveCapacity(min(predictor.contextLength, context.count + run.remainingTokens + 1))
        var rows: EvaluatedLogits?
        while true {
            // Sample row by row: row i follows the i-th drafted token (row 0, the sampled one).
            let base = predictor.length(of: 0) - (rows.map { $0.rows } ?? 0)
            var accepted = 0
            var next: Int32?
            for i in 0...draft.count {
                let logits = rows?.row(i) ?? promptLogits
                if cancel.isCancelled {
                    run.finish(.cancelled, onDelta: onDelta)
                    break
                }
                let position = base + min(i + 1, rows?.rows ?? 0)
                try FiniteLogits.check(logits, "at position \(position) of answer 1")
                let sampled = run.sample(logits: logits)
                let isDraft = i < draft.count
                let accept = isDraft && (sampled == draft[i] || settings.acceptance == .acceptEveryDraft)
                guard
                    let token = run.take(
                        accept ? draft[i] : sampled, logits: logits, atContextEnd: position >= predictor.contextLength,
                        endOfGeneration: tokenizer.endOfGeneration, onDelta: onDelta)
                else { break }
                if accept {
                    run.evaluated(token)
                    context.append(token)
                    accepted += 1
                } else {
                    next = token
                    break
                }
            }
            if rows != nil {
                counts.drafted += draft.count
                counts.accepted += accepted
                policy.record(drafted: draft.count, accepted: accepted)
                // Keep the sampled token and the accepted drafts; the rest never happened (drafts
                // never exceed `rollbackDepth`, so a sliding window's ring keeps them too).
                let kept = predictor.truncate(to: base + 1 + accepted)
                precondition(kept == base + 1 + accepted, "a rollback within rollbackDepth must be kept")
            }
            guard let token = next else { return }
            if predictor.freeCells < 1 {
                run.finish(.length, onDelta: onDelta)
                return
            }
            context.append(token)
            let position = predictor.length(of: 0)
            // A draft never reaches past `maxTokens` (the token after the last allowed one is
            // never needed), the context or the free cells.
            let room = min(
                policy.length, run.remainingTokens - 1, predictor.contextLength - position - 1,
                predictor.freeCells - 1, predictor.rollbackDepth)
            draft.removeAll(keepingCapacity: true)
            if room > 0, policy.shouldDraft() {
                PromptLookup.draft(from: context, count: room, into: &draft)
            }
            batch.removeAll()
            batch.append(token, sequence: 0, logits: true)
            for drafted in draft { batch.append(drafted, sequence: 0, logits: true) }
            rows = try predictor.predict(batch)
            run.evaluated(token)
        }
    }
}
