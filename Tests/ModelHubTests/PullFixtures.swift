import Crypto
import Foundation
import GGUF
import ModelHub
import TestSupport

/// The small GGUF the fake hub serves, split models made from it, and fresh models folders.
enum PullFixtures {
    /// The generated llama (`GeneratedModels.llamaSPM`: PyPI gguf wrote it, 1.1 MiB, runnable);
    /// the suites using it require `.syntheticLlamaSPM`, so they are skipped, saying why, without it.
    static var model: [UInt8] {
        get throws { try Array(Data(contentsOf: GeneratedModels.llamaSPM)) }
    }

    static func sha256(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    static func sha256(file path: String) throws -> String {
        try sha256(Array(Data(contentsOf: URL(fileURLWithPath: path))))
    }

    /// An empty folder under the system's temporary folder.
    static func temporaryFolder(_ label: String = "models") -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "parley-pull-\(label)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The `.gguf` files in a models folder (what a person would see there).
    static func models(in folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".gguf") }
            .sorted()
    }

    static func puller(
        _ hub: FakeHub, folder: URL, token: String? = nil, stallSeconds: Int = 20,
        freeSpace: @escaping ModelPuller.FreeSpace = { DiskSpace.available(at: $0) }
    ) throws -> ModelPuller {
        ModelPuller(
            endpoint: try HubEndpoint(base: hub.base, token: token), modelsFolder: folder,
            stallSeconds: stallSeconds, freeSpace: freeSpace)
    }

    /// Splits `file` as `gguf-split --split-max-tensors` does: the first part keeps every
    /// metadata key, every part gets `split.no` (u16), `split.count` (u16) and
    /// `split.tensors.count` (i32), and the tensors are dealt out in order.
    static func split(_ file: GGUFFile, into count: Int) -> [[UInt8]] {
        let perPart = (file.tensors.count + count - 1) / count
        return (0..<count).map { number in
            var writer = GGUFWriter(version: file.version)
            writer.alignment = file.alignment
            if number == 0 {
                for key in file.metadata.keys where !key.hasPrefix("split.") {
                    if let value = file.metadata[key] { writer.add(key, value) }
                }
            } else if file.alignment != 32 {
                writer.add("general.alignment", .uint32(UInt32(file.alignment)))
            }
            writer.add("split.no", .uint16(UInt16(number)))
            writer.add("split.count", .uint16(UInt16(count)))
            writer.add("split.tensors.count", .int32(Int32(file.tensors.count)))
            for tensor in file.tensors.dropFirst(number * perPart).prefix(perPart) {
                _ = writer.addTensor(
                    name: tensor.name, type: tensor.type, dimensions: tensor.dimensions,
                    data: Array(file.data(for: tensor)))
            }
            return writer.bytes()
        }
    }

    /// `stem-0000i-of-0000N.gguf`.
    static func partName(_ stem: String, _ number: Int, of count: Int) -> String {
        func five(_ v: Int) -> String { String(repeating: "0", count: 5 - String(v).count) + String(v) }
        return "\(stem)-\(five(number))-of-\(five(count)).gguf"
    }
}
