import GGUF

/// Picks the file or files a reference means from a repository's listing: the GGUF whose name
/// carries the quant, all parts of a split model, never a vision projector (`mmproj`).
public enum ModelSelection {
    /// One model in the listing: one file, or every part of a split model in order.
    struct Candidate {
        var parts: [RepositoryFile]
        var first: RepositoryFile { parts[0] }
    }

    /// The files to download, in order (part 1 first), or why none fits.
    public static func choose(
        _ selector: ModelReference.Selector, from files: [RepositoryFile],
        repo: String
    ) throws(ModelHubError) -> [RepositoryFile] {
        let candidates = try models(in: files)
        let names = candidates.map(\.first.path)
        switch selector {
        case .file(let path):
            guard let file = files.first(where: { $0.path == path }) else {
                throw .noMatchingFile(repo: repo, wanted: path, available: names)
            }
            return candidates.first { $0.parts.contains(file) }?.parts ?? [file]
        case .quant(let quant):
            return try single(
                candidates.filter { carries($0.first.path, quant: quant) }, wanted: quant, repo: repo,
                names: names)
        case .automatic:
            let preferred = candidates.filter { carries($0.first.path, quant: ModelReference.defaultQuant) }
            if !preferred.isEmpty {
                return try single(preferred, wanted: ModelReference.defaultQuant, repo: repo, names: names)
            }
            guard candidates.count == 1 else {
                let wanted = "\(ModelReference.defaultQuant) (the default; name a quant with :QUANT)"
                if candidates.isEmpty { throw .noMatchingFile(repo: repo, wanted: wanted, available: []) }
                throw .ambiguous(repo: repo, wanted: wanted, candidates: names)
            }
            return candidates[0].parts
        }
    }

    private static func single(
        _ matches: [Candidate], wanted: String, repo: String,
        names: [String]
    ) throws(ModelHubError) -> [RepositoryFile] {
        guard let match = matches.first else { throw .noMatchingFile(repo: repo, wanted: wanted, available: names) }
        guard matches.count == 1 else {
            throw .ambiguous(repo: repo, wanted: wanted, candidates: matches.map(\.first.path))
        }
        return match.parts
    }

    /// The models in a listing: plain GGUF files, and split ones grouped with all their parts.
    /// A split model with a part missing from the listing is an error, not a silent skip.
    static func models(in files: [RepositoryFile]) throws(ModelHubError) -> [Candidate] {
        var candidates: [Candidate] = []
        var groups: [String: [Int: RepositoryFile]] = [:]
        var order: [String] = []
        for file in files
        where file.path.lowercased().hasSuffix(".gguf") && !file.fileName.lowercased().contains("mmproj") {
            guard let split = GGUFSplitName(fileName: file.fileName) else {
                candidates.append(Candidate(parts: [file]))
                continue
            }
            let folder = String(file.path.dropLast(file.fileName.utf8.count))
            let key = "\(folder)\(split.stem)\u{0}\(split.count)"
            if groups[key] == nil { order.append(key) }
            groups[key, default: [:]][split.part] = file
        }
        for key in order {
            guard let parts = groups[key], let any = parts.values.first,
                let split = GGUFSplitName(fileName: any.fileName)
            else { continue }
            let sorted = (1...split.count).compactMap { parts[$0] }
            guard sorted.count == split.count else {
                throw .badResponse(
                    "the listing has \(sorted.count) of the \(split.count) parts of \(split.fileName(ofPart: 1))")
            }
            candidates.append(Candidate(parts: sorted))
        }
        return candidates.sorted { $0.first.path < $1.first.path }
    }

    /// Whether `path` names `quant` as a whole word: `model-Q4_K_M.gguf` carries Q4_K_M, but
    /// `model-Q4_K_M.gguf` does not carry Q4_K, and `IQ4_XS` does not carry Q4_XS.
    static func carries(_ path: String, quant: String) -> Bool {
        let text = Array(path.uppercased().utf8)
        let word = Array(quant.uppercased().utf8)
        guard !word.isEmpty, text.count >= word.count else { return false }
        for start in 0...(text.count - word.count) where Array(text[start..<(start + word.count)]) == word {
            let before = start == 0 ? nil : text[start - 1]
            let after = start + word.count < text.count ? text[start + word.count] : nil
            let boundaryBefore = before.map { !ModelReference.isAlphanumeric($0) } ?? true
            let boundaryAfter = after.map { !ModelReference.isAlphanumeric($0) && $0 != UInt8(ascii: "_") } ?? true
            if boundaryBefore && boundaryAfter { return true }
        }
        return false
    }
}
