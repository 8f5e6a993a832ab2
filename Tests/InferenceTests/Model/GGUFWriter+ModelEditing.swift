import GGUF
import TestSupport

/// Edits of a copied model file, so a test changes exactly one thing (drops a key, retypes it,
/// reshapes or removes a tensor) and checks the error that names it.
extension GGUFWriter {
    /// A writer holding `file`'s metadata (in order) and tensors.
    init(copying file: GGUFFile) {
        self.init(version: file.version)
        for key in file.metadata.keys {
            if let value = file.metadata[key] { add(key, value) }
        }
        for info in file.tensors {
            addTensor(name: info.name, type: info.type, dimensions: info.dimensions, data: Array(file.data(for: info)))
        }
    }

    /// Replaces the value of `key`, or appends the pair.
    mutating func set(_ key: String, _ value: GGUFValue) {
        let entry = Entry(key: key, payload: .value(value))
        if let index = entries.firstIndex(where: { $0.key == key }) {
            entries[index] = entry
        } else {
            entries.append(entry)
        }
    }

    mutating func remove(key: String) { entries.removeAll { $0.key == key } }

    mutating func remove(tensor name: String) { tensors.removeAll { $0.name == name } }

    /// Replaces tensor `name` by an F32 tensor of `dimensions` holding `values`.
    mutating func replaceF32(_ name: String, dimensions: [Int], values: [Float]) {
        remove(tensor: name)
        addTensor(name: name, floats: values, dimensions: dimensions)
    }
}
