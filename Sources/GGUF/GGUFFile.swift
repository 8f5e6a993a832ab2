/// A parsed GGUF model file: metadata, tensor table and in-place views of the tensor data.
///
/// Opening parses only the header; the weights stay mapped and untouched until the engine reads
/// them, which keeps start-up fast and resident memory close to what is actually used.
public final class GGUFFile: Sendable {
    /// The path the file was opened from; nil for files parsed from memory.
    public let path: String?
    /// The GGUF version (2 or 3; both share one layout).
    public let version: UInt32
    /// The data section's alignment: `general.alignment`, or 32 when the file does not say.
    public let alignment: Int
    /// Every key/value pair, in file order.
    public let metadata: GGUFMetadata
    /// Tensors in file order, each checked to lie inside the file.
    public let tensors: [GGUFTensorInfo]
    /// Byte offset of the data section from the start of the file. For a file without tensors
    /// this is where the section would start, which may be past the end (as ggml and gguf-py report).
    public let dataOffset: Int
    /// The file's size in bytes; for a split model, the sum of its parts.
    public let fileSize: Int
    /// The paths of every part of a split model, first part first (one path for a plain file).
    public let partPaths: [String]
    /// Each part's mapping and data-section offset; `parts[0]` is the file this was opened from.
    private let parts: [Part]
    /// The part holding each tensor, parallel to `tensors`.
    private let tensorPart: [Int]
    private let index: [String: Int]

    /// One mapped file of a (possibly split) model.
    struct Part {
        let storage: MappedFile
        let dataOffset: Int
    }

    /// Maps and parses the file at `path`. When it is the first part of a split model
    /// (`split.count` > 1, as `gguf-split` writes `NAME-00001-of-00003.gguf`), the other parts
    /// beside it are mapped and parsed too, and their tensors join this one's table, so the
    /// engine sees one model.
    public convenience init(path: String) throws(GGUFError) {
        let storage = try MappedFile(path: path)
        var parser = GGUFParser(file: storage)
        let header = try parser.parse()
        guard let split = try GGUFSplit(metadata: header.metadata, path: path) else {
            try self.init(parts: [(storage, header)], paths: [path], path: path)
            return
        }
        try self.init(parts: [(storage, header)] + split.loadOtherParts(), paths: split.paths, path: path)
    }

    /// Parses a copy of `bytes` (for tests and tools that build files in memory).
    public convenience init(bytes: [UInt8]) throws(GGUFError) {
        let storage = MappedFile(copying: bytes)
        var parser = GGUFParser(file: storage)
        let header = try parser.parse()
        try self.init(parts: [(storage, header)], paths: [], path: nil)
    }

    private init(parts headers: [(MappedFile, GGUFParser.Header)], paths: [String], path: String?) throws(GGUFError) {
        let first = headers[0].1
        self.path = path
        partPaths = paths
        version = first.version
        alignment = first.alignment
        metadata = first.metadata
        dataOffset = first.dataOffset
        parts = headers.map { Part(storage: $0.0, dataOffset: $0.1.dataOffset) }
        fileSize = headers.reduce(0) { $0 + $1.0.bytes.count }
        guard headers.count > 1 else {
            tensors = first.tensors
            tensorPart = Array(repeating: 0, count: first.tensors.count)
            index = first.tensorIndex
            return
        }
        var tensors: [GGUFTensorInfo] = []
        var tensorPart: [Int] = []
        var index: [String: Int] = [:]
        for (number, (_, header)) in headers.enumerated() {
            for tensor in header.tensors {
                guard index[tensor.name] == nil else {
                    throw .splitModel(path: paths[number], reason: "tensor '\(tensor.name)' is also in an earlier part")
                }
                index[tensor.name] = tensors.count
                tensors.append(tensor)
                tensorPart.append(number)
            }
        }
        if let expected = first.metadata.int(GGUFSplit.tensorCountKey), expected != tensors.count {
            throw .splitModel(
                path: paths[0], reason: "the parts hold \(tensors.count) tensors, the first part says \(expected)")
        }
        self.tensors = tensors
        self.tensorPart = tensorPart
        self.index = index
    }

    /// The tensor called `name`, if the file has one.
    public func tensor(named name: String) -> GGUFTensorInfo? {
        index[name].map { tensors[$0] }
    }

    /// The tensor's bytes, viewed in place. Valid as long as this `GGUFFile` is alive.
    ///
    /// The parser has checked that every tensor of this file lies inside it, so no check is
    /// needed here beyond making sure `tensor` came from this file (passing another file's tensor
    /// is a programmer error). The view starts at a multiple of `alignment` (at least 8) from a
    /// page-aligned mapping, so it is aligned for loads of any scalar the engine uses.
    public func data(for tensor: GGUFTensorInfo) -> UnsafeRawBufferPointer {
        guard let position = index[tensor.name], tensors[position] == tensor else {
            preconditionFailure("tensor '\(tensor.name)' does not belong to this GGUF file")
        }
        let part = parts[tensorPart[position]]
        let start = part.dataOffset + Int(tensor.rawOffset)
        return UnsafeRawBufferPointer(rebasing: part.storage.bytes[start..<(start + tensor.byteCount)])
    }

    /// Lets this process's mapping of `bytes` (part of a tensor's `data(for:)`) go, for weights
    /// copied into another layout at load time and not read here again. Reading them later maps
    /// them back from the page cache, so this only returns memory. No-op for a file built in
    /// memory and for bytes outside the file.
    public func releasePages(_ bytes: UnsafeRawBufferPointer) {
        guard let start = bytes.baseAddress else { return }
        for part in parts {
            guard let base = part.storage.bytes.baseAddress, start >= base,
                start + bytes.count <= base + part.storage.bytes.count
            else { continue }
            part.storage.release(bytes)
        }
    }

    /// The bytes of the tensor called `name`, or nil when the file has no such tensor.
    public func data(named name: String) -> UnsafeRawBufferPointer? {
        tensor(named: name).map { data(for: $0) }
    }

    /// The raw bytes of the whole file (header included), viewed in place; the first part's for a
    /// split model.
    public var rawBytes: UnsafeRawBufferPointer { parts[0].storage.bytes }

    /// The object that keeps the file's bytes mapped. Views of tensor data hold this rather than
    /// the `GGUFFile`, so the parsed metadata (the vocabulary and merges alone are ~4 MiB of
    /// `GGUFValue`s for SmolLM2) is freed once loading is done, while the weights stay mapped.
    /// For a split model the owner keeps every part mapped.
    public var bytesOwner: AnyObject { parts.count == 1 ? parts[0].storage : MappedParts(parts.map(\.storage)) }

    /// Asks the kernel to start reading every page of the file in the background.
    public func prefetch() {
        for part in parts { part.storage.adviseWillNeed() }
    }

    /// The architecture name (`general.architecture`), if present.
    public var architecture: String? { metadata.string("general.architecture") }
}
