/// One alternative while it is generated: its sampler, text decoding, stop strings and scores.
///
/// `TextGenerator` owns one per choice and calls `step` with the choice's logits row each
/// round, then `evaluated` once its token is in the cache. The run streams its text (and the
/// scores of the tokens that produced it) and ends itself on end of generation, a stop string,
/// `maxTokens` or the context's end; the generator ends it on a cancel, an error or a full cache.
struct ChoiceRun {
    let index: Int
    private var sampler: Sampler
    private var decoder: TokenStreamDecoder
    private var stops: StopStringMatcher
    /// Prompt and evaluated tokens: the context the penalties look at (and prompt lookup drafts from).
    private(set) var history: [Int32]
    private let maxTokens: Int
    private let logprobs: Bool
    private let topLogprobs: Int
    /// Scores of tokens whose text has not been released yet.
    private var pending: [TokenScore] = []
    private(set) var result: GenerationChoice
    private(set) var finished = false
    /// Generated tokens that are in the cache (all but the last sampled one, usually).
    private(set) var evaluatedTokens = 0

    init(index: Int, settings: SamplerSettings, request: GenerationRequest, tokenizer: Tokenizer, prompt: [Int32]) {
        self.index = index
        sampler = Sampler(settings: settings)
        decoder = TokenStreamDecoder(tokenizer: tokenizer)
        stops = StopStringMatcher(stops: request.stop)
        history = prompt
        history.reserveCapacity(prompt.count + min(request.maxTokens, 4096))
        maxTokens = request.maxTokens
        logprobs = request.logprobs
        topLogprobs = min(max(0, request.topLogprobs), LogSoftmax.maximumTop)
        result = GenerationChoice(index: index)
        if !request.measuresCrossEntropy { result.negativeLogLikelihood = nil }
    }

    /// Samples the next token from `logits`; returns it when it must be evaluated (the choice
    /// goes on), nil when the choice ended with this step.
    mutating func step(
        logits: UnsafeBufferPointer<Float>, atContextEnd: Bool, endOfGeneration: Set<Int32>,
        onDelta: (GenerationDelta) -> Void
    ) -> Int32? {
        take(
            sample(logits: logits), logits: logits, atContextEnd: atContextEnd, endOfGeneration: endOfGeneration,
            onDelta: onDelta)
    }

    /// Draws the next token from `logits` after every sampler transform, advancing the sampler's
    /// random state as `step` does; `take` then records it (speculation compares it with a draft
    /// in between).
    mutating func sample(logits: UnsafeBufferPointer<Float>) -> Int32 {
        sampler.sample(logits: logits, history: history[...])
    }

    /// Records `token` as the next generated token (`logits` give its score): streams its
    /// text and ends the choice on end of generation, a stop string, `maxTokens` or the
    /// context's end. Returns the token when it must be evaluated, nil when the choice ended.
    mutating func take(
        _ token: Int32, logits: UnsafeBufferPointer<Float>, atContextEnd: Bool, endOfGeneration: Set<Int32>,
        onDelta: (GenerationDelta) -> Void
    ) -> Int32? {
        if endOfGeneration.contains(token) {
            finish(.stop, onDelta: onDelta)
            return nil
        }
        if logprobs || result.negativeLogLikelihood != nil {
            let score = LogSoftmax.score(token, logits: logits, top: logprobs ? topLogprobs : 0)
            result.negativeLogLikelihood? -= score.logprob
            if logprobs {
                result.scores.append(score)
                pending.append(score)
            }
        }
        result.tokens.append(token)
        let (text, stopped) = stops.push(decoder.push(token))
        release(text, onDelta: onDelta)
        if stopped {
            finished = true
            result.finishReason = .stop
            release("", force: true, onDelta: onDelta)
            return nil
        }
        if result.tokens.count >= maxTokens || atContextEnd {
            finish(.length, onDelta: onDelta)
            return nil
        }
        return token
    }

    /// Generated tokens `maxTokens` still allows.
    var remainingTokens: Int { max(0, maxTokens - result.tokens.count) }

    /// Records that `token` (the one `step` returned) is now in the cache.
    mutating func evaluated(_ token: Int32) {
        history.append(token)
        evaluatedTokens += 1
    }

    /// Ends the choice with `reason`, releasing text held back for a possible stop string or
    /// an incomplete character. A cancelled choice drops an unfinished character (the person
    /// stopped in the middle of it) rather than keeping it as U+FFFD.
    mutating func finish(_ reason: FinishReason, onDelta: (GenerationDelta) -> Void) {
        guard !finished else { return }
        finished = true
        result.finishReason = reason
        let tail = reason == .cancelled ? decoder.flushWholeCharacters() : decoder.flush()
        release(stops.push(tail).text + stops.flush(), force: true, onDelta: onDelta)
    }

    /// Streams `text` with the scores waiting for it; with `force`, scores go out even without
    /// text (tokens of a stop string or of bytes that never completed a character).
    private mutating func release(_ text: String, force: Bool = false, onDelta: (GenerationDelta) -> Void) {
        guard !text.isEmpty || (force && !pending.isEmpty) else { return }
        result.text += text
        onDelta(GenerationDelta(choice: index, text: text, scores: pending))
        pending.removeAll(keepingCapacity: true)
    }
}
