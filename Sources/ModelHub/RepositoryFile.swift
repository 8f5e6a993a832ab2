import Foundation
import GGUF

/// One file of a repository, as the listing reports it.
public struct RepositoryFile: Sendable, Equatable {
    /// The path inside the repository (`folder/model-Q4_K_M.gguf`).
    public let path: String
    /// The size the listing reports (the LFS object's for large files).
    public let size: Int64?
    /// The LFS object id, which is the file's sha256, when the listing has one.
    public let sha256: String?

    public init(path: String, size: Int64?, sha256: String?) {
        self.path = path
        self.size = size
        self.sha256 = sha256
    }

    /// The last path component: the name the file gets in the models folder.
    public var fileName: String { path.split(separator: "/").last.map(String.init) ?? path }

    /// Decodes one page of Hugging Face's tree listing: a JSON array of
    /// `{"type": "file", "path", "size", "lfs": {"oid", "size"}}` (folders are skipped).
    static func decodeListing(_ data: Data) throws(ModelHubError) -> [RepositoryFile] {
        struct Entry: Decodable {
            struct LFS: Decodable {
                var oid: String?
                var size: Int64?
            }
            var type: String
            var path: String
            var size: Int64?
            var lfs: LFS?
        }
        let entries: [Entry]
        do { entries = try JSONDecoder().decode([Entry].self, from: data) } catch {
            throw .badResponse("the file listing is not Hugging Face's JSON array of files")
        }
        return entries.filter { $0.type == "file" }.map {
            RepositoryFile(path: $0.path, size: $0.lfs?.size ?? $0.size, sha256: $0.lfs?.oid.flatMap(normalizedSHA256))
        }
    }
}

/// A sha256 as 64 lowercase hex digits, from an ETag-like value (`"abc…"`, `W/"abc…"`), or nil.
func normalizedSHA256(_ value: String) -> String? {
    var text = Substring(value.trimmingCharacters(in: .whitespaces))
    if text.hasPrefix("W/") { text = text.dropFirst(2) }
    text = text.drop { $0 == "\"" }
    while text.last == "\"" { text = text.dropLast() }
    let lower = text.lowercased()
    guard lower.utf8.count == 64, lower.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
        return nil
    }
    return lower
}
