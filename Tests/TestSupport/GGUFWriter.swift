import GGUF

/// Builds GGUF files in memory: valid ones for tests that need a tiny model, and deliberately
/// broken ones for tests of the reader.
///
/// Everything the reader checks can be set to a wrong value here: magic, version, counts, value
/// type ids, tensor type ids, dimension counts, data offsets, plus raw byte patches and a
/// truncation applied after layout. `build()` also reports where every section and field starts
/// (`GGUFWriter.Layout`), so a test can patch or truncate at an exact place.
///
/// ```swift
/// var w = GGUFWriter()
/// w.add("general.architecture", .string("llama"))
/// w.addTensor(name: "token_embd.weight", type: .f32, dimensions: [4, 2])
/// let file = try GGUFFile(bytes: w.bytes())
/// ```
public struct GGUFWriter: Sendable {
    /// One metadata pair as it will be written; the same key may appear twice on purpose.
    public struct Entry: Sendable, Equatable {
        public var key: String
        public var payload: Payload

        public init(key: String, payload: Payload) {
            self.key = key
            self.payload = payload
        }
    }

    /// A metadata value, either well-formed or given as a raw type id and raw value bytes.
    public enum Payload: Sendable, Equatable {
        case value(GGUFValue)
        case raw(typeID: UInt32, bytes: [UInt8])
    }

    /// One tensor record and its data. Fields are raw so that any of them can be wrong.
    public struct Tensor: Sendable, Equatable {
        public var name: String
        public var typeID: UInt32
        /// ggml order: the row length first.
        public var dimensions: [UInt64]
        /// The bytes placed in the data section (at the next aligned position after the previous tensor).
        public var data: [UInt8]
        /// Written instead of `dimensions.count` when set.
        public var dimensionCountOverride: UInt32?
        /// Written in the record instead of the real (aligned, relative) data offset when set;
        /// the data itself stays where it would have been.
        public var offsetOverride: UInt64?

        public init(
            name: String, typeID: UInt32, dimensions: [UInt64], data: [UInt8] = [],
            dimensionCountOverride: UInt32? = nil, offsetOverride: UInt64? = nil
        ) {
            self.name = name
            self.typeID = typeID
            self.dimensions = dimensions
            self.data = data
            self.dimensionCountOverride = dimensionCountOverride
            self.offsetOverride = offsetOverride
        }
    }

    /// The first four bytes; `GGUF` unless a test wants a bad magic.
    public var magic: [UInt8] = Array("GGUF".utf8)
    /// Any u32; the reader accepts 2 and 3.
    public var version: UInt32
    /// The alignment used to lay out the data section. It does not write `general.alignment`;
    /// `setAlignment(_:)` does both.
    public var alignment: Int = 32
    /// Written instead of `tensors.count` when set.
    public var tensorCountOverride: UInt64?
    /// Written instead of `entries.count` when set.
    public var keyCountOverride: UInt64?
    /// Metadata pairs in file order.
    public var entries: [Entry] = []
    /// Tensor records in file order; their data follows in the same order.
    public var tensors: [Tensor] = []
    /// Byte patches applied, in order, to the laid-out file.
    public private(set) var patches: [(offset: Int, bytes: [UInt8])] = []
    /// When set, the output is cut to this many bytes after patching.
    public var truncation: Int?

    public init(version: UInt32 = 3) {
        self.version = version
    }

    // MARK: Metadata

    /// Appends a metadata pair (a repeated key is written twice, which the reader must refuse).
    public mutating func add(_ key: String, _ value: GGUFValue) {
        entries.append(Entry(key: key, payload: .value(value)))
    }

    /// Appends a pair with an arbitrary type id followed by `bytes` as its value.
    public mutating func addRaw(_ key: String, typeID: UInt32, bytes: [UInt8]) {
        entries.append(Entry(key: key, payload: .raw(typeID: typeID, bytes: bytes)))
    }

    /// Lays out the data with `alignment` and records it as `general.alignment` (a u32), replacing
    /// an earlier `general.alignment` pair if there is one.
    public mutating func setAlignment(_ alignment: Int) {
        precondition(alignment > 0 && alignment <= Int(UInt32.max), "alignment must fit a positive u32")
        self.alignment = alignment
        let entry = Entry(key: "general.alignment", payload: .value(.uint32(UInt32(alignment))))
        if let index = entries.firstIndex(where: { $0.key == "general.alignment" }) {
            entries[index] = entry
        } else {
            entries.append(entry)
        }
    }

    // MARK: Tensors

    /// Appends a tensor of `type` and shape `dimensions` (row length first).
    ///
    /// Without `data` the tensor is filled with zeros of the size its shape needs, or left empty
    /// when the shape is not a whole number of blocks (for tests of invalid shapes).
    /// Returns the tensor's index in `tensors`, for later overrides.
    @discardableResult
    public mutating func addTensor(name: String, type: GGMLType, dimensions: [Int], data: [UInt8]? = nil) -> Int {
        precondition(dimensions.allSatisfy { $0 >= 0 }, "dimensions must not be negative")
        let elements = dimensions.reduce(1) { $0.multipliedReportingOverflow(by: $1).partialValue }
        let bytes = data ?? [UInt8](repeating: 0, count: type.byteCount(elements: elements) ?? 0)
        return addTensor(
            Tensor(
                name: name, typeID: type.rawValue, dimensions: dimensions.map { UInt64($0) },
                data: bytes))
    }

    /// Appends an F32 tensor holding `values` (little-endian), shape `dimensions`.
    @discardableResult
    public mutating func addTensor(name: String, floats values: [Float], dimensions: [Int]) -> Int {
        addTensor(name: name, type: .f32, dimensions: dimensions, data: GGUFWriter.littleEndianBytes(of: values))
    }

    /// Appends a fully specified (possibly invalid) tensor record.
    @discardableResult
    public mutating func addTensor(_ tensor: Tensor) -> Int {
        tensors.append(tensor)
        return tensors.count - 1
    }

    // MARK: Breaking things

    /// Overwrites bytes of the laid-out file starting at `offset` (applied in `bytes()`).
    public mutating func patch(at offset: Int, bytes: [UInt8]) {
        patches.append((offset, bytes))
    }

    /// Overwrites a little-endian integer of the laid-out file at `offset`.
    public mutating func patch<T: FixedWidthInteger>(at offset: Int, _ value: T) {
        patch(at: offset, bytes: GGUFWriter.littleEndianBytes(of: value))
    }

    /// Cuts the output to its first `length` bytes.
    public mutating func truncate(at length: Int) {
        truncation = length
    }

    // MARK: Output

    /// The file's bytes, with patches and truncation applied.
    public func bytes() -> [UInt8] {
        build().bytes
    }

    /// Where each section and field of the unpatched, untruncated file starts.
    public func layout() -> Layout {
        build().layout
    }
}
