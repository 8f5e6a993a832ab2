import Foundation

/// An answer's per-token log probabilities as a transcript stores them: parallel arrays instead
/// of one object per token, numbers rounded to 4 decimals, and exact bytes only for the few
/// tokens whose text is not their own UTF-8 (a character split across tokens). A 500-token
/// answer with 5 alternatives a token takes ~30 KB this way instead of ~150 KB.
///
/// ```json
/// {"tokens": ["The", " answer"], "logprobs": [-0.0123, -1.5],
///  "top_tokens": [["The", "A"], [" answer", " result"]], "top_logprobs": [[-0.0123, -4.61], [-1.5, -1.9]],
///  "bytes": {"7": [226, 150]}, "top_bytes": {"7.1": [226]}}
/// ```
struct CompactLogprobs: Codable, Equatable {
    var tokens: [TokenLogprob]

    init(_ tokens: [TokenLogprob]) {
        self.tokens = tokens
    }

    /// Rounds to 4 decimals, enough to tell probabilities apart by 0.01 %.
    static func round(_ value: Double) -> Double {
        // JSON has no infinity: a token the model gave no chance at all is written as -9999.
        value.isFinite ? (value * 10_000).rounded() / 10_000 : -9999
    }

    /// The tokens with every number rounded as a transcript stores it, so an answer reads back
    /// from its file exactly as it was kept in memory.
    static func rounded(_ tokens: [TokenLogprob]) -> [TokenLogprob] {
        tokens.map { token in
            var token = token
            token.logprob = round(token.logprob)
            for index in token.topLogprobs.indices {
                token.topLogprobs[index].logprob = round(token.topLogprobs[index].logprob)
            }
            return token
        }
    }

    enum CodingKeys: String, CodingKey {
        case tokens, logprobs, bytes
        case topTokens = "top_tokens"
        case topLogprobs = "top_logprobs"
        case topBytes = "top_bytes"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(tokens.map(\.token), forKey: .tokens)
        try c.encode(tokens.map { Self.round($0.logprob) }, forKey: .logprobs)
        var bytes: [String: [UInt8]] = [:]
        var topBytes: [String: [UInt8]] = [:]
        for (index, token) in tokens.enumerated() {
            if Array(token.token.utf8) != token.bytes { bytes[String(index)] = token.bytes }
            for (rank, alternative) in token.topLogprobs.enumerated()
            where Array(alternative.token.utf8) != alternative.bytes {
                topBytes["\(index).\(rank)"] = alternative.bytes
            }
        }
        if tokens.contains(where: { !$0.topLogprobs.isEmpty }) {
            try c.encode(tokens.map { $0.topLogprobs.map(\.token) }, forKey: .topTokens)
            try c.encode(tokens.map { $0.topLogprobs.map { Self.round($0.logprob) } }, forKey: .topLogprobs)
        }
        if !bytes.isEmpty { try c.encode(bytes, forKey: .bytes) }
        if !topBytes.isEmpty { try c.encode(topBytes, forKey: .topBytes) }
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func fail(_ key: CodingKeys, _ message: String) -> DecodingError {
            DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: message)
        }
        let texts = try c.decode([String].self, forKey: .tokens)
        let values = try c.decode([Double].self, forKey: .logprobs)
        guard values.count == texts.count else {
            throw fail(.logprobs, "logprobs has \(values.count) entries for \(texts.count) tokens")
        }
        let topTexts = try c.decodeIfPresent([[String]].self, forKey: .topTokens) ?? []
        let topValues = try c.decodeIfPresent([[Double]].self, forKey: .topLogprobs) ?? []
        guard topTexts.count == topValues.count, topTexts.isEmpty || topTexts.count == texts.count,
            zip(topTexts, topValues).allSatisfy({ $0.count == $1.count })
        else { throw fail(.topLogprobs, "top_tokens and top_logprobs must have one list per token, of equal lengths") }
        guard topTexts.allSatisfy({ $0.count <= SamplingParameters.maxTopLogprobs }) else {
            throw fail(.topTokens, "at most \(SamplingParameters.maxTopLogprobs) top alternatives per token")
        }
        let bytes = try c.decodeIfPresent([String: [UInt8]].self, forKey: .bytes) ?? [:]
        let topBytes = try c.decodeIfPresent([String: [UInt8]].self, forKey: .topBytes) ?? [:]
        var result: [TokenLogprob] = []
        result.reserveCapacity(texts.count)
        for (index, text) in texts.enumerated() {
            var top: [TokenLogprob.Alternative] = []
            if !topTexts.isEmpty {
                for (rank, topText) in topTexts[index].enumerated() {
                    top.append(
                        TokenLogprob.Alternative(
                            token: topText, bytes: topBytes["\(index).\(rank)"] ?? Array(topText.utf8),
                            logprob: topValues[index][rank]))
                }
            }
            result.append(
                TokenLogprob(
                    token: text, bytes: bytes[String(index)] ?? Array(text.utf8),
                    logprob: values[index], topLogprobs: top))
        }
        for key in bytes.keys where Int(key).map({ !texts.indices.contains($0) }) ?? true {
            throw fail(.bytes, "bytes names token \"\(key)\", which does not exist")
        }
        for key in topBytes.keys {
            let parts = key.split(separator: ".").compactMap { Int($0) }
            guard parts.count == 2, topTexts.indices.contains(parts[0]), topTexts[parts[0]].indices.contains(parts[1])
            else {
                throw fail(.topBytes, "top_bytes names \"\(key)\", which is not a token.rank that exists")
            }
        }
        tokens = result
    }
}
