import Foundation
import GGUF
import TestSupport

/// Reads the golden files written by `Scripts/reference/make_quant_fixtures.py`.
enum QuantFixtures {
    struct Index: Decodable {
        struct Weight: Decodable {
            let type: String
            let ggmlType: UInt32
            let count: Int
            let bytes: String
            let values: String
        }
        struct Encoding: Decodable {
            let codes: String
            let scales: String
        }
        struct Activations: Decodable {
            let count: Int
            let input: String
            let q8_0: Encoding
            let q8_K: Encoding
        }
        struct ModelRows: Decodable {
            let model: String
            let tensor: String
            let type: String
            let columns: Int
            let rows: [Int]
            let values: String
        }
        struct Model: Decodable {
            let bytes: Int
            let sha256: String
        }
        let weights: [Weight]
        let activations: Activations
        let modelRows: [ModelRows]
        let models: [String: Model]
    }

    static let directory = TestPaths.repositoryFile("Tests/InferenceTests/Fixtures/Quants")

    static func index() throws -> Index {
        let data = try Data(contentsOf: directory.appendingPathComponent("index.json"))
        return try JSONDecoder().decode(Index.self, from: data)
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    static func floats(_ name: String) throws -> [Float] {
        let raw = try bytes(name)
        return stride(from: 0, to: raw.count, by: 4).map { offset in
            Float(
                bitPattern: UInt32(raw[offset]) | UInt32(raw[offset + 1]) << 8 | UInt32(raw[offset + 2]) << 16 | UInt32(
                    raw[offset + 3]) << 24)
        }
    }

    /// The path of a model if present with the size the fixtures were recorded from.
    static func model(_ name: String, expectedBytes: Int) -> String? {
        let path = TestPaths.model(name).path
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let size = attributes[.size] as? Int, size == expectedBytes
        else { return nil }
        return path
    }
}
