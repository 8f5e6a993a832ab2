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
    /// The file's size in bytes.
    public let fileSize: Int
    private let storage: MappedFile
    private let index: [String: Int]

    /// Maps and parses the file at `path`.
    public convenience init(path: String) throws(GGUFError) {
        try self.init(storage: MappedFile(path: path), path: path)
    }

    /// Parses a copy of `bytes` (for tests and tools that build files in memory).
    public convenience init(bytes: [UInt8]) throws(GGUFError) {
        try self.init(storage: MappedFile(copying: bytes), path: nil)
    }

    private init(storage: MappedFile, path: String?) throws(GGUFError) {
        var parser = GGUFParser(file: storage)
        let header = try parser.parse()
        self.storage = storage
        self.path = path
        version = header.version
        alignment = header.alignment
        metadata = header.metadata
        tensors = header.tensors
        dataOffset = header.dataOffset
        fileSize = storage.bytes.count
        index = header.tensorIndex
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
        let start = dataOffset + Int(tensor.rawOffset)
        return UnsafeRawBufferPointer(rebasing: storage.bytes[start..<(start + tensor.byteCount)])
    }

    /// The bytes of the tensor called `name`, or nil when the file has no such tensor.
    public func data(named name: String) -> UnsafeRawBufferPointer? {
        tensor(named: name).map { data(for: $0) }
    }

    /// The raw bytes of the whole file (header included), viewed in place.
    public var rawBytes: UnsafeRawBufferPointer { storage.bytes }

    /// The object that keeps the file's bytes mapped. Views of tensor data hold this rather than
    /// the `GGUFFile`, so the parsed metadata (the vocabulary and merges alone are ~4 MiB of
    /// `GGUFValue`s for SmolLM2) is freed once loading is done, while the weights stay mapped.
    public var bytesOwner: AnyObject { storage }

    /// Asks the kernel to start reading every page of the file in the background.
    public func prefetch() { storage.adviseWillNeed() }

    /// The architecture name (`general.architecture`), if present.
    public var architecture: String? { metadata.string("general.architecture") }
}
