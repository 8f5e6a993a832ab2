import Chat
import Inference

/// Raw text continuation for base models (`parley run --raw`, `POST /v1/completions`): no chat
/// template, no roles, the text tokenized as it is (with the BOS token the model asks for), or
/// token ids taken as they are, and continued, like
/// `generate(input_ids, max_length=…, num_return_sequences=…)`.
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

    /// What the engine runs for token ids continued as they are, or the error that ends it at once.
    func prepare(tokens: [Int32], parameters: SamplingParameters, seed: UInt64) -> Prepared {
        do throws(ChatError) {
            try parameters.validate(vocabularySize: info.vocabularySize)
            if let bad = tokens.first(where: { $0 < 0 || Int($0) >= info.vocabularySize }) {
                throw .invalidParameter(
                    "prompt token \(bad) is not in the model's vocabulary (ids 0 to \(info.vocabularySize - 1))")
            }
            try checkLength(tokens.count)
            return .ready(Self.request(tokens, parameters: parameters, seed: seed), seed: seed)
        } catch {
            return .ended(Completion.empty(.error, seed: seed, error: error.description))
        }
    }

    /// The text of token ids as an echo shows it: their pieces joined, special tokens written
    /// out, so that it is exactly the scored tokens' texts one after another.
    public func promptText(ofTokens tokens: [Int32]) -> String {
        var bytes: [UInt8] = []
        for token in tokens { bytes += tokenizer.piece(token, special: true) }
        return String(decoding: bytes, as: UTF8.self)
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
        try checkLength(tokens.count)
        return tokens
    }

    /// A prompt of `count` tokens must have one and leave room in the context for one token of
    /// answer.
    private func checkLength(_ count: Int) throws(ChatError) {
        let available = info.contextLength - 1
        guard count <= available else {
            throw .messageTooLong(
                tokens: count, available: available, canGrow: info.contextLength < info.trainingContextLength)
        }
        guard count > 0 else { throw .invalidParameter("there is no text to continue: the prompt is empty") }
    }
}
