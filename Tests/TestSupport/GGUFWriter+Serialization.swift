import GGUF

/// Laying out and encoding a `GGUFWriter`'s contents as GGUF bytes.
extension GGUFWriter {
    /// The file's bytes (patched and truncated) together with the layout of the unpatched file.
    public func build() -> (bytes: [UInt8], layout: Layout) {
        precondition(alignment > 0, "alignment must be positive")
        var out = GGUFByteSink()
        var layout = Layout()
        out.append(magic)
        layout.version = out.count
        out.append(version)
        layout.tensorCount = out.count
        out.append(tensorCountOverride ?? UInt64(tensors.count))
        layout.keyCount = out.count
        out.append(keyCountOverride ?? UInt64(entries.count))

        for entry in entries {
            let start = out.count
            out.appendString(entry.key)
            let valueType = out.count
            switch entry.payload {
            case .value(let value):
                out.append(value.type.rawValue)
                out.appendPayload(of: value)
            case .raw(let typeID, let bytes):
                out.append(typeID)
                out.append(bytes)
            }
            layout.keyValues.append(
                .init(
                    key: entry.key, start: start, valueType: valueType,
                    value: valueType + 4, end: out.count))
        }

        layout.tensorInfosStart = out.count
        let placements = dataPlacements()
        for (tensor, placement) in zip(tensors, placements) {
            let start = out.count
            out.appendString(tensor.name)
            let dimensionCount = out.count
            out.append(tensor.dimensionCountOverride ?? UInt32(tensor.dimensions.count))
            let dimensions = out.count
            for dimension in tensor.dimensions { out.append(dimension) }
            let type = out.count
            out.append(tensor.typeID)
            let dataOffsetField = out.count
            out.append(tensor.offsetOverride ?? UInt64(placement))
            layout.tensorInfos.append(
                .init(
                    name: tensor.name, start: start, dimensionCount: dimensionCount,
                    dimensions: dimensions, type: type,
                    dataOffsetField: dataOffsetField, end: out.count))
        }

        layout.paddingStart = out.count
        layout.dataStart = Self.aligned(out.count, alignment)
        if !tensors.isEmpty {
            out.padTo(layout.dataStart)
            for (tensor, placement) in zip(tensors, placements) {
                out.padTo(layout.dataStart + placement)
                layout.tensorData.append(out.count..<(out.count + tensor.data.count))
                out.append(tensor.data)
            }
            out.padTo(Self.aligned(out.count, alignment))
        }
        layout.end = out.count
        return (finish(out.bytes), layout)
    }

    /// Offsets of each tensor's data from the start of the data section: packed in order, each
    /// starting at a multiple of the alignment (as ggml writes them).
    private func dataPlacements() -> [Int] {
        var offsets: [Int] = []
        var next = 0
        for tensor in tensors {
            offsets.append(next)
            next = Self.aligned(next + tensor.data.count, alignment)
        }
        return offsets
    }

    /// Applies the patches (growing the file with zeros if one reaches past its end) and the truncation.
    private func finish(_ laidOut: [UInt8]) -> [UInt8] {
        var bytes = laidOut
        for (offset, patch) in patches {
            precondition(offset >= 0, "patch offset must not be negative")
            if offset + patch.count > bytes.count {
                bytes += [UInt8](repeating: 0, count: offset + patch.count - bytes.count)
            }
            bytes.replaceSubrange(offset..<(offset + patch.count), with: patch)
        }
        if let truncation { bytes = Array(bytes.prefix(max(0, truncation))) }
        return bytes
    }

    static func aligned(_ offset: Int, _ alignment: Int) -> Int {
        (offset + alignment - 1) / alignment * alignment
    }

    /// The little-endian bytes of an integer.
    public static func littleEndianBytes<T: FixedWidthInteger>(of value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }

    /// The little-endian IEEE 754 bytes of `values`, as F32 tensors and f32 arrays store them.
    public static func littleEndianBytes(of values: [Float]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count * 4)
        for value in values { bytes += littleEndianBytes(of: value.bitPattern) }
        return bytes
    }
}

/// An append-only byte buffer with GGUF's little-endian encodings.
struct GGUFByteSink {
    private(set) var bytes: [UInt8] = []

    var count: Int { bytes.count }

    mutating func append(_ raw: [UInt8]) {
        bytes += raw
    }

    mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
    }

    mutating func appendString(_ string: String) {
        append(UInt64(string.utf8.count))
        bytes += string.utf8
    }

    mutating func padTo(_ offset: Int) {
        if offset > bytes.count { bytes += [UInt8](repeating: 0, count: offset - bytes.count) }
    }

    /// A value without its type id (arrays carry their element type and length).
    mutating func appendPayload(of value: GGUFValue) {
        switch value {
        case .uint8(let v): append(v)
        case .int8(let v): append(v)
        case .uint16(let v): append(v)
        case .int16(let v): append(v)
        case .uint32(let v): append(v)
        case .int32(let v): append(v)
        case .uint64(let v): append(v)
        case .int64(let v): append(v)
        case .float32(let v): append(v.bitPattern)
        case .float64(let v): append(v.bitPattern)
        case .bool(let v): append(UInt8(v ? 1 : 0))
        case .string(let v): appendString(v)
        case .array(let array):
            append(array.elementType.rawValue)
            append(UInt64(array.count))
            for element in array { appendPayload(of: element) }
        }
    }
}
