/// The rows of one step's logits, once the forward pass is done: the prompt rows of requests
/// that score their prompt, then the rows each running choice samples its next token from.
extension BatchedGenerator {
    /// Scores this step's prompt rows, each predicting the prompt's next token, on the pool (a
    /// pass over the vocabulary per row, which one thread alone made 7% of Gemma's scoring); a
    /// row that is not finite fails its request.
    func scorePromptRows(_ logits: EvaluatedLogits) {
        guard !promptRows.isEmpty else { return }
        var results = [Result<TokenScore, InferenceError>?](repeating: nil, count: promptRows.count)
        promptRows.withUnsafeBufferPointer { rows in
            active.withUnsafeBufferPointer { requests in
                results.withUnsafeMutableBufferPointer { buffer in
                    let out = buffer
                    let body = { (index: Int, _: Int) in
                        let prompt = rows[index]
                        let request = requests[prompt.request].request
                        let row = logits.row(prompt.row)
                        do throws(InferenceError) {
                            try FiniteLogits.check(row, "at position \(prompt.position) of the prompt")
                            let next = request.promptTokens[prompt.position + 1]
                            out[index] = .success(LogSoftmax.score(next, logits: row, top: request.topLogprobs))
                        } catch { out[index] = .failure(error) }
                    }
                    if let pool {
                        pool.parallelFor(count: rows.count, body)
                    } else {
                        for i in rows.indices { body(i, 0) }
                    }
                }
            }
        }
        for (prompt, result) in zip(promptRows, results) where active[prompt.request].errorMessage == nil {
            switch result {
            case .success(let score)?:
                active[prompt.request].recordPromptScore(score)
            case .failure(let error)?:
                active[prompt.request].errorMessage = String(describing: error)
                active[prompt.request].finishAll(.error)
            case nil:
                continue
            }
        }
    }

    /// Samples every row of `samples`: the requests in parallel on the pool (each request's
    /// choices in order on one thread, as its runs share its state), which is the step's only
    /// per-request work between two forward passes. Each run gets the same logits and state as
    /// when sampled serially, so the tokens are the same; deltas are held and released in order.
    func sampleRows(_ logits: EvaluatedLogits) {
        sampleGroups.removeAll(keepingCapacity: true)
        for index in samples.indices {
            let sample = samples[index]
            if index == 0 || sample.request != samples[index - 1].request { sampleGroups.append(index) }
            // Read from the cache here: the pool's threads touch only their own requests.
            if active[sample.request].isRunning(sample.choice) {
                samples[index].position = predictor.length(of: active[sample.request].sequences[sample.choice])
            }
        }
        sampleGroups.append(samples.count)
        let groups = sampleGroups.count - 1
        guard groups > 0 else { return }
        let (contextLength, endOfGeneration) = (predictor.contextLength, tokenizer.endOfGeneration)
        samples.withUnsafeBufferPointer { samples in
            sampleGroups.withUnsafeBufferPointer { starts in
                active.withUnsafeMutableBufferPointer { buffer in
                    let requests = buffer
                    let body = { (group: Int, _: Int) in
                        for sample in samples[starts[group]..<starts[group + 1]] {
                            Self.sample(
                                &requests[sample.request], sample, logits: logits.row(sample.row),
                                contextLength: contextLength, endOfGeneration: endOfGeneration)
                        }
                    }
                    if let pool, groups > 1, samplesInParallel {
                        pool.parallelFor(count: groups, body)
                    } else {
                        for group in 0..<groups { body(group, 0) }
                    }
                }
            }
        }
    }

    private static func sample(
        _ request: inout ActiveRequest, _ sample: RowSample, logits: UnsafeBufferPointer<Float>,
        contextLength: Int, endOfGeneration: Set<Int32>
    ) {
        let c = sample.choice
        guard request.isRunning(c) else { return }
        do { try FiniteLogits.check(logits, "at position \(sample.position) of answer \(c + 1)") } catch {
            request.errorMessage = String(describing: error)
            request.finishAll(.error)
            return
        }
        request.sample(
            choice: c, logits: logits, atContextEnd: sample.position >= contextLength, endOfGeneration: endOfGeneration)
    }
}

/// A row to sample after a forward pass: request `request`'s choice `choice` from logits row
/// `row`; `position` is the choice's cached length (its next token's position).
struct RowSample {
    var request: Int
    var choice: Int
    var row: Int
    var position = 0
}

/// A logits row of a scored prompt: it follows position `position` of request `request`'s
/// prompt and predicts the token after it.
struct PromptRow {
    var request: Int
    var position: Int
    var row: Int
}
