import Chat
import Foundation

/// A `POST /v1/chat/completions` body, checked field by field.
///
/// Fields Parley uses are mapped to a `Conversation` and its `SamplingParameters`; a field absent
/// (or null) keeps Parley's default (llama.cpp's sampler defaults, see DECISIONS.md). Fields that
/// change nothing here (`user`, `metadata`, `store`, ...) are ignored; features Parley lacks
/// (`tools`, a `json_schema` response format, images, audio) are refused by name.
public struct ChatCompletionRequest: Sendable, Equatable {
    public var model: String?
    public var conversation: Conversation
    public var stream: Bool
    /// `stream_options.include_usage`: a last chunk with the usage and no choices.
    public var includeUsage: Bool

    /// Fields that ask for something Parley cannot do; any value but null or empty is refused.
    static let unsupportedFields = [
        "tools", "tool_choice", "functions", "function_call", "audio", "modalities",
        "prediction", "web_search_options"
    ]

    public static func parse(
        _ body: Data, contextLength: Int? = nil,
        vocabularySize: Int? = nil
    ) throws(ServerError) -> ChatCompletionRequest {
        try parse(RequestFields.json(body), contextLength: contextLength, vocabularySize: vocabularySize)
    }

    /// `vocabularySize`, when known, bounds `logit_bias`'s token ids (an id beyond it is the
    /// client's mistake, a 400, not an engine failure).
    public static func parse(
        _ json: JSONValue, contextLength: Int? = nil,
        vocabularySize: Int? = nil
    ) throws(ServerError) -> ChatCompletionRequest {
        let fields = try RequestFields.object(json)
        for name in unsupportedFields {
            if let value = fields.present(name), !value.isEmptyCollection {
                throw .unsupported("'\(name)' is not supported: Parley has no tool calling or audio", param: name)
            }
        }
        if let format = fields.present("response_format") {
            var type: String?
            if case .string(let name)? = format["type"] { type = name }
            guard type == "text" else {
                throw .unsupported(
                    "response_format '\(type ?? format.typeName)' is not supported: only 'text'",
                    param: "response_format")
            }
        }
        var parameters = try fields.samplingParameters()
        if let value = try fields.int("max_completion_tokens") { parameters.maxTokens = value }
        if let value = try fields.bool("logprobs") { parameters.logprobs = value }
        if let value = try fields.int("top_logprobs") { parameters.topLogprobs = value }
        do { try parameters.validate(contextLength: contextLength, vocabularySize: vocabularySize) } catch {
            throw .parameter(error)
        }

        let (model, stream, includeUsage) = try fields.modelAndStreaming()
        let conversation = try MessageParser.conversation(from: fields.present("messages"), parameters: parameters)
        return ChatCompletionRequest(
            model: model, conversation: conversation, stream: stream, includeUsage: includeUsage)
    }
}
