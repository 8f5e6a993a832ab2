import TestSupport
import Testing

@testable import RemoteChat

/// The per-token fast path against `JSONDecoder` (the oracle): what the scanner accepts must
/// decode to the same chunk, and what it refuses must still be decoded, or refused, by the
/// full decoder exactly as before.
struct DeltaChunkScannerTests {
    /// Chunks as `parley serve`, llama-server, vLLM and OpenAI send them for one token.
    static let typical = [
        #"{"id":"chatcmpl-1","object":"chat.completion.chunk","created":7,"model":"m","system_fingerprint":null,"choices":[{"index":0,"delta":{"content":"Hello"},"logprobs":null,"finish_reason":null}],"usage":null}"#,
        #"{"choices":[{"finish_reason":null,"index":0,"delta":{"content":" world"}}],"created":1733,"id":"chatcmpl-x","model":"gpt-3.5-turbo","system_fingerprint":"b4171-abc","object":"chat.completion.chunk"}"#,
        #"{"id":"cmpl-9","object":"chat.completion.chunk","created":1.7e9,"model":"llama","choices":[{"index":1,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}"#,
        #" { "choices" : [ { "index" : 0 , "delta" : { } , "finish_reason" : "stop" } ] , "usage" : null } "#,
        #"{"choices":[],"usage":null}"#,
        #"{"choices":null}"#,
        #"{"choices":[{"index":null,"delta":null,"finish_reason":"length"}]}"#,
        #"{"choices":[{"index":0,"delta":{"content":null,"refusal":null}}]}"#,
        #"{"choices":[{"index":0,"delta":{"content":"a\"b\\c\/d\be\ff\ng\rh\ti\u00e9\u2028\ud83e\udd9c"}}]}"#,
        #"{"choices":[{"index":0,"delta":{"content":"nul \u0000 and é🦜 raw"}}],"x":-0.5e-3,"y":true,"z":false}"#,
        #"{"choices":[{"index":12,"delta":{"content":"\u004A\u004a"}}],"id":"a","id":"b"}"#,
        // Legacy Completion chunks (`POST /completions`), as `parley serve` and llama-server send them.
        #"{"id":"cmpl-1","object":"text_completion","created":7,"model":"m","system_fingerprint":null,"choices":[{"text":" upon","index":0,"logprobs":null,"finish_reason":null}]}"#,
        #"{"choices":[{"text":"","index":1,"logprobs":null,"finish_reason":"length"}],"object":"text_completion"}"#,
        #"{"choices":[{"text":null,"index":0}]}"#
    ]

    @Test func typicalChunksTakeTheFastPathAndEqualJSONDecoder() throws {
        for data in Self.typical {
            let fast = try #require(DeltaChunkScanner.scan(data), "\(data)")
            #expect(fast == (try StreamChunk.decodeFully(data)), "\(data)")
        }
    }

    /// Shapes the fast path leaves to the full decoder, which still reads the valid ones.
    @Test func otherShapesFallBackToTheFullDecoder() throws {
        let valid = [
            #"{"choices":[{"index":0,"delta":{"content":"a"},"logprobs":{"content":[{"token":"a","logprob":-0.1,"bytes":[97],"top_logprobs":[]}]}}]}"#,
            #"{"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":3,"prompt_tokens_details":{"cached_tokens":1}}}"#,
            #"{"error":{"message":"boom"}}"#,
            #"{"choices":[{"index":0,"delta":{"content":"a","tool_calls":[]}}]}"#,
            #"{"choices":[{"index":0,"delta":{"content":"a"}}],"meta":{"k":1}}"#
        ]
        for data in valid {
            #expect(DeltaChunkScanner.scan(data) == nil, "\(data)")
            let chunk = try StreamChunk.decodeFully(data)
            #expect(try StreamChunk.decode(data) == chunk, "\(data)")
        }
        #expect(try StreamChunk.decode(valid[0]).choices?.first?.logprobs?.content?.first?.logprob == -0.1)
        #expect(try StreamChunk.decode(valid[1]).usage?.promptTokensDetails?.cachedTokens == 1)
    }

    @Test func malformedChunksAreRefusedAsBefore() {
        let malformed = [
            #"{"choices":[{"index":0,"delta":{"content":"a"}}]"#, // cut short
            #"{"choices":[{"index":0,"delta":{"content":"a"}}]}x"#, // trailing bytes
            #"{"choices":[{"index":"0","delta":{"content":"a"}}]}"#, // wrong type
            #"{"choices":[{"index":0,"delta":{"content":"\ud83e"}}]}"#, // lone surrogate
            #"{"choices":[{"index":0,"delta":{"content":"\q"}}]}"#, // unknown escape
            "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tab\there\"}}]}", // raw control character
            #"{"choices":[{"index":01,"delta":{"content":"a"}}]}"#, // leading zero
            #"[1,2]"#, "", "[DONE]"
        ]
        for data in malformed {
            #expect(DeltaChunkScanner.scan(data) == nil, "\(data)")
            #expect(throws: RemoteError.self, "\(data)") { try StreamChunk.decode(data) }
        }
    }

    /// Seeded mutations of the typical chunks (bytes dropped, inserted, swapped, cut): whenever
    /// the scanner accepts one, `JSONDecoder` accepts it too and reads the same chunk, and
    /// `decode` (fast path first) always agrees with the full decoder.
    @Test func mutatedChunksNeverDisagreeWithJSONDecoder() throws {
        var random = SeededRandom(seed: 14)
        let alphabet = Array(#"{}[]":,\ u0dD8eE.+-1nultrfs"#.utf8) + [0x0A, 0x09, 0xC3, 0xA9]
        var accepted = 0
        for round in 0..<4000 {
            var bytes = Array(Self.typical[round % Self.typical.count].utf8)
            for _ in 0..<Int.random(in: 1...3, using: &random) where !bytes.isEmpty {
                let at = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<4, using: &random) {
                case 0: bytes.remove(at: at)
                case 1: bytes.insert(alphabet.randomElement(using: &random) ?? 0x20, at: at)
                case 2: bytes[at] = alphabet.randomElement(using: &random) ?? 0x20
                default: bytes.removeSubrange(at...)
                }
            }
            guard let data = String(validating: bytes, as: UTF8.self) else { continue }
            let full = Result { () throws(RemoteError) in try StreamChunk.decodeFully(data) }
            if let fast = DeltaChunkScanner.scan(data) {
                accepted += 1
                #expect(try full.get() == fast, "\(data)")
            }
            let combined = Result { () throws(RemoteError) in try StreamChunk.decode(data) }
            #expect((try? combined.get()) == (try? full.get()), "\(data)")
        }
        #expect(accepted > 100) // the property was exercised, not vacuous
    }
}
