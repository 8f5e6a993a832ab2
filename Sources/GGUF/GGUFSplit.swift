/// A model split into several GGUF files the way llama.cpp's `gguf-split` writes it:
/// `NAME-00001-of-00003.gguf`, `NAME-00002-of-00003.gguf`, ... Every part is a complete GGUF file
/// with its own tensor table and data; the first holds the model's metadata, and each carries
/// `split.no` (0-based), `split.count` and `split.tensors.count` (the total over all parts).
///
/// Only the first part can be opened as a model: the loader finds the others by name beside it
/// and checks that each says it is the part it should be, so a mixed-up folder is an error.
struct GGUFSplit {
    static let numberKey = "split.no"
    static let countKey = "split.count"
    static let tensorCountKey = "split.tensors.count"

    /// Every part's path, first part first.
    let paths: [String]

    /// Nil for a file that is not split (no `split.count`, or 1). Throws for a later part, a count
    /// out of range, or a first part whose name does not let the others be found.
    init?(metadata: GGUFMetadata, path: String) throws(GGUFError) {
        guard let count = metadata.int(Self.countKey), count != 1 else { return nil }
        guard (2...GGUFSplitName.maxParts).contains(count) else {
            throw .splitModel(path: path, reason: "split.count \(count) is outside 2...\(GGUFSplitName.maxParts)")
        }
        let number = metadata.int(Self.numberKey) ?? 0
        let slash = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
        let folder = String(path[..<slash])
        let fileName = String(path[slash...])
        let name = GGUFSplitName(fileName: fileName)
        guard number == 0 else {
            let first = name.map { folder + $0.fileName(ofPart: 1) } ?? "the file named -00001-of-…"
            throw .splitModel(
                path: path,
                reason: "this is part \(number + 1) of \(count) of a split model; open the first part, \(first)")
        }
        guard let name, name.part == 1, name.count == count else {
            throw .splitModel(
                path: path,
                reason: """
                    this is the first of \(count) parts of a split model, but its name does not end in \
                    -00001-of-\(GGUFSplitName.counter(count)).gguf, so the other parts cannot be found
                    """)
        }
        paths = (1...count).map { folder + name.fileName(ofPart: $0) }
    }

    /// Maps and parses parts 2...N, checking that each is the part its name says.
    func loadOtherParts() throws(GGUFError) -> [(MappedFile, GGUFParser.Header)] {
        var parts: [(MappedFile, GGUFParser.Header)] = []
        for (index, path) in paths.enumerated().dropFirst() {
            let storage: MappedFile
            do { storage = try MappedFile(path: path) } catch {
                throw .splitModel(
                    path: path, reason: "part \(index + 1) of \(paths.count) is missing or unreadable (\(error))")
            }
            var parser = GGUFParser(file: storage)
            let header: GGUFParser.Header
            do { header = try parser.parse() } catch {
                throw .splitModel(
                    path: path, reason: "part \(index + 1) of \(paths.count) is not a valid GGUF file: \(error)")
            }
            let number = header.metadata.int(Self.numberKey)
            let count = header.metadata.int(Self.countKey)
            guard number == index, count == paths.count else {
                throw .splitModel(
                    path: path,
                    reason: """
                        expected part \(index + 1) of \(paths.count), but the file says split.no \
                        \(number.map(String.init) ?? "missing"), split.count \(count.map(String.init) ?? "missing")
                        """)
            }
            parts.append((storage, header))
        }
        return parts
    }
}

/// The `-00001-of-00003.gguf` naming of split model parts (llama.cpp's `llama_split_path`).
public struct GGUFSplitName: Sendable, Equatable {
    /// gguf-split numbers parts with five digits.
    public static let maxParts = 99_999
    /// The name without the `-0000i-of-0000N.gguf` ending.
    public let stem: String
    /// 1-based.
    public let part: Int
    public let count: Int

    /// Nil when `fileName` does not end in `-DDDDD-of-DDDDD.gguf` with 1 ≤ part ≤ count.
    public init?(fileName: String) {
        let bytes = Array(fileName.utf8)
        let tail = Array("-00000-of-00000.gguf".utf8)
        guard bytes.count > tail.count else { return nil }
        let end = Array(bytes.suffix(tail.count))
        func digits(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in end[range] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard end[0] == UInt8(ascii: "-"), Array(end[6..<10]) == Array("-of-".utf8),
            Array(end[15...]) == Array(".gguf".utf8),
            let part = digits(1..<6), let count = digits(10..<15), part >= 1, part <= count
        else { return nil }
        stem = String(decoding: bytes.dropLast(tail.count), as: UTF8.self)
        self.part = part
        self.count = count
    }

    /// The file name of part `number` (1-based) of this split model.
    public func fileName(ofPart number: Int) -> String {
        "\(stem)-\(Self.counter(number))-of-\(Self.counter(count)).gguf"
    }

    /// A number with five digits, zero-padded, as gguf-split writes it.
    static func counter(_ value: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, 5 - text.count)) + text
    }
}

/// Keeps every part of a split model mapped while any tensor view of it is alive.
final class MappedParts: Sendable {
    let parts: [MappedFile]
    init(_ parts: [MappedFile]) { self.parts = parts }
}
