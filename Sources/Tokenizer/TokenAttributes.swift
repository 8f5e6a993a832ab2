/// What kind of token an id is, with the same bits as llama.cpp's `llama_token_attr`.
///
/// The GGUF `tokenizer.ggml.token_type` array gives one type per token; loading turns it into these
/// attributes and then adjusts a few of them by token text, as llama.cpp does (end-of-turn tokens
/// become control tokens, Phi-3 special tokens strip the whitespace after them).
public struct TokenAttributes: OptionSet, Sendable, Hashable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let unknown = TokenAttributes(rawValue: 1 << 0)
    public static let unused = TokenAttributes(rawValue: 1 << 1)
    public static let normal = TokenAttributes(rawValue: 1 << 2)
    /// A control token (BOS, EOS, `<|im_start|>`...): rendered as empty text unless asked for.
    public static let control = TokenAttributes(rawValue: 1 << 3)
    /// A user-defined token: always matched as a whole in input text, rendered verbatim.
    public static let userDefined = TokenAttributes(rawValue: 1 << 4)
    /// A byte-fallback token `<0xNN>`.
    public static let byte = TokenAttributes(rawValue: 1 << 5)
    public static let normalized = TokenAttributes(rawValue: 1 << 6)
    /// Whitespace before this special token is dropped when it is matched in text.
    public static let leftStrip = TokenAttributes(rawValue: 1 << 7)
    /// Whitespace after this special token is dropped when it is matched in text.
    public static let rightStrip = TokenAttributes(rawValue: 1 << 8)
    public static let singleWord = TokenAttributes(rawValue: 1 << 9)

    /// The attributes of a GGUF token type (1 normal, 2 unknown, 3 control, 4 user-defined,
    /// 5 unused, 6 byte); 0 and unknown values are "undefined", an empty set.
    init(ggufTokenType type: Int) {
        switch type {
        case 1: self = .normal
        case 2: self = .unknown
        case 3: self = .control
        case 4: self = .userDefined
        case 5: self = .unused
        case 6: self = .byte
        default: self = []
        }
    }

    /// Tokens that render as nothing unless special text is asked for.
    static let hiddenUnlessSpecial: TokenAttributes = [.unknown, .control]
    /// Tokens that `parse_special` may find in text (user-defined ones are always looked for).
    static let special: TokenAttributes = [.unknown, .control, .userDefined]
}
