import GGUF

/// Serializes GGUF v3 files in memory, so tests can derive broken or altered models from a good one.
///
/// Starting from a parsed file keeps every other key and tensor intact, so a test changes exactly
/// one thing (drop a key, retype it, reshape a tensor) and checks the error that names it.
struct ModelGGUFBuilder {
    struct Tensor {
        var name: String
        var dimensions: [Int]
        var type: GGMLType
        var bytes: [UInt8]
    }

    var metadata: [(key: String, value: GGUFValue)] = []
    var tensors: [Tensor] = []

    init() {}

    /// A copy of `file`'s metadata (in order) and tensors.
    init(copying file: GGUFFile) {
        for key in file.metadata.keys {
            if let value = file.metadata[key] { metadata.append((key, value)) }
        }
        for info in file.tensors {
            tensors.append(Tensor(name: info.name, dimensions: info.dimensions, type: info.type,
                                  bytes: Array(file.data(for: info))))
        }
    }

    mutating func set(_ key: String, _ value: GGUFValue) {
        if let index = metadata.firstIndex(where: { $0.key == key }) {
            metadata[index].value = value
        } else {
            metadata.append((key, value))
        }
    }

    mutating func remove(key: String) { metadata.removeAll { $0.key == key } }

    mutating func remove(tensor name: String) { tensors.removeAll { $0.name == name } }

    /// Adds or replaces an F32 tensor.
    mutating func setF32(_ name: String, dimensions: [Int], values: [Float]) {
        var bytes: [UInt8] = []
        for value in values { append(&bytes, value.bitPattern) }
        let tensor = Tensor(name: name, dimensions: dimensions, type: .f32, bytes: bytes)
        if let index = tensors.firstIndex(where: { $0.name == name }) {
            tensors[index] = tensor
        } else {
            tensors.append(tensor)
        }
    }

    /// The file's bytes: header, metadata, tensor table, then 32-byte aligned data.
    func bytes() -> [UInt8] {
        let alignment = 32
        var out: [UInt8] = Array("GGUF".utf8)
        append(&out, UInt32(3))
        append(&out, UInt64(tensors.count))
        append(&out, UInt64(metadata.count))
        for (key, value) in metadata {
            appendString(&out, key)
            append(&out, value.type.rawValue)
            appendValue(&out, value)
        }
        var offset = 0
        for tensor in tensors {
            appendString(&out, tensor.name)
            append(&out, UInt32(tensor.dimensions.count))
            for dimension in tensor.dimensions { append(&out, UInt64(dimension)) }
            append(&out, tensor.type.rawValue)
            append(&out, UInt64(offset))
            offset += (tensor.bytes.count + alignment - 1) / alignment * alignment
        }
        out += [UInt8](repeating: 0, count: (alignment - out.count % alignment) % alignment)
        for tensor in tensors {
            out += tensor.bytes
            out += [UInt8](repeating: 0, count: (alignment - tensor.bytes.count % alignment) % alignment)
        }
        return out
    }

    private func appendValue(_ out: inout [UInt8], _ value: GGUFValue) {
        switch value {
        case .uint8(let v): append(&out, v)
        case .int8(let v): append(&out, v)
        case .uint16(let v): append(&out, v)
        case .int16(let v): append(&out, v)
        case .uint32(let v): append(&out, v)
        case .int32(let v): append(&out, v)
        case .uint64(let v): append(&out, v)
        case .int64(let v): append(&out, v)
        case .float32(let v): append(&out, v.bitPattern)
        case .float64(let v): append(&out, v.bitPattern)
        case .bool(let v): append(&out, UInt8(v ? 1 : 0))
        case .string(let v): appendString(&out, v)
        case .array(let elementType, let elements):
            append(&out, elementType.rawValue)
            append(&out, UInt64(elements.count))
            for element in elements { appendValue(&out, element) }
        }
    }

    private func appendString(_ out: inout [UInt8], _ text: String) {
        append(&out, UInt64(text.utf8.count))
        out += Array(text.utf8)
    }

    private func append<T: FixedWidthInteger>(_ out: inout [UInt8], _ value: T) {
        withUnsafeBytes(of: value.littleEndian) { out += $0 }
    }
}
