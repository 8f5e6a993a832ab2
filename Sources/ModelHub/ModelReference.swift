/// What `parley pull REF` names: a repository on Hugging Face and which GGUF in it.
///
/// `owner/repo:QUANT` picks the file whose name carries that quant (as llama.cpp's `-hf` does),
/// `owner/repo` picks Q4_K_M or the only GGUF, `owner/repo/path/file.gguf` names one file.
/// Names are checked here so that nothing a person types can leave the repository's URL space
/// (no `..`, no query, no scheme).
public struct ModelReference: Sendable, Equatable, CustomStringConvertible {
    public enum Selector: Sendable, Equatable {
        /// No `:QUANT` and no path: Q4_K_M, else the only GGUF in the repository.
        case automatic
        /// `:QUANT`, e.g. `Q4_K_M`, matched case-insensitively.
        case quant(String)
        /// A file path inside the repository.
        case file(String)
    }

    /// The quant chosen when the reference names none (ollama's and llama.cpp's default).
    public static let defaultQuant = "Q4_K_M"

    public let owner: String
    public let repository: String
    public let selector: Selector

    /// `owner/repo`.
    public var repoID: String { "\(owner)/\(repository)" }

    public var description: String {
        switch selector {
        case .automatic: return repoID
        case .quant(let quant): return "\(repoID):\(quant)"
        case .file(let path): return "\(repoID)/\(path)"
        }
    }

    public init(owner: String, repository: String, selector: Selector) {
        self.owner = owner
        self.repository = repository
        self.selector = selector
    }

    public init(parsing text: String) throws(ModelHubError) {
        var rest = Substring(text)
        var quant: String?
        if let colon = rest.lastIndex(of: ":") {
            quant = String(rest[rest.index(after: colon)...])
            rest = rest[..<colon]
        }
        let components = rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard components.count >= 2 else { throw .badReference(text, reason: "no owner/repo") }
        for name in components.prefix(2) where !Self.isValidName(name) {
            throw .badReference(text, reason: "'\(name)' is not a valid owner or repository name")
        }
        owner = components[0]
        repository = components[1]
        if components.count == 2 {
            if let quant {
                guard !quant.isEmpty, quant.utf8.count <= 32,
                    quant.utf8.allSatisfy({
                        Self.isAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-")
                    })
                else { throw .badReference(text, reason: "'\(quant)' is not a quant name such as Q4_K_M") }
                selector = .quant(quant)
            } else {
                selector = .automatic
            }
            return
        }
        guard quant == nil else { throw .badReference(text, reason: "a file path and a :QUANT cannot be combined") }
        let path = components.dropFirst(2)
        for segment in path {
            guard !segment.isEmpty, segment != ".", segment != "..", segment.utf8.count <= 255,
                segment.unicodeScalars.allSatisfy({
                    $0.value >= 0x20 && $0.value != 0x7F && !"\\?#%".unicodeScalars.contains($0)
                })
            else { throw .badReference(text, reason: "the file path has an empty, '.', '..' or unusual segment") }
        }
        guard let last = path.last, last.lowercased().hasSuffix(".gguf") else {
            throw .badReference(text, reason: "the file path must end in .gguf")
        }
        selector = .file(path.joined(separator: "/"))
    }

    /// Hugging Face's rule for user, organisation and repository names: letters, digits, `-`,
    /// `_`, `.`, at most 96 characters, not starting with a `-` or `.`.
    static func isValidName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, bytes.count <= 96, isAlphanumeric(first) || first == UInt8(ascii: "_") else {
            return false
        }
        return bytes.allSatisfy {
            isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
        }
            && !name.contains("..")
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
