import Chat
import Inference

/// Raw text continuation for base models (`parley run --raw`, `POST /v1/completions`): no chat
/// template, no roles, the text tokenized as it is (with the BOS token the model asks for) and
/// continued, like `generate(input_ids, max_length=…, num_return_sequences=…)`.
extension ChatSession {
    /// What the engine runs for a text continuation, or the error that ends it at once.
    func prepare(text: String, parseSpecial: Bool, parameters: SamplingParameters, seed: UInt64) -> Prepared {
        do throws(ChatError) {
            try parameters.validate(vocabularySize: info.vocabularySize)
            let prompt = try rawTokens(text, parseSpecial: parseSpecial)
            return .ready(Self.request(prompt, parameters: parameters, seed: seed), seed: seed)
        } catch {
            return .ended(Completion.empty(.error, seed: seed, error: error.description))
        }
    }

    /// `text`'s tokens, BOS first when the model adds one; it must leave room for one token.
    private func rawTokens(_ text: String, parseSpecial: Bool) throws(ChatError) -> [Int32] {
        guard text.utf8.count <= Tokenizer.maxInputBytes else {
            throw .promptTooLarge(bytes: text.utf8.count, limit: Tokenizer.maxInputBytes)
        }
        var tokens: [Int32]
        do { tokens = try tokenizer.encode(text, addSpecial: true, parseSpecial: parseSpecial) } catch {
            throw .promptTooLarge(bytes: text.utf8.count, limit: Tokenizer.maxInputBytes)
        }
        // A prompt that writes BOS itself (read as special) must not get a second one.
        if tokens.count >= 2, let bos = tokenizer.bos, tokens[0] == bos, tokens[1] == bos { tokens.removeFirst() }
        let available = info.contextLength - 1
        guard tokens.count <= available else {
            throw .messageTooLong(
                tokens: tokens.count, available: available, canGrow: info.contextLength < info.trainingContextLength)
        }
        guard !tokens.isEmpty else { throw .invalidParameter("there is no text to continue: the prompt is empty") }
        return tokens
    }
}
