import Chat
import Foundation
import Inference

/// The file layout of a saved KV cache (see `PromptCache` in Chat for where it lives).
///
/// Layout: the magic `PARLEYKV1\n`, one JSON header line (`model_sha256`, `geometry`, `tokens`),
/// then the raw snapshot bytes of `Transformer.writeSnapshot`.
extension PromptCache {
    static let magic = Array("PARLEYKV1\n".utf8)

    struct Header: Codable {
        var modelSHA256: String
        var geometry: String
        var tokens: [Int32]
        enum CodingKeys: String, CodingKey {
            case geometry, tokens
            case modelSHA256 = "model_sha256"
        }
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
                let header = try? JSONDecoder().decode(
                    PromptCache.Header.self,
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
            guard !generator.cachedTokens.isEmpty, transformer.snapshotByteCount <= Self.promptCacheLimit else {
                return
            }
            let header = PromptCache.Header(
                modelSHA256: info.headerSHA256, geometry: transformer.snapshotGeometry,
                tokens: generator.cachedTokens)
            guard let json = try? JSONEncoder().encode(header) else { return }
            var bytes = PromptCache.magic + Array(json) + [UInt8(ascii: "\n")]
            transformer.writeSnapshot(into: &bytes)
            try? AtomicFile.write(Data(bytes), to: url)
        }
    }
}
