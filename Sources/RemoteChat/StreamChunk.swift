import Chat
import Foundation

/// One `data:` payload of a streamed Chat Completion (`chat.completion.chunk`), with only the
/// fields Parley reads; every one is optional, because servers differ in what they omit.
struct StreamChunk: Decodable, Equatable {
    var choices: [Choice]?
    var usage: UsagePayload?
    /// Some servers report a failure inside the stream instead of with a status.
    var error: ErrorPayload?

    struct Choice: Decodable, Equatable {
        var index: Int?
        var delta: Delta?
        var logprobs: Logprobs?
        var finishReason: String?

        enum CodingKeys: String, CodingKey {
            case index, delta, logprobs
            case finishReason = "finish_reason"
        }
    }

    struct Delta: Decodable, Equatable {
        var content: String?
    }

    struct Logprobs: Decodable, Equatable {
        var content: [TokenPayload]?
    }

    struct TokenPayload: Decodable, Equatable {
        var token: String
        var logprob: Double
        var bytes: [UInt8]?
        var topLogprobs: [Alternative]?

        struct Alternative: Decodable, Equatable {
            var token: String
            var logprob: Double
            var bytes: [UInt8]?
        }

        enum CodingKeys: String, CodingKey {
            case token, logprob, bytes
            case topLogprobs = "top_logprobs"
        }

        /// As the conversation keeps it; a server that sends no bytes gets the token's UTF-8.
        var value: TokenLogprob {
            TokenLogprob(
                token: token, bytes: bytes ?? Array(token.utf8), logprob: logprob,
                topLogprobs: (topLogprobs ?? []).map {
                    TokenLogprob.Alternative(
                        token: $0.token, bytes: $0.bytes ?? Array($0.token.utf8),
                        logprob: $0.logprob)
                })
        }
    }

    struct UsagePayload: Decodable, Equatable {
        var promptTokens: Int?
        var completionTokens: Int?
        var promptTokensDetails: Details?

        struct Details: Decodable, Equatable {
            var cachedTokens: Int?
            enum CodingKeys: String, CodingKey { case cachedTokens = "cached_tokens" }
        }

        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens"
            case completionTokens = "completion_tokens"
            case promptTokensDetails = "prompt_tokens_details"
        }
    }

    struct ErrorPayload: Decodable, Equatable {
        var message: String?
    }

    /// Decodes one event's data; anything that is not a chunk object is a malformed stream.
    /// The per-token text delta takes `DeltaChunkScanner`'s fast path; all else `JSONDecoder`.
    static func decode(_ data: String) throws(RemoteError) -> StreamChunk {
        if let chunk = DeltaChunkScanner.scan(data) { return chunk }
        return try decodeFully(data)
    }

    /// `JSONDecoder`'s reading of `data`: the reference the fast path must agree with.
    static func decodeFully(_ data: String) throws(RemoteError) -> StreamChunk {
        do {
            return try JSONDecoder().decode(StreamChunk.self, from: Data(data.utf8))
        } catch {
            throw .malformedStream("a chunk is not Chat Completion JSON: \(RemoteError.clip(data))")
        }
    }
}
