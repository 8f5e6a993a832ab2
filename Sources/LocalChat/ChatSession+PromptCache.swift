import Foundation
import Inference

/// The KV cache of a conversation saved beside it, so `parley run --continue` in a new process
/// evaluates only the new turn instead of the whole history.
///
/// It is only a cache: a file that is missing, foreign (another model or geometry) or damaged
/// is ignored and the prompt is simply evaluated in full. Files live in
/// `$XDG_CACHE_HOME/parley/prompt-cache/`, named after the transcript's path.
///
/// Layout: the magic `PARLEYKV1\n`, one JSON header line (`model_sha256`, `geometry`, `tokens`),
/// then the raw snapshot bytes of `Transformer.writeSnapshot`.
public enum PromptCache {
    static let magic = Array("PARLEYKV1\n".utf8)

    struct Header: Codable {
        var modelSHA256: String
        var geometry: String
        var tokens: [Int32]
        enum CodingKeys: String, CodingKey { case geometry, tokens, modelSHA256 = "model_sha256" }
    }

    /// Where the cache of the transcript at `transcript` lives.
    public static func url(for transcript: URL, environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        // FNV-1a of the full path keeps same-named transcripts in different folders apart.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in transcript.standardizedFileURL.path.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let name = "\(transcript.lastPathComponent).\(String(hash, radix: 16)).kv"
        return Paths.cacheHome(environment: environment).appendingPathComponent("parley/prompt-cache/\(name)")
    }
}

extension ChatSession {
    /// Largest cache file written; longer conversations are simply re-evaluated.
    static let promptCacheLimit = 512 << 20

    /// Loads a saved KV cache if it belongs to this model; returns the tokens restored (0 if none).
    @discardableResult
    public func restorePromptCache(from url: URL) -> Int {
        queue.sync {
            guard let data = try? Data(contentsOf: url), data.count > PromptCache.magic.count,
                  data.prefix(PromptCache.magic.count).elementsEqual(PromptCache.magic),
                  let newline = data[PromptCache.magic.count...].firstIndex(of: UInt8(ascii: "\n")),
                  let header = try? JSONDecoder().decode(PromptCache.Header.self,
                                                         from: data[PromptCache.magic.count..<newline]),
                  header.modelSHA256 == info.headerSHA256, header.geometry == transformer.snapshotGeometry
            else { return 0 }
            let restored = data[(newline + 1)...].withUnsafeBytes { bytes in
                transformer.restoreSnapshot(bytes, tokenCount: header.tokens.count)
            }
            guard restored else {
                generator.reset()
                return 0
            }
            generator.assumeCached(header.tokens)
            return header.tokens.count
        }
    }

    /// Saves the current KV cache for a later `restorePromptCache`. Failures are ignored: it is a cache.
    public func savePromptCache(to url: URL) {
        queue.sync {
            guard !generator.cachedTokens.isEmpty, transformer.snapshotByteCount <= Self.promptCacheLimit else { return }
            let header = PromptCache.Header(modelSHA256: info.headerSHA256, geometry: transformer.snapshotGeometry,
                                            tokens: generator.cachedTokens)
            guard let json = try? JSONEncoder().encode(header) else { return }
            var bytes = PromptCache.magic + Array(json) + [UInt8(ascii: "\n")]
            transformer.writeSnapshot(into: &bytes)
            try? AtomicFile.write(Data(bytes), to: url)
        }
    }
}
