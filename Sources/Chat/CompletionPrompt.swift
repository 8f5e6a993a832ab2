/// What an answer continues: a conversation, which the model's chat template renders, or a text
/// (or token ids) continued as it is (a base model's continuation; the legacy
/// `POST /v1/completions`).
///
/// Schedulers and engines pass this value through unchanged, so the one queue, batching and
/// prompt cache serve both kinds of request.
public enum CompletionPrompt: Sendable, Equatable {
    case conversation(Conversation)
    /// `text` tokenized as written (the model's BOS first when it adds one), no template.
    /// `parseSpecial` reads special-token text (`<|im_start|>`) as those tokens, as llama.cpp's
    /// server and vLLM read a completion prompt; otherwise it stays plain text.
    case text(String, parseSpecial: Bool, parameters: SamplingParameters)
    /// Token ids continued exactly as given: no BOS added, nothing tokenized. Evaluation tools
    /// (lm-eval's `local-completions`) send these, so that they score the tokens they counted.
    case tokens([Int32], parameters: SamplingParameters)

    /// The sampling parameters of either kind; setting them keeps the prompt.
    public var parameters: SamplingParameters {
        get {
            switch self {
            case .conversation(let conversation): return conversation.parameters
            case .text(_, _, let parameters): return parameters
            case .tokens(_, let parameters): return parameters
            }
        }
        set {
            switch self {
            case .conversation(var conversation):
                conversation.parameters = newValue
                self = .conversation(conversation)
            case .text(let text, let parseSpecial, _):
                self = .text(text, parseSpecial: parseSpecial, parameters: newValue)
            case .tokens(let tokens, _):
                self = .tokens(tokens, parameters: newValue)
            }
        }
    }

    /// Whether the model's BOS is put before the prompt's own tokens: a conversation's and a
    /// text's get it when the model asks for one, token ids never (they are taken as they are).
    public var getsModelBOS: Bool {
        if case .tokens = self { return false }
        return true
    }
}
