import Chat

/// Collects a streamed answer from its SSE events: text, logprobs and finish reason per
/// choice, and the usage, and turns each event into the deltas the chat shows.
///
/// It holds only what was received, so whatever ends the stream (the server's `[DONE]`, a
/// cancel, a cut connection), `completion` reports exactly that text.
struct StreamAccumulator {
    let choiceCount: Int
    private(set) var texts: [String]
    private(set) var logprobs: [[TokenLogprob]]
    private(set) var reasons: [FinishReason?]
    private(set) var chunkCounts: [Int]
    private(set) var usage: Usage?
    /// `[DONE]` arrived: the stream ended as the protocol says it should.
    private(set) var done = false

    init(choices: Int) {
        choiceCount = max(1, choices)
        texts = Array(repeating: "", count: choiceCount)
        logprobs = Array(repeating: [], count: choiceCount)
        reasons = Array(repeating: nil, count: choiceCount)
        chunkCounts = Array(repeating: 0, count: choiceCount)
    }

    /// Every choice has its finish reason (a server that omits `[DONE]` has still finished).
    var allFinished: Bool { reasons.allSatisfy { $0 != nil } }
    var receivedText: Bool { texts.contains { !$0.isEmpty } }

    /// Takes one event; returns its deltas. A server error inside the stream is thrown.
    mutating func take(_ event: SSEParser.Event) throws(RemoteError) -> [AnswerDelta] {
        guard !done else { throw .malformedStream("data after [DONE]") }
        if event.data == "[DONE]" {
            done = true
            return []
        }
        let chunk = try StreamChunk.decode(event.data)
        if let error = chunk.error {
            throw .malformedStream(
                "the server reported an error mid-answer: \(RemoteError.clip(error.message ?? "no message"))")
        }
        if let payload = chunk.usage {
            usage = Usage(
                promptTokens: payload.promptTokens ?? 0, completionTokens: payload.completionTokens ?? 0,
                cachedTokens: payload.promptTokensDetails?.cachedTokens ?? 0)
        }
        var deltas: [AnswerDelta] = []
        for choice in chunk.choices ?? [] {
            let index = choice.index ?? 0
            guard (0..<choiceCount).contains(index) else {
                throw .malformedStream("choice index \(index) outside the \(choiceCount) asked for")
            }
            let text = choice.newText
            let tokens = choice.logprobs?.values ?? []
            if !text.isEmpty || !tokens.isEmpty {
                texts[index] += text
                logprobs[index] += tokens
                chunkCounts[index] += 1
                deltas.append(AnswerDelta(choice: index, text: text, logprobs: tokens))
            }
            if let reason = choice.finishReason { reasons[index] = FinishReason(remote: reason) }
        }
        return deltas
    }

    /// The answer as received. `ending` is how the stream ended when it did not finish: the
    /// unfinished choices get that reason and the error's message.
    func completion(
        seed: UInt64, wantsLogprobs: Bool, ending: (reason: FinishReason, error: String?)?,
        timings: Timings
    ) -> Completion {
        let choices = (0..<choiceCount).map { index in
            let reason = reasons[index] ?? ending?.reason ?? .stop
            let failed = reason == .error || reason == .connectionLost
            return Completion.Choice(
                index: index, text: texts[index], reason: reason,
                completionTokens: choiceCount == 1
                    ? (usage?.completionTokens ?? chunkCounts[index]) : chunkCounts[index],
                logprobs: wantsLogprobs ? logprobs[index] : nil, error: failed ? ending?.error : nil)
        }
        let counted = Usage(promptTokens: 0, completionTokens: chunkCounts.reduce(0, +), cachedTokens: 0)
        return Completion(choices: choices, usage: usage ?? counted, timings: timings, seed: seed)
    }
}
