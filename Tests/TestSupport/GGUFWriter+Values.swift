import GGUF

/// Shorthands for the array values that tokenizer and model metadata use, so that tests building
/// a tiny model read like its metadata: `w.add("tokenizer.ggml.tokens", .strings(["<s>", "a"]))`.
extension GGUFValue {
    /// An array of strings.
    public static func strings(_ values: [String]) -> GGUFValue {
        .array(elementType: .string, elements: values.map { .string($0) })
    }

    /// An array of f32 values.
    public static func float32s(_ values: [Float]) -> GGUFValue {
        .array(elementType: .float32, elements: values.map { .float32($0) })
    }

    /// An array of i32 values.
    public static func int32s(_ values: [Int32]) -> GGUFValue {
        .array(elementType: .int32, elements: values.map { .int32($0) })
    }

    /// An array of u32 values.
    public static func uint32s(_ values: [UInt32]) -> GGUFValue {
        .array(elementType: .uint32, elements: values.map { .uint32($0) })
    }
}

extension GGUFWriter {
    /// A writer holding a copy of `file`'s metadata (in order) and tensor table, each tensor with
    /// its real bytes, laid out afresh; a starting point for derived or broken files.
    public init(copying file: GGUFFile) {
        self.init(version: file.version)
        alignment = file.alignment
        for key in file.metadata.keys {
            if let value = file.metadata[key] { add(key, value) }
        }
        for tensor in file.tensors {
            addTensor(
                name: tensor.name, type: tensor.type, dimensions: tensor.dimensions,
                data: Array(file.data(for: tensor)))
        }
    }
}
