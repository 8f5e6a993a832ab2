import Chat
import Foundation

/// One `data:` payload of a streamed Chat Completion (`chat.completion.chunk`) or legacy
/// Completion (`text_completion`: the text in `choices[].text`, logprobs in the legacy lists),
/// with only the fields Parley reads; every one is optional, because servers differ in what
/// they omit.
struct StreamChunk: Decodable, Equatable {
    var choices: [Choice]?
    var usage: UsagePayload?
    /// Some servers report a failure inside the stream instead of with a status.
    var error: ErrorPayload?

    struct Choice: Decodable, Equatable {
        var index: Int?
        var delta: Delta?
        /// A legacy Completion's new text.
        var text: String?
        var logprobs: Logprobs?
        var finishReason: String?

        enum CodingKeys: String, CodingKey {
            case index, delta, text, logprobs
            case finishReason = "finish_reason"
        }

        /// The new text, from either API.
        var newText: String { delta?.content ?? text ?? "" }
    }

    struct Delta: Decodable, Equatable {
        var content: String?
    }

    struct Logprobs: Decodable, Equatable {
        /// The Chat Completion shape.
        var content: [TokenPayload]?
        /// The legacy shape: parallel lists (a prompt token echoed first has no logprob).
        var tokens: [String]?
        var tokenLogprobs: [Double?]?
        var topLogprobs: [[String: Double]?]?

        enum CodingKeys: String, CodingKey {
            case content, tokens
            case tokenLogprobs = "token_logprobs"
            case topLogprobs = "top_logprobs"
        }

        /// The tokens in either shape; legacy alternatives most likely first.
        var values: [TokenLogprob] {
            if let content { return content.map(\.value) }
            guard let tokens else { return [] }
            return tokens.enumerated().map { index, token in
                let alternatives = ((topLogprobs?[safe: index] ?? nil) ?? [:]).sorted {
                    $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key
                }
                return TokenLogprob(
                    token: token, bytes: Array(token.utf8),
                    logprob: (tokenLogprobs?[safe: index] ?? nil) ?? -.infinity,
                    topLogprobs: alternatives.map {
                        TokenLogprob.Alternative(token: $0.key, bytes: Array($0.key.utf8), logprob: $0.value)
                    })
            }
        }
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

extension Array {
    /// The element at `index`, or nil past either end (a server's lists may disagree in length).
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
