import Chat
import Foundation

/// The request fields both completion endpoints share (`/v1/chat/completions` and
/// `/v1/completions`), parsed once so the two cannot drift apart.
extension RequestFields {
    /// A request body as JSON.
    static func json(_ body: Data) throws(ServerError) -> JSONValue {
        do { return try JSONValue.parse(body) } catch {
            throw .invalidRequest("the body is not valid JSON: \(JSONValue.describe(error))", param: nil)
        }
    }

    /// The fields of a body that must be one JSON object.
    static func object(_ json: JSONValue) throws(ServerError) -> RequestFields {
        guard case .object = json else {
            throw .invalidRequest("the body must be a JSON object, got \(json.typeName)", param: nil)
        }
        return RequestFields(json)
    }

    /// The sampling fields of both APIs over Parley's defaults (llama.cpp's sampler defaults, see
    /// DECISIONS.md), unvalidated: temperature, top_p, max_tokens, stop, the penalties, seed,
    /// logit_bias, n, and llama.cpp's top_k, min_p and repeat_penalty.
    func samplingParameters() throws(ServerError) -> SamplingParameters {
        var parameters = SamplingParameters.defaults
        if let value = try double("temperature") { parameters.temperature = value }
        if let value = try double("top_p") { parameters.topP = value }
        if let value = try int("max_tokens") { parameters.maxTokens = value }
        if let stop = present("stop") {
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
        if let value = try double("presence_penalty") { parameters.presencePenalty = value }
        if let value = try double("frequency_penalty") { parameters.frequencyPenalty = value }
        if let value = try int64("seed") {
            // llama.cpp's -1 means "draw one"; other negative seeds keep their bits.
            parameters.seed = value == -1 ? nil : UInt64(bitPattern: value)
        }
        if let bias = present("logit_bias") {
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
        if let value = try int("n") { parameters.n = value }
        if let value = try int("top_k") { parameters.topK = value }
        if let value = try double("min_p") { parameters.minP = value }
        if let value = try double("repeat_penalty") { parameters.repeatPenalty = value }
        return parameters
    }

    /// `model` (optional), `stream` and `stream_options.include_usage`.
    func modelAndStreaming() throws(ServerError) -> (model: String?, stream: Bool, includeUsage: Bool) {
        var model: String?
        if let value = present("model") {
            guard case .string(let name) = value else {
                throw .invalidRequest("model must be a string, got \(value.typeName)", param: "model")
            }
            model = name
        }
        let stream = try bool("stream") ?? false
        var includeUsage = false
        if let options = present("stream_options") {
            guard case .object = options else {
                throw .invalidRequest(
                    "stream_options must be an object, got \(options.typeName)", param: "stream_options")
            }
            includeUsage = try RequestFields(options, prefix: "stream_options.").bool("include_usage") ?? false
        }
        return (model, stream, includeUsage)
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
        guard let integer = value.integer else { throw wrongType(name, "an integer", value) }
        return integer
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

    /// The value as an Int64 when it is a whole number (`2` or `2.0`; 9e15 and beyond, where
    /// doubles skip integers, is refused).
    var integer: Int64? {
        switch self {
        case .int(let value): return value
        case .double(let value) where value == value.rounded() && abs(value) < 9e15: return Int64(value)
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
