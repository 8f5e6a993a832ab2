import Foundation

/// Finding a saved conversation from what a person types: `--open` with a path, an id or the
/// start of an id, and `--last`.
extension TranscriptStore {
    /// The transcript `reference` names: an existing file path, else a transcript id or a unique
    /// start of one in the store's folder. Ambiguous and unknown references are errors that
    /// say what was looked for and, when ambiguous, which files matched.
    public func resolve(_ reference: String) throws(ChatError) -> URL {
        let expanded = (reference as NSString).expandingTildeInPath
        if FileManager.default.fileExists(atPath: expanded) || reference.contains("/") || reference.hasSuffix(".json") {
            return URL(fileURLWithPath: expanded)
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        let ids = names.filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.map { String($0.dropLast(5)) }
        if ids.contains(reference) { return directory.appendingPathComponent(reference + ".json") }
        let matches = ids.filter { $0.hasPrefix(reference) }.sorted()
        switch matches.count {
        case 1: return directory.appendingPathComponent(matches[0] + ".json")
        case 0:
            throw .transcriptNotFound(path: "\(reference) (neither a file nor the start of an id in \(directory.path))")
        default:
            let shown = matches.prefix(5).joined(separator: ", ") + (matches.count > 5 ? ", …" : "")
            throw .transcriptAmbiguous(reference: reference, matches: matches.count, examples: shown)
        }
    }

    /// The most recently updated readable conversation in the store, if any.
    public func mostRecent() -> URL? {
        list().summaries.first?.url
    }
}
