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
        let json: JSONValue
        do { json = try JSONValue.parse(body) } catch {
            throw .invalidRequest("the body is not valid JSON: \(JSONValue.describe(error))", param: nil)
        }
        return try parse(json, contextLength: contextLength, vocabularySize: vocabularySize)
    }

    /// `vocabularySize`, when known, bounds `logit_bias`'s token ids (an id beyond it is the
    /// client's mistake, a 400, not an engine failure).
    public static func parse(
        _ json: JSONValue, contextLength: Int? = nil,
        vocabularySize: Int? = nil
    ) throws(ServerError) -> ChatCompletionRequest {
        guard case .object = json else {
            throw .invalidRequest("the body must be a JSON object, got \(json.typeName)", param: nil)
        }
        let fields = RequestFields(json)
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
        var parameters = SamplingParameters.defaults
        if let value = try fields.double("temperature") { parameters.temperature = value }
        if let value = try fields.double("top_p") { parameters.topP = value }
        if let value = try fields.int("max_tokens") { parameters.maxTokens = value }
        if let value = try fields.int("max_completion_tokens") { parameters.maxTokens = value }
        if let stop = fields.present("stop") {
            switch stop {
            case .string(let text): parameters.stop = [text]
            case .array(let items):
                var strings: [String] = []
                for (index, item) in items.enumerated() {
                    guard case .string(let text) = item else {
                        throw .invalidRequest("stop[\(index)] must be a string, got \(item.typeName)", param: "stop")
                    }
                    strings.append(text)
                }
                parameters.stop = strings
            default:
                throw .invalidRequest(
                    "stop must be a string or an array of strings, got \(stop.typeName)", param: "stop")
            }
        }
        if let value = try fields.double("presence_penalty") { parameters.presencePenalty = value }
        if let value = try fields.double("frequency_penalty") { parameters.frequencyPenalty = value }
        if let value = try fields.int64("seed") {
            // llama.cpp's -1 means "draw one"; other negative seeds keep their bits.
            parameters.seed = value == -1 ? nil : UInt64(bitPattern: value)
        }
        if let bias = fields.present("logit_bias") {
            guard case .object(let pairs) = bias else {
                throw .invalidRequest(
                    "logit_bias must be an object of token id to bias, got \(bias.typeName)", param: "logit_bias")
            }
            for (token, value) in pairs {
                guard let number = value.number else {
                    throw .invalidRequest(
                        "logit_bias['\(token)'] must be a number, got \(value.typeName)", param: "logit_bias")
                }
                parameters.logitBias[token] = number
            }
        }
        if let value = try fields.int("n") { parameters.n = value }
        if let value = try fields.bool("logprobs") { parameters.logprobs = value }
        if let value = try fields.int("top_logprobs") { parameters.topLogprobs = value }
        if let value = try fields.int("top_k") { parameters.topK = value }
        if let value = try fields.double("min_p") { parameters.minP = value }
        if let value = try fields.double("repeat_penalty") { parameters.repeatPenalty = value }
        do { try parameters.validate(contextLength: contextLength, vocabularySize: vocabularySize) } catch {
            throw .parameter(error)
        }

        var model: String?
        if let value = fields.present("model") {
            guard case .string(let name) = value else {
                throw .invalidRequest("model must be a string, got \(value.typeName)", param: "model")
            }
            model = name
        }
        let stream = try fields.bool("stream") ?? false
        var includeUsage = false
        if let options = fields.present("stream_options") {
            guard case .object = options else {
                throw .invalidRequest(
                    "stream_options must be an object, got \(options.typeName)", param: "stream_options")
            }
            includeUsage = try RequestFields(options, prefix: "stream_options.").bool("include_usage") ?? false
        }
        let conversation = try MessageParser.conversation(from: fields.present("messages"), parameters: parameters)
        return ChatCompletionRequest(
            model: model, conversation: conversation, stream: stream, includeUsage: includeUsage)
    }
}

/// Typed access to an object's fields that names the field in every error.
struct RequestFields {
    let json: JSONValue
    var prefix = ""

    init(_ json: JSONValue, prefix: String = "") {
        self.json = json
        self.prefix = prefix
    }

    /// The field's value, or nil when it is absent or null (both mean "use the default").
    func present(_ name: String) -> JSONValue? {
        guard let value = json[name], value != .null else { return nil }
        return value
    }

    func double(_ name: String) throws(ServerError) -> Double? {
        guard let value = present(name) else { return nil }
        guard let number = value.number else { throw wrongType(name, "a number", value) }
        return number
    }

    func int64(_ name: String) throws(ServerError) -> Int64? {
        guard let value = present(name) else { return nil }
        switch value {
        case .int(let number): return number
        case .double(let number) where number == number.rounded() && abs(number) < 9e15: return Int64(number)
        default: throw wrongType(name, "an integer", value)
        }
    }

    func int(_ name: String) throws(ServerError) -> Int? {
        guard let value = try int64(name) else { return nil }
        // Far outside every range anyway; clamped so the range check reports it.
        return Int(clamping: value)
    }

    func bool(_ name: String) throws(ServerError) -> Bool? {
        guard let value = present(name) else { return nil }
        guard case .bool(let flag) = value else { throw wrongType(name, "a boolean", value) }
        return flag
    }

    private func wrongType(_ name: String, _ expected: String, _ value: JSONValue) -> ServerError {
        .invalidRequest("\(prefix)\(name) must be \(expected), got \(value.typeName)", param: prefix + name)
    }
}

extension JSONValue {
    /// The value as a Double when it is a number.
    var number: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .double(let value): return value
        default: return nil
        }
    }

    /// An empty array or object (clients send `"tools": []` meaning none).
    var isEmptyCollection: Bool {
        switch self {
        case .array(let items): return items.isEmpty
        case .object(let pairs): return pairs.isEmpty
        default: return false
        }
    }

    /// A short reason for a parse failure, without echoing the body back.
    static func describe(_ error: any Error) -> String {
        guard let decoding = error as? DecodingError else { return "unreadable" }
        switch decoding {
        case .dataCorrupted(let context):
            let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return underlying ?? context.debugDescription
        default: return "unreadable"
        }
    }
}
