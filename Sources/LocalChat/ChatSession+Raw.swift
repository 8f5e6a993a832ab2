import Chat
import Inference

/// Raw text continuation for base models (`parley run --raw`): no chat template, no roles, the
/// text tokenized as it is (with the BOS token the model asks for) and continued, like
/// `generate(input_ids, max_length=…, num_return_sequences=…)`.
extension ChatSession {
    /// Continues `text` with `parameters` (`n` alternatives included) on the calling thread,
    /// waiting for the session's queue. Special-token text in `text` stays plain text.
    public func continueText(
        _ text: String, parameters: SamplingParameters, seed: UInt64? = nil,
        onEvent: (ChatEvent) -> Void
    ) -> Completion {
        let ticket = tickets.issue()
        return queue.sync {
            tickets.begin(ticket)
            let seed = seed ?? parameters.seed ?? UInt64.random(in: 0...UInt64(UInt32.max))
            do throws(ChatError) {
                try parameters.validate(vocabularySize: info.vocabularySize)
                let prompt = try rawTokens(text)
                return generate(
                    Self.request(prompt, parameters: parameters, seed: seed), parameters: parameters,
                    seed: seed, onEvent: onEvent)
            } catch {
                return Completion.empty(.error, seed: seed, error: error.description)
            }
        }
    }

    /// `text`'s tokens, BOS first when the model adds one; it must leave room for one token.
    private func rawTokens(_ text: String) throws(ChatError) -> [Int32] {
        guard text.utf8.count <= Tokenizer.maxInputBytes else {
            throw .promptTooLarge(bytes: text.utf8.count, limit: Tokenizer.maxInputBytes)
        }
        let tokens: [Int32]
        do { tokens = try tokenizer.encode(text, addSpecial: true, parseSpecial: false) } catch {
            throw .promptTooLarge(bytes: text.utf8.count, limit: Tokenizer.maxInputBytes)
        }
        let available = info.contextLength - 1
        guard tokens.count <= available else {
            throw .messageTooLong(
                tokens: tokens.count, available: available, canGrow: info.contextLength < info.trainingContextLength)
        }
        guard !tokens.isEmpty else { throw .invalidParameter("--raw needs some text to continue") }
        return tokens
    }
}
