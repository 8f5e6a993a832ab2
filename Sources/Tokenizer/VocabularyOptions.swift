/// The GGUF metadata keys the tokenizer reads.
enum VocabularyKeys {
    static let model = "tokenizer.ggml.model"
    static let pre = "tokenizer.ggml.pre"
    static let tokens = "tokenizer.ggml.tokens"
    static let scores = "tokenizer.ggml.scores"
    static let tokenTypes = "tokenizer.ggml.token_type"
    static let merges = "tokenizer.ggml.merges"
    static let addBOS = "tokenizer.ggml.add_bos_token"
    static let addEOS = "tokenizer.ggml.add_eos_token"
    static let addSpacePrefix = "tokenizer.ggml.add_space_prefix"
    static let name = "general.name"
    static let architecture = "general.architecture"
}

/// The per-family defaults llama.cpp applies before reading the `add_*` keys, and the
/// pre-tokenizer a `tokenizer.ggml.pre` name selects.
struct VocabularyOptions {
    var addBOS: Bool
    var addEOS = false
    var addSpacePrefix: Bool
    var ignoreMerges = false
    /// ChatGLM's pre-tokenizer has no BOS token even by default.
    var disablesBOS = false
    var preTokenizer = PreTokenizer(kind: .gpt2)
    var preTokenizerName: String

    /// SentencePiece: a space prefix and a BOS token by default, no pre-tokenizer.
    static let sentencePiece = VocabularyOptions(addBOS: true, addSpacePrefix: true, preTokenizerName: "")

    /// Byte-level BPE: the pre-tokenizer named `pre`; an unknown name falls back to GPT-2's
    /// pattern with a warning (llama.cpp refuses such a model).
    static func bytePairEncoding(pre: String, warnings: inout [String]) -> VocabularyOptions {
        var options = VocabularyOptions(addBOS: false, addSpacePrefix: false, preTokenizerName: pre)
        switch pre {
        case "":
            warnings.append("the model names no pre-tokenizer (tokenizer.ggml.pre); using llama.cpp's 'default'")
            options.preTokenizer = PreTokenizer(kind: .llamaDefault)
        case "default":
            options.preTokenizer = PreTokenizer(kind: .llamaDefault)
        case "llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0", "lfm2",
            "jina-v5-nano":
            options.preTokenizer = PreTokenizer(kind: .llama3)
            options.ignoreMerges = true
            options.addBOS = true
        case "dbrx", "smaug-bpe":
            options.preTokenizer = PreTokenizer(kind: .llama3)
        case "glm4", "chatglm-bpe":
            options.preTokenizer = PreTokenizer(kind: .llama3)
            options.disablesBOS = true
        case "qwen2", "deepseek-r1-qwen", "kormo", "f2llmv2", "megrez", "stablelm2", "hunyuan", "solar-open",
            "grok-2":
            options.preTokenizer = PreTokenizer(kind: .qwen2)
        case "smollm", "starcoder", "refact", "command-r", "codeshell", "exaone", "minerva-7b", "mellum2":
            options.preTokenizer = PreTokenizer(kind: .digitsThenGPT2)
        case "falcon":
            options.preTokenizer = PreTokenizer(kind: .falcon)
        case "gpt-2", "phi-2", "jina-es", "jina-de", "gigachat", "jina-v2-es", "jina-v2-de", "a.x-4.0", "mellum",
            "modern-bert", "mpt", "olmo", "jais", "trillion", "granite-docling", "exaone4":
            options.preTokenizer = PreTokenizer(kind: .gpt2)
        default:
            warnings.append(
                "unknown pre-tokenizer '\(pre)' (tokenizer.ggml.pre); using the GPT-2 split, "
                    + "so tokens may differ from the model's own tokenizer")
            options.preTokenizer = PreTokenizer(kind: .gpt2)
        }
        return options
    }
}
