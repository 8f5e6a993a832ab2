import Foundation
import TestSupport

/// A scalar metadata value as the oracle recorded it: integers as exact decimal text, floats as
/// `"f32:xxxxxxxx"` bit strings, booleans and strings as themselves.
enum FixtureScalar: Equatable, Sendable {
    case integer(String)
    case bool(Bool)
    case string(String)
}

/// What PyPI `gguf` 0.19.0 read from one shared GGUF file (`Tests/GGUFTests/Fixtures/gguf-*.json`,
/// written by `Scripts/reference/gguf_fixtures.py`).
struct OracleFixture: Decodable, Sendable {
    struct Pair: Decodable, Sendable {
        var key: String
        var type: String
        var typeID: UInt32
        var elementTypeID: UInt32?
        var count: Int?
        var value: FixtureScalar?
        var sha256: String

        enum CodingKeys: String, CodingKey {
            case key, type, sha256, count, value
            case typeID = "type_id"
            case elementTypeID = "element_type_id"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            key = try container.decode(String.self, forKey: .key)
            type = try container.decode(String.self, forKey: .type)
            typeID = try container.decode(UInt32.self, forKey: .typeID)
            elementTypeID = try container.decodeIfPresent(UInt32.self, forKey: .elementTypeID)
            count = try container.decodeIfPresent(Int.self, forKey: .count)
            sha256 = try container.decode(String.self, forKey: .sha256)
            // The JSON type of "value" follows the GGUF type, so decode by that, not by guessing.
            switch type {
            case "ARRAY": value = nil
            case "BOOL": value = .bool(try container.decode(Bool.self, forKey: .value))
            case "STRING", "FLOAT32", "FLOAT64": value = .string(try container.decode(String.self, forKey: .value))
            case "UINT64": value = .integer(String(try container.decode(UInt64.self, forKey: .value)))
            default: value = .integer(String(try container.decode(Int64.self, forKey: .value)))
            }
        }
    }

    struct Tensor: Decodable, Sendable {
        var name: String
        var shape: [Int]
        var type: String
        var typeID: UInt32
        var offset: UInt64
        var elementCount: Int
        var byteCount: Int
        var dataSHA256: String?

        enum CodingKeys: String, CodingKey {
            case name, shape, type, offset
            case typeID = "type_id"
            case elementCount = "n_elements"
            case byteCount = "n_bytes"
            case dataSHA256 = "data_sha256"
        }
    }

    var file: String
    var fileSize: Int
    var version: UInt32
    var alignment: Int
    var dataOffset: Int
    var tensorCount: Int
    var keyCount: Int
    var metadata: [Pair]
    var tensors: [Tensor]

    enum CodingKeys: String, CodingKey {
        case file, version, alignment, metadata, tensors
        case fileSize = "file_size"
        case dataOffset = "data_offset"
        case tensorCount = "tensor_count"
        case keyCount = "kv_count"
    }

    /// The committed model files the fixtures describe (`Tests/Fixtures/models`), relative to the
    /// models folder; stories260K and the two SmolLM2 files have their own tests, skipped when
    /// they are absent.
    static let committedModelFiles = [
        "vocab/ggml-vocab-gpt-2.gguf",
        "vocab/ggml-vocab-llama-bpe.gguf",
        "vocab/ggml-vocab-llama-spm.gguf",
        "vocab/ggml-vocab-phi-3.gguf",
        "vocab/ggml-vocab-qwen2.gguf",
        "vocab/ggml-vocab-smollm2.gguf"
    ]

    /// Loads the fixture recorded for `modelFile` (a path relative to the models folder).
    static func load(for modelFile: String) throws -> OracleFixture {
        let stem = (URL(fileURLWithPath: modelFile).lastPathComponent as NSString).deletingPathExtension
        let url = TestPaths.repositoryFile("Tests/GGUFTests/Fixtures/gguf-\(stem).json")
        return try JSONDecoder().decode(OracleFixture.self, from: Data(contentsOf: url))
    }
}
