/// A parsed GGUF model file: metadata, tensor table and in-place views of the tensor data.
///
/// Opening parses only the header; the weights stay mapped and untouched until the engine reads
/// them, which keeps start-up fast and resident memory close to what is actually used.
public final class GGUFFile: Sendable {
    public let path: String?
    public let version: UInt32
    public let alignment: Int
    public let metadata: GGUFMetadata
    /// Tensors in file order.
    public let tensors: [GGUFTensorInfo]
    /// Byte offset of the data section from the start of the file.
    public let dataOffset: Int
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
        var parser = GGUFParser(storage.bytes)
        let header = try parser.parse()
        self.storage = storage
        self.path = path
        version = header.version
        alignment = header.alignment
        metadata = header.metadata
        tensors = header.tensors
        dataOffset = header.dataOffset
        fileSize = storage.bytes.count
        var index: [String: Int] = [:]
        for (position, tensor) in header.tensors.enumerated() { index[tensor.name] = position }
        self.index = index
    }

    public func tensor(named name: String) -> GGUFTensorInfo? {
        index[name].map { tensors[$0] }
    }

    /// The tensor's bytes, viewed in place. Valid as long as this `GGUFFile` is alive.
    public func data(for tensor: GGUFTensorInfo) -> UnsafeRawBufferPointer {
        let start = dataOffset + Int(tensor.rawOffset)
        return UnsafeRawBufferPointer(rebasing: storage.bytes[start..<(start + tensor.byteCount)])
    }

    /// The raw bytes of the whole file (header included), viewed in place.
    public var rawBytes: UnsafeRawBufferPointer { storage.bytes }

    /// Asks the kernel to start reading every page of the file in the background.
    public func prefetch() { storage.adviseWillNeed() }

    /// The architecture name (`general.architecture`), if present.
    public var architecture: String? { metadata.string("general.architecture") }
}
